package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
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

// dump runs two dumps in the C program, one untimed and one timed, and
// returns its own wall and CPU time of the timed one and the number of
// messages it walked.
func (c *cfloor) dump() (wall, cpu time.Duration, msgs int, err error) {
	if _, err := io.WriteString(c.in, "1 1\n"); err != nil { // one untimed, one timed
		return 0, 0, 0, fmt.Errorf("cfloor: %w", err)
	}
	line, err := c.out.ReadString('\n')
	if err != nil {
		return 0, 0, 0, fmt.Errorf("cfloor: %w", err)
	}
	f := strings.Fields(line)
	if len(f) != 5 {
		return 0, 0, 0, fmt.Errorf("cfloor: bad answer %q", line)
	}
	ns, err1 := strconv.ParseInt(f[0], 10, 64)
	msgs, err2 := strconv.Atoi(f[1])
	cns, err3 := strconv.ParseInt(f[4], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, 0, 0, fmt.Errorf("cfloor: bad answer %q", line)
	}
	return time.Duration(ns), time.Duration(cns), msgs, nil
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
	ynl  *ethtool.Client
	md   *mdethtool.Client
	genl *genl.Conn
}

// walkAll walks every attribute of b as cfloor does: nests (by
// NLA_F_NESTED) recursively, every scalar read.
func walkAll(b []byte) (sum uint64, err error) {
	w := genl.NewWalker(b, nil)
	for w.Next() {
		d := w.Data()
		switch {
		case w.Nested():
			s, err := walkAll(d)
			if err != nil {
				return 0, err
			}
			sum += s
		case len(d) == 0:
			sum++
		case len(d) == 1:
			sum += uint64(d[0])
		case len(d) == 2:
			sum += uint64(w.Uint16())
		case len(d) == 4:
			sum += uint64(w.Uint32())
		case len(d) == 8:
			sum += w.Uint64()
		default:
			sum += uint64(len(d)) + uint64(d[0])
		}
	}
	return sum, w.Err()
}

// genlWalk dumps cmd with genl.Conn alone and walks the replies untyped,
// as cfloor does: our transport without the typed decoding.
func genlWalk(ctx context.Context, c *genl.Conn, cmd ethtool.Cmd, hdr *ethtool.Header) (int, error) {
	var e genl.Encoder
	n := e.Nest(1) // every op's header attribute
	hdr.Encode(&e)
	e.End(n)
	msgs := 0
	var sum uint64
	for m, err := range c.Dump(ctx, &genl.Request{Family: ethtool.FamilyName, Command: uint8(cmd), Attrs: e.Bytes()}) {
		if err != nil {
			return 0, err
		}
		s, err := walkAll(m.Data)
		if err != nil {
			return 0, err
		}
		sum += s
		msgs++
	}
	keptSum = sum
	return msgs, nil
}

var keptSum uint64

var verbose = &ethtool.Header{}

// ynlLibs are our four ways of running a dump: typed values streamed
// (each one fresh, dropped by the loop), streamed with genl.ReuseValues
// (one value, overwritten by each message), typed values collected into a
// slice (as a caller keeping the devices would; mdlayher/ethtool returns
// slices anyway), and genl.Conn with an untyped walk of every attribute,
// as the C program does (our transport alone).
func ynlLibs[T any](cmd ethtool.Cmd, hdr *ethtool.Header, dump func(c *ethtool.Client, ctx context.Context, h *ethtool.Header, opts ...genl.DumpOption) iter.Seq2[*T, error]) []floorLib {
	return []floorLib{
		{"ynl", func(ctx context.Context, c *floorClients) (int, error) {
			return stream(dump(c.ynl, ctx, hdr))
		}},
		{"ynl-reuse", func(ctx context.Context, c *floorClients) (int, error) {
			return stream(dump(c.ynl, ctx, hdr, genl.ReuseValues))
		}},
		{"ynl-collect", func(ctx context.Context, c *floorClients) (int, error) {
			return collect(dump(c.ynl, ctx, hdr))
		}},
		{"genl", func(ctx context.Context, c *floorClients) (int, error) {
			return genlWalk(ctx, c.genl, cmd, hdr)
		}},
	}
}

