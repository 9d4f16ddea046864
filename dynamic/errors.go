package dynamic

import (
	"errors"
	"fmt"
	"strings"
)

// PathError is an error tied to a place in a value: Path is the JSON path
// (".header.dev-index", ".entries[2].name") of the offending value, or "" for
// the whole value.
type PathError struct {
	// Op is "encode", "decode" or "check" (a spec check failed).
	Op   string
	Path string
	Msg  string
}

// Error renders the error as "encode .header.dev-index: value 5000000000 out
// of range for u32".
func (e *PathError) Error() string {
	if e.Path == "" {
		return e.Op + ": " + e.Msg
	}
	return e.Op + " " + e.Path + ": " + e.Msg
}

func encErr(path *pathNode, format string, args ...any) error {
	return &PathError{Op: "encode", Path: path.String(), Msg: fmt.Sprintf(format, args...)}
}

func decErr(path *pathNode, format string, args ...any) error {
	return &PathError{Op: "decode", Path: path.String(), Msg: fmt.Sprintf(format, args...)}
}

// atPath wraps a plain error as a PathError at path; PathErrors pass through.
func atPath(op string, path *pathNode, err error) error {
	if err == nil {
		return nil
	}
	var pe *PathError
	if errors.As(err, &pe) {
		return err
	}
	return &PathError{Op: op, Path: path.String(), Msg: err.Error()}
}

// pathNode is one step of a JSON path (".header.dev-index", "[2]"), linked
// to its parent, outermost first when rendered. A nil *pathNode is the
// whole value. Paths are built as chains and rendered only when an error
// needs them, so descending n levels costs O(n), not O(n²).
type pathNode struct {
	parent *pathNode
	name   string // attribute or member name; "" for a list index
	idx    int
}

func join(path *pathNode, name string) *pathNode { return &pathNode{parent: path, name: name} }

func index(path *pathNode, i int) *pathNode { return &pathNode{parent: path, idx: i} }

// String renders the path: ".entries[2].name", "" for the whole value.
func (p *pathNode) String() string {
	var steps []*pathNode
	for ; p != nil; p = p.parent {
		steps = append(steps, p)
	}
	var b strings.Builder
	for i := len(steps) - 1; i >= 0; i-- {
		if s := steps[i]; s.name != "" {
			b.WriteByte('.')
			b.WriteString(s.name)
		} else {
			fmt.Fprintf(&b, "[%d]", s.idx)
		}
	}
	return b.String()
}

func itoa(i int) string { return fmt.Sprint(i) }
