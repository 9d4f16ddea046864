package lab

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// DefaultTools are the host programs copied into the guest when the host
// has them: tests drive the kernel with the real iproute2 (ip, tc, genl),
// ethtool, nft and conntrack (the busybox applets of the same names lack
// most of their commands), and bash for scripts.
var DefaultTools = []string{"ip", "tc", "ethtool", "nft", "genl", "conntrack", "bash"}

// guestToolDir holds the copied programs in the guest; it comes first on
// the guest's PATH, ahead of the busybox applets.
const guestToolDir = "/usr/local/sbin"

// GuestProgram is a dynamically linked host program with the shared
// libraries and loader it needs, as guest path -> host path.
type GuestProgram struct {
	Name  string
	Host  string            // the program on the host
	Files map[string]string // libraries and loader: guest path -> host path
}

// FindTools looks up the named programs on the host and their libraries
// (with ldd). Programs the host lacks are left out and named in missing.
func FindTools(ctx context.Context, names []string) (progs []GuestProgram, missing []string, err error) {
	for _, n := range names {
		host, lerr := exec.LookPath(n)
		if lerr != nil {
			missing = append(missing, n)
			continue
		}
		libs, lerr := sharedLibs(ctx, host)
		if lerr != nil {
			return nil, nil, fmt.Errorf("%s: %w", n, lerr)
		}
		progs = append(progs, GuestProgram{Name: n, Host: host, Files: libs})
	}
	return progs, missing, nil
}

// sharedLibs runs ldd on a program and returns the files it names, keyed
// by the path the loader looks them up under.
func sharedLibs(ctx context.Context, prog string) (map[string]string, error) {
	out, err := exec.CommandContext(ctx, "ldd", prog).Output()
	if err != nil {
		// "not a dynamic executable": a static program needs nothing.
		if bytes.Contains(out, []byte("not a dynamic")) || isStatic(prog) {
			return map[string]string{}, nil
		}
		return nil, fmt.Errorf("ldd %s: %w", prog, err)
	}
	return parseLdd(out), nil
}

func isStatic(prog string) bool { return checkStatic(prog) == nil }

// parseLdd reads ldd output: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6
// (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"; the vdso has no file.
func parseLdd(out []byte) map[string]string {
	files := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		var p string
		switch {
		case len(f) >= 3 && f[1] == "=>":
			p = f[2]
		case len(f) >= 1:
			p = f[0]
		}
		if strings.HasPrefix(p, "/") {
			files[strings.TrimPrefix(p, "/")] = p
		}
	}
	return files
}

// addPrograms adds the programs to the guest's tool folder and their
// libraries at the paths the loader expects, following symlinks on the
// host.
func addPrograms(c *CPIOWriter, progs []GuestProgram) error {
	if len(progs) == 0 {
		return nil
	}
	made := map[string]bool{}
	dir := strings.TrimPrefix(guestToolDir, "/")
	if err := mkdirs(c, dir, made); err != nil {
		return err
	}
	libs := map[string]string{}
	for _, p := range progs {
		if err := addHostFile(c, dir+"/"+p.Name, p.Host, 0o755); err != nil {
			return err
		}
		for g, h := range p.Files {
			libs[g] = h
		}
	}
	keys := make([]string, 0, len(libs))
	for g := range libs {
		keys = append(keys, g)
	}
	sort.Strings(keys)
	for _, g := range keys {
		if c.names[g] {
			continue
		}
		host, err := filepath.EvalSymlinks(libs[g])
		if err != nil {
			return err
		}
		if err := mkdirs(c, filepath.Dir(g), made); err != nil {
			return err
		}
		if err := addHostFile(c, g, host, 0o755); err != nil {
			return err
		}
	}
	return nil
}