func linkinfoDump(c *ethtool.Client, ctx context.Context, h *ethtool.Header, opts ...genl.DumpOption) iter.Seq2[*ethtool.Linkinfo, error] {
	return c.LinkinfoGetDump(ctx, &ethtool.Linkinfo{Header: h}, opts...)
}

func linkmodesDump(c *ethtool.Client, ctx context.Context, h *ethtool.Header, opts ...genl.DumpOption) iter.Seq2[*ethtool.Linkmodes, error] {
	return c.LinkmodesGetDump(ctx, &ethtool.Linkmodes{Header: h}, opts...)
}

func featuresDump(c *ethtool.Client, ctx context.Context, h *ethtool.Header, opts ...genl.DumpOption) iter.Seq2[*ethtool.Features, error] {
	return c.FeaturesGetDump(ctx, &ethtool.Features{Header: h}, opts...)
}

var floorOps = []floorOp{
	{name: "linkinfo", cop: "linkinfo", compact: true, libs: append(ynlLibs(ethtool.CmdLinkinfoGet, compact, linkinfoDump),
		floorLib{"mdlayher", func(ctx context.Context, c *floorClients) (int, error) {
			l, err := c.md.LinkInfos()
			return len(l), err
		}})},
	{name: "linkmodes", cop: "linkmodes", compact: true, libs: append(ynlLibs(ethtool.CmdLinkmodesGet, compact, linkmodesDump),
		floorLib{"mdlayher", func(ctx context.Context, c *floorClients) (int, error) {
			l, err := c.md.LinkModes()
			return len(l), err
		}})},
	{name: "features-compact", cop: "features", compact: true, libs: ynlLibs(ethtool.CmdFeaturesGet, compact, featuresDump)},
	{name: "features-verbose", cop: "features", libs: ynlLibs(ethtool.CmdFeaturesGet, verbose, featuresDump)},
}

// kept stops the compiler from optimising the collected values away.
var kept any

// stream ranges over a dump, touching each value, keeping none.
func stream[T any](seq iter.Seq2[*T, error]) (int, error) {
	n := 0
	for v, err := range seq {
		if err != nil {
			return 0, err
		}
		if v != nil {
			n++
		}
	}
	return n, nil
}

