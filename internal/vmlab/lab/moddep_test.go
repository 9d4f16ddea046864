package lab

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wirelessDep is the wireless part of a Debian 6.1 kernel's modules.dep,
// as depmod writes it (transitive, last-to-load first).
const wirelessDep = `kernel/net/rfkill/rfkill.ko:
kernel/lib/crypto/libarc4.ko:
kernel/net/wireless/cfg80211.ko: kernel/net/rfkill/rfkill.ko
kernel/net/mac80211/mac80211.ko: kernel/net/wireless/cfg80211.ko kernel/net/rfkill/rfkill.ko kernel/lib/crypto/libarc4.ko
kernel/drivers/virtio/virtio_ring.ko:
kernel/drivers/virtio/virtio.ko:
kernel/drivers/net/wireless/mac80211_hwsim.ko: kernel/net/mac80211/mac80211.ko kernel/net/wireless/cfg80211.ko kernel/net/rfkill/rfkill.ko kernel/lib/crypto/libarc4.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
kernel/drivers/net/team/team.ko:
kernel/drivers/net/team/team_mode_activebackup.ko: kernel/drivers/net/team/team.ko
`

// loadNames returns the names of a load order.
func loadNames(order []ModuleLoad) []string {
	var out []string
	for _, m := range order {
		out = append(out, m.Name)
	}
	return out
}

// before reports whether a comes before b in order.
func before(order []string, a, b string) bool {
	ia, ib := -1, -1
	for i, n := range order {
		switch n {
		case a:
			ia = i
		case b:
			ib = i
		}
	}
	return ia >= 0 && ib >= 0 && ia < ib
}

func TestOrderFromModulesDep(t *testing.T) {
	x, err := ReadModulesDep(strings.NewReader(wirelessDep))
	if err != nil {
		t.Fatal(err)
	}
	order, err := x.Order([]string{"mac80211_hwsim"})
	if err != nil {
		t.Fatal(err)
	}
	got := loadNames(order)
	if len(got) != 7 || got[len(got)-1] != "mac80211_hwsim" {
		t.Fatalf("order %v: want 7 modules ending in mac80211_hwsim", got)
	}
	for _, p := range [][2]string{{"rfkill", "cfg80211"}, {"cfg80211", "mac80211"}, {"libarc4", "mac80211"}, {"virtio_ring", "mac80211_hwsim"}} {
		if !before(got, p[0], p[1]) {
			t.Errorf("order %v: %s must come before %s", got, p[0], p[1])
		}
	}
}

func TestOrderKeepsRequestOrderAndDedups(t *testing.T) {
	x := NewModuleIndex()
	x.Add("kernel/a.ko", nil)
	x.Add("kernel/b-c.ko", []string{"a"}) // dash in the file, underscore in the name
	x.Add("kernel/d.ko.xz", []string{"b_c"})
	x.AddBuiltin("kernel/e.ko")
	order, err := x.Order([]string{"e", "d", "b-c", "a", "d"})
	if err != nil {
		t.Fatal(err)
	}
	if got := loadNames(order); !cmp.Equal(got, []string{"a", "b_c", "d"}) {
		t.Errorf("order %v, want a b_c d", got)
	}
}

