package codegen

import (
	"fmt"

	"github.com/ynlgo/ynl/family"
)

// elemKind is the Go form of one attribute value.
type elemKind int

const (
	ekScalar   elemKind = iota // fixed or variable width integer, maybe typed
	ekString                   // string
	ekBytes                    // []byte (binary, sub-message)
	ekMAC                      // net.HardwareAddr
	ekAddr                     // netip.Addr
	ekUUID                     // [16]byte
	ekBitfield                 // Bitfield32
	ekStruct                   // a generated packed struct
	ekNest                     // a generated attribute-set struct
	ekFlag                     // bool
	ekSubMsg                   // a generated sub-message type
)

// elem is one attribute value's Go form and wire form.
type elem struct {
	kind    elemKind
	t       family.AttrType // wire type of a scalar
	be      bool            // big-endian scalar
	enum    *goDef          // enum or flags type of a scalar
	strct   *goDef
	set     *goSet
	sub     *goSubMsg
	addrLen int // 4, 16, or 0 for either
}

// genlPath is the import path of the runtime generated code calls.
const (
	genlPath     = "github.com/ynlgo/ynl/genl"
	genltestPath = "github.com/ynlgo/ynl/genl/genltest"
)

// genlQ returns the qualified name of an identifier of package genl.
func genlQ(f *GeneratedFile, name string) string {
	return f.Q(GoIdent{genlPath, name})
}

var (
	identNetipAddr = GoIdent{"net/netip", "Addr"}
	identHWAddr    = GoIdent{"net", "HardwareAddr"}
)

// baseType is the Go integer type of a scalar wire type.
func baseType(t family.AttrType) string {
	switch t {
	case family.TypeU8:
		return "uint8"
	case family.TypeU16:
		return "uint16"
	case family.TypeU32:
		return "uint32"
	case family.TypeU64, family.TypeUint:
		return "uint64"
	case family.TypeS8:
		return "int8"
	case family.TypeS16:
		return "int16"
	case family.TypeS32:
		return "int32"
	case family.TypeS64, family.TypeSint:
		return "int64"
	}
	return "uint32"
}

// codecName is the genl.Walker getter and genl.Encoder method of a scalar.
func codecName(t family.AttrType, be bool) string {
	n := map[family.AttrType]string{
		family.TypeU8: "Uint8", family.TypeU16: "Uint16", family.TypeU32: "Uint32",
		family.TypeU64: "Uint64", family.TypeS8: "Int8", family.TypeS16: "Int16",
		family.TypeS32: "Int32", family.TypeS64: "Int64", family.TypeUint: "Uint",
		family.TypeSint: "Int",
	}[t]
	if be && t.Width() > 1 {
		n += "BE"
	}
	return n
}

// goType is the Go type of the element.
func (el elem) goType(f *GeneratedFile) string {
	switch el.kind {
	case ekScalar:
		if el.enum != nil {
			return el.enum.Name
		}
		return baseType(el.t)
	case ekString:
		return "string"
	case ekMAC:
		return f.Q(identHWAddr)
	case ekAddr:
		return f.Q(identNetipAddr)
	case ekUUID:
		return "[16]byte"
	case ekBitfield:
		return "Bitfield32"
	case ekStruct:
		return el.strct.Name
	case ekNest:
		return el.set.Name
	case ekFlag:
		return "bool"
	case ekSubMsg:
		return el.sub.Name
	}
	return "[]byte"
}

// byRef reports whether the element is a struct handled through a pointer.
func (el elem) byRef() bool { return el.kind == ekStruct || el.kind == ekNest || el.kind == ekSubMsg }

