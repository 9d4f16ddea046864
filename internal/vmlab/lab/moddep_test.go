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
	got, err := x.Order([]string{"mac80211_hwsim"})
	if err != nil {
		t.Fatal(err)
	}
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
	got, err := x.Order([]string{"e", "d", "b-c", "a", "d"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b_c", "d"}; !cmp.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
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
	a, _ := x.Order([]string{"mac80211"})
	b, _ := y.Order([]string{"mac80211"})
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
