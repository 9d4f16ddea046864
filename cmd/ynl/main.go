// Command ynl talks to Linux netlink families driven by their YNL specs,
// with the flags and JSON shapes of the kernel's own Python ynl CLI
// (tools/net/ynl/pyynl/cli.py), as a single static binary.
//
// Examples:
//
//	ynl --family netdev --dump dev-get
//	ynl --family ethtool --do channels-get --json '{"header":{"dev-name":"eth0"}}'
//	ynl --family ethtool --subscribe monitor --duration 10 --output-json
//	ynl --family nlctrl --multi getfamily '{"family-name":"netdev"}' --multi getfamily '{"family-name":"ethtool"}'
//	ynl --spec my.yaml --overlay extra.yaml --list-ops
//	ynl --list-families
//	ynl --list-kernel-families
//	ynl --family ethtool --check-kernel
//
// Families are taken from the specs built into the binary first, then from
// YNL_SPEC_PATH (a colon-separated folder list, default
// /usr/share/ynl/specs); --spec names a file.
//
// Output: with --output-json, JSON as the Python tool prints it (json.dumps),
// one document per line: a do's reply (null for none, a list for several),
// a dump's list, --multi's one list of every do's replies (its dos go out
// in one datagram, not as an atomic batch), each notification one
// {"name": ..., "msg": ...} object. Without it, the same values as indented
// JSON with fields in spec order, which reads like the Python tool's
// pretty-printed dicts but stays machine-readable; a do without a reply
// prints nothing. The differences from the Python tool kept on purpose are
// listed in testdata/pyynl/DIFFERENCES.md.
//
// Exit status: 0 on success, 1 when the kernel (or the system) refused or
// flagged a dump as interrupted (NLM_F_DUMP_INTR: the dump is printed, a
// warning goes to stderr), 2 for usage and input errors: bad flags, bad
// JSON, an unknown op, attribute or group, a value out of range or breaking the spec's checks (min, max,
// lengths, flag masks; --no-validate sends it anyway). The message names
// the JSON path.
// --check-kernel exits 1 when it found differences, 0 when none.
// Errors go to standard error; kernel errors read
//
//	Netlink error: <extack message>: <strerror>
//	bad attribute: .header.dev-name
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
