package genltest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/genl"
)

// Handler answers one request of a family's op.
type Handler func(req Request) ([]Reply, error)

// Family describes a family the fake kernel serves.
type Family struct {
	// Name is the family name.
	Name string
	// ID is the family id (netlink message type); 0 picks a free one.
	ID uint16
	// Version is the family version reported by nlctrl.
	Version uint8
	// HeaderSize is the size of the family's fixed header, after the genl
	// header; requests' Header and replies' Header have this size.
	HeaderSize uint32
	// MaxAttr is the highest attribute type reported by nlctrl.
	MaxAttr uint32
	// Groups are the multicast group names; ids are assigned.
	Groups []string
	// Ops maps commands to their handlers.
	Ops map[uint8]Handler
	// OpFlags overrides the capability flags nlctrl reports for an op; the
	// default is genl.OpDo|genl.OpDump (both handlers). genl.OpHasPolicy is
	// added for ops that Policy covers. Requests an op's flags rule out
	// fail with EOPNOTSUPP.
	OpFlags map[uint8]genl.OpFlags
	// Policy, if set, is served by nlctrl's CTRL_CMD_GETPOLICY (and so by
	// genl.Conn.Policy and OpPolicy): the ops' Do and Dump policies and the
	// nested policies they reach. Policy indexes are assigned by the fake
	// kernel; Policy.Index and AttrPolicy.PolicyIndex are ignored.
	Policy *genl.FamilyPolicy
}

// family is a registered Family with its assigned ids.
type family struct {
	Family
	groups map[string]uint32 // group name -> id
}

// Kernel is a fake generic netlink kernel. Its methods are safe for
// concurrent use, also from inside handlers.
type Kernel struct {
	mu       sync.Mutex
	byName   map[string]*family
	byID     map[uint16]*family
	nextID   uint16
	nextGrp  uint32
	nextPort uint32
	socks    map[uint32]*socket // by port id

	// raw is set for a classic netlink kernel (NewRaw): it serves raw
	// families instead of generic netlink ones.
	raw *rawState
}

// nlctrl's fixed ids (GENL_ID_CTRL and its "notify" group).
const (
	ctrlID          = 0x10
	ctrlNotifyGroup = 0x10
	ctrlVersion     = 2
)

// New returns a fake kernel holding only nlctrl.
func New() *Kernel {
	k := &Kernel{
		byName:   map[string]*family{},
		byID:     map[uint16]*family{},
		nextID:   ctrlID + 1,
		nextGrp:  ctrlNotifyGroup + 1,
		nextPort: 1000,
		socks:    map[uint32]*socket{},
	}
	ctrl := &family{Family: Family{Name: "nlctrl", ID: ctrlID, Version: ctrlVersion, MaxAttr: 10,
		OpFlags: map[uint8]genl.OpFlags{
			ctrlCmdGetFamily: genl.OpDo | genl.OpDump | genl.OpHasPolicy,
			ctrlCmdGetPolicy: genl.OpDump | genl.OpHasPolicy,
		}}, groups: map[string]uint32{"notify": ctrlNotifyGroup}}
	ctrl.Groups = []string{"notify"}
	k.byName[ctrl.Name], k.byID[ctrl.ID] = ctrl, ctrl
	return k
}

// AddFamily registers f, assigning its id (if 0) and group ids, and
// announces it on nlctrl's notify group. It returns the family id. Adding
// a name that is registered, or an id in use, is an error.
func (k *Kernel) AddFamily(f Family) (uint16, error) {
	k.mu.Lock()
	if k.raw != nil {
		k.mu.Unlock()
		return 0, errors.New("genltest: AddFamily on a classic netlink kernel; use AddRawFamily")
	}
	if f.Name == "" || len(f.Name) > 15 {
		k.mu.Unlock()
		return 0, fmt.Errorf("genltest: family name %q: want 1 to 15 bytes", f.Name)
	}
	if _, ok := k.byName[f.Name]; ok {
		k.mu.Unlock()
		return 0, fmt.Errorf("genltest: family %q already registered", f.Name)
	}
	if f.ID == 0 {
		for k.byID[k.nextID] != nil {
			k.nextID++
		}
		f.ID = k.nextID
		k.nextID++
	} else if k.byID[f.ID] != nil {
		k.mu.Unlock()
		return 0, fmt.Errorf("genltest: family id %#x already used by %q", f.ID, k.byID[f.ID].Name)
	}
	fam := &family{Family: f, groups: map[string]uint32{}}
	fam.Groups = slices.Clone(f.Groups)
	for _, g := range fam.Groups {
		fam.groups[g] = k.nextGrp
		k.nextGrp++
	}
	k.byName[f.Name], k.byID[f.ID] = fam, fam
	k.mu.Unlock()

	k.announce(ctrlCmdNewFamily, fam)
	return f.ID, nil
}

