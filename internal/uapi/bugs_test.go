package uapi_test

import (
	"os"
	"slices"
	"testing"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/internal/uapi"
)

// knownBugs are the upstream spec mistakes our overlays fix, each as the
// difference the oracle must report on the spec without our overlay: the
// C name, the spec's value and the header's.
var knownBugs = []struct {
	spec, name, ours, header string
}{
	{"ovs_flow", "OVS_ACTION_ATTR_PSAMPLE", "24", "25"},
	{"ovs_flow", "sizeof(struct ovs_key_arp)", "22", "24"},
	{"ovs_flow", "sizeof(struct ovs_key_ct_tuple_ipv4)", "13", "16"},
	{"ovs_flow", "sizeof(struct ovs_action_push_mpls.mpls_ethertype)", "4", "2"},
	{"ovs_flow", "sizeof(struct ovs_action_add_mpls)", "10", "8"},
	{"ovs_flow", "offsetof(struct ovs_action_add_mpls, tun_flags)", "8", "6"},
	{"ethtool", "ETHTOOL_MODULE_FW_FLASH_STATUS_STARTED", "0", "1"},
	{"ethtool", "ETHTOOL_MODULE_FW_FLASH_STATUS_ERROR", "3", "4"},
	{"ethtool", "ETHTOOL_C33_PSE_EXT_STATE_POWER_NOT_AVAILABLE", "7", "8"},
	{"ethtool", "ETHTOOL_C33_PSE_EXT_STATE_SHORT_DETECTED", "8", "9"},
	{"ovs_vport", "OVS_VPORT_VERSION", "2", "1"},
}

// TestUAPICatchesKnownBugs runs the oracle on the kernel's specs without
// our overlays and checks it reports every bug the overlays fix: the
// comparison that passes in TestUAPI is one that would have failed.
// nl80211's AUTOMATIC (ours was 8, MAX+1 is 10 in 7.2) was our overlay's
// own mistake, so it is checked by putting the old value back.
func TestUAPICatchesKnownBugs(t *testing.T) {
	src := os.Getenv("YNL_KERNEL_SOURCE")
	if src == "" {
		t.Skip("YNL_KERNEL_SOURCE is unset: set it to a kernel source tree with include/uapi (bash .ci/kernel-source prints one; CI sets it)")
	}
	o := &uapi.Oracle{Kernel: src, Dir: t.TempDir()}
	results := map[string]*uapi.Result{}
	for _, b := range knownBugs {
		r := results[b.spec]
		if r == nil {
			f, err := family.LoadByName(b.spec) // the upstream spec alone
			if err != nil {
				t.Skipf("the kernel's %s spec is not on YNL_SPEC_PATH (%v)", b.spec, err)
			}
			if r, err = o.Compare(f, aliasesFor(t, f.Name)); err != nil {
				t.Fatal(err)
			}
			results[b.spec] = r
		}
		if !reports(r, b.name, b.ours, b.header) {
			t.Errorf("%s without our overlay: the oracle does not report %s = %s (header %s)", b.spec, b.name, b.ours, b.header)
		}
	}

	// The attributes 7.2 added that a split wiphy dump returns: the
	// upstream spec lacks them, and the oracle names them.
	up, err := family.LoadByName("nl80211")
	if err != nil {
		t.Skipf("the kernel's nl80211 spec is not on YNL_SPEC_PATH (%v)", err)
	}
	ur, err := o.Compare(up, aliasesFor(t, up.Name))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"NL80211_ATTR_BSS_PARAM = 341", "NL80211_ATTR_NAN_CAPABILITIES = 344", "NL80211_ATTR_UHR_CAPABILITY = 347"} {
		if !slices.Contains(ur.Extra, want) {
			t.Errorf("nl80211 without our overlay: the oracle does not report %s as missing from ours", want)
		}
	}

	f, err := family.Parse("nl80211 descriptor", prebuilt["nl80211"]())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Definitions {
		if d.Name == "auth-type" {
			for _, e := range d.Entries {
				if e.Name == "automatic" {
					e.Value = 8
				}
			}
		}
	}
	r, err := o.Compare(f, aliasesFor(t, f.Name))
	if err != nil {
		t.Fatal(err)
	}
	if !reports(r, "NL80211_AUTHTYPE_AUTOMATIC", "8", "10") {
		t.Error("nl80211 with automatic = 8: the oracle does not report NL80211_AUTHTYPE_AUTOMATIC (header 10)")
	}
}

func reports(r *uapi.Result, name, ours, header string) bool {
	for _, c := range r.Differences() {
		if (c.Name == name || c.CName == name) && c.Want == ours && c.Got == header {
			return true
		}
	}
	return false
}

func aliasesFor(t *testing.T, fam string) map[string]string {
	_, aliases := readExpected(t, "expected.txt")
	return aliases[fam]
}
