// Package lazyre holds regular expressions compiled on first use, so that a
// package's regular expressions cost nothing at program start: a
// package-level regexp.MustCompile runs in the package's init, in every
// process that links it, whether or not the expression is ever used.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled the first time it is used. Its
// zero value is not usable: declare it as &Regexp{Expr: `...`}, which the
// compiler lays out statically, with no code at init.
type Regexp struct {
	Expr string

	once sync.Once
	re   *regexp.Regexp
}

// RE returns the compiled expression; it panics if Expr does not compile,
// as regexp.MustCompile does.
func (r *Regexp) RE() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.Expr) })
	return r.re
}

// String returns the expression's source.
func (r *Regexp) String() string { return r.Expr }
