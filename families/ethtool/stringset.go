package ethtool

import (
	"context"
	"fmt"

	"github.com/ynlgo/ynl/genl"
)

// The string sets of <linux/ethtool.h> (enum ethtool_stringset). The spec
// declares the stringset enum without entries, so they are listed here.
const (
	StringsetTest            Stringset = 0  // ETH_SS_TEST: self-test names
	StringsetStats           Stringset = 1  // ETH_SS_STATS: driver statistics
	StringsetPrivFlags       Stringset = 2  // ETH_SS_PRIV_FLAGS: private flags
	StringsetNtupleFilters   Stringset = 3  // ETH_SS_NTUPLE_FILTERS: unused
	StringsetFeatures        Stringset = 4  // ETH_SS_FEATURES: netdev features
	StringsetRSSHashFuncs    Stringset = 5  // ETH_SS_RSS_HASH_FUNCS: RSS hash functions
	StringsetTunables        Stringset = 6  // ETH_SS_TUNABLES: tunables
	StringsetPHYStats        Stringset = 7  // ETH_SS_PHY_STATS: PHY statistics
	StringsetPHYTunables     Stringset = 8  // ETH_SS_PHY_TUNABLES: PHY tunables
	StringsetLinkModes       Stringset = 9  // ETH_SS_LINK_MODES: link modes
	StringsetMsgClasses      Stringset = 10 // ETH_SS_MSG_CLASSES: debug message classes
	StringsetWolModes        Stringset = 11 // ETH_SS_WOL_MODES: wake-on-LAN modes
	StringsetSofTimestamping Stringset = 12 // ETH_SS_SOF_TIMESTAMPING: timestamping flags
	StringsetTsTXTypes       Stringset = 13 // ETH_SS_TS_TX_TYPES: timestamping TX types
	StringsetTsRXFilters     Stringset = 14 // ETH_SS_TS_RX_FILTERS: timestamping RX filters
	StringsetUDPTunnelTypes  Stringset = 15 // ETH_SS_UDP_TUNNEL_TYPES: UDP tunnel types
	StringsetStatsStd        Stringset = 16 // ETH_SS_STATS_STD: standard statistics
	StringsetStatsEthPHY     Stringset = 17 // ETH_SS_STATS_ETH_PHY: IEEE PHY statistics
	StringsetStatsEthMAC     Stringset = 18 // ETH_SS_STATS_ETH_MAC: IEEE MAC statistics
	StringsetStatsEthCtrl    Stringset = 19 // ETH_SS_STATS_ETH_CTRL: IEEE control statistics
	StringsetStatsRmon       Stringset = 20 // ETH_SS_STATS_RMON: RMON statistics
	StringsetStatsPHY        Stringset = 21 // ETH_SS_STATS_PHY: generic PHY statistics
	StringsetTsFlags         Stringset = 22 // ETH_SS_TS_FLAGS: timestamping flags
)

// StringSet returns the strings of the string set id by index, as the
// compact form of a Bitset needs them (Bitset.Names). hdr names the device
// for a per-device set (statistics, private flags); nil asks for a global
// set (features, link modes, ...).
func (c *Client) StringSet(ctx context.Context, hdr *Header, id Stringset) ([]string, error) {
	if hdr == nil {
		hdr = &Header{} // the kernel wants the nest even when it is empty
	}
	rep, err := c.StrsetGet(ctx, &Strset{
		Header:     hdr,
		Stringsets: &Stringsets{Stringset: []StringsetAttrs{{ID: genl.Some(uint32(id))}}},
	})
	if err != nil {
		return nil, err
	}
	if rep.Stringsets == nil {
		return nil, fmt.Errorf("ethtool strset-get: no string set %d in the reply", id)
	}
	for _, set := range rep.Stringsets.Stringset {
		if set.ID.Value != uint32(id) || !set.ID.Valid {
			continue
		}
		return setStrings(id, set)
	}
	return nil, fmt.Errorf("ethtool strset-get: no string set %d in the reply", id)
}

// setStrings lays out the strings of one string set by index.
func setStrings(id Stringset, set StringsetAttrs) ([]string, error) {
	out := make([]string, set.Count.Value)
	for _, strs := range set.Strings {
		for _, s := range strs.String {
			i := s.Index.Value
			if !s.Index.Valid || int64(i) >= int64(len(out)) {
				return nil, fmt.Errorf("ethtool strset-get: string set %d of %d strings has a string at index %v", id, len(out), s.Index)
			}
			out[i] = s.Value.Value
		}
	}
	return out, nil
}
