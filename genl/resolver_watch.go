package genl

import (
	"context"
	"errors"
)

// watcher keeps a resolver's cache fresh from nlctrl's notify group: a
// family or multicast group registered or removed drops that family from
// the cache; an overrun (lost notifications) drops everything.
type watcher struct {
	sub  *Subscription
	done chan struct{}
}

// startWatch starts the watcher once, on the first lookup. Conns that
// cannot open sockets, or whose sockets are fakes, go without: their cache
// relies on the retry after ENOENT.
func (r *resolver) startWatch() {
	r.watchMu.Lock()
	defer r.watchMu.Unlock()
	if r.watch != nil || r.watchOff {
		return
	}
	r.watchOff = true // one attempt only
	if r.c.dial == nil || r.c.fake() || r.c.opts.NoWatch {
		return
	}
	sub, err := r.c.subscribe(ctrlFamily, []uint32{ctrlNotifyGroup})
	if err != nil {
		return
	}
	w := &watcher{sub: sub, done: make(chan struct{})}
	r.watch = w
	go w.run(r)
}

// stopWatch stops the watcher and waits for its goroutine to end.
func (r *resolver) stopWatch() {
	r.watchMu.Lock()
	defer r.watchMu.Unlock()
	r.watchOff = true
	if w := r.watch; w != nil {
		_ = w.sub.Close()
		<-w.done
		r.watch = nil
	}
}

func (w *watcher) run(r *resolver) {
	defer close(w.done)
	for {
		m, err := w.sub.Receive(context.Background())
		switch {
		case errors.Is(err, ErrOverrun):
			r.forgetAll()
			continue
		case err != nil:
			// The socket is closed or broken: no more news, so trust
			// nothing cached from here on.
			r.forgetAll()
			return
		}
		r.onNotify(m)
	}
}

// onNotify drops the family an nlctrl notification is about.
func (r *resolver) onNotify(m Message) {
	switch m.Command {
	case ctrlCmdNewFamily, ctrlCmdDelFamily, ctrlCmdNewMcastGrp, ctrlCmdDelMcastGrp:
		name, id := familyKey(m.Data)
		r.forget(name, id)
	}
}

// familyKey reads the family name and id of an nlctrl notification.
func familyKey(b []byte) (string, uint16) {
	var name string
	var id uint16
	w := NewWalker(b, nil)
	for w.Next() {
		switch w.Type() {
		case ctrlAttrFamilyName:
			name = w.String()
		case ctrlAttrFamilyID:
			id = w.Uint16()
		}
	}
	return name, id
}
