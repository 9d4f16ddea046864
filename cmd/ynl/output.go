package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/genl"
)

// printer writes values as compact JSON lines (--output-json) or indented
// JSON with short lists of scalars kept on one line.
type printer struct {
	w    io.Writer
	json bool
	ew   io.Writer // standard error; nil: the process's
}

// errw is where warnings go.
func (p *printer) errw() io.Writer {
	if p.ew != nil {
		return p.ew
	}
	return os.Stderr
}

// print writes one value.
func (p *printer) print(v any) error {
	if p.json {
		out, err := dynamic.AppendJSON(nil, v, dynamic.PythonJSON)
		if err != nil {
			return err
		}
		_, err = p.w.Write(append(out, '\n'))
		return err
	}
	// Room for a reply or a small dump, so the buffer does not start
	// tiny and get copied at each doubling.
	out, err := dynamic.AppendJSON(make([]byte, 0, 4<<10), v, dynamic.JSONFormat{})
	if err != nil {
		return err
	}
	_, err = p.w.Write(append(indentJSON(out), '\n'))
	return err
}

// raw writes text as the Python tool's print() does, with a newline.
func (p *printer) raw(text string) {
	fmt.Fprintln(p.w, text)
}

// formatKernelError renders a kernel error the way the Python tool does,
// with the offending and missing attributes named on their own lines.
func formatKernelError(e *genl.Error) string {
	var b strings.Builder
	b.WriteString("Netlink error: ")
	if e.Message != "" {
		b.WriteString(e.Message)
		b.WriteString(": ")
	}
	b.WriteString(strerror(e))
	b.WriteByte('\n')
	switch {
	case e.HeaderField != "": // classic netlink: inside the fixed header
		fmt.Fprintf(&b, "bad header field: %s\n", e.HeaderField)
	case e.AttrPath != "":
		fmt.Fprintf(&b, "bad attribute: %s\n", e.AttrPath)
	case e.Offset >= 0:
		fmt.Fprintf(&b, "bad attribute at offset %d\n", e.Offset)
	}
	if e.MissingPath != "" {
		fmt.Fprintf(&b, "missing attribute: %s\n", e.MissingPath)
	}
	if e.Policy != nil {
		fmt.Fprintf(&b, "policy: %s\n", policyText(e.Policy))
	}
	return b.String()
}

// strerror is the C library's text for the error number: Go's, capitalised.
func strerror(e *genl.Error) string {
	if e.Errno == 0 {
		return "Success"
	}
	s := e.Errno.Error()
	if s == "" || strings.HasPrefix(s, "errno ") {
		return "Unknown error " + strconv.Itoa(int(e.Errno))
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// printVersion prints the module version the binary was built from.
func printVersion(p *printer) error {
	v, goV := "(devel)", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		goV = bi.GoVersion
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && v == "(devel)" && len(s.Value) >= 12 {
				v = "(devel " + s.Value[:12] + ")"
			}
		}
	}
	_, err := fmt.Fprintf(p.w, "ynl %s %s\n", v, goV)
	return err
}

// policyText renders the policy the kernel quoted for the offending
// attribute: "u32, max-value 1".
func policyText(ap *genl.AttrPolicy) string {
	parts := []string{ap.Type.String()}
	add := func(name string, v any) { parts = append(parts, fmt.Sprintf("%s %v", name, v)) }
	if ap.MinValue != nil {
		add("min-value", *ap.MinValue)
	}
	if ap.MaxValue != nil {
		add("max-value", *ap.MaxValue)
	}
	if ap.MinUValue != nil {
		add("min-value", *ap.MinUValue)
	}
	if ap.MaxUValue != nil {
		add("max-value", *ap.MaxUValue)
	}
	if ap.MinLength != nil {
		add("min-length", *ap.MinLength)
	}
	if ap.MaxLength != nil {
		add("max-length", *ap.MaxLength)
	}
	if ap.Mask != nil {
		add("mask", fmt.Sprintf("0x%x", *ap.Mask))
	}
	if ap.Bitfield32Mask != nil {
		add("bitfield32-mask", fmt.Sprintf("0x%x", *ap.Bitfield32Mask))
	}
	return strings.Join(parts, ", ")
}
