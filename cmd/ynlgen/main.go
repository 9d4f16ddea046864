// Command ynlgen generates a typed Go package for a generic netlink family
// from its YNL spec, or checks specs for errors.
//
// Usage:
//
//	ynlgen -spec FILE|NAME [-overlay FILE]... [-package NAME] [-o DIR] [-no-unix-test] [-no-fake] [-dump-nest ATTR]...
//	ynlgen -check [-overlay FILE]... FILE...
//
// The usual way to run it is a go:generate line in the package's folder:
//
//	//go:generate go tool ynlgen -spec my-family.yaml -package myfamily
//
// after `go get -tool github.com/ynlgo/ynl/cmd/ynlgen` has added the tool to
// the module's go.mod.
//
// Flags:
//
//	-spec FILE|NAME  the spec: a file, or a family name ("ethtool",
//	                 "net-shaper") looked up in the folders of YNL_SPEC_PATH
//	                 (colon-separated; default /usr/share/ynl/specs)
//	-overlay FILE    an overlay merged over the spec; repeat for several,
//	                 applied in order
//	-package NAME    the Go package name (default: the family name without
//	                 separators, "net-shaper" is netshaper); a NAME that is
//	                 not a valid Go package name ("my-pkg", "type") is a
//	                 bad flag (exit 2), and a family name that derives no
//	                 valid one ("9p") fails asking for -package (exit 1)
//	-o DIR           the folder to write to (default "."); z*.go files an
//	                 earlier run wrote and this one did not are removed
//	-no-unix-test    leave out zunix_linux_test.go, the test comparing the
//	                 constants with golang.org/x/sys/unix (for modules that
//	                 do not depend on x/sys)
//	-no-fake         leave out the typed fake package NAMEtest (NAMEtest/zfake.go:
//	                 a fake kernel serving the family for unit tests, with a
//	                 typed handler per op); it is written only when the output
//	                 folder is inside a Go module, whose go.mod gives the
//	                 package's import path
//	-dump-nest ATTR  every dump request carries the nest attribute ATTR,
//	                 sent empty where the caller's request leaves it out
//	                 (repeatable; ethtool's "header", which kernels before
//	                 6.12 require); an ATTR that no dump request has as a
//	                 nest fails (exit 1)
//	-check           check the spec FILEs given as arguments instead: print
//	                 every error as FILE:LINE:COL: path: message, one per
//	                 line, to stderr; exit 1 if there are any
//
// Generated files are named z*.go and start with a "Code generated ... DO
// NOT EDIT." line and the ynlgen command that regenerates them. Output is
// byte-identical from run to run. ynlgen exits 2 on bad flags.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ynlgo/ynl/codegen"
	"github.com/ynlgo/ynl/family"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func main() {
	var overlays listFlag
	spec := flag.String("spec", "", "spec file or family name")
	flag.Var(&overlays, "overlay", "overlay file (repeatable)")
	pkg := flag.String("package", "", "Go package name")
	out := flag.String("o", ".", "output folder")
	noUnix := flag.Bool("no-unix-test", false, "leave out the x/sys/unix drift test")
	noFake := flag.Bool("no-fake", false, "leave out the typed fake package NAMEtest")
	var dumpNests listFlag
	flag.Var(&dumpNests, "dump-nest", "nest attribute every dump request carries, empty if the caller leaves it out (repeatable)")
	check := flag.Bool("check", false, "check the spec files given as arguments")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: ynlgen -spec FILE|NAME [-overlay FILE]... [-package NAME] [-o DIR] [-no-unix-test] [-no-fake] [-dump-nest ATTR]...\n       ynlgen -check [-overlay FILE]... FILE...")
		flag.PrintDefaults()
	}
	flag.Parse()
	switch {
	case *check && flag.NArg() > 0 && *spec == "":
		os.Exit(checkSpecs(flag.Args(), overlays))
	case !*check && *spec != "" && flag.NArg() == 0:
		if *pkg != "" && !codegen.ValidPackageName(*pkg) {
			fmt.Fprintf(os.Stderr, "ynlgen: -package %q is not a valid Go package name\n", *pkg)
			os.Exit(2)
		}
		if err := generate(*spec, overlays, *pkg, *out, !*noUnix, !*noFake, dumpNests); err != nil {
			fmt.Fprintln(os.Stderr, "ynlgen:", err)
			os.Exit(1)
		}
	default:
		flag.Usage()
		os.Exit(2)
	}
}

func generate(spec string, overlays []string, pkg, out string, unixTest, fake bool, dumpNests []string) error {
	path := spec
	if _, err := os.Stat(spec); err != nil {
		if path, err = family.Find(spec); err != nil {
			return err
		}
	}
	f, err := family.Load(path, overlays...)
	if err != nil {
		return err
	}
	if pkg == "" && !codegen.ValidPackageName(codegen.PackageName(f)) {
		return fmt.Errorf("family %q gives the package name %q, which is not a valid Go package name: choose one with -package", f.Name, codegen.PackageName(f))
	}
	opts := codegen.Options{Package: pkg, Command: command(), NoUnixTest: !unixTest, DumpNests: dumpNests}
	if fake {
		if opts.ImportPath, err = importPath(out); err != nil {
			return err
		}
	}
	files, err := codegen.Generate(f, opts)
	if err != nil {
		return err
	}
	return codegen.WriteFiles(out, files)
}

// importPath returns the import path of the package in folder dir, from
// the module path of the nearest go.mod above it, or "" outside a module.
func importPath(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			mod := modulePath(b)
			if mod == "" {
				return "", fmt.Errorf("%s: no module line", filepath.Join(d, "go.mod"))
			}
			rel, err := filepath.Rel(d, abs)
			if err != nil || rel == "." {
				return mod, err
			}
			return mod + "/" + filepath.ToSlash(rel), nil
		}
		if filepath.Dir(d) == d {
			return "", nil
		}
	}
}

// modulePath returns the path of go.mod's module line.
func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		f := strings.Fields(strings.TrimSpace(line))
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// command echoes the command line for the generated files' headers as it
// is run from the package's folder: without -o, and with absolute paths cut
// to their base names so no machine path is recorded.
func command() string {
	args := []string{"ynlgen"}
	in := os.Args[1:]
	for i := 0; i < len(in); i++ {
		a := in[i]
		switch {
		case a == "-o" || a == "--o":
			i++
			continue
		case strings.HasPrefix(a, "-o=") || strings.HasPrefix(a, "--o="):
			continue
		case filepath.IsAbs(a):
			a = filepath.Base(a)
		}
		args = append(args, a)
	}
	return strings.Join(args, " ")
}

func checkSpecs(files, overlays []string) int {
	code := 0
	for _, file := range files {
		if _, err := family.Load(file, overlays...); err != nil {
			fmt.Fprintln(os.Stderr, err) // an ErrorList prints one error per line
			code = 1
		}
	}
	return code
}
