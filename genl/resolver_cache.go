package genl

import "maps"

// famCache is an immutable snapshot of a resolver's cache. Lookups load the
// current snapshot atomically, so a cached lookup takes no lock and makes
// no system call; the rare updates copy it.
type famCache struct {
	byName map[string]*Family
	byID   map[uint16]*Family
	gen    uint64 // bumped by every invalidation
}

func (r *resolver) cached(name string, id uint16) *Family {
	c := r.snap.Load()
	if name != "" {
		return c.byName[name]
	}
	return c.byID[id]
}

// generation returns the invalidation count; a lookup notes it before
// asking the kernel and stores its answer only if nothing was invalidated
// meanwhile.
func (r *resolver) generation() uint64 { return r.snap.Load().gen }

// update replaces the snapshot with a modified copy.
func (r *resolver) update(modify func(c *famCache)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.snap.Load()
	c := &famCache{byName: maps.Clone(old.byName), byID: maps.Clone(old.byID), gen: old.gen}
	modify(c)
	r.snap.Store(c)
}

// store caches fams unless the cache was invalidated since generation gen.
func (r *resolver) store(gen uint64, fams ...*Family) {
	if r.generation() != gen {
		return
	}
	r.update(func(c *famCache) {
		if c.gen != gen {
			return
		}
		for _, f := range fams {
			if old := c.byName[f.Name]; old != nil && old.ID != f.ID {
				delete(c.byID, old.ID)
			}
			if old := c.byID[f.ID]; old != nil && old.Name != f.Name {
				delete(c.byName, old.Name)
			}
			c.byName[f.Name] = f
			c.byID[f.ID] = f
		}
	})
}

// forget drops a family from the cache by name and id.
func (r *resolver) forget(name string, id uint16) {
	r.update(func(c *famCache) {
		c.gen++
		if f := c.byName[name]; f != nil {
			delete(c.byID, f.ID)
		}
		if f := c.byID[id]; f != nil {
			delete(c.byName, f.Name)
		}
		delete(c.byName, name)
		delete(c.byID, id)
	})
}

// forgetAll empties the cache.
func (r *resolver) forgetAll() {
	r.update(func(c *famCache) {
		c.gen++
		clear(c.byName)
		clear(c.byID)
	})
}