// collect gathers a dump's values into a slice and returns how many.
func collect[T any](seq iter.Seq2[*T, error]) (int, error) {
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

// floorRow is one line of the table TestMain prints: per party, the
// median wall and CPU time per dump and the allocations per dump.
type floorRow struct {
	op      string
	devices int
	msgs    int // messages per dump
	iters   int
	wall    map[string]time.Duration
	cpu     map[string]time.Duration
	allocs  map[string]float64
	bytes   map[string]float64
}

var floorRows struct {
	mu   sync.Mutex
	rows map[string]*floorRow
	keys []string
}

// BenchmarkVsC runs each dump with ours (see ynlLibs), mdlayher/ethtool
// (where it has the op) and the C floor interleaved in one loop, rotating
// their order every iteration, and reports each one's median time per
// message and the ratios to C, by wall time and by the process's CPU time
// (user and system, getrusage). Each party makes one untimed dump right
// before its timed one, so none is timed on a CPU that was just idle or
// busy with another party. Timing is per dump (C times itself, so its pipe
// does not count); allocations are counted around each Go party's timed
// dumps alone. The ns/op of the benchmark itself is the sum of
// all parties and means nothing.
func BenchmarkVsC(b *testing.B) {
	ctx := context.Background()
	for _, n := range floorSizes() {
		path := benchNetNSPairs(b, n/2)
		y, err := ethtool.Dial(ctx, &genl.DialOptions{NetNSPath: path})
		if err != nil {
			b.Fatal(err)
		}
		g, err := genl.Dial(ctx, &genl.DialOptions{NetNSPath: path})
		if err != nil {
			b.Fatal(err)
		}
		var md *mdethtool.Client
		if err := inNetNS(path, func() (err error) { md, err = mdethtool.New(); return err }); err != nil {
			b.Fatal(err)
		}
		c := &floorClients{ynl: y, md: md, genl: g}
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
		_ = g.Close()
	}
}

func benchVsC(b *testing.B, ctx context.Context, c *floorClients, op floorOp, devices int, cf *cfloor) {
	names := []string{"C"}
	for _, l := range op.libs {
		names = append(names, l.name)
	}
	walls := make(map[string][]time.Duration, len(names))
	cpus := make(map[string][]time.Duration, len(names))
	allocs := map[string]uint64{}
	bytes := map[string]uint64{}
	var ms0, ms1 runtime.MemStats
	msgs := 0
	for i := 0; i < b.N; i++ {
		for k := range names {
			name := names[(i+k)%len(names)]
			var wall, cpu time.Duration
			var got int
			if name == "C" {
				var err error
				if wall, cpu, got, err = cf.dump(); err != nil {
					b.Fatal(err)
				}
				msgs = got
			} else {
				l := op.libs[slices.IndexFunc(op.libs, func(l floorLib) bool { return l.name == name })]
				// One untimed dump first, as C makes one: the party after
				// one that slept or ran elsewhere starts on a cold CPU.
				if _, err := l.run(ctx, c); err != nil {
					b.Fatalf("%s: %v", name, err)
				}
				runtime.ReadMemStats(&ms0)
				c0, t0 := cpuTime(), time.Now()
				n, err := l.run(ctx, c)
				wall, cpu = time.Since(t0), cpuTime()-c0
				runtime.ReadMemStats(&ms1)
				if err != nil {
					b.Fatalf("%s: %v", name, err)
				}
				got = n
				allocs[name] += ms1.Mallocs - ms0.Mallocs
				bytes[name] += ms1.TotalAlloc - ms0.TotalAlloc
			}
			if got < devices {
				b.Fatalf("%s: dump saw %d messages, want at least %d devices", name, got, devices)
			}
			walls[name] = append(walls[name], wall)
			cpus[name] = append(cpus[name], cpu)
		}
	}
	row := &floorRow{op: op.name, devices: devices, msgs: msgs, iters: b.N,
		wall: map[string]time.Duration{}, cpu: map[string]time.Duration{},
		allocs: map[string]float64{}, bytes: map[string]float64{}}
	for _, name := range names {
		row.wall[name], row.cpu[name] = median(walls[name]), median(cpus[name])
		b.ReportMetric(float64(row.wall[name].Nanoseconds())/float64(msgs), name+"-ns/msg")
		if name != "C" {
			row.allocs[name] = float64(allocs[name]) / float64(b.N)
			row.bytes[name] = float64(bytes[name]) / float64(b.N)
			b.ReportMetric(float64(row.wall[name])/float64(row.wall["C"]), name+"/C")
			b.ReportMetric(float64(row.cpu[name])/float64(row.cpu["C"]), name+"/C-cpu")
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

// median is the median of d (the mean of the middle two of an even count).
func median[T ~int64](d []T) T {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
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
	fmt.Fprintln(w, "\nethtool dumps against the C floor (libmnl): medians of interleaved runs; wall and CPU (user+sys) ratios to C")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| dump | devices | dumps | C ns/msg | party | ns/msg | / C | / C (CPU) | allocs/msg | B/msg |")
	fmt.Fprintln(w, "|---|--:|--:|--:|---|--:|--:|--:|--:|--:|")
	parties := []string{"ynl", "ynl-reuse", "ynl-collect", "genl", "mdlayher"}
	for _, k := range floorRows.keys {
		r := floorRows.rows[k]
		perMsg := func(d time.Duration) string {
			return strconv.FormatFloat(float64(d.Nanoseconds())/float64(r.msgs), 'f', 0, 64)
		}
		ratio := func(a, b time.Duration) string {
			if a == 0 || b == 0 {
				return "—"
			}
			return strconv.FormatFloat(float64(a)/float64(b), 'f', 2, 64) + "×"
		}
		for _, p := range parties {
			if _, ok := r.wall[p]; !ok {
				continue
			}
			fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %s | %s | %s | %.1f | %.0f |\n",
				r.op, r.devices, r.iters, perMsg(r.wall["C"]), p, perMsg(r.wall[p]),
				ratio(r.wall[p], r.wall["C"]), ratio(r.cpu[p], r.cpu["C"]),
				r.allocs[p]/float64(r.msgs), r.bytes[p]/float64(r.msgs))
		}
	}
}
