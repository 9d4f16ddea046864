package lab

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func follow(t *testing.T, console string) (*follower, *strings.Builder, bool) {
	t.Helper()
	var out strings.Builder
	f := &follower{nonce: "n1", out: &out, start: time.Now(), step: StepBoot, res: &VMResult{ExitCode: -1}, memMB: 512}
	stopped := false
	if err := f.scan(strings.NewReader(console), func() { stopped = true }); err != nil {
		t.Fatal(err)
	}
	return f, &out, stopped
}

func TestFollowerPassAndFail(t *testing.T) {
	console := "\x1bc\x1b[?7l\x1b[2JSeaBIOS\r\n" +
		"VMLAB[n1] STEP=init\r\n" +
		"VMLAB[n1] STEP=modules\r\n" +
		"[    3.1] mac80211_hwsim: initializing\r\n" +
		"VMLAB[n1] STEP=tests\r\n" +
		"VMLAB[n1] TEST_START=example.com/a\r\n" +
		"=== RUN   TestA\r\n--- PASS: TestA (0.00s)\r\nPASS\r\n" +
		"VMLAB[n1] TEST_END=example.com/a rc=0\r\n" +
		"VMLAB[n1] TEST_START=example.com/b\r\n" +
		"--- FAIL: TestB (0.00s)\r\nFAIL" + "VMLAB[n1] TEST_END=example.com/b rc=1\r\n" +
		"VMLAB[n1] GUEST_EXIT=1\r\n" +
		"after the exit marker\r\n"
	f, out, stopped := follow(t, console)
	res, err := f.finish(context.Background(), nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if !stopped || res.ExitCode != 1 || len(res.Tests) != 2 || res.Tests[0].ExitCode != 0 || res.Tests[1].ExitCode != 1 {
		t.Errorf("stopped %v, result %+v", stopped, res)
	}
	text := out.String()
	for _, want := range []string{"SeaBIOS\n", "mac80211_hwsim: initializing\n", "--- PASS: TestA", "ok  \texample.com/a", "FAIL\nFAIL\texample.com/b"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"\x1b", "\r", "VMLAB[", "after the exit marker"} {
		if strings.Contains(text, bad) {
			t.Errorf("output has %q:\n%s", bad, text)
		}
	}
}

func TestFollowerStepErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		console string
		ctxEnd  string // "", "deadline" or "cancel"
		step    Step
		msg     string
	}{
		{"no init", "SeaBIOS\r\n", "", StepBoot, "before the init script started: qemu: bad kernel"},
		{"insmod", "VMLAB[n1] STEP=init\nVMLAB[n1] STEP=modules\nVMLAB[n1] INSMOD_ERR=/lib/modules/x.ko rc=1\n", "", StepModuleLoad, "insmod /lib/modules/x.ko rc=1"},
		{"timeout in test", "VMLAB[n1] STEP=init\nVMLAB[n1] STEP=modules\nVMLAB[n1] STEP=tests\n", "deadline", StepTest, "timed out"},
		{"interrupted", "VMLAB[n1] STEP=init\n", "cancel", StepBoot, "interrupted"},
		{"initramfs too big", "[    1.39] Initramfs unpacking failed: write error\r\n[    1.83] Kernel panic - not syncing: VFS: Unable to mount root fs\r\n", "", StepBoot, "(Initramfs unpacking failed: write error: the initramfs does not fit in the guest's 512 MiB; give more with -memory): qemu: bad kernel"},
		{"crash in test", "VMLAB[n1] STEP=init\nVMLAB[n1] STEP=modules\nVMLAB[n1] STEP=tests\nKernel panic\n", "", StepTest, "before the guest reported its exit status"},
	} {
		f, _, _ := follow(t, tc.console)
		ctx, cancel := context.WithCancel(context.Background())
		switch tc.ctxEnd {
		case "deadline":
			ctx, cancel = context.WithDeadline(context.Background(), time.Now())
		case "cancel":
			cancel()
		}
		_, err := f.finish(ctx, nil, nil, "qemu: bad kernel")
		cancel()
		var se *StepError
		if !errors.As(err, &se) || se.Step != tc.step || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want step %q with %q", tc.name, err, tc.step, tc.msg)
		}
	}
}

func TestGuestMemory(t *testing.T) {
	for _, tc := range []struct {
		size int64
		want int
	}{{0, 1024}, {100 << 20, 1024}, {300 << 20, 1112}, {600 << 20, 1712}} {
		if got := GuestMemoryMB(tc.size); got != tc.want {
			t.Errorf("GuestMemoryMB(%d MiB) = %d, want %d", tc.size>>20, got, tc.want)
		}
	}
}

func TestQemuArgs(t *testing.T) {
	got := strings.Join(QemuArgs(VMOptions{Kernel: "k", Initrd: "i", Append: "x=1"}), " ")
	want := "-accel tcg -m 512 -smp 1 -nographic -no-reboot -net none -kernel k -initrd i -append console=ttyS0 quiet panic=-1 x=1"
	if got != want {
		t.Errorf("QemuArgs:\n got %s\nwant %s", got, want)
	}
}
