package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/internal/drift"
)

// checkKernel compares the spec with the running kernel (drift.Diff):
// the ops each has that the other lacks, their do/dump modes, and per op
// the request attributes, their types, ranges and lengths against the
// kernel's policy. Lines starting "-" are in the spec only, "+" in the
// kernel only, "~" differ. It returns errDifferences (exit 1) when it found any.
func checkKernel(ctx context.Context, w io.Writer, f *family.Family) error {
	if !f.Protocol.IsGenetlink() {
		return usagef("--check-kernel needs a generic netlink family; %s is %s", f.Name, f.Protocol)
	}
	conn, err := genl.Dial(ctx, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	kf, lines, err := drift.Kernel(ctx, conn, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "family %s: %s, kernel id %d version %d\n", f.Name, specLabel(f), kf.ID, kf.Version)
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	if len(lines) == 1 {
		fmt.Fprintln(w, "1 difference")
	} else {
		fmt.Fprintf(w, "%d differences\n", len(lines))
	}
	if len(lines) > 0 {
		// Scripts (and CI) check the exit status, like diff's.
		return errDifferences
	}
	return nil
}

// errDifferences makes --check-kernel exit 1 when it reported differences;
// the report itself is the message, so nothing more is printed.
var errDifferences = &silentError{code: exitKernel}

// silentError ends the command with an exit status and no message.
type silentError struct{ code int }

func (e *silentError) Error() string { return "exit " + itoa(e.code) }

func itoa(i int) string { return strconv.Itoa(i) }

func limitText(l *family.Limit) string {
	if l.Neg {
		return "-" + strconv.FormatUint(l.Abs, 10)
	}
	return strconv.FormatUint(l.Abs, 10)
}
