package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// ynlBinary builds the command once per test run into a temporary folder.
func ynlBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "ynlcli-bin-")
		if buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "ynl")
		out, err := exec.Command("go", "build", "-o", buildBin, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			buildErr = &buildError{err, string(out)}
		}
	})
	if buildErr != nil {
		t.Fatalf("building ynl: %v", buildErr)
	}
	return buildBin
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// needSpec skips the test when the family has neither a built-in spec nor
// one on YNL_SPEC_PATH.
func needSpec(t *testing.T, name string) {
	t.Helper()
	if hasBuiltin(name) {
		return
	}
	if _, err := family.Find(name); err != nil {
		t.Skipf("no spec for %s (set YNL_SPEC_PATH to the kernel's spec folder): %v", name, err)
	}
}

// result is one run of the binary.
type result struct {
	stdout, stderr string
	code           int
}

// runYNL runs the binary with args, prefixed by prefix (e.g. ip netns exec).
func runYNL(t *testing.T, prefix []string, args ...string) result {
	t.Helper()
	argv := append(append(append([]string{}, prefix...), ynlBinary(t)), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", argv, err)
	}
	if strings.Contains(errb.String(), "goroutine ") || strings.Contains(errb.String(), "panic:") {
		t.Errorf("ynl %v panicked:\n%s", args, errb.String())
	}
	return result{out.String(), errb.String(), code}
}

