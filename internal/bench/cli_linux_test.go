package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The CLI's start-up: whole processes, the ynl command built static
// (CGO_ENABLED=0, as it ships) against iproute2's genl doing the same
// request, and a static Go hello-world, the floor of any Go command.
var cliBins struct {
	once       sync.Once
	dir        string
	ynl, hello string
	size       int64
	err        error
}

// cliPaths builds ynl and the hello-world floor once, or skips tb (fails
// it under CI) when they or genl are missing.
func cliPaths(tb testing.TB) (ynl, hello, genl string, size int64) {
	tb.Helper()
	cliBins.once.Do(func() {
		dir, err := os.MkdirTemp("", "ynlbench-cli-")
		if err != nil {
			cliBins.err = err
			return
		}
		cliBins.dir = dir
		// ynl is built in its own module (two folders up), with its own
		// dependencies' versions, as a user builds it.
		for _, b := range []struct {
			out      *string
			dir, pkg string
		}{{&cliBins.ynl, "../..", "./cmd/ynl"}, {&cliBins.hello, ".", "./testdata/hello"}} {
			bin := filepath.Join(dir, filepath.Base(b.pkg))
			cmd := exec.Command("go", "build", "-o", bin, b.pkg)
			cmd.Dir = b.dir
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				cliBins.err = fmt.Errorf("go build %s: %v: %s", b.pkg, err, out)
				return
			}
			*b.out = bin
		}
		st, err := os.Stat(cliBins.ynl)
		if err != nil {
			cliBins.err = err
			return
		}
		cliBins.size = st.Size()
	})
	if cliBins.err != nil {
		tb.Fatal(cliBins.err)
	}
	genl, err := exec.LookPath("genl")
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal(err)
		}
		tb.Skipf("the CLI start-up compares with iproute2's genl (apt-get install iproute2): %v", err)
	}
	return cliBins.ynl, cliBins.hello, genl, cliBins.size
}

func removeCLIBins() {
	if cliBins.dir != "" {
		_ = os.RemoveAll(cliBins.dir)
	}
}

// BenchmarkCLIStartup runs one ynl command and its genl equivalent
// alternately, each a whole process, and the Go floor beside them: do is
// a getfamily of nlctrl (genl ctrl get name nlctrl), dump a dump of every
// family (genl ctrl list). ns/op is ynl's mean wall time; genl-ns/op and
// go-floor-ns/op the others'; x-genl the ratio of ynl's median to genl's,
// x-floor ynl's median over the floor's, go-floor-x-genl the floor's over
// genl's; cpu-x-genl and cpu-x-floor the same ratios of CPU time.
// ynl-bytes is the size of the binary; faults, genl-faults and
// go-floor-faults the median page faults of one process of each (on a
// virtual machine where a fault is dear they are most of a command's
// time).
func BenchmarkCLIStartup(b *testing.B) {
	ynl, hello, genl, size := cliPaths(b)
	for _, c := range []struct {
		name      string
		ynl, genl []string
	}{
		{"do", []string{ynl, "--family", "nlctrl", "--do", "getfamily", "--json", `{"family-name":"nlctrl"}`},
			[]string{genl, "ctrl", "get", "name", "nlctrl"}},
		{"dump", []string{ynl, "--family", "nlctrl", "--dump", "getfamily"},
			[]string{genl, "ctrl", "list"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			// Both must do the work, not fail fast.
			for _, argv := range [][]string{c.ynl, c.genl} {
				out, err := exec.Command(argv[0], argv[1:]...).Output()
				if err != nil || !bytes.Contains(out, []byte("nlctrl")) {
					b.Fatalf("%v: %v: %s", argv, err, out)
				}
			}
			var ty, tg, th, cy, cg, ch []time.Duration
			var fy, fg, fh []int64
			for b.Loop() {
				for _, r := range []struct {
					argv      []string
					wall, cpu *[]time.Duration
					faults    *[]int64
				}{{c.ynl, &ty, &cy, &fy}, {c.genl, &tg, &cg, &fg}, {[]string{hello}, &th, &ch, &fh}} {
					wall, cpu, faults := runOnce(b, r.argv)
					*r.wall, *r.cpu = append(*r.wall, wall), append(*r.cpu, cpu)
					*r.faults = append(*r.faults, faults)
				}
			}
			b.ReportMetric(float64(sum(ty).Nanoseconds())/float64(len(ty)), "ns/op")
			b.ReportMetric(float64(sum(tg).Nanoseconds())/float64(len(tg)), "genl-ns/op")
			b.ReportMetric(float64(sum(th).Nanoseconds())/float64(len(th)), "go-floor-ns/op")
			b.ReportMetric(float64(median(ty))/float64(median(tg)), "x-genl")
			b.ReportMetric(float64(median(ty))/float64(median(th)), "x-floor")
			// The floor's own ratio: what no Go command can go under.
			b.ReportMetric(float64(median(th))/float64(median(tg)), "go-floor-x-genl")
			// CPU time (user and system) is what a loaded machine
			// disturbs least.
			b.ReportMetric(float64(median(cy))/float64(median(cg)), "cpu-x-genl")
			b.ReportMetric(float64(median(cy))/float64(median(ch)), "cpu-x-floor")
			b.ReportMetric(float64(size), "ynl-bytes")
			b.ReportMetric(float64(median(fy)), "faults")
			b.ReportMetric(float64(median(fg)), "genl-faults")
			b.ReportMetric(float64(median(fh)), "go-floor-faults")
		})
	}
}

// runOnce runs argv to its end, output discarded, and returns its wall
// time from start to exit, the CPU time it used and its page faults
// (minor and major).
func runOnce(b *testing.B, argv []string) (wall, cpu time.Duration, faults int64) {
	cmd := exec.Command(argv[0], argv[1:]...)
	t := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%v: %v", argv, err)
	}
	wall = time.Since(t)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		faults = ru.Minflt + ru.Majflt
	}
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), faults
}

func sum(ts []time.Duration) time.Duration {
	var s time.Duration
	for _, t := range ts {
		s += t
	}
	return s
}
