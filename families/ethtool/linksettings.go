package ethtool

import (
	"context"
	"runtime"
	"sync"
	"weak"

	"github.com/ynlgo/ynl/genl"
)

// LinkSettings is what the ethtool command prints for a device's link,
// from one linkinfo-get and one linkmodes-get: the connector, speed,
// duplex and autonegotiation, and the link modes by name (as
// mdlayher/ethtool's LinkInfo and LinkMode report them together).
type LinkSettings struct {
	Ifindex uint32
	Name    string
	Port    Port
	// Speed is in Mb/s, SpeedUnknown when the link is down or the driver
	// cannot tell.
	Speed   uint32
	Duplex  Duplex
	Autoneg Autoneg
	// Lanes is the number of lanes, 0 when the driver does not report it.
	Lanes uint32
	// Supported are the link modes the device supports, Advertised those
	// it advertises, Peer those its link partner advertises, by the
	// kernel's names ("1000baseT/Full"), in bit order.
	Supported, Advertised, Peer []string
}

// LinkSettings returns the link settings of the device hdr names
// (DevName or DevIndex).
func (c *Client) LinkSettings(ctx context.Context, hdr *Header) (*LinkSettings, error) {
	info, err := c.LinkinfoGet(ctx, &Linkinfo{Header: hdr})
	if err != nil {
		return nil, err
	}
	lm, err := c.LinkmodesGet(ctx, &Linkmodes{Header: hdr})
	if err != nil {
		return nil, err
	}
	s := &LinkSettings{
		Port: info.Port.Value, Speed: lm.Speed.Value, Duplex: lm.Duplex.Value,
		Autoneg: lm.Autoneg.Value, Lanes: lm.Lanes.Value,
	}
	if h := lm.Header; h != nil {
		s.Ifindex, s.Name = h.DevIndex.Value, h.DevName.Value
	}
	strs, err := c.linkModeNames(ctx, lm)
	if err != nil {
		return nil, err
	}
	// Ours speaks about the supported modes (its mask) and says which are
	// advertised (on); the peer's is a list of what it advertises.
	err = lm.Ours.each(strs, func(name string, on bool) {
		s.Supported = append(s.Supported, name)
		if on {
			s.Advertised = append(s.Advertised, name)
		}
	})
	if err != nil {
		return nil, err
	}
	if s.Peer, err = lm.Peer.Names(strs); err != nil {
		return nil, err
	}
	return s, nil
}

// linkModeNames returns the link-modes string set when lm's bitsets
// need it (a compact bitset, or a verbose bit without a name), nil when
// they name their bits.
func (c *Client) linkModeNames(ctx context.Context, lm *Linkmodes) ([]string, error) {
	named := func(b *Bitset) bool {
		if b == nil {
			return true
		}
		if b.Bits == nil {
			return b.Value == nil
		}
		for _, bit := range b.Bits.Bit {
			if !bit.Name.Valid {
				return false
			}
		}
		return true
	}
	if named(lm.Ours) && named(lm.Peer) {
		return nil, nil
	}
	return c.LinkModeNames(ctx)
}

// LinkModeNames returns the kernel's names of the link modes by bit
// number (the ETH_SS_LINK_MODES string set), which the compact bitsets
// of linkmodes replies and notifications need (Bitset.Names). The set is
// fetched once per connection and cached.
func (c *Client) LinkModeNames(ctx context.Context) ([]string, error) {
	if strs, ok := linkModes.get(c.Conn()); ok {
		return strs, nil
	}
	strs, err := c.StringSet(ctx, nil, StringsetLinkModes)
	if err != nil {
		return nil, err
	}
	linkModes.put(c.Conn(), strs)
	return strs, nil
}

// linkModes caches the link-modes string set of each connection, for as
// long as the connection is alive.
var linkModes connCache

type connCache struct {
	mu sync.Mutex
	m  map[weak.Pointer[genl.Conn]][]string
}

func (cc *connCache) get(c *genl.Conn) ([]string, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	strs, ok := cc.m[weak.Make(c)]
	return strs, ok
}

func (cc *connCache) put(c *genl.Conn, strs []string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.m == nil {
		cc.m = map[weak.Pointer[genl.Conn]][]string{}
	}
	k := weak.Make(c)
	if _, ok := cc.m[k]; !ok {
		runtime.AddCleanup(c, func(k weak.Pointer[genl.Conn]) {
			cc.mu.Lock()
			delete(cc.m, k)
			cc.mu.Unlock()
		}, k)
	}
	cc.m[k] = strs
}