func TestOrderErrors(t *testing.T) {
	x := NewModuleIndex()
	x.Add("a.ko", []string{"b"})
	x.Add("b.ko", []string{"c"})
	x.Add("c.ko", []string{"a"})
	x.Add("d.ko", []string{"missing"})
	for _, tc := range []struct{ name, want string }{
		{"a", "cycle: a -> b -> c -> a"},
		{"d", "module missing (needed by d) not found"},
		{"nope", "module nope not found"},
	} {
		if _, err := x.Order([]string{tc.name}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Order(%s): got %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestModulesDepRoundTrip(t *testing.T) {
	x := NewModuleIndex()
	x.Add("kernel/net/wireless/cfg80211.ko", []string{"rfkill"})
	x.Add("kernel/net/rfkill/rfkill.ko", nil)
	x.Add("kernel/net/mac80211/mac80211.ko", []string{"cfg80211", "libarc4"})
	x.Add("kernel/lib/crypto/libarc4.ko", nil)
	var buf bytes.Buffer
	if err := x.WriteModulesDep(&buf); err != nil {
		t.Fatal(err)
	}
	wantText := `kernel/lib/crypto/libarc4.ko:
kernel/net/mac80211/mac80211.ko: kernel/lib/crypto/libarc4.ko kernel/net/wireless/cfg80211.ko kernel/net/rfkill/rfkill.ko
kernel/net/rfkill/rfkill.ko:
kernel/net/wireless/cfg80211.ko: kernel/net/rfkill/rfkill.ko
`
	if diff := cmp.Diff(wantText, buf.String()); diff != "" {
		t.Errorf("modules.dep (-want +got):\n%s", diff)
	}
	y, err := ReadModulesDep(&buf)
	if err != nil {
		t.Fatal(err)
	}
	oa, _ := x.Order([]string{"mac80211"})
	ob, _ := y.Order([]string{"mac80211"})
	a, b := loadNames(oa), loadNames(ob)
	if !cmp.Equal(a, b) || len(a) != 4 {
		t.Errorf("order before %v, after round trip %v", a, b)
	}
}

func TestReadModulesDepErrors(t *testing.T) {
	_, err := ReadModulesDep(strings.NewReader("a.ko:\nno colon here\n"))
	if err == nil || !strings.Contains(err.Error(), "modules.dep:2:") {
		t.Errorf("got %v, want an error naming line 2", err)
	}
}

func TestModuleName(t *testing.T) {
	for in, want := range map[string]string{
		"kernel/drivers/net/wireless/mac80211_hwsim.ko": "mac80211_hwsim",
		"kernel/x/team_mode-random.ko.xz":               "team_mode_random",
		"nf-conntrack.ko.zst":                           "nf_conntrack",
		"rfkill":                                        "rfkill",
	} {
		if got := ModuleName(in); got != want {
			t.Errorf("ModuleName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOrderSoftdeps follows libcrc32c's "softdep=pre: crc32c" through the
// alias to crc32c_generic (not crc32c_intel, which needs SSE4.2), marking it
// soft, and skips soft dependencies that cannot be found.
func TestOrderSoftdeps(t *testing.T) {
	x := NewModuleIndex()
	x.AddInfo("kernel/arch/x86/crypto/crc32c-intel.ko", ModInfo{Aliases: []string{"crc32c", "crypto-crc32c", "cpu:type:x86,ven*fam*mod*:feature:*0094*"}})
	x.AddInfo("kernel/crypto/crc32c_generic.ko", ModInfo{Aliases: []string{"crc32c", "crypto-crc32c"}})
	x.AddInfo("kernel/lib/libcrc32c.ko", ModInfo{SoftPre: []string{"crc32c"}, SoftPost: []string{"nowhere"}})
	x.AddInfo("kernel/net/openvswitch/openvswitch.ko", ModInfo{Depends: []string{"libcrc32c"}})
	x.AddInfo("kernel/a.ko", ModInfo{SoftPost: []string{"b"}})
	x.AddInfo("kernel/b.ko", ModInfo{Depends: []string{"a"}}) // a soft edge closing a loop
	got, err := x.Order([]string{"openvswitch", "a"})
	if err != nil {
		t.Fatal(err)
	}
	want := []ModuleLoad{{"crc32c_generic", true}, {"libcrc32c", false}, {"openvswitch", false}, {"a", false}, {"b", true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	// A module asked for by name is hard even if also a soft dependency.
	got, _ = x.Order([]string{"crc32c_generic", "libcrc32c"})
	if len(got) != 2 || got[0].Soft {
		t.Errorf("order %+v: crc32c_generic asked for, so not soft", got)
	}
}

func TestSoftdepAndAliasFilesRoundTrip(t *testing.T) {
	x := NewModuleIndex()
	x.AddInfo("kernel/crypto/crc32c_generic.ko", ModInfo{Aliases: []string{"crc32c", "crypto-crc32c", "pci:v*"}})
	x.AddInfo("kernel/lib/libcrc32c.ko", ModInfo{SoftPre: []string{"crc32c"}, SoftPost: []string{"x"}})
	var soft, alias bytes.Buffer
	if err := x.WriteModulesSoftdep(&soft); err != nil {
		t.Fatal(err)
	}
	if err := x.WriteModulesAlias(&alias); err != nil {
		t.Fatal(err)
	}
	if want := "softdep libcrc32c pre: crc32c post: x\n"; soft.String() != want {
		t.Errorf("modules.softdep %q, want %q", soft.String(), want)
	}
	if want := "alias crc32c crc32c_generic\nalias crypto_crc32c crc32c_generic\n"; alias.String() != want {
		t.Errorf("modules.alias %q, want %q", alias.String(), want)
	}
	y := NewModuleIndex()
	y.Add("kernel/crypto/crc32c_generic.ko", nil)
	y.Add("kernel/lib/libcrc32c.ko", nil)
	if err := y.ReadModulesSoftdep(&soft); err != nil {
		t.Fatal(err)
	}
	if err := y.ReadModulesAlias(&alias); err != nil {
		t.Fatal(err)
	}
	got, err := y.Order([]string{"libcrc32c"})
	if err != nil || !cmp.Equal(loadNames(got), []string{"crc32c_generic", "libcrc32c"}) {
		t.Errorf("order after round trip %+v, %v", got, err)
	}
	for _, bad := range []string{"softdep\n", "softdep x y\n", "nosoftdep x pre: y\n"} {
		if err := y.ReadModulesSoftdep(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "modules.softdep:1:") {
			t.Errorf("softdep %q: got %v", bad, err)
		}
	}
	if err := y.ReadModulesAlias(strings.NewReader("alias a\n")); err == nil || !strings.Contains(err.Error(), "modules.alias:1:") {
		t.Errorf("bad alias line: got %v", err)
	}
}
