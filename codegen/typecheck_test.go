package codegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
)

// exportData maps the import paths generated code may use (genl, genltest
// and the standard library packages they and the generated code import) to
// their compiled export data, built once per process with go list -export.
var exportData = sync.OnceValues(func() (map[string]string, error) {
	cmd := exec.Command("go", "list", "-export", "-deps", "-json=ImportPath,Export",
		"github.com/ynlgo/ynl/genl", "github.com/ynlgo/ynl/genl/genltest",
		"context", "errors", "fmt", "iter", "math", "net/netip", "strconv", "strings", "testing", "unsafe")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -export: %v\n%s", err, stderr.Bytes())
	}
	m := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct{ ImportPath, Export string }
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if p.Export != "" {
			m[p.ImportPath] = p.Export
		}
	}
	return m, nil
})

// typeCheck type-checks a generated package (its test files included, but
// not the x/sys/unix drift test, nor the typed fake package of another
// folder) as the compiler would, with the importer
// reading genl's and the standard library's export data.
func typeCheck(files []File) error {
	exports, err := exportData()
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	var asts []*ast.File
	for _, f := range files {
		if strings.HasPrefix(f.Name, "zunix") || strings.Contains(f.Name, "/") {
			continue
		}
		af, err := parser.ParseFile(fset, f.Name, f.Content, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		asts = append(asts, af)
	}
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("generated code imports %q, which it may not", path)
		}
		return os.Open(file)
	})
	var errs []string
	conf := types.Config{Importer: imp, Error: func(err error) {
		if len(errs) < 10 {
			errs = append(errs, err.Error())
		}
	}}
	conf.Check("generated", fset, asts, nil)
	if len(errs) > 0 {
		return fmt.Errorf("generated package does not type-check:\n%s", strings.Join(errs, "\n"))
	}
	return nil
}
