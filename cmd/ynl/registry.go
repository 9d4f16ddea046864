package main

import (
	"strings"

	"github.com/ynlgo/ynl/families/binder"
	"github.com/ynlgo/ynl/families/conntrack"
	"github.com/ynlgo/ynl/families/devenergymodel"
	"github.com/ynlgo/ynl/families/devlink"
	"github.com/ynlgo/ynl/families/dpll"
	"github.com/ynlgo/ynl/families/drmras"
	"github.com/ynlgo/ynl/families/ethtool"
	"github.com/ynlgo/ynl/families/fou"
	"github.com/ynlgo/ynl/families/handshake"
	"github.com/ynlgo/ynl/families/lockd"
	"github.com/ynlgo/ynl/families/mptcppm"
	"github.com/ynlgo/ynl/families/netdev"
	"github.com/ynlgo/ynl/families/netshaper"
	"github.com/ynlgo/ynl/families/nfsd"
	"github.com/ynlgo/ynl/families/nftables"
	"github.com/ynlgo/ynl/families/nl80211"
	"github.com/ynlgo/ynl/families/nlctrl"
	"github.com/ynlgo/ynl/families/ovpn"
	"github.com/ynlgo/ynl/families/ovsdatapath"
	"github.com/ynlgo/ynl/families/ovsflow"
	"github.com/ynlgo/ynl/families/ovspacket"
	"github.com/ynlgo/ynl/families/ovsvport"
	"github.com/ynlgo/ynl/families/psp"
	"github.com/ynlgo/ynl/families/rtaddr"
	"github.com/ynlgo/ynl/families/rtlink"
	"github.com/ynlgo/ynl/families/rtneigh"
	"github.com/ynlgo/ynl/families/rtroute"
	"github.com/ynlgo/ynl/families/rtrule"
	"github.com/ynlgo/ynl/families/sunrpccache"
	"github.com/ynlgo/ynl/families/tc"
	"github.com/ynlgo/ynl/families/tcpmetrics"
	"github.com/ynlgo/ynl/families/team"
	"github.com/ynlgo/ynl/families/wireguard"
	"github.com/ynlgo/ynl/family"
)

// builtin maps a family name to the Descriptor function of its prebuilt
// package under families/: the spec as JSON, loadable by family.Parse. A
// family listed here needs no spec file at run time; the spec path is only
// searched for the others. To add a family, import its package and add a
// line.
var builtin = map[string]func() []byte{
	"binder":          binder.Descriptor,
	"dev-energymodel": devenergymodel.Descriptor,
	"devlink":         devlink.Descriptor,
	"dpll":            dpll.Descriptor,
	"drm-ras":         drmras.Descriptor,
	"ethtool":         ethtool.Descriptor,
	"fou":             fou.Descriptor,
	"handshake":       handshake.Descriptor,
	"lockd":           lockd.Descriptor,
	"mptcp_pm":        mptcppm.Descriptor,
	"netdev":          netdev.Descriptor,
	"net-shaper":      netshaper.Descriptor,
	"nfsd":            nfsd.Descriptor,
	"nl80211":         nl80211.Descriptor,
	"nlctrl":          nlctrl.Descriptor,
	"ovpn":            ovpn.Descriptor,
	"ovs_datapath":    ovsdatapath.Descriptor,
	"ovs_flow":        ovsflow.Descriptor,
	"ovs_packet":      ovspacket.Descriptor,
	"ovs_vport":       ovsvport.Descriptor,
	"psp":             psp.Descriptor,
	"sunrpc":          sunrpccache.Descriptor,
	"tcp_metrics":     tcpmetrics.Descriptor,
	"team":            team.Descriptor,
	"wireguard":       wireguard.Descriptor,

	// Classic netlink (netlink-raw) families: see builtinRaw.
	"conntrack": conntrack.Descriptor,
	"nftables":  nftables.Descriptor,
	"rt-addr":   rtaddr.Descriptor,
	"rt-link":   rtlink.Descriptor,
	"rt-neigh":  rtneigh.Descriptor,
	"rt-route":  rtroute.Descriptor,
	"rt-rule":   rtrule.Descriptor,
	"tc":        tc.Descriptor,
}

// builtinRaw marks the built-in families that are classic netlink
// protocols, not generic netlink families: nlctrl does not list them, so
// --list-families does not count them missing.
var builtinRaw = map[string]bool{
	"conntrack": true, "nftables": true, "rt-addr": true, "rt-link": true,
	"rt-neigh": true, "rt-route": true, "rt-rule": true, "tc": true,
}

// builtinDescriptor returns the built-in spec of the named family, or nil.
// Dashes and underscores match each other, as spec file names and family
// names mix them ("net-shaper" is in net_shaper.yaml).
func builtinDescriptor(name string) []byte {
	if k, ok := builtinKey(name); ok {
		return builtin[k]()
	}
	return nil
}

// builtinFiles maps the spec file names that are not their family's name
// (with dashes for underscores) to the family: --family takes either, as
// the kernel's ynl takes the file name.
var builtinFiles = map[string]string{
	"sunrpc_cache": "sunrpc",
}

// builtinKey returns the registered name of a built-in family.
func builtinKey(name string) (string, bool) {
	if _, ok := builtin[name]; ok {
		return name, true
	}
	if k, ok := builtinFiles[strings.ReplaceAll(strings.TrimSuffix(name, ".yaml"), "-", "_")]; ok {
		return k, true
	}
	want := underscoresToDashes(name)
	for k := range builtin {
		if underscoresToDashes(k) == want {
			return k, true
		}
	}
	return "", false
}

// builtinSpecName is what a built-in spec is called where a file name would
// appear (--validate, --check-kernel, error positions): the descriptor has
// no file, and an invented one ("netdev.json") would send users looking
// for it.
func builtinSpecName(name string) string {
	k, _ := builtinKey(name)
	return "built-in " + k + " spec"
}

// specLabel names the spec a family came from: "built-in netdev spec" or
// "spec netdev.yaml".
func specLabel(f *family.Family) string {
	if strings.HasPrefix(f.FileName, "built-in ") {
		return f.FileName
	}
	return "spec " + f.FileName
}

func underscoresToDashes(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '_' {
			b[i] = '-'
		}
	}
	return string(b)
}
