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

// builtin lists the families built into the command, sorted by name,
// each with the Compact function of its prebuilt package under families/:
// the resolved spec in the compact form family.ParseCompact decodes. A
// family listed here needs no spec file at run time; the spec path is only
// searched for the others. To add a family, import its descriptor package
// (families/NAME/NAMEdesc: the descriptor alone, so that the command links
// none of the families' code, tables or init) and add a line.
//
// The table is static data: the command does no work at start for the
// families it does not use, and decodes only the one it loads.
var builtin = []builtinFamily{
	{name: "binder", compact: binderdesc.Compact},
	{name: "conntrack", compact: conntrackdesc.Compact, raw: true},
	{name: "dev-energymodel", compact: devenergymodeldesc.Compact},
	{name: "devlink", compact: devlinkdesc.Compact},
	{name: "dpll", compact: dplldesc.Compact},
	{name: "drm-ras", compact: drmrasdesc.Compact},
	{name: "ethtool", compact: ethtooldesc.Compact},
	{name: "fou", compact: foudesc.Compact},
	{name: "handshake", compact: handshakedesc.Compact},
	{name: "lockd", compact: lockddesc.Compact},
	{name: "mptcp_pm", compact: mptcppmdesc.Compact},
	{name: "net-shaper", compact: netshaperdesc.Compact},
	{name: "netdev", compact: netdevdesc.Compact},
	{name: "nfsd", compact: nfsddesc.Compact},
	{name: "nftables", compact: nftablesdesc.Compact, raw: true},
	{name: "nl80211", compact: nl80211desc.Compact},
	{name: "nlctrl", compact: nlctrldesc.Compact},
	{name: "ovpn", compact: ovpndesc.Compact},
	{name: "ovs_datapath", compact: ovsdatapathdesc.Compact},
	{name: "ovs_flow", compact: ovsflowdesc.Compact},
	{name: "ovs_packet", compact: ovspacketdesc.Compact},
	{name: "ovs_vport", compact: ovsvportdesc.Compact},
	{name: "psp", compact: pspdesc.Compact},
	{name: "rt-addr", compact: rtaddrdesc.Compact, raw: true},
	{name: "rt-link", compact: rtlinkdesc.Compact, raw: true},
	{name: "rt-neigh", compact: rtneighdesc.Compact, raw: true},
	{name: "rt-route", compact: rtroutedesc.Compact, raw: true},
	{name: "rt-rule", compact: rtruledesc.Compact, raw: true},
	{name: "sunrpc", compact: sunrpccachedesc.Compact},
	{name: "tc", compact: tcdesc.Compact, raw: true},
	{name: "tcp_metrics", compact: tcpmetricsdesc.Compact},
	{name: "team", compact: teamdesc.Compact},
	{name: "wireguard", compact: wireguarddesc.Compact},
}

// builtinFamily is one built-in family.
type builtinFamily struct {
	name    string
	compact func() string // the compact descriptor
	// desc is a JSON descriptor, for a family registered without the
	// compact form (tests register broken ones).
	desc func() []byte
	// raw marks a classic netlink protocol, not a generic netlink family:
	// nlctrl does not list it, so --list-families does not count it
	// missing.
	raw bool
}

// lookupBuiltin returns the built-in family of that name, or nil. Dashes
// and underscores match each other, as spec file names and family names
// mix them ("net-shaper" is in net_shaper.yaml).
func lookupBuiltin(name string) *builtinFamily {
	if k, ok := builtinKey(name); ok {
		for i := range builtin {
			if builtin[i].name == k {
				return &builtin[i]
			}
		}
	}
	return nil
}

// hasBuiltin reports whether the named family is built in.
func hasBuiltin(name string) bool { return lookupBuiltin(name) != nil }

// load decodes the built-in family, merging overlays when there are any:
// the overlays merge into the family's descriptor, rendered from the
// decoded model (the same bytes as the spec the family was built from).
func (b *builtinFamily) load(overlays ...family.Source) (*family.Family, error) {
	name := builtinSpecName(b.name)
	if b.compact == nil {
		return family.Parse(name, b.desc(), overlays...)
	}
	f, err := family.ParseCompact(name, b.compact())
	if err != nil || len(overlays) == 0 {
		return f, err
	}
	desc, err := f.Descriptor()
	if err != nil {
		return nil, err
	}
	return family.Parse(name, desc, overlays...)
}

// builtinFileFamily returns the built-in family of a spec file name that
// is not its family's name (with dashes for underscores), and whether
// there is one: --family takes either, as the kernel's ynl takes the file
// name.
func builtinFileFamily(file string) (string, bool) {
	if file == "sunrpc_cache" {
		return "sunrpc", true
	}
	return "", false
}

// builtinKey returns the registered name of a built-in family.
func builtinKey(name string) (string, bool) {
	for _, b := range builtin {
		if b.name == name {
			return name, true
		}
	}
	if k, ok := builtinFileFamily(strings.ReplaceAll(strings.TrimSuffix(name, ".yaml"), "-", "_")); ok {
		return k, true
	}
	want := underscoresToDashes(name)
	for _, b := range builtin {
		if underscoresToDashes(b.name) == want {
			return b.name, true
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
