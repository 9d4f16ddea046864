package genl

import (
	"encoding/binary"
	"errors"
	"os"
	"syscall"
	"testing"
)

// ackBytes builds an NLMSG_ERROR payload: errno, the echoed request header
// (and payload unless capped), then the extended ACK attributes.
func ackBytes(errno syscall.Errno, req []byte, capped bool, tlvs []byte) nlMsg {
	data := binary.NativeEndian.AppendUint32(nil, uint32(-int32(errno)))
	var flags uint16
	if capped {
		data = append(data, req[:nlmsgHdrLen]...)
		flags |= nlmFCapped
	} else {
		data = append(data, req...)
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
	}
	if tlvs != nil {
		flags |= nlmFAckTLVs
		data = append(data, tlvs...)
	}
	return nlMsg{typ: nlmsgError, flags: flags, data: data}
}

// testRequest is a request with a 4-byte fixed header and attributes
// .1 (u32) and .2 {.1 (u32), .3 {.4 (string)}}.
func testRequest() (*Request, []byte) {
	var e Encoder
	e.Uint32(1, 9)       // offset 0
	n := e.Nest(2)       // offset 8
	e.Uint32(1, 5)       // offset 12
	n3 := e.Nest(3)      // offset 20
	e.String(4, "hello") // offset 24
	e.End(n3)
	e.End(n)
	req := &Request{Family: "fam", Command: 3, Header: []byte{1, 2, 3, 4}, Attrs: e.Bytes()}
	b := make([]byte, nlmsgHdrLen+genlHdrLen+4, 64)
	binary.NativeEndian.PutUint32(b, uint32(len(b)+len(req.Attrs)))
	return req, append(b, req.Attrs...)
}

var testNames = &NameTable{
	Names:  []string{1: "id", 2: "info"},
	Nested: []*NameTable{2: {Names: []string{1: "index", 3: "more"}, Nested: []*NameTable{3: {Names: []string{4: "label"}}}}},
}

func TestParseAckAndPaths(t *testing.T) {
	req, raw := testRequest()
	base := nlmsgHdrLen + genlHdrLen + 4
	for _, capped := range []bool{true, false} {
		var e Encoder
		e.String(nlmsgerrAttrMsg, "bad label")
		e.Uint32(nlmsgerrAttrOffs, uint32(base+24))
		e.Binary(nlmsgerrAttrCookie, []byte{0xca, 0xfe})
		e.Uint32(nlmsgerrAttrMissType, 4)
		e.Uint32(nlmsgerrAttrMissNest, uint32(base+8))
		p := e.Nest(nlmsgerrAttrPolicy)
		e.Uint32(1, uint32(PolicyNulString)) // NL_POLICY_TYPE_ATTR_TYPE
		e.End(p)
		a, err := parseAck(ackBytes(syscall.EINVAL, raw, capped, e.Bytes()), false)
		if err != nil {
			t.Fatal(err)
		}
		req.OpName = "thing-set"
		req.Names = testNames
		ge := newError("fam", req, &a)
		if ge.Errno != syscall.EINVAL || ge.Message != "bad label" || ge.Offset != 24 ||
			ge.AttrPath != ".info.more.label" || ge.MissingType != 4 || ge.MissingNest != 8 ||
			ge.MissingPath != ".info.4" || string(ge.Cookie) != "\xca\xfe" ||
			ge.Policy == nil || ge.Policy.Type != PolicyNulString {
			t.Errorf("capped %v: got %+v", capped, ge)
		}
		want := "fam thing-set: invalid argument: bad label (bad attribute: .info.more.label) (missing attribute: .info.4)"
		if ge.Error() != want {
			t.Errorf("Error() = %q\nwant %q", ge.Error(), want)
		}
		if !errors.Is(ge, syscall.EINVAL) {
			t.Error("errors.Is(EINVAL) fails")
		}
	}
}

