package lab

import (
	"bytes"
	"context"
	"os/exec"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKernelSuite(t *testing.T) {
	for in, want := range map[string][2]string{
		"": {"sid", "7.2"}, "sid": {"sid", "7.2"}, "7.2": {"sid", "7.2"},
		"trixie": {"trixie", "6.12"}, "6.12": {"trixie", "6.12"}, "6.1": {"bookworm", "6.1"}, "bookworm": {"bookworm", "6.1"},
	} {
		suite, series, err := KernelSuite(in)
		if err != nil || suite != want[0] || series != want[1] {
			t.Errorf("KernelSuite(%q) = %q, %q, %v; want %q", in, suite, series, err, want)
		}
	}
	if _, _, err := KernelSuite("6"); err == nil {
		t.Error("KernelSuite(6): no error")
	}
}

func TestKernelParts(t *testing.T) {
	// apt-cache depends of sid's 7.2 image stub, shortened.
	out := `linux-image-7.2.13+deb14-amd64
  PreDepends: linux-base
 |Depends: dracut
  Depends: linux-base-7.2.13+deb14-amd64
  Depends: linux-binary-7.2.13+deb14-amd64
  Depends: linux-modules-7.2.13+deb14-amd64
  Suggests: linux-doc-7.2
`
	want := []string{"linux-base-7.2.13+deb14-amd64", "linux-binary-7.2.13+deb14-amd64", "linux-modules-7.2.13+deb14-amd64"}
	if diff := cmp.Diff(want, kernelParts([]byte(out))); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	// 6.12: one package, no parts (linux-base alone is not versioned).
	if got := kernelParts([]byte("linux-image-6.12.117+deb13-amd64\n  PreDepends: linux-base\n  Depends: kmod\n")); len(got) != 0 {
		t.Errorf("one-package layout: got parts %q", got)
	}
}

func TestVmlinuzRelease(t *testing.T) {
	for in, want := range map[string]string{
		"boot/vmlinuz-6.1.0-50-amd64":                          "6.1.0-50-amd64",
		"usr/lib/modules/7.2.13+deb14-amd64/vmlinuz":           "7.2.13+deb14-amd64",
		"usr/lib/modules/7.2.13+deb14-amd64/kernel/vmlinuz.ko": "",
		"boot/config-6.1.0-50-amd64":                           "",
	} {
		if got := vmlinuzRelease(in); got != want {
			t.Errorf("vmlinuzRelease(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestZstdTrailerKept feeds the decompressor a zstd stream followed by
// junk, as in a bzImage: zstd exits 1 on the trailer, and the image it
// wrote must be kept rather than dropped (which made every zstd kernel
// boot compressed).
func TestZstdTrailerKept(t *testing.T) {
	if _, err := exec.LookPath("zstd"); err != nil {
		t.Skip("zstd not installed")
	}
	payload := bytes.Repeat([]byte("kernel image "), 1000)
	cmd := exec.Command("zstd", "-c")
	cmd.Stdin = bytes.NewReader(payload)
	z, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	got, err := decompressPayload(context.Background(), append(z, 0x12, 0x34, 0x56, 0x78), "zstd")
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("got %d bytes, %v; want the %d-byte payload", len(got), err, len(payload))
	}
	// A module must still fail on a broken stream.
	if _, err := readModule(context.Background(), "x.ko.zst", bytes.NewReader(append(z, 1, 2, 3, 4))); err == nil {
		t.Error("readModule accepted a zstd module with junk after it")
	}
}

func TestParseLdd(t *testing.T) {
	out := "\tlinux-vdso.so.1 (0x00007ffd)\n\tlibmnl.so.0 => /lib/x86_64-linux-gnu/libmnl.so.0 (0x00007f)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n"
	want := map[string]string{
		"lib/x86_64-linux-gnu/libmnl.so.0": "/lib/x86_64-linux-gnu/libmnl.so.0",
		"lib/x86_64-linux-gnu/libc.so.6":   "/lib/x86_64-linux-gnu/libc.so.6",
		"lib64/ld-linux-x86-64.so.2":       "/lib64/ld-linux-x86-64.so.2",
	}
	if diff := cmp.Diff(want, parseLdd([]byte(out))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestModulesFor(t *testing.T) {
	got := ModulesFor([]string{"github.com/ynlgo/ynl/families/ovsflow", "github.com/ynlgo/ynl/families/ovsdatapath", "github.com/ynlgo/ynl/families/netdev"})
	want := []ModuleSpec{{Name: "openvswitch", Optional: true}, {Name: "psample", Optional: true}, {Name: "veth", Optional: true}, {Name: "netdevsim", Optional: true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
