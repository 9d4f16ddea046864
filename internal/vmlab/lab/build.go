package lab

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// TestBinary is a package's test binary, built for the guest.
type TestBinary struct {
	ImportPath string // the package
	SourceDir  string // the package's folder on the host (for testdata)
	Binary     string // the statically linked test binary
}

// BuildOptions says which packages' tests to build and how.
type BuildOptions struct {
	Patterns []string  // package patterns, as for go test
	Tags     string    // build tags, comma-separated
	Dir      string    // where to run go (patterns are relative to it); "" is the current folder
	OutDir   string    // where to write the binaries
	Log      io.Writer // go's own output goes here
}

// ErrNoTests reports that no matched package has test files; like go test,
// the command treats this as success with nothing to run.
var ErrNoTests = errors.New("no test files")

// guestEnv is the build environment of guest binaries: static, linux/amd64
// whatever the host is. A -race in GOFLAGS is dropped: it needs cgo, and the
// guest has no C library.
func guestEnv() []string {
	env := make([]string, 0, len(os.Environ())+3)
	for _, kv := range os.Environ() {
		if v, ok := strings.CutPrefix(kv, "GOFLAGS="); ok {
			kv = "GOFLAGS=" + strings.Join(slices.DeleteFunc(strings.Fields(v), func(f string) bool {
				return f == "-race" || f == "--race" || f == "-race=true"
			}), " ")
		}
		env = append(env, kv)
	}
	return append(env, "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
}

// BuildTests builds one static test binary per matched package that has
// tests. Packages without tests are reported and left out.
func BuildTests(ctx context.Context, opt BuildOptions) ([]TestBinary, error) {
	pkgs, err := listTestPackages(ctx, opt)
	if err != nil {
		return nil, err
	}
	var out []TestBinary
	for i, p := range pkgs {
		bin := filepath.Join(opt.OutDir, fmt.Sprintf("%02d-%s.test", i, filepath.Base(p.ImportPath)))
		args := []string{"test", "-c", "-o", bin}
		if opt.Tags != "" {
			args = append(args, "-tags", opt.Tags)
		}
		cmd := exec.CommandContext(ctx, "go", append(args, p.ImportPath)...)
		cmd.Dir, cmd.Env = opt.Dir, guestEnv()
		cmd.Stdout, cmd.Stderr = opt.Log, opt.Log
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go test -c %s: %w", p.ImportPath, err)
		}
		p.Binary = bin
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoTests, strings.Join(opt.Patterns, " "))
	}
	return out, nil
}

// listTestPackages expands the patterns with go list, keeping packages
// that have test files.
func listTestPackages(ctx context.Context, opt BuildOptions) ([]TestBinary, error) {
	args := []string{"list", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{len .TestGoFiles}}\t{{len .XTestGoFiles}}"}
	if opt.Tags != "" {
		args = append(args, "-tags", opt.Tags)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, opt.Patterns...)...)
	cmd.Dir, cmd.Env = opt.Dir, guestEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %w: %s", strings.Join(opt.Patterns, " "), err, strings.TrimSpace(stderr.String()))
	}
	return parseGoList(raw, opt.Log)
}

// parseGoList reads the tab-separated lines of listTestPackages.
func parseGoList(raw []byte, log io.Writer) ([]TestBinary, error) {
	var pkgs []TestBinary
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("go list: unexpected line %q", sc.Text())
		}
		if f[2] == "0" && f[3] == "0" {
			if log != nil {
				fmt.Fprintf(log, "?   \t%s\t[no test files]\n", f[0])
			}
			continue
		}
		pkgs = append(pkgs, TestBinary{ImportPath: f[0], SourceDir: f[1]})
	}
	return pkgs, sc.Err()
}