func TestAttrPath(t *testing.T) {
	req, _ := testRequest()
	for _, tc := range []struct {
		off   int
		names AttrNamer
		want  string
	}{
		{0, nil, ".1"},
		{0, testNames, ".id"},
		{4, testNames, ".id+0"},        // the payload of a scalar
		{6, testNames, ".id+2"},        // inside it
		{2, testNames, ".id"},          // inside the header
		{8, testNames, ".info"},        // a nest
		{12, testNames, ".info.index"}, // first in the nest
		{12, nil, ".2.1"},
		{24, nil, ".2.3.4"},
		{26, nil, ".2.3.4"}, // inside .2.3.4's header
		{30, testNames, ".info.more.label+2"},
		{len(req.Attrs), testNames, ""}, // past the end
		// A namer that does not know a type falls back to its number.
		{0, &NameTable{}, ".1"},
	} {
		got, _ := attrPath(req.Attrs, tc.off, tc.names)
		if got != tc.want {
			t.Errorf("attrPath(%d) = %q, want %q", tc.off, got, tc.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		e    *Error
		want string
	}{
		{&Error{Family: "ethtool", Op: "linkinfo-get", Errno: syscall.ENODEV, Message: "no device matches name", Offset: 4, AttrPath: ".header.dev-name"},
			"ethtool linkinfo-get: no such device: no device matches name (bad attribute: .header.dev-name)"},
		{&Error{Family: "ethtool", Op: "cmd 2", Errno: syscall.ENODEV, Offset: -1},
			"ethtool cmd 2: no such device"},
		{&Error{Family: "x", Op: "y", Errno: syscall.EINVAL, Offset: 12},
			"x y: invalid argument (bad attribute at offset 12)"},
		{&Error{Family: "x", Op: "y", Message: "deprecated", Offset: -1},
			"x y: warning: deprecated"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	if (&Error{}).Unwrap() != nil {
		t.Error("a warning unwraps to an errno")
	}
}

func TestSentinels(t *testing.T) {
	if !errors.Is(ErrOverrun, syscall.ENOBUFS) {
		t.Error("ErrOverrun does not match ENOBUFS")
	}
	if !errors.Is(&dumpIntrError{"f", "op"}, ErrDumpInterrupted) {
		t.Error("dumpIntrError does not match ErrDumpInterrupted")
	}
	nf := &notFoundError{name: "xyz"}
	if !errors.Is(nf, os.ErrNotExist) || nf.Error() != `genl: family "xyz" not found (is its kernel module loaded?)` {
		t.Errorf("not found: %v", nf)
	}
	u := &unsupportedOpError{family: "ethtool", cmd: 42, op: "foo"}
	if !errors.Is(u, errors.ErrUnsupported) || u.Error() != `genl: ethtool: kernel does not support command 42 (op "foo")` {
		t.Errorf("unsupported: %v", u)
	}
}

func TestParseAckMalformed(t *testing.T) {
	_, raw := testRequest()
	for name, m := range map[string]nlMsg{
		"empty":            {typ: nlmsgError},
		"short header":     {typ: nlmsgError, flags: nlmFAckTLVs, data: make([]byte, 8)},
		"echo too long":    {typ: nlmsgError, flags: nlmFAckTLVs, data: append(make([]byte, 4), 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)},
		"bad tlv":          ackBytes(syscall.EINVAL, raw, true, []byte{200, 0, 1, 0}),
		"bad offset value": ackBytes(syscall.EINVAL, raw, true, []byte{6, 0, 2, 0, 1, 0, 0, 0}),
	} {
		if _, err := parseAck(m, false); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// FuzzAck feeds arbitrary ACKs and requests to the parser and the path
// renderer: errors, never panics.
func FuzzAck(f *testing.F) {
	req, raw := testRequest()
	var e Encoder
	e.Uint32(nlmsgerrAttrOffs, 44)
	e.Uint32(nlmsgerrAttrMissNest, 28)
	e.Uint32(nlmsgerrAttrMissType, 1)
	f.Add(ackBytes(syscall.EINVAL, raw, true, e.Bytes()).data, req.Attrs, uint16(nlmFCapped|nlmFAckTLVs))
	f.Add(ackBytes(syscall.EINVAL, raw, false, e.Bytes()).data, req.Attrs, uint16(nlmFAckTLVs))
	f.Fuzz(func(t *testing.T, data, attrs []byte, flags uint16) {
		a, err := parseAck(nlMsg{typ: nlmsgError, flags: flags, data: data}, false)
		if err != nil {
			return
		}
		ge := newError("f", &Request{Attrs: attrs, Names: testNames}, &a)
		_ = ge.Error()
		_, _ = parseAck(nlMsg{typ: nlmsgDone, flags: flags, data: data}, true)
	})
}

// TestParseAckPositiveCode: the kernel acknowledges with what a doit
// returned, and mac80211_hwsim's new-radio returns the radio's index, so a
// positive code is success.
func TestParseAckPositiveCode(t *testing.T) {
	a, err := parseAck(nlMsg{typ: nlmsgError, flags: nlmFCapped, data: binary.NativeEndian.AppendUint32(make([]byte, 0, 20), 5)}, false)
	if err != nil || a.errno != 0 {
		t.Fatalf("got %+v, %v; want success", a, err)
	}
}
