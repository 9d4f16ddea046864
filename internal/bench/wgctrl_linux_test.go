package bench

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/wireguard"
	"github.com/ynlgo/ynl/genl"
	"golang.zx2c4.com/wireguard/wgctrl"
	"golang.zx2c4.com/wireguard/wgctrl/wgtypes"
)

// inLab skips unless the test runs in the VM lab, whose kernel has the
// modules (wireguard, mac80211_hwsim) this host lacks.
func inLab(t testing.TB) {
	t.Helper()
	if os.Getenv("YNL_VMLAB") != "1" {
		t.Skip("needs the VM lab's kernel: from internal/bench, go run ../vmlab -modules 'wireguard,mac80211_hwsim radios=2' -run Lab .")
	}
}

// wgPeers is how many peers the compared device has.
const wgPeers = 200

// labWireguard makes a wireguard device configured by wgctrl with
// wgPeers peers, each with an endpoint, a keepalive and two allowed-ips.
func labWireguard(t testing.TB, wc *wgctrl.Client) string {
	t.Helper()
	const name = "wgbench0"
	if out, err := exec.Command("ip", "link", "add", name, "type", "wireguard").CombinedOutput(); err != nil {
		t.Fatalf("ip link add %s type wireguard: %v: %s", name, err, out)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "link", "del", name).Run() })
	priv, err := wgtypes.GeneratePrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	port, mark, keep := 51820, 7, 25*time.Second
	cfg := wgtypes.Config{PrivateKey: &priv, ListenPort: &port, FirewallMark: &mark}
	for i := range wgPeers {
		k, err := wgtypes.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		cfg.Peers = append(cfg.Peers, wgtypes.PeerConfig{
			PublicKey: k, Endpoint: &net.UDPAddr{IP: net.IPv4(192, 0, 2, byte(i)), Port: 40000 + i},
			PersistentKeepaliveInterval: &keep,
			AllowedIPs: []net.IPNet{
				{IP: net.IPv4(10, byte(i>>8), byte(i), 0).To4(), Mask: net.CIDRMask(24, 32)},
				{IP: net.ParseIP(fmt.Sprintf("fd00:%x::", i)), Mask: net.CIDRMask(64, 128)},
			},
		})
	}
	if err := wc.ConfigureDevice(name, cfg); err != nil {
		t.Fatalf("wgctrl configure %s: %v", name, err)
	}
	return name
}

// wgView is what both libraries report of a device, in one shape.
type wgView struct {
	Name, PrivateKey, PublicKey string
	ListenPort, Fwmark          int
	Peers                       []string // "key endpoint keepalive allowed-ips", sorted
}

func viewWgctrl(d *wgtypes.Device) wgView {
	v := wgView{Name: d.Name, PrivateKey: d.PrivateKey.String(), PublicKey: d.PublicKey.String(), ListenPort: d.ListenPort, Fwmark: d.FirewallMark}
	for _, p := range d.Peers {
		var ips []string
		for _, n := range p.AllowedIPs {
			ips = append(ips, n.String())
		}
		v.Peers = append(v.Peers, fmt.Sprintf("%s %s %s %s", p.PublicKey, p.Endpoint, p.PersistentKeepaliveInterval, strings.Join(ips, ",")))
	}
	slices.Sort(v.Peers)
	return v
}

// ynlDevice reads a device with one get-device dump; a device with many
// peers spans several messages, whose peers add up.
func ynlDevice(ctx context.Context, c *wireguard.Client, name string) (*wireguard.Wgdevice, error) {
	var d *wireguard.Wgdevice
	for m, err := range c.GetDeviceDump(ctx, &wireguard.Wgdevice{Ifname: genl.Some(name)}) {
		if err != nil {
			return nil, err
		}
		if d == nil {
			d = m
			continue
		}
		// A peer cut between messages continues with the same key.
		for _, p := range m.Peers {
			if n := len(d.Peers); n > 0 && string(d.Peers[n-1].PublicKey) == string(p.PublicKey) {
				d.Peers[n-1].Allowedips = append(d.Peers[n-1].Allowedips, p.Allowedips...)
				continue
			}
			d.Peers = append(d.Peers, p)
		}
	}
	if d == nil {
		return nil, fmt.Errorf("get-device %s: no reply", name)
	}
	return d, nil
}

