package nl80211_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/ynlgo/ynl/families/nl80211"
	"github.com/ynlgo/ynl/families/nl80211/nl80211test"
	"github.com/ynlgo/ynl/genl"
)

// These examples run against nl80211test's fake kernel, set up by
// radio() as a station that found two networks; against a real radio,
// the client comes from nl80211.Dial(ctx, nil) and the rest is the same.

// radio is a fake kernel answering as one station interface, wlan0, with
// two networks in range and an access point it is associated with.
func radio() *nl80211test.Fake {
	fake, err := nl80211test.Start()
	if err != nil {
		log.Fatal(err)
	}
	wlan0 := &nl80211.Attrs{Wiphy: genl.Some[uint32](0), Ifindex: genl.Some[uint32](3), Ifname: genl.Some("wlan0"), Iftype: genl.Some(nl80211.IftypeStation)}
	fake.HandleGetInterfaceDump(func(ctx context.Context, req *nl80211.Attrs) ([]*nl80211.Attrs, error) {
		return []*nl80211.Attrs{wlan0}, nil
	})
	bss := func(mac string, ssid string, freq uint32, mbm int32) *nl80211.Attrs {
		hw, _ := net.ParseMAC(mac)
		ies, _ := nl80211.AppendElement(nil, nl80211.ElemSSID, []byte(ssid))
		return &nl80211.Attrs{Ifindex: wlan0.Ifindex, Bss: &nl80211.Bss{Bssid: hw, Frequency: genl.Some(freq), SignalMbm: genl.Some(mbm), InformationElements: ies}}
	}
	fake.HandleTriggerScan(func(ctx context.Context, req *nl80211.Attrs) error {
		// The kernel acknowledges, scans, then announces the results.
		return fake.NotifyNewScanResults(&nl80211.Attrs{Ifindex: req.Ifindex, ScanFrequencies: []uint32{2412, 2437}})
	})
	fake.HandleGetScanDump(func(ctx context.Context, req *nl80211.Attrs) ([]*nl80211.Attrs, error) {
		return []*nl80211.Attrs{bss("02:00:00:00:01:00", "cafe", 2412, -4500), bss("02:00:00:00:02:00", "library", 2437, -7200)}, nil
	})
	fake.HandleGetStationDump(func(ctx context.Context, req *nl80211.Attrs) ([]*nl80211.Attrs, error) {
		ap, _ := net.ParseMAC("02:00:00:00:01:00")
		return []*nl80211.Attrs{{Ifindex: req.Ifindex, MAC: ap, StaInfo: &nl80211.StaInfo{
			Signal: genl.Some[int8](-45), RXBytes: genl.Some[uint32](123456), TXBytes: genl.Some[uint32](7890),
		}}}, nil
	})
	fake.HandleConnect(func(ctx context.Context, req *nl80211.Attrs) error {
		// The kernel acknowledges; the result comes on the mlme group.
		return fake.NotifyConnectNtf(&nl80211.Attrs{Ifindex: req.Ifindex, MAC: req.MAC, StatusCode: genl.Some[uint16](0)})
	})
	return fake
}

// Listing the wireless interfaces.
func ExampleClient_GetInterfaceDump() {
	fake := radio()
	defer fake.Close()
	c := fake.Client() // on a real system: nl80211.Dial(ctx, nil)

	for ifc, err := range c.GetInterfaceDump(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ifc.Ifindex.Value, ifc.Ifname.Value, ifc.Iftype.Value)
	}
	// Output:
	// 3 wlan0 station
}

// Scanning and listing the networks found, by SSID: Scan triggers the
// scan and waits for its end, GetScanDump lists the BSSs, and Elements
// reads the SSID out of a BSS's information elements.
func ExampleClient_Scan() {
	fake := radio()
	defer fake.Close()
	c := fake.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	done, err := c.Scan(ctx, &nl80211.Attrs{Ifindex: genl.Some[uint32](3)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("scanned", done.ScanFrequencies)
	for m, err := range c.GetScanDump(ctx, &nl80211.Attrs{Ifindex: genl.Some[uint32](3)}) {
		if err != nil {
			log.Fatal(err)
		}
		ssid, _ := nl80211.Elements(m.Bss.InformationElements).SSID()
		fmt.Printf("%s %q %d MHz %.0f dBm\n", m.Bss.Bssid, ssid, m.Bss.Frequency.Value, float64(m.Bss.SignalMbm.Value)/100)
	}
	// Output:
	// scanned [2412 2437]
	// 02:00:00:00:01:00 "cafe" 2412 MHz -45 dBm
	// 02:00:00:00:02:00 "library" 2437 MHz -72 dBm
}

// Station info of the access point a station is associated with (or, on
// an access point, of every station associated with it).
func ExampleClient_GetStationDump() {
	fake := radio()
	defer fake.Close()
	c := fake.Client()

	for m, err := range c.GetStationDump(context.Background(), &nl80211.Attrs{Ifindex: genl.Some[uint32](3)}) {
		if err != nil {
			log.Fatal(err)
		}
		si := m.StaInfo
		fmt.Printf("%s signal %d dBm, rx %d bytes, tx %d bytes\n", m.MAC, si.Signal.Value, si.RXBytes.Value, si.TXBytes.Value)
	}
	// Output:
	// 02:00:00:00:01:00 signal -45 dBm, rx 123456 bytes, tx 7890 bytes
}

// Connecting to an open network: connect is acknowledged at once, and
// its outcome arrives as a connect notification on the mlme group, so
// subscribe before sending it.
func ExampleClient_Connect() {
	fake := radio()
	defer fake.Close()
	c := fake.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	sub, err := c.Subscribe(ctx, nl80211.GroupMlme)
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	ap, _ := net.ParseMAC("02:00:00:00:01:00")
	err = c.Connect(ctx, &nl80211.Attrs{
		Ifindex: genl.Some[uint32](3), Ssid: []byte("cafe"), MAC: ap, WiphyFreq: genl.Some[uint32](2412),
		AuthType: genl.Some(nl80211.AuthTypeOpenSystem),
	})
	if err != nil {
		log.Fatal(err)
	}
	for {
		n, err := sub.Receive(ctx)
		if err != nil {
			log.Fatal(err)
		}
		if m, ok := n.Msg.(*nl80211.Attrs); ok && n.Cmd == nl80211.CmdConnectNtf {
			fmt.Println("connected to", m.MAC, "status", m.StatusCode.Value)
			return
		}
	}
	// Output:
	// connected to 02:00:00:00:01:00 status 0
}
