// Package lab boots a stock Debian kernel under qemu with a small
// initramfs and runs statically linked Go test binaries inside it.
//
// It exists for generic netlink families the host kernel lacks or cannot
// be made to exercise (nl80211 needs radios, which mac80211_hwsim provides;
// wireguard, team, openvswitch and fou need their modules). The guest is
// disposable, so tests may load modules and change global state freely.
//
// # Steps
//
// A run goes through five steps, and every error names the one that failed
// (see [StepError]):
//
//   - download: resolve the kernel packages of the chosen Debian suite
//     (through the linux-image-amd64 meta package unless one is named, then
//     the image's split parts: linux-binary, linux-modules, linux-base) in a
//     private apt setup, fetch them with apt-get download and index the
//     modules (.ko.xz ones decompressed): the package ships no modules.dep, so dependencies,
//     soft dependencies and aliases are read from each module's .modinfo.
//     The kernel image is also unpacked once, because booting the ELF image
//     directly (PVH) skips the decompressor, about half of a TCG boot.
//     Everything is cached, so later runs are offline.
//   - initramfs: build the test binaries (CGO_ENABLED=0 go test -c) and pack
//     them with a static busybox, the requested modules and their
//     dependencies, and an init script into a newc cpio archive.
//   - boot: start qemu (TCG) and wait for the init script to report.
//   - module load: busybox insmod of each module in dependency order; soft
//     dependencies (crc32c for openvswitch's libcrc32c) are best effort.
//   - test: each test binary runs with -test.v in a directory of its own
//     holding a copy of its package's testdata.
//
// The init script prints marker lines on the serial console; the host
// reads them back to follow the steps and to learn the exit status, which
// a guest power-off would otherwise lose.
//
// # netdevsim
//
// Debian does not ship netdevsim, so asking for it (-modules netdevsim, or
// a package whose tests need it: devlink, netshaper) builds it out of tree
// for the kernel being booted, once per kernel release and netdevsim source
// hash, into the cache folder's netdevsim/<release>-<hash>/netdevsim.ko
// (see [BuildNetdevsim]; about 15 s cold, nothing warm). The source is the
// kernel suite's linux-source package, fetched by the repository's
// .ci/kernel-source (or $YNL_KERNEL_SOURCE when it has the right
// version); the headers are the kernel's linux-headers and linux-kbuild
// packages, downloaded with the private apt setup and unpacked, never
// installed. The host needs make, gcc and libelf-dev. psample, which it
// needs, is loaded before it. A build that fails names its step (kernel
// source, header packages, host tools, module build); for an optional
// request the run goes on and the guest gets the reason in
// YNL_VMLAB_NO_NETDEVSIM, so the tests skip with it.
//
// A test makes a device with livetest.Netdevsim (families/internal/livetest):
//
//	d := livetest.Netdevsim(t, 2, 4) // 2 ports, 4 queues each; skips without netdevsim
//	// devlink handle: d.BusName ("netdevsim"), d.DevName ("netdevsim<ID>");
//	// port i's netdev: d.Netdevs[i] (eth0, eth1, ... in the guest)
//
// which writes "ID PORTS QUEUES" to /sys/bus/netdevsim/new_device and
// removes the device when the test ends. debugfs is mounted, for
// netdevsim's knobs under /sys/kernel/debug/netdevsim.
//
// # Guest environment
//
// Tests run as root with proc, sysfs, devtmpfs and debugfs mounted, lo up, and
// YNL_VMLAB=1 in the environment. If YNL_SPEC_PATH is set on the host, the
// YAML files found there are copied into the guest and YNL_SPEC_PATH points
// at them. Debian's regulatory database is included when the host has it, so
// tests may set a country.
package lab
