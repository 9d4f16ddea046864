package family

import (
	"fmt"
	"sort"
	"strings"
)

// String formats the position as FILE:LINE:COL, dropping the parts that are
// unknown.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is one problem in a spec: where it is (file, line and column), the
// spec path of the offending element (attribute-sets[main].attributes[stats])
// and what is wrong with it.
type Error struct {
	Pos  Pos
	Path string
	Msg  string
}

// Error formats the problem as FILE:LINE:COL: PATH: MSG.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every error found in a spec and its overlays, sorted by file,
// line and column.
type ErrorList []*Error

// Error returns the errors one per line.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns the errors so errors.As can find an *Error.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// sort orders the list by file, line, column, then message, and drops
// repeats of one problem at one position.
func (l ErrorList) sort() ErrorList {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		if a.Msg != b.Msg {
			return a.Msg < b.Msg
		}
		return a.Path < b.Path
	})
	out := l[:0]
	for i, e := range l {
		// The same problem at the same place is reported once, under the
		// first path: a subset attribute inherits its parent's keys, and
		// an aliased node appears at every use.
		if i > 0 && e.Pos == l[i-1].Pos && e.Msg == l[i-1].Msg {
			continue
		}
		out = append(out, e)
	}
	return out
}

// errs collects errors while a spec is parsed, merged and resolved.
type errs struct {
	list ErrorList
}

// add records an error at node n (or its nearest known position).
func (e *errs) add(n *node, path, format string, args ...any) {
	var p Pos
	if n != nil {
		p = n.pos
	}
	e.list = append(e.list, &Error{Pos: p, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// err returns the sorted list, or nil when there is none.
func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	return e.list.sort()
}
