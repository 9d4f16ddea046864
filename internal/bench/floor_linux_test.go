package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	mdethtool "github.com/mdlayher/ethtool"
	"github.com/ynlgo/ynl/families/ethtool"
	"github.com/ynlgo/ynl/genl"
)

// The C floor: testdata/cfloor.c, a libmnl program that dumps the same op
// and walks every attribute of every reply, built with gcc on first use.
var cfloorBin struct {
	once sync.Once
	path string
	dir  string
	err  error
}

// cfloorPath builds cfloor, or skips tb (fails it under CI, which
// installs gcc and libmnl-dev) when it cannot be built.
func cfloorPath(tb testing.TB) string {
	tb.Helper()
	cfloorBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "ynlbench-cfloor-")
		if err != nil {
			cfloorBin.err = err
			return
		}
		cfloorBin.dir = dir
		bin := filepath.Join(dir, "cfloor")
		out, err := exec.Command("gcc", "-O2", "-Wall", "-Werror", "-o", bin, "testdata/cfloor.c", "-lmnl").CombinedOutput()
		if err != nil {
			cfloorBin.err = fmt.Errorf("gcc testdata/cfloor.c -lmnl: %v: %s", err, out)
			return
		}
		cfloorBin.path = bin
	})
	if cfloorBin.err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal(cfloorBin.err)
		}
		tb.Skipf("the C floor needs gcc and libmnl-dev (apt-get install gcc libmnl-dev): %v", cfloorBin.err)
	}
	return cfloorBin.path
}

// cfloor is a running cfloor process, waiting for commands.
type cfloor struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

var cfloors struct {
	mu  sync.Mutex
	all map[string]*cfloor // by netns, op and mode
}

// startCFloor returns the cfloor process for op and mode in the namespace
// at path, started on first use and kept until TestMain ends.
func startCFloor(tb testing.TB, path, op, mode string) *cfloor {
	tb.Helper()
	bin := cfloorPath(tb)
	key := path + " " + op + " " + mode
	cfloors.mu.Lock()
	defer cfloors.mu.Unlock()
	if c := cfloors.all[key]; c != nil {
		return c
	}
	cmd := exec.Command(bin, path, op, mode)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	c := &cfloor{cmd: cmd, in: in, out: bufio.NewReader(out)}
	if cfloors.all == nil {
		cfloors.all = map[string]*cfloor{}
	}
	cfloors.all[key] = c
	return c
}

// dump runs one dump in the C program and returns its own timing of it
// and the number of messages it walked.
func (c *cfloor) dump() (time.Duration, int, error) {
	if _, err := io.WriteString(c.in, "1\n"); err != nil {
		return 0, 0, fmt.Errorf("cfloor: %w", err)
	}
	line, err := c.out.ReadString('\n')
	if err != nil {
		return 0, 0, fmt.Errorf("cfloor: %w", err)
	}
	f := strings.Fields(line)
	if len(f) != 4 {
		return 0, 0, fmt.Errorf("cfloor: bad answer %q", line)
	}
	ns, err1 := strconv.ParseInt(f[0], 10, 64)
	msgs, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("cfloor: bad answer %q", line)
	}
	return time.Duration(ns), msgs, nil
}

// stopCFloors ends the C programs (closing stdin ends them).
func stopCFloors() {
	cfloors.mu.Lock()
	defer cfloors.mu.Unlock()
	for _, c := range cfloors.all {
		_ = c.in.Close()
		_ = c.cmd.Wait()
	}
	cfloors.all = nil
	if cfloorBin.dir != "" {
		_ = os.RemoveAll(cfloorBin.dir)
	}
}

// floorOp is one dump compared: its name, what cfloor calls it, and how
// each library runs it. A run returns the number of messages seen.
type floorOp struct {
	name    string
	cop     string // cfloor's op
	compact bool
	libs    []floorLib
}

type floorLib struct {
	name string
	run  func(ctx context.Context, c *floorClients) (int, error)
}

// floorClients are the libraries' clients in one namespace.
type floorClients struct {
	ynl *ethtool.Client
	md  *mdethtool.Client
}

var verbose = &ethtool.Header{}

