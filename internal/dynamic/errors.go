package dynamic

import (
	"errors"
	"fmt"
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

func encErr(path, format string, args ...any) error {
	return &PathError{Op: "encode", Path: path, Msg: fmt.Sprintf(format, args...)}
}

func decErr(path, format string, args ...any) error {
	return &PathError{Op: "decode", Path: path, Msg: fmt.Sprintf(format, args...)}
}

// atPath wraps a plain error as a PathError at path; PathErrors pass through.
func atPath(op, path string, err error) error {
	if err == nil {
		return nil
	}
	var pe *PathError
	if errors.As(err, &pe) {
		return err
	}
	return &PathError{Op: op, Path: path, Msg: err.Error()}
}

func join(path, name string) string { return path + "." + name }

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func itoa(i int) string { return fmt.Sprint(i) }
