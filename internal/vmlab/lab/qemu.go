package lab

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// VMOptions says how to boot the guest.
type VMOptions struct {
	Qemu     string // the qemu binary; "" is qemu-system-x86_64
	Accel    string // "" is tcg: a stock kernel hangs under nested KVM
	MemoryMB int    // 0 is 512
	Kernel   string
	Initrd   string
	Append   string    // extra kernel command line
	Nonce    string    // the init script's marker token
	Out      io.Writer // the guest console; nil discards it
}

// TestResult is the outcome of one test binary in the guest.
type TestResult struct {
	ImportPath string
	ExitCode   int
	Elapsed    time.Duration
}

// VMResult is what the guest reported.
type VMResult struct {
	Kernel   string        // the kernel release booted
	ExitCode int           // the guest's exit status (first failing test's)
	Tests    []TestResult  // in run order
	Boot     time.Duration // from qemu start to the init script
	Modules  time.Duration // module loading
	Total    time.Duration // from qemu start to the exit marker
}

// memoryMB is the guest memory opt asks for.
func memoryMB(opt VMOptions) int {
	if opt.MemoryMB == 0 {
		return 512
	}
	return opt.MemoryMB
}

// QemuArgs returns qemu's command line for opt.
func QemuArgs(opt VMOptions) []string {
	accel, mem := opt.Accel, memoryMB(opt)
	if accel == "" {
		accel = "tcg"
	}
	cmdline := strings.TrimSpace("console=ttyS0 quiet panic=-1 " + opt.Append)
	return []string{"-accel", accel, "-m", strconv.Itoa(mem), "-smp", "1",
		"-nographic", "-no-reboot", "-net", "none",
		"-kernel", opt.Kernel, "-initrd", opt.Initrd, "-append", cmdline}
}