// The ynl runs collect the typed values, as a caller keeping the devices
// would; mdlayher/ethtool returns slices anyway.
var floorOps = []floorOp{
	{name: "linkinfo", cop: "linkinfo", compact: true, libs: []floorLib{
		{"ynl", func(ctx context.Context, c *floorClients) (int, error) {
			return collect(c.ynl.LinkinfoGetDump(ctx, &ethtool.Linkinfo{Header: compact}))
		}},
		{"mdlayher", func(ctx context.Context, c *floorClients) (int, error) {
			l, err := c.md.LinkInfos()
			return len(l), err
		}},
	}},
	{name: "linkmodes", cop: "linkmodes", compact: true, libs: []floorLib{
		{"ynl", func(ctx context.Context, c *floorClients) (int, error) {
			return collect(c.ynl.LinkmodesGetDump(ctx, &ethtool.Linkmodes{Header: compact}))
		}},
		{"mdlayher", func(ctx context.Context, c *floorClients) (int, error) {
			l, err := c.md.LinkModes()
			return len(l), err
		}},
	}},
	{name: "features-compact", cop: "features", compact: true, libs: []floorLib{
		{"ynl", func(ctx context.Context, c *floorClients) (int, error) {
			return collect(c.ynl.FeaturesGetDump(ctx, &ethtool.Features{Header: compact}))
		}},
	}},
	{name: "features-verbose", cop: "features", libs: []floorLib{
		{"ynl", func(ctx context.Context, c *floorClients) (int, error) {
			return collect(c.ynl.FeaturesGetDump(ctx, &ethtool.Features{Header: verbose}))
		}},
	}},
}

// kept stops the compiler from optimising the collected values away.
var kept any

// collect gathers a dump's values into a slice and returns how many.
func collect[T any](seq func(func(*T, error) bool)) (int, error) {
	var out []*T
	for v, err := range seq {
		if err != nil {
			return 0, err
		}
		out = append(out, v)
	}
	kept = out
	return len(out), nil
}

// floorSizes are the device counts compared: 1000, and 10,000 unless
// -short (CI runs short).
func floorSizes() []int {
	if testing.Short() {
		return []int{1000}
	}
	return []int{1000, 10000}
}

// floorRow is one line of the table TestMain prints: per library, the
// median time per dump and the allocations per dump.
type floorRow struct {
	op      string
	devices int
	msgs    int // messages per dump (devices, plus lo for features)
	iters   int
	median  map[string]time.Duration
	allocs  map[string]float64
	bytes   map[string]float64
	order   []string
}

var floorRows struct {
	mu   sync.Mutex
	rows map[string]*floorRow
	keys []string
}

// BenchmarkVsC runs each dump with ours, mdlayher/ethtool (where it has the
// op) and the C floor interleaved in one loop, rotating their order every
// iteration, and reports each one's median time per message and the
// ratios to C. Timing is per dump (C times itself, so its pipe does not
// count); allocations are counted around each Go library's dumps alone.
// The ns/op of the benchmark itself is the sum of all libraries and means
// nothing.
func BenchmarkVsC(b *testing.B) {
	ctx := context.Background()
	for _, n := range floorSizes() {
		path := benchNetNSPairs(b, n/2)
		y, err := ethtool.Dial(ctx, &genl.DialOptions{NetNSPath: path})
		if err != nil {
			b.Fatal(err)
		}
		var md *mdethtool.Client
		if err := inNetNS(path, func() (err error) { md, err = mdethtool.New(); return err }); err != nil {
			_ = y.Close()
			b.Fatal(err)
		}
		c := &floorClients{ynl: y, md: md}
		for _, op := range floorOps {
			b.Run(fmt.Sprintf("%s/%d", op.name, n), func(b *testing.B) {
				mode := "verbose"
				if op.compact {
					mode = "compact"
				}
				benchVsC(b, ctx, c, op, n, startCFloor(b, path, op.cop, mode))
			})
		}
		_ = y.Close()
		_ = md.Close()
	}
}

