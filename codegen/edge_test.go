package codegen

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
)

// edgeSpec is a hand-made spec at an edge of what the loader accepts (in
// the table below, without the edgeHeader lines): want
// is "" when it must be accepted (and then generate Go that type-checks,
// vets, and enforces every check its docs claim), else a piece of the
// error -check must give.
type edgeSpec struct {
	name, spec, want string
}

const edgeHeader = "name: edge\ndoc: d\nprotocol: "

// edgeOp is an op over set s sending and receiving the attributes named.
func edgeOp(attrs string) string {
	return "operations:\n  list:\n    - {name: get, doc: d, attribute-set: s, do: {request: {attributes: [" + attrs + "]}, reply: {attributes: [" + attrs + "]}}}\n"
}

func edgeSet(attrs ...string) string {
	return "attribute-sets:\n  - name: s\n    attributes:\n      - " + strings.Join(attrs, "\n      - ") + "\n"
}

var edgeSpecs = []edgeSpec{
	// Indexed arrays of every element kind.
	{"ia-u32", "genetlink-legacy\n" + edgeSet("{name: a, type: indexed-array, sub-type: u32}") + edgeOp("a"), ""},
	{"ia-u8-checked", "genetlink-legacy\n" + edgeSet("{name: a, type: indexed-array, sub-type: u8, checks: {min: 2, max: 200}}") + edgeOp("a"), ""},
	{"ia-string", "genetlink-legacy\n" + edgeSet("{name: a, type: indexed-array, sub-type: string}") + edgeOp("a"), ""},
	{"ia-raw-nest", "genetlink-legacy\n" + edgeSet("{name: a, type: indexed-array, sub-type: nest}") + edgeOp("a"), ""},
	{"ia-of-ia", "genetlink-legacy\n" + edgeSet("{name: a, type: indexed-array, sub-type: indexed-array}") + edgeOp("a"), ""},
	{"ia-binary-len", "genetlink-legacy\n" + edgeSet("{name: a, type: indexed-array, sub-type: binary, checks: {exact-len: 16}}") + edgeOp("a"), ""},
	{"ia-flag", "genetlink-legacy\n" + edgeSet("{name: a, type: indexed-array, sub-type: flag}") + edgeOp("a"), "indexed-array of flags cannot be encoded"},
	// Nest-type-value needs its set.
	{"ntv", "genetlink-legacy\n" + edgeSet("{name: a, type: nest-type-value, type-value: [id], nested-attributes: t}") +
		"  - name: t\n    attributes:\n      - {name: x, type: u32}\n" + edgeOp("a"), ""},
	{"ntv-no-set", "genetlink-legacy\n" + edgeSet("{name: a, type: nest-type-value, type-value: [id]}") + edgeOp("a"), `needs "nested-attributes"`},
	// Ids at and past the edges of the wire.
	{"attr-16383", "genetlink\n" + edgeSet("{name: a, type: u32, value: 16383}", "{name: z, type: u32, value: 0}") + edgeOp("a, z"), ""},
	{"attr-16384", "genetlink\n" + edgeSet("{name: a, type: u32, value: 16384}") + edgeOp("a"), "out of range (max 16383)"},
	{"attr-65535-next", "genetlink\n" + edgeSet("{name: a, type: u32, value: 16383}", "{name: b, type: u32}") + edgeOp("a"), "numbered 16384"},
	{"op-255", "genetlink\n" + edgeSet("{name: a, type: u32}") +
		"operations:\n  list:\n    - {name: get, doc: d, value: 255, attribute-set: s, do: {request: {attributes: [a]}, reply: {attributes: [a]}}}\n", ""},
	{"op-258", "genetlink\n" + edgeSet("{name: a, type: u32}") +
		"operations:\n  list:\n    - {name: get, doc: d, value: 258, attribute-set: s, do: {request: {attributes: [a]}}}\n", "out of range (max 255)"},
	{"op-255-next", "genetlink\n" + edgeSet("{name: a, type: u32}") +
		"operations:\n  list:\n    - {name: get, doc: d, value: 255, attribute-set: s, do: {request: {attributes: [a]}}}\n    - {name: set, doc: d, attribute-set: s, do: {request: {attributes: [a]}}}\n", "numbered 256"},
	{"raw-op-16", "netlink-raw\nprotonum: 0\n" + edgeSet("{name: a, type: u32}") +
		"operations:\n  list:\n    - {name: get, doc: d, value: 16, attribute-set: s, do: {request: {attributes: [a]}, reply: {attributes: [a]}}}\n    - {name: top, doc: d, value: 65535, attribute-set: s, do: {request: {attributes: [a]}}}\n", ""},
	{"raw-op-noop", "netlink-raw\nprotonum: 0\n" + edgeSet("{name: a, type: u32}") +
		"operations:\n  list:\n    - {name: get, doc: d, value: 1, attribute-set: s, do: {request: {attributes: [a]}}}\n", "reserved for netlink control messages"},
	// Enums and flags against their carriers.
	{"enum-narrow-carrier", "genetlink-c\ndefinitions:\n  - {name: f, type: flags, entries: [a, {name: b, value: 20}]}\n" +
		edgeSet("{name: small, type: u8, enum: f}", "{name: wide, type: u32, enum: f}") + edgeOp("small, wide"), ""},
	{"enum-as-flags-31", "genetlink-c\ndefinitions:\n  - {name: e, type: enum, entries: [a, {name: b, value: 31}]}\n" +
		edgeSet("{name: m, type: u32, enum: e, enum-as-flags: true}") + edgeOp("m"), ""},
	{"enum-negative-s8", "genetlink-c\ndefinitions:\n  - {name: e, type: enum, entries: [{name: m, value: -128}, {name: p, value: 127}]}\n" +
		edgeSet("{name: v, type: s8, enum: e}") + edgeOp("v"), ""},
	{"flags-40-on-u32", "genetlink-c\ndefinitions:\n  - {name: f, type: flags, entries: [{name: a, value: 40}]}\n" +
		edgeSet("{name: m, type: u32, enum: f}") + edgeOp("m"), "(bit 40) does not fit u32"},
	{"enum-past-u32", "genetlink-c\ndefinitions:\n  - {name: e, type: enum, entries: [{name: a, value: 5000000000}]}\n" +
		edgeSet("{name: m, type: u32, enum: e}") + edgeOp("m"), "does not fit u32"},
	{"enum-past-u32-on-u64", "genetlink-c\ndefinitions:\n  - {name: e, type: enum, entries: [{name: a, value: 5000000000}]}\n" +
		edgeSet("{name: m, type: u64, enum: e}") + edgeOp("m"), ""},
	// Checks at the edges of their types, and past them.
	{"checks-edges", "genetlink-c\ndefinitions:\n  - {name: f, type: flags, entries: [a, b]}\n" + edgeSet(
		"{name: a, type: u8, checks: {min: 1, max: 254}}",
		"{name: b, type: s16, checks: {min: s16-min, max: 100}}",
		"{name: c, type: uint, checks: {max: u64-max, min: 3}}",
		"{name: d, type: string, checks: {max-len: 65531}}",
		"{name: e, type: binary, checks: {min-len: 2, max-len: 65531}}",
		"{name: g, type: binary, checks: {exact-len: 6}}",
		"{name: h, type: u32, checks: {flags-mask: f}}",
		"{name: i, type: u16, multi-attr: true, checks: {max: 10}}",
		"{name: j, type: string, checks: {unterminated-ok: true}}") + edgeOp("a, b, c, d, e, g, h, i, j"), ""},
	{"max-300-u8", "genetlink\n" + edgeSet("{name: a, type: u8, checks: {max: 300}}") + edgeOp("a"), "max 300 does not fit u8"},
	{"max-len-u32", "genetlink\n" + edgeSet("{name: a, type: u32, checks: {max-len: 4}}") + edgeOp("a"), "max-len applies only to string and binary"},
	{"min-5e9-u32", "genetlink\n" + edgeSet("{name: a, type: u32, checks: {min: 5000000000}}") + edgeOp("a"), "min 5000000000 does not fit u32"},
	{"binary-min-len-100000", "genetlink\n" + edgeSet("{name: a, type: binary, checks: {min-len: 100000}}") + edgeOp("a"), "more than an attribute can carry"},
	{"string-max-len-2^32", "genetlink\n" + edgeSet("{name: a, type: string, checks: {max-len: 4294967296}}") + edgeOp("a"), "more than an attribute can carry"},
	{"min-on-string", "genetlink\n" + edgeSet("{name: a, type: string, checks: {min: 1}}") + edgeOp("a"), "min applies only to integer"},
	// Sub-message selectors.
	{"selector-string", "netlink-raw\nprotonum: 0\n" + edgeSet("{name: kind, type: string}", "{name: data, type: sub-message, sub-message: m, selector: kind}") +
		"  - name: t\n    attributes:\n      - {name: x, type: u32, checks: {max: 7}}\n" +
		"sub-messages:\n  - name: m\n    formats:\n      - {value: foo, attribute-set: t}\n" +
		"operations:\n  list:\n    - {name: get, doc: d, value: 16, attribute-set: s, do: {request: {attributes: [kind, data]}}}\n", ""},
	{"selector-nest", "netlink-raw\nprotonum: 0\n" + edgeSet("{name: kind, type: nest, nested-attributes: t}", "{name: data, type: sub-message, sub-message: m, selector: kind}") +
		"  - name: t\n    attributes:\n      - {name: x, type: u32}\n" +
		"sub-messages:\n  - name: m\n    formats:\n      - {value: foo, attribute-set: t}\n" +
		"operations:\n  list:\n    - {name: get, doc: d, value: 16, attribute-set: s, do: {request: {attributes: [kind, data]}}}\n", `selector "kind" is nest`},
	// Notifications.
	{"notify-cycle", "genetlink\n" + edgeSet("{name: a, type: u32}") +
		"operations:\n  list:\n    - {name: n1, doc: d, notify: n2}\n    - {name: n2, doc: d, notify: n1}\n", "forms a cycle"},
}

