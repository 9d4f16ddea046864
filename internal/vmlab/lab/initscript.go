package lab

import (
	"fmt"
	"strings"
)

// GuestModule is a kernel module to load in the guest.
type GuestModule struct {
	Name   string   // module name
	File   string   // path in the guest
	Params []string // module parameters, "key=value"
	Soft   bool     // a soft dependency, allowed to fail
}

// GuestTest is a test binary to run in the guest.
type GuestTest struct {
	ImportPath string // shown in the markers and summary
	Dir        string // guest folder it runs in (holds its testdata)
	Binary     string // guest path of the binary
}

// ScriptOptions is what the init script does, in guest paths.
type ScriptOptions struct {
	Nonce    string
	Modules  []GuestModule
	Tests    []GuestTest
	TestArgs []string // after -test.v, for every test binary
	SpecPath string   // YNL_SPEC_PATH in the guest; "" leaves it unset
	Env      []string // "KEY=value" exported before the tests
}

// Guest exit codes for failures before the tests; a test binary's own code
// is passed through.
const (
	exitInsmod = 125 // a module failed to load
	exitNoTest = 126 // a test binary could not run
)

// InitScript returns the guest's /init: mount the pseudo file systems,
// bring up lo, load the modules in order, run the tests, print the exit
// marker and power off. Every step is announced by a marker line.
func InitScript(opt ScriptOptions) string {
	var b strings.Builder
	m := shellQuote(strings.TrimSpace(markerPrefix(opt.Nonce)))
	fmt.Fprintf(&b, `#!/bin/busybox sh
/bin/busybox --install -s
export PATH=%s:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TMPDIR=/tmp YNL_VMLAB=1
M=%s
finish() {
	echo "$M %s=$1"
	sync
	poweroff -f
	sleep 60
}
echo "$M %s=init"
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ip link set lo up
load() {
	insmod "$@" || { rc=$?; echo "$M %s=$1 rc=$rc"; finish %d; }
}
echo "$M %s=modules"
`, guestToolDir, m, MarkerExit, MarkerStep, MarkerInsmodErr, exitInsmod, MarkerStep)
	for _, mod := range opt.Modules {
		line := "load " + shellQuote(mod.File)
		for _, p := range mod.Params {
			line += " " + shellQuote(p)
		}
		if mod.Soft {
			// Soft dependencies are best effort, as with modprobe.
			line = "insmod" + strings.TrimPrefix(line, "load") + " || echo " +
				shellQuote("vmlab: soft dependency "+mod.Name+" not loaded")
		}
		b.WriteString(line + "\n")
	}
	if opt.SpecPath != "" {
		fmt.Fprintf(&b, "export YNL_SPEC_PATH=%s\n", shellQuote(opt.SpecPath))
	}
	for _, e := range opt.Env {
		if k, v, ok := strings.Cut(e, "="); ok && k != "" {
			fmt.Fprintf(&b, "export %s=%s\n", k, shellQuote(v))
		}
	}
	fmt.Fprintf(&b, "echo \"$M %s=tests\"\nstatus=0\n", MarkerStep)
	args := []string{"-test.v"}
	for _, a := range opt.TestArgs {
		args = append(args, shellQuote(a))
	}
	for _, t := range opt.Tests {
		fmt.Fprintf(&b, "echo \"$M %s=\"%s\n", MarkerTestStart, shellQuote(t.ImportPath))
		fmt.Fprintf(&b, "if cd %s; then %s %s; rc=$?; else rc=%d; fi\n",
			shellQuote(t.Dir), shellQuote(t.Binary), strings.Join(args, " "), exitNoTest)
		fmt.Fprintf(&b, "echo \"$M %s=\"%s\" rc=$rc\"\n", MarkerTestEnd, shellQuote(t.ImportPath))
		b.WriteString("[ $rc -ne 0 ] && [ $status -eq 0 ] && status=$rc\ncd /\n")
	}
	b.WriteString("finish $status\n")
	return b.String()
}
