package bench

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/mdlayher/wifi"
	"github.com/ynlgo/ynl/families/nl80211"
)

// wifiView is what both libraries report of the radios and their
// interfaces, in one shape.
type wifiView struct {
	Interfaces []string // "index name mac phy type", by index
	PHYs       []string // "index name frequencies", by index
}

func viewWifi(ifs []*wifi.Interface, phys []*wifi.PHY) wifiView {
	var v wifiView
	for _, i := range ifs {
		v.Interfaces = append(v.Interfaces, fmt.Sprintf("%d %s %s %d %d", i.Index, i.Name, i.HardwareAddr, i.PHY, int(i.Type)))
	}
	for _, p := range phys {
		var freqs []int
		for _, b := range p.BandAttributes {
			for _, f := range b.FrequencyAttributes {
				freqs = append(freqs, f.Frequency)
			}
		}
		v.PHYs = append(v.PHYs, fmt.Sprintf("%d %s %v", p.Index, p.Name, freqs))
	}
	slices.Sort(v.Interfaces)
	slices.Sort(v.PHYs)
	return v
}

func ynlInterfaces(ctx context.Context, c *nl80211.Client) ([]*nl80211.Attrs, error) {
	var out []*nl80211.Attrs
	for m, err := range c.GetInterfaceDump(ctx, nil) {
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func viewYnlWifi(ifs []*nl80211.Attrs, phys []*nl80211.Wiphy) wifiView {
	var v wifiView
	for _, i := range ifs {
		v.Interfaces = append(v.Interfaces, fmt.Sprintf("%d %s %s %d %d", i.Ifindex.Value, i.Ifname.Value, i.MAC, i.Wiphy.Value, int(i.Iftype.Value)))
	}
	for _, p := range phys {
		var freqs []int
		for _, f := range p.Frequencies() {
			freqs = append(freqs, int(f))
		}
		v.PHYs = append(v.PHYs, fmt.Sprintf("%d %s %v", p.Index, p.Name, freqs))
	}
	slices.Sort(v.Interfaces)
	slices.Sort(v.PHYs)
	return v
}

// TestLabWifiAgrees reads the lab's simulated radios (mac80211_hwsim) and
// their interfaces with mdlayher/wifi and with ours, requires the same
// answers, and times both in the same run.
func TestLabWifiAgrees(t *testing.T) {
	inLab(t)
	wc, err := wifi.New()
	if err != nil {
		t.Fatal(err)
	}
	defer wc.Close()
	ctx := context.Background()
	c, err := nl80211.Dial(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	tifs, err := wc.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	tphys, err := wc.PHYs()
	if err != nil {
		t.Fatal(err)
	}
	oifs, err := ynlInterfaces(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	ophys, err := c.Wiphys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tv, ov := viewWifi(tifs, tphys), viewYnlWifi(oifs, ophys)
	if len(tv.Interfaces) < 2 || len(tv.PHYs) < 2 {
		t.Fatalf("mdlayher/wifi sees %d interfaces and %d radios; the lab loads two radios", len(tv.Interfaces), len(tv.PHYs))
	}
	if fmt.Sprint(tv) != fmt.Sprint(ov) {
		t.Errorf("the libraries disagree:\nmdlayher/wifi: %+v\nynl:           %+v", tv, ov)
	}
	t.Logf("%d interfaces, %d radios, e.g. %s / %.60s...", len(ov.Interfaces), len(ov.PHYs), ov.Interfaces[0], ov.PHYs[0])

	sideBySide(t, "nl80211 interfaces", "wifi Client.Interfaces", func(b *testing.B) {
		for b.Loop() {
			if ifs, err := wc.Interfaces(); err != nil || len(ifs) != len(tifs) {
				b.Fatalf("wifi: %v", err)
			}
		}
	}, "nl80211 GetInterfaceDump", func(b *testing.B) {
		for b.Loop() {
			if ifs, err := ynlInterfaces(ctx, c); err != nil || len(ifs) != len(oifs) {
				b.Fatalf("ynl: %v", err)
			}
		}
	})
	sideBySide(t, "nl80211 radios (split get-wiphy dump)", "wifi Client.PHYs", func(b *testing.B) {
		for b.Loop() {
			if p, err := wc.PHYs(); err != nil || len(p) != len(tphys) {
				b.Fatalf("wifi: %v", err)
			}
		}
	}, "nl80211 Wiphys", func(b *testing.B) {
		for b.Loop() {
			if p, err := c.Wiphys(ctx); err != nil || len(p) != len(ophys) {
				b.Fatalf("ynl: %v", err)
			}
		}
	})
}