func benchVsC(b *testing.B, ctx context.Context, c *floorClients, op floorOp, devices int, cf *cfloor) {
	names := []string{"C"}
	for _, l := range op.libs {
		names = append(names, l.name)
	}
	times := make(map[string][]time.Duration, len(names))
	allocs := map[string]uint64{}
	bytes := map[string]uint64{}
	var ms0, ms1 runtime.MemStats
	msgs := 0
	for i := 0; i < b.N; i++ {
		for k := range names {
			name := names[(i+k)%len(names)]
			var d time.Duration
			var got int
			if name == "C" {
				var err error
				if d, got, err = cf.dump(); err != nil {
					b.Fatal(err)
				}
				if got < devices {
					b.Fatalf("C: dump saw %d messages, want at least %d devices", got, devices)
				}
				msgs = got
			} else {
				l := op.libs[slices.IndexFunc(op.libs, func(l floorLib) bool { return l.name == name })]
				runtime.ReadMemStats(&ms0)
				t0 := time.Now()
				n, err := l.run(ctx, c)
				d = time.Since(t0)
				runtime.ReadMemStats(&ms1)
				if err != nil {
					b.Fatalf("%s: %v", name, err)
				}
				if n < devices {
					b.Fatalf("%s: dump saw %d messages, want at least %d devices", name, n, devices)
				}
				got = n
				allocs[name] += ms1.Mallocs - ms0.Mallocs
				bytes[name] += ms1.TotalAlloc - ms0.TotalAlloc
			}
			times[name] = append(times[name], d)
		}
	}
	row := &floorRow{op: op.name, devices: devices, msgs: msgs, iters: b.N, order: names,
		median: map[string]time.Duration{}, allocs: map[string]float64{}, bytes: map[string]float64{}}
	for _, name := range names {
		row.median[name] = median(times[name])
		b.ReportMetric(float64(row.median[name].Nanoseconds())/float64(msgs), name+"-ns/msg")
		if name != "C" {
			row.allocs[name] = float64(allocs[name]) / float64(b.N)
			row.bytes[name] = float64(bytes[name]) / float64(b.N)
			b.ReportMetric(float64(row.median[name])/float64(row.median["C"]), name+"/C")
			b.ReportMetric(row.allocs[name]/float64(msgs), name+"-allocs/msg")
		}
	}
	floorRows.mu.Lock()
	defer floorRows.mu.Unlock()
	if floorRows.rows == nil {
		floorRows.rows = map[string]*floorRow{}
	}
	key := fmt.Sprintf("%s/%d", op.name, devices)
	if floorRows.rows[key] == nil {
		floorRows.keys = append(floorRows.keys, key)
	}
	floorRows.rows[key] = row // the last (largest b.N) run wins
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// printFloorTable prints BenchmarkVsC's results as a Markdown table.
func printFloorTable(w io.Writer) {
	floorRows.mu.Lock()
	defer floorRows.mu.Unlock()
	if len(floorRows.keys) == 0 {
		return
	}
	fmt.Fprintln(w, "\nethtool dumps, ours and mdlayher/ethtool against the C floor (libmnl), medians of interleaved runs:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| dump | devices | dumps | C µs/dump | C ns/msg | ynl ns/msg | ynl / C | mdlayher / C | mdlayher / ynl | ynl allocs/msg | ynl B/msg | mdlayher allocs/msg |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, k := range floorRows.keys {
		r := floorRows.rows[k]
		c := r.median["C"]
		perMsg := func(d time.Duration) string {
			return strconv.FormatFloat(float64(d.Nanoseconds())/float64(r.msgs), 'f', 0, 64)
		}
		ratio := func(a, b time.Duration) string {
			if a == 0 || b == 0 {
				return "—"
			}
			return strconv.FormatFloat(float64(a)/float64(b), 'f', 2, 64) + "×"
		}
		mdAllocs := "—"
		if _, ok := r.median["mdlayher"]; ok {
			mdAllocs = strconv.FormatFloat(r.allocs["mdlayher"]/float64(r.msgs), 'f', 1, 64)
		}
		fmt.Fprintf(w, "| %s | %d | %d | %.0f | %s | %s | %s | %s | %s | %.1f | %.0f | %s |\n",
			r.op, r.devices, r.iters, float64(c.Microseconds()), perMsg(c), perMsg(r.median["ynl"]),
			ratio(r.median["ynl"], c), ratio(r.median["mdlayher"], c), ratio(r.median["mdlayher"], r.median["ynl"]),
			r.allocs["ynl"]/float64(r.msgs), r.bytes["ynl"]/float64(r.msgs), mdAllocs)
	}
}