// encode returns the statements that append value v (an addressable
// expression for byRef elements) as an attribute of type typ to e.
func (el elem) encode(f *GeneratedFile, typ, v string) []string {
	switch el.kind {
	case ekScalar:
		m := codecName(el.t, el.be)
		if el.enum == nil {
			return []string{fmt.Sprintf("e.%s(%s, %s)", m, typ, v)}
		}
		put := fmt.Sprintf("e.%s(%s, %s(%s))", m, typ, wireArg(el.t), v)
		if hi := el.overflow(); hi != "" {
			// The enum's Go type is wider than the wire: report a value
			// that does not fit rather than truncate it.
			return []string{"if " + v + " > " + hi + " {",
				fmt.Sprintf("e.Fail(%s, notFit(uint64(%s), %q))", typ, v, el.t),
				"} else {", put, "}"}
		}
		return []string{put}
	case ekString:
		return []string{fmt.Sprintf("e.String(%s, %s)", typ, v)}
	case ekMAC, ekBytes:
		return []string{fmt.Sprintf("e.Binary(%s, %s)", typ, v)}
	case ekAddr:
		return []string{fmt.Sprintf("encodeAddr(e, %s, %s)", typ, v)}
	case ekUUID:
		return []string{fmt.Sprintf("e.Binary(%s, %s[:])", typ, v)}
	case ekBitfield:
		return []string{fmt.Sprintf("e.Bitfield32(%s, %s.Value, %s.Selector)", typ, v, v)}
	case ekStruct, ekSubMsg:
		return []string{fmt.Sprintf("%s.encodeAttr(e, %s)", v, typ)}
	case ekNest:
		return []string{
			fmt.Sprintf("n := e.Nest(%s)", typ),
			fmt.Sprintf("%s.Encode(e)", v),
			"e.End(n)",
		}
	case ekFlag:
		return []string{fmt.Sprintf("e.Flag(%s)", typ)}
	}
	panic("codegen: unknown element kind")
}

// overflow returns the largest value of an enum or flags element's wire
// type as a literal when the Go type holds larger ones (every enum is a
// uint32, a u8 attribute holds 255 at most), else "".
func (el elem) overflow() string {
	if el.kind != ekScalar || el.enum == nil {
		return ""
	}
	_, wire := typeRange(wireArg(el.t))
	if _, goHi := typeRange(el.enum.Under); goHi.Cmp(wire) <= 0 {
		return ""
	}
	return "0x" + wire.Text(16)
}

// wireArg is the argument type of the Encoder method of a scalar.
func wireArg(t family.AttrType) string {
	switch t {
	case family.TypeUint:
		return "uint64"
	case family.TypeSint:
		return "int64"
	}
	return baseType(t)
}

// decodeExpr returns an expression reading a value element from walker w.
// It is "" for byRef elements, which decode with decodeInto.
func (el elem) decodeExpr(f *GeneratedFile, w string) string {
	switch el.kind {
	case ekScalar:
		x := fmt.Sprintf("%s.%s()", w, codecName(el.t, el.be))
		if el.enum != nil || el.t == family.TypeUint || el.t == family.TypeSint {
			return el.goType(f) + "(" + x + ")"
		}
		return x
	case ekString:
		return w + ".String()"
	case ekBytes:
		return w + ".CopyBytes()"
	case ekMAC:
		return f.Q(identHWAddr) + "(" + w + ".CopyBytes())"
	case ekAddr:
		return fmt.Sprintf("decodeAddr(&%s, %d)", w, el.addrLen)
	case ekUUID:
		return "decodeUUID(&" + w + ")"
	case ekBitfield:
		return "bitfield32(" + w + ".Bitfield32())"
	case ekFlag:
		return w + ".Flag()"
	}
	return ""
}

// decodeInto returns statements decoding a byRef element from walker w
// into the addressable v; a nested error (err) returns errExpr.
func (el elem) decodeInto(f *GeneratedFile, w, v, errExpr string) []string {
	if el.kind == ekStruct {
		return []string{fmt.Sprintf("%s.decodeAttr(&%s)", v, w)}
	}
	return []string{
		fmt.Sprintf("if err := %s.decodeIn(%s.Data(), %s.Arena()); err != nil {", v, w, w),
		"return " + errExpr,
		"}",
	}
}
