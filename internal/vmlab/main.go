// Command vmlab runs Go tests inside a throwaway Debian kernel under qemu,
// for generic netlink families the host kernel lacks (nl80211 through
// mac80211_hwsim, wireguard, team, openvswitch, fou, ovpn, nfsd, lockd).
//
// Usage:
//
//	go run ./internal/vmlab [flags] packages... [-- test binary flags]
//
// For example:
//
//	go run ./internal/vmlab ./families/nl80211/...
//	go run ./internal/vmlab -kernel 6.12 -run TestLive ./families/wireguard
//
// It builds each package's tests statically, packs them into an initramfs
// with busybox and the requested kernel modules (dependencies added), boots
// the kernel with qemu (TCG), runs every test binary with -test.v, streams
// the console, and exits with the tests' status. Harness failures print the
// step that failed (download, initramfs, boot, module load, test) and exit
// with status 3.
//
// The host needs qemu-system-x86, busybox-static, apt and dpkg. The kernel
// is Debian's: -kernel names a suite (sid, trixie, bookworm) or the series
// it carries (7.2, 6.12, 6.1); the default is the newest. Its packages (the
// image and, for 7.x, its linux-binary, linux-modules and linux-base parts)
// are resolved through linux-image-amd64 in a private apt setup made from
// the system's own source entry with only the suite changed, and
// downloaded once with apt-get download into the cache folder (-cache,
// default ynl-vmlab under $XDG_CACHE_HOME or ~/.cache); nothing is
// installed. The host's ip, ethtool and bash are copied into the guest with
// their libraries.
//
// netdevsim, which Debian does not ship, is built out of tree for the
// chosen kernel when asked for (-modules netdevsim, or by default for the
// devlink and netshaper packages) and cached per kernel; the host needs
// make, gcc and libelf-dev. Tests make devices with livetest.Netdevsim
// (families/internal/livetest); where the build is not possible they skip
// with the failed step named. For example:
//
//	go run ./internal/vmlab -memory 2048 -run TestLive ./families/devlink ./families/netshaper
//	go run ./internal/vmlab -modules netdevsim,veth ./families/netdev
//
// Flags:
//
//	-modules list   modules to load, comma-separated, each "name key=value...";
//	                repeatable (default: what the packages' live tests need,
//	                e.g. mac80211_hwsim radios=2 for nl80211; missing ones skip)
//	-kernel k       Debian suite or kernel series (default sid, 7.2); a
//	                comma-separated list runs the tests on each in turn
//	-kernel-pkg p   kernel image package in that suite (default: what linux-image-amd64 depends on)
//	-kernel-deb f   local kernel .deb files to use instead of downloading; repeatable
//	-cache dir      kernel cache folder
//	-timeout d      limit for boot and tests; qemu is killed after it (default 5m)
//	-memory mb      guest memory in MiB (default 512)
//	-tags list      build tags for the test binaries
//	-run regexp     passed to the test binaries as -test.run
//	-busybox path   static busybox (default: busybox on PATH)
//	-qemu path      qemu binary (default qemu-system-x86_64)
//	-accel a        qemu accelerator (default tcg; nested KVM hangs stock kernels)
//	-gzip           gzip the initramfs (smaller, slower to unpack under TCG)
//	-bzimage        boot the compressed kernel; by default the harness unpacks
//	                it once and boots the ELF image through PVH, twice as fast
//	-file g=h       copy host file h into the guest at path g; repeatable
//	-no-regdb       leave the host's regulatory.db out of the guest
//	-no-specs       leave the YNL_SPEC_PATH spec files out of the guest
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/ynlgo/ynl/internal/vmlab/lab"
)

func main() {
	cfg, kernels, err := parseArgs(os.Args[1:], os.Getenv("YNL_SPEC_PATH"))
	if errors.Is(err, errHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "vmlab:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	results, err := lab.RunKernels(ctx, cfg, kernels)
	if errors.Is(err, lab.ErrNoTests) {
		fmt.Println("vmlab:", err, "- nothing to run")
		os.Exit(0)
	}
	code := 0
	for _, res := range results {
		fmt.Printf("vmlab: %s: guest exit %d after %.1fs (boot %.1fs)\n", res.Kernel, res.ExitCode, res.Total.Seconds(), res.Boot.Seconds())
		if code == 0 {
			code = res.ExitCode
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	os.Exit(code)
}
