// Command update rewrites internal/drift's expectation files from saved VM
// lab logs: TestLiveDrift prints each changed file between markers.
//
//	go run ./internal/vmlab -kernel 7.2,6.12,6.1 -run TestLiveDrift ./internal/drift | tee lab.log
//	go run ./internal/drift/update lab.log
//
// It writes each file it finds under internal/drift (the current folder
// must be the module's root) and names it.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ynlgo/ynl/internal/drift"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/drift/update LOG...")
		os.Exit(2)
	}
	n := 0
	for _, log := range os.Args[1:] {
		if err := update(log, &n); err != nil {
			fmt.Fprintln(os.Stderr, "update:", err)
			os.Exit(1)
		}
	}
	if n == 0 {
		fmt.Println("update: no drift files in the logs (no differences)")
	}
}

func update(log string, n *int) error {
	f, err := os.Open(log)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var name string
	var b strings.Builder
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimRight(sc.Text(), "\r")
		switch {
		case name == "" && strings.HasPrefix(l, drift.BeginMarker+" "):
			name = strings.TrimPrefix(l, drift.BeginMarker+" ")
			if filepath.Dir(name) != "testdata" || filepath.Ext(name) != ".txt" {
				return fmt.Errorf("%s:%d: drift file %q is not testdata/*.txt", log, line, name)
			}
			b.Reset()
		case name != "" && l == drift.EndMarker:
			if _, err := drift.Parse(b.String()); err != nil {
				return fmt.Errorf("%s: %s: %v", log, name, err)
			}
			path := filepath.Join("internal", "drift", name)
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				return err
			}
			fmt.Println("update: wrote", path)
			*n++
			name = ""
		case name != "":
			b.WriteString(l + "\n")
		}
	}
	if name != "" {
		return fmt.Errorf("%s: %s has no end marker", log, name)
	}
	return sc.Err()
}