func viewYnl(t testing.TB, d *wireguard.Wgdevice) wgView {
	key := func(b []byte) string {
		k, err := wgtypes.NewKey(b)
		if err != nil {
			t.Fatalf("key %x: %v", b, err)
		}
		return k.String()
	}
	v := wgView{Name: d.Ifname.Value, PrivateKey: key(d.PrivateKey), PublicKey: key(d.PublicKey), ListenPort: int(d.ListenPort.Value), Fwmark: int(d.Fwmark.Value)}
	for _, p := range d.Peers {
		var ips []string
		for _, a := range p.Allowedips {
			ips = append(ips, netip.PrefixFrom(a.Ipaddr, int(a.CidrMask.Value)).String())
		}
		ep := "<nil>"
		if len(p.Endpoint) >= 8 { // a sockaddr_in: family, port (big endian), address
			ep = fmt.Sprintf("%d.%d.%d.%d:%d", p.Endpoint[4], p.Endpoint[5], p.Endpoint[6], p.Endpoint[7], int(p.Endpoint[2])<<8|int(p.Endpoint[3]))
		}
		keep := time.Duration(p.PersistentKeepaliveInterval.Value) * time.Second
		v.Peers = append(v.Peers, fmt.Sprintf("%s %s %s %s", key(p.PublicKey), ep, keep, strings.Join(ips, ",")))
	}
	slices.Sort(v.Peers)
	return v
}

// TestLabWireguardAgrees configures a device with wgctrl, reads it back
// with wgctrl and with ours, requires the same device, and times both
// reads in the same run (interleaved, so both see the same machine).
func TestLabWireguardAgrees(t *testing.T) {
	inLab(t)
	wc, err := wgctrl.New()
	if err != nil {
		t.Fatal(err)
	}
	defer wc.Close()
	ctx := context.Background()
	c, err := wireguard.Dial(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	name := labWireguard(t, wc)

	theirs, err := wc.Device(name)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := ynlDevice(ctx, c, name)
	if err != nil {
		t.Fatal(err)
	}
	tv, ov := viewWgctrl(theirs), viewYnl(t, ours)
	if len(tv.Peers) != wgPeers {
		t.Fatalf("wgctrl reports %d peers, want %d", len(tv.Peers), wgPeers)
	}
	if fmt.Sprint(tv) != fmt.Sprint(ov) {
		t.Errorf("the libraries disagree:\nwgctrl: %+v\nynl:    %+v", tv, ov)
	}

	their := func(b *testing.B) {
		for b.Loop() {
			if d, err := wc.Device(name); err != nil || len(d.Peers) != wgPeers {
				b.Fatalf("wgctrl: %v", err)
			}
		}
	}
	our := func(b *testing.B) {
		for b.Loop() {
			if d, err := ynlDevice(ctx, c, name); err != nil || len(d.Peers) != wgPeers {
				b.Fatalf("ynl: %v", err)
			}
		}
	}
	sideBySide(t, "wireguard get-device, "+fmt.Sprint(wgPeers)+" peers", "wgctrl Client.Device", their, "wireguard GetDeviceDump", our)
}

// sideBySide times their and our function alternately, three rounds each,
// and logs the medians and the ratio.
func sideBySide(t *testing.T, what, theirName string, their func(*testing.B), ourName string, our func(*testing.B)) {
	t.Helper()
	var th, ou []float64
	var tAlloc, oAlloc int64
	for range 3 {
		r := testing.Benchmark(their)
		th, tAlloc = append(th, float64(r.NsPerOp())), r.AllocsPerOp()
		r = testing.Benchmark(our)
		ou, oAlloc = append(ou, float64(r.NsPerOp())), r.AllocsPerOp()
	}
	slices.Sort(th)
	slices.Sort(ou)
	t.Logf("%s: %s %.0f µs/op (%d allocs), %s %.0f µs/op (%d allocs): theirs/ours = %.2f",
		what, theirName, th[1]/1e3, tAlloc, ourName, ou[1]/1e3, oAlloc, th[1]/ou[1])
}