// MustAddFamily is AddFamily for test setup: it fails t on error.
func (k *Kernel) MustAddFamily(t testing.TB, f Family) uint16 {
	t.Helper()
	id, err := k.AddFamily(f)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// RemoveFamily unregisters the family called name, announcing its groups'
// and its removal on nlctrl's notify group, so resolvers drop it from their
// caches. Requests for it then fail with ENOENT, as for an unloaded module.
func (k *Kernel) RemoveFamily(name string) error {
	k.mu.Lock()
	fam := k.byName[name]
	if fam == nil || fam.ID == ctrlID {
		k.mu.Unlock()
		return fmt.Errorf("genltest: no family %q to remove", name)
	}
	delete(k.byName, name)
	delete(k.byID, fam.ID)
	for _, s := range k.socks {
		s.leaveAll(fam.groups)
	}
	k.mu.Unlock()

	k.announce(ctrlCmdDelFamily, fam)
	return nil
}

// Family returns the registered family called name with its assigned id,
// and the ids of its groups.
func (k *Kernel) Family(name string) (Family, map[string]uint32, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	fam := k.byName[name]
	if fam == nil {
		return Family{}, nil, false
	}
	groups := make(map[string]uint32, len(fam.groups))
	for n, id := range fam.groups {
		groups[n] = id
	}
	return fam.Family, groups, true
}

// Notify sends a notification of family to the subscribers of its group:
// a genl message with command cmd and the family's version carrying attrs.
func (k *Kernel) Notify(familyName, group string, cmd uint8, attrs []byte) error {
	return k.NotifyMessage(familyName, group, Reply{Command: cmd, Attrs: attrs})
}

// NotifyMessage sends m as a notification of family to the subscribers of
// its group, for notifications with a fixed header, another version or
// flags. m.Command 0 is sent as 0.
func (k *Kernel) NotifyMessage(familyName, group string, m Reply) error {
	fam, id, err := k.group(familyName, group)
	if err != nil {
		return err
	}
	ver := m.Version
	if ver == 0 {
		ver = fam.Version
	}
	msg := appendMsg(nil, fam.ID, uint16(m.Flags), 0, 0, genlPayload(m.Command, ver, m.Header, m.Attrs))
	k.multicast(id, msg)
	return nil
}

// Overrun makes the next read of every subscriber of family's group fail
// with ENOBUFS, as when a socket's receive buffer overflowed and
// notifications were lost. Messages already queued stay queued.
func (k *Kernel) Overrun(familyName, group string) error {
	_, id, err := k.group(familyName, group)
	if err != nil {
		return err
	}
	for _, s := range k.members(id) {
		s.overrun()
	}
	return nil
}

func (k *Kernel) group(familyName, group string) (*family, uint32, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	fam := k.byName[familyName]
	if fam == nil {
		return nil, 0, fmt.Errorf("genltest: no family %q", familyName)
	}
	id, ok := fam.groups[group]
	if !ok {
		return nil, 0, fmt.Errorf("genltest: family %q has no group %q", familyName, group)
	}
	return fam, id, nil
}

// members returns the sockets that joined group id.
func (k *Kernel) members(id uint32) []*socket {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []*socket
	for _, s := range k.socks {
		if s.member(id) {
			out = append(out, s)
		}
	}
	return out
}

func (k *Kernel) multicast(id uint32, msg []byte) {
	for _, s := range k.members(id) {
		s.enqueue(msg)
	}
}

// Dial opens a netlink.Conn to the fake kernel, for use with genl.NewConn
// or directly.
func (k *Kernel) Dial() (*netlink.Conn, error) {
	s, err := k.newSocket()
	if err != nil {
		return nil, err
	}
	return netlink.NewConn(s, s.port), nil
}

// NewConn returns a *genl.Conn to the fake kernel that can open further
// sockets (for its pool and subscriptions). The caller closes it.
func (k *Kernel) NewConn() (*genl.Conn, error) {
	nc, err := k.Dial()
	if err != nil {
		return nil, err
	}
	c, err := genl.NewConn(nc, k.Dial)
	if err != nil {
		return nil, errors.Join(err, nc.Close())
	}
	return c, nil
}

// Conn returns a *genl.Conn to the fake kernel, closed when the test ends.
func (k *Kernel) Conn(t testing.TB) *genl.Conn {
	t.Helper()
	c, err := k.NewConn()
	if err != nil {
		t.Fatalf("genltest: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// register adds s to the kernel's sockets under a fresh port id.
func (k *Kernel) register(s *socket) {
	k.mu.Lock()
	defer k.mu.Unlock()
	s.port = k.nextPort
	k.nextPort++
	k.socks[s.port] = s
}

func (k *Kernel) unregister(s *socket) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.socks, s.port)
}

// groupExists reports whether id is a multicast group of a registered family.
func (k *Kernel) groupExists(id uint32) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.raw != nil {
		return k.raw.groupExists(id)
	}
	for _, f := range k.byID {
		for _, g := range f.groups {
			if g == id {
				return true
			}
		}
	}
	return false
}
