package codegen

import (
	"fmt"
	"go/token"
	"strings"

	"github.com/ynlgo/ynl/family"
)

// Options control what Generate writes.
type Options struct {
	// Package is the Go package name; empty means the family name with its
	// separators dropped ("net-shaper" is netshaper).
	Package string
	// Command is the command line that regenerates the package, echoed in
	// every file's header (for example "ynlgen -spec ethtool -package
	// ethtool"). It must hold no machine paths.
	Command string
	// NoDescriptor leaves out zdesc.go, the embedded family descriptor.
	NoDescriptor bool
	// NoUnixTest leaves out the test that checks the generated constants
	// against golang.org/x/sys/unix.
	NoUnixTest bool
	// ImportPath is the generated package's import path. When set (and
	// the family has a client), Generate also writes the typed fake
	// package that imports it: <pkg>test/zfake.go (see FakePackage).
	ImportPath string
	// DumpNests names nest attributes every dump request carries: where a
	// dump's request has the attribute and the caller's request is nil or
	// leaves its field nil, the generated dump method sends it empty (on a
	// copy of the request). Ethtool's header is one: kernels before 6.12
	// refuse a dump without it (EINVAL), later ones list every device
	// either way. Each name must be a nest attribute of some dump's
	// request; Generate fails otherwise.
	DumpNests []string
}

// File is one generated file.
type File struct {
	Name    string
	Content []byte
}

// PackageName returns the default Go package name for a family.
func PackageName(f *family.Family) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, f.Name)
}

// ValidPackageName reports whether name can be a Go package name: an
// identifier that is not a keyword and not the blank identifier.
func ValidPackageName(name string) bool {
	return token.IsIdentifier(name) && !token.IsKeyword(name) && name != "_"
}

// Generate turns a loaded family into the files of a Go package. The
// output depends only on f and opts, byte for byte. A package name that is
// not a valid Go one (given, or derived from the family name as "9p" is)
// is an error.
func Generate(f *family.Family, opts Options) ([]File, error) {
	if opts.Package == "" {
		opts.Package = PackageName(f)
		if !ValidPackageName(opts.Package) {
			return nil, fmt.Errorf("codegen: %s: the package name %q derived from family %q is not a valid Go package name; choose one with -package", f.FileName, opts.Package, f.Name)
		}
	}
	if !ValidPackageName(opts.Package) {
		return nil, fmt.Errorf("codegen: %s: package %q is not a valid Go package name", f.FileName, opts.Package)
	}
	g := newGen(f, opts)
	if err := g.checkDumpNests(); err != nil {
		return nil, fmt.Errorf("codegen: %s: %w", f.FileName, err)
	}
	if !opts.NoDescriptor {
		d, err := f.Descriptor()
		if err != nil {
			return nil, fmt.Errorf("codegen: %s: descriptor: %w", f.FileName, err)
		}
		g.desc = d
		if opts.ImportPath != "" {
			c, err := f.CompactDescriptor()
			if err != nil {
				return nil, fmt.Errorf("codegen: %s: compact descriptor: %w", f.FileName, err)
			}
			g.compact = c
		}
	}
	emitters := []struct {
		name string
		emit func(*GeneratedFile)
	}{
		{"zfamily.go", g.emitFamily},
		{"ztypes.go", g.emitTypes},
		{"zattrs.go", g.emitAttrs},
		{"zcodec.go", g.emitCodec},
		{"zvalidate.go", g.emitValidate},
	}
	if f.Protocol.IsGenetlink() {
		emitters = append(emitters, struct {
			name string
			emit func(*GeneratedFile)
		}{"zclient.go", g.emitClient})
	} else {
		emitters = append(emitters, struct {
			name string
			emit func(*GeneratedFile)
		}{"zclient.go", g.emitRawClient})
	}
	switch {
	case g.desc != nil && opts.ImportPath != "":
		emitters = append(emitters, struct {
			name string
			emit func(*GeneratedFile)
		}{"zdesc.go", g.emitDescriptorStub})
	case g.desc != nil:
		emitters = append(emitters, struct {
			name string
			emit func(*GeneratedFile)
		}{"zdesc.go", g.emitDescriptor})
	}
	emitters = append(emitters, struct {
		name string
		emit func(*GeneratedFile)
	}{"zfuzz_test.go", g.emitFuzzTest})
	if !opts.NoUnixTest && len(g.unixChecks()) > 0 {
		emitters = append(emitters, struct {
			name string
			emit func(*GeneratedFile)
		}{"zunix_linux_test.go", g.emitUnixTest})
	}
	var files []File
	for _, e := range emitters {
		gf := NewGeneratedFile(e.name, opts.Package, g.header()...)
		e.emit(gf)
		b, err := gf.Content()
		if err != nil {
			return nil, fmt.Errorf("codegen: %s: %w", f.FileName, err)
		}
		files = append(files, File{Name: e.name, Content: b})
	}
	if opts.ImportPath != "" && g.desc != nil {
		dp := DescPackage(opts.Package)
		gf := NewGeneratedFile(dp+"/zdesc.go", dp, g.header()...)
		g.emitDescriptor(gf)
		b, err := gf.Content()
		if err != nil {
			return nil, fmt.Errorf("codegen: %s: %w", f.FileName, err)
		}
		files = append(files, File{Name: gf.Name(), Content: b})
	}
	if opts.ImportPath != "" {
		fp := FakePackage(opts.Package)
		gf := NewGeneratedFile(fp+"/zfake.go", fp, g.header()...)
		if f.Protocol.IsGenetlink() {
			g.emitFake(gf)
		} else {
			g.emitRawFake(gf)
		}
		b, err := gf.Content()
		if err != nil {
			return nil, fmt.Errorf("codegen: %s: %w", f.FileName, err)
		}
		files = append(files, File{Name: gf.Name(), Content: b})
	}
	return files, nil
}

func (g *gen) header() []string {
	h := []string{fmt.Sprintf("Code generated by ynlgen from %s. DO NOT EDIT.", g.f.FileName)}
	if g.opts.Command != "" {
		h = append(h, g.opts.Command)
	}
	return h
}