// RunVM boots the guest, streams its console to opt.Out and follows the
// init script's markers. It returns when the guest reports its exit status
// (qemu is then stopped), when qemu exits, or when ctx ends (qemu is
// killed). Errors are StepErrors naming the step the guest was in.
func RunVM(ctx context.Context, opt VMOptions) (*VMResult, error) {
	qemu := opt.Qemu
	if qemu == "" {
		qemu = "qemu-system-x86_64"
	}
	if _, err := exec.LookPath(qemu); err != nil {
		return nil, stepErr(StepBoot, fmt.Errorf("%w (install qemu-system-x86)", err))
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := opt.Out
	if out == nil {
		out = io.Discard
	}
	cmd := exec.CommandContext(runCtx, qemu, QemuArgs(opt)...)
	cmd.WaitDelay = 5 * time.Second // never hang on the console pipe after a kill
	var stderr tailBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, stepErr(StepBoot, err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, stepErr(StepBoot, fmt.Errorf("starting %s: %w", qemu, err))
	}
	f := &follower{nonce: opt.Nonce, out: out, start: start, step: StepBoot, res: &VMResult{ExitCode: -1}, memMB: memoryMB(opt)}
	scanErr := f.scan(stdout, cancel)
	_, _ = io.Copy(io.Discard, stdout)
	waitErr := cmd.Wait()
	return f.finish(ctx, scanErr, waitErr, stderr.String())
}

// ansiRE matches the terminal control sequences the firmware prints on the
// serial console (screen clears, wrap mode), which garble logs.
var ansiRE = regexp.MustCompile(`\x1b(\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_]|c)`)

// follower tracks the guest's progress from its console lines.
type follower struct {
	nonce  string
	out    io.Writer
	start  time.Time
	step   Step
	stepAt time.Time
	res    *VMResult
	done   bool
	fail   error  // a failure the guest reported
	unpack string // the kernel's "Initramfs unpacking failed" line, if it printed one
	memMB  int
}

// scan reads console lines until the exit marker (then stops qemu through
// stop) or the end of output.
func (f *follower) scan(r io.Reader, stop func()) error {
	br := bufio.NewReaderSize(r, 64*1024)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			f.line(ansiRE.ReplaceAllString(strings.TrimRight(line, "\r\n"), ""))
			if f.done {
				stop()
				return nil
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// line handles one console line: markers update the state, everything
// else goes to the output.
func (f *follower) line(text string) {
	m, ok := ParseMarker(text, f.nonce)
	if !ok {
		if i := strings.Index(text, "Initramfs unpacking failed"); i >= 0 && f.unpack == "" {
			f.unpack = strings.TrimSpace(text[i:])
		}
		fmt.Fprintln(f.out, strings.TrimRight(text, "\r"))
		return
	}
	if i := strings.Index(text, markerPrefix(f.nonce)); i > 0 { // keep text before the marker
		fmt.Fprintln(f.out, text[:i])
	}
	now := time.Now()
	switch m.Key {
	case MarkerStep:
		f.stepMarker(m.Value, now)
	case MarkerInsmodErr:
		f.fail = fmt.Errorf("insmod %s", m.Value)
	case MarkerTestStart:
		f.stepAt = now
	case MarkerTestEnd:
		pkg, rc, _ := rcField(m.Value)
		r := TestResult{ImportPath: pkg, ExitCode: rc, Elapsed: now.Sub(f.stepAt)}
		f.res.Tests = append(f.res.Tests, r)
		fmt.Fprintln(f.out, summaryLine(r))
	case MarkerExit:
		if rc, err := atoiStrict(m.Value); err == nil {
			f.res.ExitCode = rc
		}
		f.res.Total = now.Sub(f.start)
		f.done = true
	}
}

func (f *follower) stepMarker(v string, now time.Time) {
	switch v {
	case "init":
		f.res.Boot = now.Sub(f.start)
		fmt.Fprintf(f.out, "vmlab: guest booted in %.1fs\n", f.res.Boot.Seconds())
	case "modules":
		f.step, f.stepAt = StepModuleLoad, now
	case "tests":
		f.res.Modules = now.Sub(f.stepAt)
		fmt.Fprintf(f.out, "vmlab: modules loaded in %.1fs\n", f.res.Modules.Seconds())
		f.step = StepTest
	}
}

// summaryLine formats a test result like go test's package summary.
func summaryLine(r TestResult) string {
	status := "ok  "
	if r.ExitCode != 0 {
		status = "FAIL"
	}
	return fmt.Sprintf("%s\t%s\t%.3fs (in guest)", status, r.ImportPath, r.Elapsed.Seconds())
}

// finish turns the end of a run into a result or a StepError.
func (f *follower) finish(ctx context.Context, scanErr, waitErr error, qemuErr string) (*VMResult, error) {
	switch {
	case f.fail != nil:
		return f.res, stepErr(StepModuleLoad, f.fail)
	case f.done:
		return f.res, nil
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return f.res, stepErr(f.step, fmt.Errorf("timed out after %.0fs; qemu killed", time.Since(f.start).Seconds()))
	case ctx.Err() != nil:
		return f.res, stepErr(f.step, fmt.Errorf("interrupted after %.0fs; qemu killed", time.Since(f.start).Seconds()))
	case scanErr != nil:
		return f.res, stepErr(f.step, fmt.Errorf("reading the console: %w", scanErr))
	}
	msg := "qemu exited before the guest reported its exit status"
	if f.step == StepBoot {
		msg = "qemu exited before the init script started"
		if f.unpack != "" {
			msg += fmt.Sprintf(" (%s: the initramfs does not fit in the guest's %d MiB; give more with -memory)", f.unpack, f.memMB)
		}
	}
	var ee *exec.ExitError
	if errors.As(waitErr, &ee) {
		msg += " (" + ee.String() + ")"
	}
	if qemuErr = strings.TrimSpace(qemuErr); qemuErr != "" {
		msg += ": " + qemuErr
	}
	return f.res, stepErr(f.step, errors.New(msg))
}

// tailBuffer keeps the last few KiB written to it (qemu's stderr).
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if t.buf.Len() > 8192 {
		b := t.buf.Bytes()[t.buf.Len()-4096:]
		t.buf = *bytes.NewBuffer(append([]byte(nil), b...))
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
