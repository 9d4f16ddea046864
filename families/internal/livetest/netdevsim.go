//go:build linux

package livetest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// NetdevsimBus is netdevsim's sysfs bus folder; writing "ID PORTS QUEUES"
// to its new_device makes a device, writing "ID" to del_device removes it.
const NetdevsimBus = "/sys/bus/netdevsim"

// NetdevsimDevice is a netdevsim device made for a test.
type NetdevsimDevice struct {
	ID int
	// BusName and DevName are the devlink handle: "netdevsim" and
	// "netdevsim<ID>".
	BusName, DevName string
	// Netdevs are its ports' network devices, in port order (port index i
	// is Netdevs[i]); the kernel names them eth0, eth1, ... in the guest.
	Netdevs []string
}

var (
	nsimMu   sync.Mutex
	nsimNext = 1
)

// Netdevsim makes a netdevsim device with the given numbers of ports and
// queues per port, removed when t ends. It skips t when netdevsim is not
// loaded: outside the lab naming the lab command, inside it with the
// reason the lab could not build the module (YNL_VMLAB_NO_NETDEVSIM).
// Ask the lab for it with -modules netdevsim, or let it pick the module
// from the package (families/devlink, netshaper, ...: see vmlab's
// packageModules).
func Netdevsim(t testing.TB, ports, queues int) *NetdevsimDevice {
	t.Helper()
	if _, err := os.Stat(NetdevsimBus + "/new_device"); err != nil {
		switch reason := os.Getenv("YNL_VMLAB_NO_NETDEVSIM"); {
		case reason != "":
			t.Skipf("no netdevsim: %s", reason)
		case InLab():
			t.Skipf("no netdevsim on %s (not loaded: ask the lab with -modules netdevsim)", Release())
		default:
			t.Skipf("no netdevsim here (%v): run it in the VM lab (go run ./internal/vmlab -modules netdevsim ...)", err)
		}
	}
	nsimMu.Lock()
	defer nsimMu.Unlock()
	var id int
	for {
		id, nsimNext = nsimNext, nsimNext+1
		err := os.WriteFile(NetdevsimBus+"/new_device", []byte(fmt.Sprintf("%d %d %d", id, ports, queues)), 0)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrExist) && !strings.Contains(err.Error(), "file exists") || id > 1000 {
			t.Fatalf("netdevsim new_device %d %d %d: %v", id, ports, queues, err)
		}
	}
	d := &NetdevsimDevice{ID: id, BusName: "netdevsim", DevName: "netdevsim" + strconv.Itoa(id)}
	t.Cleanup(func() {
		if err := os.WriteFile(NetdevsimBus+"/del_device", []byte(strconv.Itoa(id)), 0); err != nil {
			t.Errorf("netdevsim del_device %d: %v", id, err)
		}
	})
	// The ports' netdevs appear under the device once registered.
	deadline := time.Now().Add(10 * time.Second)
	for {
		d.Netdevs = d.Netdevs[:0]
		dirs, _ := filepath.Glob(filepath.Join(NetdevsimBus, "devices", d.DevName, "net", "*"))
		type port struct {
			index int
			name  string
		}
		var ps []port
		for _, dir := range dirs {
			name := filepath.Base(dir)
			b, err := os.ReadFile(filepath.Join(dir, "phys_port_name"))
			idx := len(ps)
			if err == nil {
				// "p<index>"
				if n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(string(b)), "p")); err == nil {
					idx = n
				}
			}
			ps = append(ps, port{idx, name})
		}
		sort.Slice(ps, func(i, j int) bool { return ps[i].index < ps[j].index })
		for _, p := range ps {
			d.Netdevs = append(d.Netdevs, p.name)
		}
		if len(d.Netdevs) == ports {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("netdevsim %d: %d of %d port netdevs after 10s", id, len(d.Netdevs), ports)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Handle returns the devlink handle as "netdevsim/netdevsim<ID>", as the
// devlink tool prints it.
func (d *NetdevsimDevice) Handle() string { return d.BusName + "/" + d.DevName }