// edgeDir holds larger edge specs, each to be accepted: the shapes a
// hand-made corpus found worth trying (Go keywords and generated method
// names as attribute names, enums past u32 and flags at bit 63, every
// sub-message format shape, directional ids at 255, nest-type-value
// three levels deep, addresses and lengths).
const edgeDir = "../testdata/codegen/edge"

// allEdgeSpecs returns the table with the header prepended, then the
// specs of edgeDir.
func allEdgeSpecs(tb testing.TB) []edgeSpec {
	var out []edgeSpec
	for _, e := range edgeSpecs {
		out = append(out, edgeSpec{e.name, edgeHeader + e.spec, e.want})
	}
	files, _ := filepath.Glob(filepath.Join(edgeDir, "*.yaml"))
	if len(files) == 0 {
		tb.Fatal("no specs in " + edgeDir)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, edgeSpec{"edge-" + baseName(file), string(b), ""})
	}
	return out
}

// TestEdgeSpecs holds the soundness property on the edge specs: a spec
// the loader accepts generates a package that type-checks and documents
// only the checks its Validate enforces; a spec it rejects is rejected
// with a position and the rule. (TestKernelSpecsCompile vets the accepted
// ones too.)
func TestEdgeSpecs(t *testing.T) {
	for _, e := range allEdgeSpecs(t) {
		t.Run(e.name, func(t *testing.T) {
			f, err := family.Parse(e.name+".yaml", []byte(e.spec))
			if e.want != "" {
				if err == nil {
					t.Fatalf("accepted; want an error containing %q", e.want)
				}
				if !strings.Contains(err.Error(), e.want) || !strings.HasPrefix(err.Error(), e.name+".yaml:") {
					t.Fatalf("error %q; want a position and %q", err, e.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			files, err := Generate(f, Options{NoUnixTest: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := typeCheck(files); err != nil {
				t.Fatal(err)
			}
			checkDocsEnforced(t, f)
		})
	}
}

// checkDocsEnforced fails when a field's doc claims a check (at least N,
// at most N bytes long, ...) that its Validate does not make, or Validate
// makes a check of the spec's that the doc leaves out.
func checkDocsEnforced(t *testing.T, f *family.Family) {
	t.Helper()
	g := newGen(f, Options{})
	for _, gs := range g.setList {
		for _, fl := range gs.Fields {
			var docs, enforced []string
			for _, d := range checkDoc(fl.a.Checks, fl.el) {
				if !impliedByType(fl, d) {
					docs = append(docs, violation(d))
				}
			}
			for _, c := range g.fieldChecks(nil, fl, "x") {
				if !c.expr && !strings.HasPrefix(c.msg, "not an IPv") && !strings.Contains(c.msg, " does not fit ") {
					// The others are the Go type's own (an address's
					// family, a value's width), not the spec's checks.
					enforced = append(enforced, c.msg)
				}
			}
			slices.Sort(docs)
			slices.Sort(enforced)
			if !slices.Equal(docs, enforced) {
				t.Errorf("%s: %s.%s: the doc claims %q, Validate checks %q", f.FileName, gs.s.Name, fl.a.Name, docs, enforced)
			}
		}
	}
}

// impliedByType reports whether a length check a doc states always holds
// for the field's Go type: a packed struct encodes to its size, an
// address to 4 or 16 bytes.
func impliedByType(fl *goField, doc string) bool {
	var sizes []uint64
	switch fl.el.kind {
	case ekStruct:
		sizes = []uint64{uint64(fl.el.strct.d.Size)}
	case ekAddr:
		sizes = map[int][]uint64{4: {4}, 16: {16}, 0: {4, 16}}[fl.el.addrLen]
	default:
		return false
	}
	var n uint64
	var op string
	for _, form := range []string{"exactly %d bytes long", "at least %d bytes long", "at most %d bytes long"} {
		if _, err := fmt.Sscanf(doc, form, &n); err == nil {
			op = form[:7]
		}
	}
	for _, size := range sizes {
		if op == "" || op == "exactly" && size != n || op == "at leas" && size < n || op == "at most" && size > n {
			return false
		}
	}
	return true
}

// violation turns a check as a doc states it ("at least 2 bytes long")
// into what Validate says of a value that breaks it ("shorter than 2
// bytes").
func violation(doc string) string {
	cut := func(prefix, suffix string) (string, bool) {
		rest, ok := strings.CutPrefix(doc, prefix)
		if ok && strings.HasSuffix(rest, suffix) {
			return strings.TrimSuffix(rest, suffix), true
		}
		return "", false
	}
	if n, ok := cut("exactly ", " bytes long"); ok {
		return "not " + n + " bytes long"
	}
	if n, ok := cut("at least ", " bytes long"); ok {
		return "shorter than " + n + " bytes"
	}
	if n, ok := cut("at most ", " bytes long"); ok {
		return "longer than " + n + " bytes"
	}
	if n, ok := cut("bits of the ", " flags only"); ok {
		return "has bits outside the " + n + " flags"
	}
	if n, ok := cut("at least ", ""); ok {
		return "less than " + n
	}
	if n, ok := cut("at most ", ""); ok {
		return "greater than " + n
	}
	return "(unknown check) " + doc
}

// TestKernelDocsEnforced holds the same property over every kernel spec and
// every spec of testdata/codegen.
func TestKernelDocsEnforced(t *testing.T) {
	var files []string
	for _, c := range goldenCases(t) {
		files = append(files, c.spec)
	}
	for _, dir := range family.SpecPath() {
		m, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		files = append(files, m...)
	}
	for _, file := range files {
		f, err := family.Load(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		checkDocsEnforced(t, f)
	}
}