// TestInputErrors checks bad input exits 2 naming what was wrong, before
// anything reaches the kernel.
func TestInputErrors(t *testing.T) {
	needSpec(t, "ethtool")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--family", "ethtool", "--do", "channels-get", "--json", "{bad"}, "bad --json at line 1, column 2 (byte 1): invalid character 'b'"},
		{[]string{"--family", "ethtool", "--do", "channels-get", "--json", `{"header":{"dev-index":1.5}}`}, "encode .header.dev-index: 1.5 is not an integer\n"},
		{[]string{"--family", "ethtool", "--do", "channels-get", "--json", "[1]"}, "want a JSON object"},
		{[]string{"--family", "ethtool", "--do", "no-such-op"}, `unknown operation "no-such-op"`},
		{[]string{"--family", "ethtool", "--do", "channels-get", "--json", `{"header":{"dev-nme":"x"}}`}, "encode .header.dev-nme: unknown attribute"},
		{[]string{"--family", "ethtool", "--do", "channels-get", "--json", `{"header":{"dev-index":5000000000}}`}, "encode .header.dev-index: value 5000000000 out of range for u32"},
		{[]string{"--family", "ethtool", "--do", "channels-set", "--json", `{"rx-count":-1}`}, "encode .rx-count: value -1 out of range for u32"},
		{[]string{"--family", "netdev", "--do", "dev-get", "--json", `{"ifindex":0}`}, "bad --json: check .ifindex: less than 1 (the spec's check; --no-validate sends it anyway)\n"},
		{[]string{"--family", "ethtool", "--subscribe", "no-such-group"}, `no multicast group "no-such-group"`},
		{[]string{"--family", "ethtool", "--list-attrs", "nope"}, `operation "nope" not found`},
		{[]string{"--family", "no-such-family", "--list-ops"}, `unknown family "no-such-family": not built in, and not found on YNL_SPEC_PATH (`},
		{[]string{"--spec", "/nonexistent.yaml", "--list-ops"}, "no such file"},
		{[]string{"--spec", "../../testdata", "--list-ops"}, "--spec ../../testdata is a directory: give a spec file"},
		{[]string{"--bogus"}, "flag provided but not defined: --bogus\n"},
		{[]string{"-bogus"}, "flag provided but not defined: -bogus\n"},
		{[]string{"--family", "ethtool", "--do"}, "flag needs an argument: --do\n"},
		{[]string{"--family", "ethtool", "--duration=x"}, `invalid value "x" for flag --duration: parse error`},
		{[]string{"--family", "ethtool", "--output-json=maybe"}, `invalid boolean value "maybe" for --output-json`},
		{[]string{"--family", "ethtool", "--spec", "x.yaml"}, "exactly one of --family"},
		{[]string{"--family", "ethtool", "--do", "a", "--dump", "b"}, "exclude each other"},
		{[]string{"--family", "ethtool"}, "nothing to do"},
		{[]string{"--family", "nlctrl", "--multi", "getfamily"}, "flag needs two arguments: --multi DO-OP JSON"},
		{[]string{"--family", "nlctrl", "--multi", "getfamily", "{}", "--do", "getfamily"}, "--multi, --list-ops"},
		{[]string{"--family", "nlctrl", "--multi", "getfamily", "{}", "--json", "{}"}, "--json does not apply to --multi"},
		{[]string{"--family", "nlctrl", "--multi", "getfamily", "{}", "--multi", "nosuch", "{}"}, `unknown operation "nosuch"`},
		{[]string{"--family", "nlctrl", "--multi", "getfamily", "{}", "--multi", "getfamily", `{"x":1}`}, "bad --multi getfamily (#2): encode .x: unknown attribute"},
		{[]string{"--family", "nlctrl", "--multi", "getfamily", "{}", "--multi", "getfamily", `{"a":`}, "bad --multi getfamily (#2) at line 1, column 6 (byte 5): unexpected end of JSON input"},
		{[]string{"--family", "netdev", "--multi", "qstats-get", "{}"}, `operation "qstats-get" of family netdev has no do`},
	}
	for _, tt := range tests {
		r := runYNL(t, nil, tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("ynl %q: exit %d, stderr %q; want exit 2 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}

func TestListOps(t *testing.T) {
	needSpec(t, "netdev")
	r := runYNL(t, nil, "--family", "netdev", "--list-ops")
	if r.code != 0 || !strings.Contains(r.stdout, "dev-get  [ do, dump ]\n") || strings.Contains(r.stdout, "dev-add-ntf") {
		t.Errorf("--list-ops: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runYNL(t, nil, "--family", "netdev", "--list-msgs")
	if r.code != 0 || !strings.Contains(r.stdout, "dev-add-ntf  [ notify ]\n") {
		t.Errorf("--list-msgs: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runYNL(t, nil, "--family", "netdev", "--list-attrs", "dev-get")
	if r.code != 0 || !strings.Contains(r.stdout, "  - ifindex: u32 [min 1]\n") || !strings.Contains(r.stdout, "Flags: basic, redirect") {
		t.Errorf("--list-attrs: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestRawSpecLoads checks netlink-raw specs load and list their ops.
func TestRawSpecLoads(t *testing.T) {
	needSpec(t, "rt-link")
	r := runYNL(t, nil, "--family", "rt-link", "--list-ops")
	if r.code != 0 || !strings.Contains(r.stdout, "getlink  [ do, dump ]") {
		t.Errorf("rt-link --list-ops: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestHelpAndVersion(t *testing.T) {
	r := runYNL(t, nil, "-h")
	if r.code != 0 || !strings.Contains(r.stderr, "--output-json") {
		t.Errorf("-h: exit %d\n%s", r.code, r.stderr)
	}
	// Every option line names its flags then describes them; a
	// description must not wrap onto a line of its own that starts with
	// another flag (as --doc once did, looking like its own description).
	want := "  --list-attrs MSG, --doc MSG\n                         list the attributes of a message, with types,\n                         enums and docs\n"
	if !strings.Contains(r.stderr, want) {
		t.Errorf("-h: --list-attrs and --doc are not shown together:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "--multi DO-OP JSON") || !strings.Contains(r.stderr, "Not an atomic batch") {
		t.Errorf("-h does not document --multi as a non-atomic batch:\n%s", r.stderr)
	}
	r = runYNL(t, nil, "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "ynl ") {
		t.Errorf("--version: exit %d %q", r.code, r.stdout)
	}
}

// TestOverlay checks --overlay merges into the family: a new attribute and
// a replaced op doc show in --list-attrs.
func TestOverlay(t *testing.T) {
	needSpec(t, "nlctrl")
	r := runYNL(t, nil, "--family", "nlctrl", "--overlay", "../../testdata/cli/nlctrl-overlay.yaml", "--list-attrs", "getfamily")
	if r.code != 0 || !strings.Contains(r.stdout, "Get a family, as the overlay tells it.") ||
		!strings.Contains(r.stdout, "  - not-in-kernel: u32\n      An attribute only this overlay defines.\n") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runYNL(t, nil, "--family", "nlctrl", "--overlay", "no-such-overlay.yaml", "--list-ops")
	if r.code != 2 {
		t.Errorf("missing overlay: exit %d, want 2: %s", r.code, r.stderr)
	}
}

// TestUnknownFamily checks an unknown family is named once, with the
// folders searched and a hint how to see the families there are.
func TestUnknownFamily(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("YNL_SPEC_PATH", dir)
	var out, errb strings.Builder
	code := run([]string{"--family", "nosuch", "--list-ops"}, &out, &errb)
	want := "ynl: unknown family \"nosuch\": not built in, and not found on YNL_SPEC_PATH (" + dir + ")\n" +
		"hint: 'ynl --list-families' lists the kernel's families and the built-in ones\n"
	if code != exitUsage || errb.String() != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and:\n%s", code, errb.String(), want)
	}
}

// TestListFamilies checks --list-families lists the families with a spec,
// as the Python tool lists its installed specs: built-in ones and those on
// YNL_SPEC_PATH, by spec file name, sorted, each once.
func TestListFamilies(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"rt-link.yaml", "netdev.yaml", "net_shaper.yaml", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("name: x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("YNL_SPEC_PATH", dir+":"+filepath.Join(dir, "missing"))
	var out, errb strings.Builder
	if code := run([]string{"--list-families", "--output-json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	names := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := map[string]bool{"rt-link": true, "netdev": true, "net_shaper": true, "nlctrl": true, "ethtool": true}
	seen := map[string]bool{}
	for i, n := range names {
		if seen[n] {
			t.Errorf("%s listed twice", n)
		}
		seen[n] = true
		if i > 0 && names[i-1] > n {
			t.Errorf("not sorted: %s before %s", names[i-1], n)
		}
	}
	for n := range want {
		if !seen[n] {
			t.Errorf("%s missing from:\n%s", n, out.String())
		}
	}
	if seen["net-shaper"] || seen["notes"] {
		t.Errorf("listed a family name instead of its spec file name, or a non-spec file:\n%s", out.String())
	}
}

// A kernel's EPERM says which capability is missing, after the error.
func TestEPERMHint(t *testing.T) {
	var b strings.Builder
	code := report(&genl.Error{Family: "ethtool", Op: "channels-set", Errno: syscall.EPERM, Offset: -1, MissingType: -1, MissingNest: -1}, &b)
	if code != 1 || !strings.HasPrefix(b.String(), "Netlink error: Operation not permitted\n") || !strings.Contains(b.String(), "needs CAP_NET_ADMIN") {
		t.Errorf("exit %d, stderr %q", code, b.String())
	}
}
