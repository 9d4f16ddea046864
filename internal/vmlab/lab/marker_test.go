package lab

import "testing"

func TestParseMarker(t *testing.T) {
	const n = "abc123"
	for _, tc := range []struct {
		line string
		want Marker
		ok   bool
	}{
		{"VMLAB[abc123] GUEST_EXIT=0", Marker{"GUEST_EXIT", "0"}, true},
		{"VMLAB[abc123] GUEST_EXIT=1\r", Marker{"GUEST_EXIT", "1"}, true},
		{"PASSVMLAB[abc123] TEST_END=a/b rc=0", Marker{"TEST_END", "a/b rc=0"}, true}, // after output without newline
		{"[    1.2] VMLAB[abc123] STEP=modules", Marker{"STEP", "modules"}, true},
		{"VMLAB[ffffff] GUEST_EXIT=0", Marker{}, false}, // another run's nonce
		{"GUEST_EXIT=0", Marker{}, false},
		{"VMLAB[abc123] no equals sign", Marker{}, false},
		{"VMLAB[abc123] =x", Marker{}, false},
		{"VMLAB[abc123] A B=x", Marker{}, false},
	} {
		got, ok := ParseMarker(tc.line, n)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseMarker(%q) = %+v, %v; want %+v, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRCField(t *testing.T) {
	for _, tc := range []struct {
		in   string
		name string
		rc   int
		ok   bool
	}{
		{"github.com/x/y rc=0", "github.com/x/y", 0, true},
		{"mac80211_hwsim rc=1", "mac80211_hwsim", 1, true},
		{"x rc=", "", 0, false},
		{"x rc=two", "", 0, false},
		{"x", "", 0, false},
	} {
		name, rc, ok := rcField(tc.in)
		if ok != tc.ok || (ok && (name != tc.name || rc != tc.rc)) {
			t.Errorf("rcField(%q) = %q, %d, %v", tc.in, name, rc, ok)
		}
	}
}

func TestNonceUnique(t *testing.T) {
	if a, b := newNonce(), newNonce(); a == b || len(a) != 12 {
		t.Errorf("nonces %q, %q: want two different 12-digit tokens", a, b)
	}
}
