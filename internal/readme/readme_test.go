package readme

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// block is a fenced code block of README.md.
type block struct {
	lang  string
	line  int // of the opening fence
	lines []string
}

func readBlocks(t *testing.T, path string) []block {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []block
	var cur *block
	for i, l := range strings.Split(string(b), "\n") {
		switch {
		case cur == nil && strings.HasPrefix(l, "```"):
			cur = &block{lang: strings.TrimPrefix(l, "```"), line: i + 1}
		case cur != nil && l == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		}
	}
	return out
}

// trailingComment is a shell comment after a command.
var trailingComment = regexp.MustCompile(`\s+# .*$`)

// command is one command line of a sh block.
type command struct {
	text string
	line int
}

func commands(blocks []block) []command {
	var out []command
	for _, b := range blocks {
		if b.lang != "sh" {
			continue
		}
		for i, l := range b.lines {
			l = strings.TrimSpace(trailingComment.ReplaceAllString(l, ""))
			if l != "" && !strings.HasPrefix(l, "#") {
				out = append(out, command{l, b.line + 1 + i})
			}
		}
	}
	return out
}

// ciRuns reports whether a line of .ci/run runs cmd: one holding all of
// its words (.ci/run may add flags such as -count=1 or -timeout).
func ciRuns(ci, cmd string) bool {
	words := strings.Fields(cmd)
	for _, l := range strings.Split(ci, "\n") {
		have := strings.Fields(l)
		if len(have) > 0 && have[0] != "#" && !slices.ContainsFunc(words, func(w string) bool { return !slices.Contains(have, w) }) {
			return true
		}
	}
	return false
}

// TestREADMECommands runs every command of README.md's sh blocks, or
// checks that .ci/run runs it, and compares the output README shows
// after "$ COMMAND" with the command's output: README stays true on a
// fresh machine. The ynl commands run in a new network namespace
// holding a veth pair (eth0, eth1), so they need root; the generator's
// setup runs in a fresh module, offline against the module cache.
func TestREADMECommands(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	blocks := readBlocks(t, filepath.Join(root, "README.md"))
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	env := append(os.Environ(), "GOBIN="+bin, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GOWORK=off")
	installed := false
	mod := t.TempDir() // the user's module of the generator section
	modMade := false

	for _, c := range commands(blocks) {
		t.Run(c.text, func(t *testing.T) {
			words := strings.Fields(c.text)
			switch {
			case c.text == "go test -race ./...":
				// The test command itself: .ci/run runs it.
				if !ciRuns(string(ci), c.text) {
					t.Errorf("README.md:%d: %q: .ci/run does not run it", c.line, c.text)
				}
			case words[0] == "apt-get":
				for _, p := range words[2:] {
					if !strings.HasPrefix(p, "-") && !strings.Contains(string(ci), " "+p) {
						t.Errorf("README.md:%d: package %s: .ci/run does not install it", c.line, p)
					}
				}
			case strings.HasPrefix(c.text, "go run ./internal/vmlab"):
				if ciRuns(string(ci), c.text) {
					return
				}
				if testing.Short() {
					t.Skip("boots a VM; .ci/run does not run this one; skipped with -short")
				}
				if _, err := exec.LookPath("qemu-system-x86_64"); err != nil {
					t.Skip("qemu-system-x86_64 not installed")
				}
				run(t, root, env, c, 0)
			case c.text == "go install ./cmd/...":
				run(t, root, env, c, 0)
				installed = true
			case strings.HasPrefix(c.text, "go mod edit -replace"), strings.HasPrefix(c.text, "go get -tool"):
				if !modMade {
					modMade = true
					cmd := exec.Command("go", "mod", "init", "example.com/readme")
					cmd.Dir, cmd.Env = mod, env
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("go mod init: %v\n%s", err, out)
					}
					sum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
					if err := os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				c.text = strings.ReplaceAll(c.text, "/path/to/your/clone/of/ynl", root)
				run(t, mod, append(env, "GOFLAGS=-mod=mod", "GOPROXY=off"), c, 0)
			case words[0] == "ynl" || strings.HasPrefix(c.text, "go run ./cmd/ynl "):
				if words[0] == "ynl" && !installed {
					t.Fatalf("README.md:%d: %q: no go install ./cmd/... before it", c.line, c.text)
				}
				if os.Geteuid() != 0 {
					t.Skip("runs in a new network namespace: needs root")
				}
				want := 0
				if slices.Contains(words, "--check-kernel") {
					want = -1 // exits 1 when the spec and the kernel differ, as README says
				}
				inNetns(t, root, env, c, want)
			default:
				t.Errorf("README.md:%d: %q: this test neither runs it nor finds it in .ci/run; teach it how", c.line, c.text)
			}
		})
	}

	// Shown output: "$ COMMAND" and what it prints, in full (blocks
	// eliding lines with "..." are not compared).
	for _, b := range blocks {
		if b.lang != "" || len(b.lines) == 0 || !strings.HasPrefix(b.lines[0], "$ ") {
			continue
		}
		if slices.ContainsFunc(b.lines, func(l string) bool { return strings.TrimSpace(l) == "..." }) {
			continue
		}
		c := command{strings.TrimPrefix(b.lines[0], "$ "), b.line + 1}
		t.Run("output of "+c.text, func(t *testing.T) {
			out := run(t, root, env, c, -1)
			want := strings.Join(b.lines[1:], "\n") + "\n"
			if out != want {
				t.Errorf("README.md:%d: %s prints\n%s\nREADME shows\n%s", c.line, c.text, out, want)
			}
		})
	}
}

// run runs c with bash in dir and returns its combined output; want is
// the exit status it must have, -1 for 0 or 1.
func run(t *testing.T, dir string, env []string, c command, want int) string {
	t.Helper()
	cmd := exec.Command("bash", "-c", c.text)
	cmd.Dir, cmd.Env = dir, env
	return check(t, cmd, c, want)
}

// netnsSetup makes the namespace README's ynl examples assume: lo up
// and a veth pair eth0/eth1 with four queues.
const netnsSetup = "ip link set lo up && ip link add eth0 numtxqueues 4 numrxqueues 4 type veth peer name eth1 numtxqueues 4 numrxqueues 4 && ip link set eth0 up && ip link set eth1 up && "

func inNetns(t *testing.T, dir string, env []string, c command, want int) {
	t.Helper()
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare not installed")
	}
	cmd := exec.Command("unshare", "-n", "bash", "-c", netnsSetup+c.text)
	cmd.Dir, cmd.Env = dir, env
	check(t, cmd, c, want)
}

func check(t *testing.T, cmd *exec.Cmd, c command, want int) string {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("README.md:%d: %s: %v", c.line, c.text, err)
		}
		code = ee.ExitCode()
	}
	if code != want && !(want == -1 && code <= 1) {
		t.Errorf("README.md:%d: %s: exit status %d\n%s", c.line, c.text, code, out.String())
	}
	return out.String()
}
