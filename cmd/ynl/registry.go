package main

import (
	"strings"

	"github.com/ynlgo/ynl/families/binder/binderdesc"
	"github.com/ynlgo/ynl/families/conntrack/conntrackdesc"
	"github.com/ynlgo/ynl/families/devenergymodel/devenergymodeldesc"
	"github.com/ynlgo/ynl/families/devlink/devlinkdesc"
	"github.com/ynlgo/ynl/families/dpll/dplldesc"
	"github.com/ynlgo/ynl/families/drmras/drmrasdesc"
	"github.com/ynlgo/ynl/families/ethtool/ethtooldesc"
	"github.com/ynlgo/ynl/families/fou/foudesc"
	"github.com/ynlgo/ynl/families/handshake/handshakedesc"
	"github.com/ynlgo/ynl/families/lockd/lockddesc"
	"github.com/ynlgo/ynl/families/mptcppm/mptcppmdesc"
	"github.com/ynlgo/ynl/families/netdev/netdevdesc"
	"github.com/ynlgo/ynl/families/netshaper/netshaperdesc"
	"github.com/ynlgo/ynl/families/nfsd/nfsddesc"
	"github.com/ynlgo/ynl/families/nftables/nftablesdesc"
	"github.com/ynlgo/ynl/families/nl80211/nl80211desc"
	"github.com/ynlgo/ynl/families/nlctrl/nlctrldesc"
	"github.com/ynlgo/ynl/families/ovpn/ovpndesc"
	"github.com/ynlgo/ynl/families/ovsdatapath/ovsdatapathdesc"
	"github.com/ynlgo/ynl/families/ovsflow/ovsflowdesc"
	"github.com/ynlgo/ynl/families/ovspacket/ovspacketdesc"
	"github.com/ynlgo/ynl/families/ovsvport/ovsvportdesc"
	"github.com/ynlgo/ynl/families/psp/pspdesc"
	"github.com/ynlgo/ynl/families/rtaddr/rtaddrdesc"
	"github.com/ynlgo/ynl/families/rtlink/rtlinkdesc"
	"github.com/ynlgo/ynl/families/rtneigh/rtneighdesc"
	"github.com/ynlgo/ynl/families/rtroute/rtroutedesc"
	"github.com/ynlgo/ynl/families/rtrule/rtruledesc"
	"github.com/ynlgo/ynl/families/sunrpccache/sunrpccachedesc"
	"github.com/ynlgo/ynl/families/tc/tcdesc"
	"github.com/ynlgo/ynl/families/tcpmetrics/tcpmetricsdesc"
	"github.com/ynlgo/ynl/families/team/teamdesc"
	"github.com/ynlgo/ynl/families/wireguard/wireguarddesc"
	"github.com/ynlgo/ynl/family"
)

// builtin maps a family name to the Descriptor function of its prebuilt
// package under families/: the spec as JSON, loadable by family.Parse. A
// family listed here needs no spec file at run time; the spec path is only
// searched for the others. To add a family, import its descriptor package
// (families/NAME/NAMEdesc: the descriptor alone, so that the command links
// none of the families' code, tables or init) and add a line.
var builtin = map[string]func() []byte{
	"binder":          binderdesc.Descriptor,
	"dev-energymodel": devenergymodeldesc.Descriptor,
	"devlink":         devlinkdesc.Descriptor,
	"dpll":            dplldesc.Descriptor,
	"drm-ras":         drmrasdesc.Descriptor,
	"ethtool":         ethtooldesc.Descriptor,
	"fou":             foudesc.Descriptor,
	"handshake":       handshakedesc.Descriptor,
	"lockd":           lockddesc.Descriptor,
	"mptcp_pm":        mptcppmdesc.Descriptor,
	"netdev":          netdevdesc.Descriptor,
	"net-shaper":      netshaperdesc.Descriptor,
	"nfsd":            nfsddesc.Descriptor,
	"nl80211":         nl80211desc.Descriptor,
	"nlctrl":          nlctrldesc.Descriptor,
	"ovpn":            ovpndesc.Descriptor,
	"ovs_datapath":    ovsdatapathdesc.Descriptor,
	"ovs_flow":        ovsflowdesc.Descriptor,
	"ovs_packet":      ovspacketdesc.Descriptor,
	"ovs_vport":       ovsvportdesc.Descriptor,
	"psp":             pspdesc.Descriptor,
	"sunrpc":          sunrpccachedesc.Descriptor,
	"tcp_metrics":     tcpmetricsdesc.Descriptor,
	"team":            teamdesc.Descriptor,
	"wireguard":       wireguarddesc.Descriptor,

	// Classic netlink (netlink-raw) families: see builtinRaw.
	"conntrack": conntrackdesc.Descriptor,
	"nftables":  nftablesdesc.Descriptor,
	"rt-addr":   rtaddrdesc.Descriptor,
	"rt-link":   rtlinkdesc.Descriptor,
	"rt-neigh":  rtneighdesc.Descriptor,
	"rt-route":  rtroutedesc.Descriptor,
	"rt-rule":   rtruledesc.Descriptor,
	"tc":        tcdesc.Descriptor,
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
