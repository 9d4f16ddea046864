// Package dynamic encodes and decodes netlink attributes driven by a loaded
// family model (family.Family) instead of generated code. Values are the
// shapes encoding/json produces: map[string]any, []any, json.Number (or
// float64 and Go integers), string and bool. Decoding returns a *Map that
// keeps the spec's attribute order when marshalled to JSON.
//
// The wire choices match the code generator's output byte for byte:
// NLA_F_NESTED on nests, uint/sint sent in 4 bytes when the value fits and 8
// otherwise, strings NUL-terminated, every attribute padded to 4 bytes, no pad
// attributes, big-endian where the spec says so, bitfield32 as value then
// selector, indexed-array entries numbered from 1, and structs packed member
// by member.
//
// JSON shapes:
//
//   - nest, sub-message: an object; fixed-header members sit in the same
//     object as the attributes, before them.
//   - multi-attr: a list of the element values.
//   - indexed-array: a list of entries; a nested entry is an object keyed
//     by its index, [{"1": {...}}, {"2": {...}}], as pyynl prints it. On
//     encode an entry may be given either way; plain entries are sent with
//     types 1, 2, 3, ...
//   - nest-type-value: an object holding one number per type-value level
//     (named as in the spec) next to the nested attributes; a list of such
//     objects when the attribute holds several entries.
//   - enum: the entry name; a value without a name is "Unknown(N)" with
//     Options.ProcessUnknown, else the number.
//   - flags: a list of entry names, sorted (pyynl prints a set); unknown
//     bits as "Unknown(BIT)" with ProcessUnknown, else their values.
//   - bitfield32: {"value": ..., "selector": ...}.
//   - flag: true (false or absent means not sent).
//   - binary: a hex string, or text per display hint (mac "aa:bb:cc:dd:ee:ff",
//     hex "0a 1b", ipv4 and ipv6 addresses, uuid); a struct as an object; an
//     array of scalars as a list of numbers.
//
// The attributes are written and walked with genl.Encoder and genl.Walker,
// the wire codec the generated packages use, so the two cannot drift; tests
// compare the bytes with the generated encoders' on every attribute type.
//
// AppendJSON prints decoded values in one pass (linear in the nesting
// depth), compact or as Python's json.dumps does (pyynl's --output-json).
package dynamic
