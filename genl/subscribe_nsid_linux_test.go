package genl

import (
	"context"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// twoNamespaces makes a listener namespace in which the other has id 7.
func twoNamespaces(t *testing.T) (listener, other *testNS) {
	listener, other = newTestNS(t), newTestNS(t)
	listener.ip(t, "netns", "set", other.name, "7")
	return listener, other
}

// TestSubscribeAllNSID listens to netdev's mgmt group in one namespace with
// NETLINK_LISTEN_ALL_NSID: a device made in the other namespace arrives
// with that namespace's id, one made in the listener's own without one.
func TestSubscribeAllNSID(t *testing.T) {
	listener, other := twoNamespaces(t)
	c := listener.dial(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub, err := c.Subscribe(ctx, "netdev", "mgmt")
	if err != nil {
		t.Skipf("netdev mgmt: %v", err)
	}
	defer sub.Close()
	if err := sub.ListenAllNSID(); err != nil {
		t.Fatal(err)
	}
	other.ip(t, "link", "add", "o0", "type", "veth", "peer", "name", "o1")
	listener.ip(t, "link", "add", "l0", "type", "veth", "peer", "name", "l1")
	var fromOther, fromOwn int
	for fromOther < 2 || fromOwn < 2 {
		m, err := sub.Receive(ctx)
		if err != nil {
			t.Fatalf("after %d notifications from the other namespace and %d from the own: %v", fromOther, fromOwn, err)
		}
		if id, ok := m.NSID.Get(); ok {
			if id != 7 {
				t.Fatalf("NSID %d, want 7", id)
			}
			fromOther++
		} else {
			fromOwn++
		}
	}
}

// TestRawSubscribeAllNSID does the same over classic netlink: rt-link's
// RTNLGRP_LINK, an MTU change in the other namespace.
func TestRawSubscribeAllNSID(t *testing.T) {
	listener, other := twoNamespaces(t)
	other.ip(t, "link", "add", "o0", "type", "veth", "peer", "name", "o1")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := DialRaw(ctx, unix.NETLINK_ROUTE, &DialOptions{NetNSPath: listener.path()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sub, err := c.Subscribe(ctx, "rt-link", RawGroup{Name: "rtnlgrp-link", ID: unix.RTNLGRP_LINK})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := sub.ListenAllNSID(); err != nil {
		t.Fatal(err)
	}
	other.ip(t, "link", "set", "o0", "mtu", "1400")
	for {
		m, err := sub.Receive(ctx)
		if err != nil {
			t.Fatalf("no RTM_NEWLINK from the other namespace: %v", err)
		}
		if id, ok := m.NSID.Get(); ok && m.Type == unix.RTM_NEWLINK {
			if id != 7 {
				t.Fatalf("NSID %d, want 7", id)
			}
			return
		}
	}
}
