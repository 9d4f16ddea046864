package uapi

import (
	"slices"
	"testing"

	"github.com/ynlgo/ynl/family"
)

func TestParseHeader(t *testing.T) {
	n := ParseHeader(`# 1 "x.h"
#define FOO_FAMILY_NAME "foo"
#define FOO_FAMILY_VERSION 2
#define FOO_MAX(x) (x)
enum foo_attrs {
	FOO_A_UNSPEC,
	FOO_A_BAR = 3, /* u32 */
	FOO_A_BAZ,
	__FOO_A_MAX
};
struct foo_hdr {
	__be16 port;
	__u8 mac[6];
	union {
		__u32 a;
		__u16 b[2];
	};
	struct foo_inner { __u8 x; } inner;
} __attribute__((packed));
`)
	if !n.Has("FOO_A_BAZ") || !n.Has("FOO_FAMILY_VERSION") || n.Has("FOO_MAX") {
		t.Errorf("names: enums %v, macros %v", n.Enums, n.Macros)
	}
	if !n.IsString("FOO_FAMILY_NAME") || n.IsString("FOO_FAMILY_VERSION") {
		t.Error("IsString wrong")
	}
	var got []string
	for _, m := range n.Structs["foo_hdr"] {
		got = append(got, m.Name+":"+byteOrder(m.Type))
	}
	want := []string{"port:big-endian", "mac:host", "a:host", "b:host", "inner:host"}
	if !slices.Equal(got, want) {
		t.Errorf("foo_hdr members %v, want %v", got, want)
	}
}

func TestNamesFollowTheCGenerator(t *testing.T) {
	f, err := family.Parse("t.yaml", []byte(`
name: my-fam
protocol: genetlink-c
doc: x
definitions:
  - {name: kind, type: enum, entries: [a, b]}
  - {name: bits, type: flags, name-prefix: mf-bit-, entries: [x, y]}
attribute-sets:
  - name: my-fam
    attributes:
      - {name: id, type: u32}
  - name: other
    name-prefix: mf-o-
    attributes:
      - {name: v, type: u8, value: 4}
operations:
  list:
    - {name: get, doc: x, attribute-set: my-fam, do: {request: {attributes: [id]}}}
mcast-groups:
  list:
    - name: events
`))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range Values(f) {
		got[v.Name] = v.Want
	}
	want := map[string]string{
		"MY_FAM_FAMILY_NAME": `"my-fam"`, "MY_FAM_FAMILY_VERSION": "1",
		"MY_FAM_KIND_A": "0", "MY_FAM_KIND_B": "1", "MF_BIT_X": "1", "MF_BIT_Y": "2",
		"MY_FAM_A_ID": "1", "MF_O_V": "4", "MY_FAM_CMD_GET": "1", "MY_FAM_MCGRP_EVENTS": `"events"`,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q (all: %v)", k, got[k], w, got)
		}
	}
}

func TestAliasesAndReplies(t *testing.T) {
	alias := map[string]string{"NL80211_COMMANDS_*": "NL80211_CMD_*", "NL80211_CMD_*_NTF": "NL80211_CMD_*", "X": "Y"}
	for in, want := range map[string]string{"NL80211_COMMANDS_GET_WIPHY": "NL80211_CMD_GET_WIPHY", "NL80211_CMD_CONNECT_NTF": "NL80211_CMD_CONNECT", "X": "Y", "Z": ""} {
		if got, _, _ := lookupAlias(alias, in); got != want {
			t.Errorf("lookupAlias(%s) = %q, want %q", in, got, want)
		}
	}
	if got := replyAlternatives("CTRL_CMD_GETFAMILY_REPLY"); !slices.Contains(got, "CTRL_CMD_NEWFAMILY") {
		t.Errorf("replyAlternatives(CTRL_CMD_GETFAMILY_REPLY) = %v", got)
	}
	if got := replyAlternatives("NL80211_CMD_GET_WIPHY_REPLY"); !slices.Contains(got, "NL80211_CMD_NEW_WIPHY") {
		t.Errorf("replyAlternatives(NL80211_CMD_GET_WIPHY_REPLY) = %v", got)
	}
}

func TestDocTypes(t *testing.T) {
	got := DocTypes(`/**
 * enum nft_table_attributes - nf_tables table netlink attributes
 *
 * @NFTA_TABLE_NAME: name of the table (NLA_STRING)
 * @NFTA_TABLE_FLAGS: bitmask of enum nft_table_flags (NLA_U32)
 * @NFTA_TABLE_USE: number of chains in this table
 * @NFTA_SET_ELEM_KEY: key value (NLA_NESTED: nft_data)
 */
enum nft_table_attributes { NFTA_TABLE_UNSPEC, NFTA_TABLE_NAME };
/* @NFTA_TABLE_NAME: a second mention (NLA_U8) does not count */
`)
	want := map[string]string{"NFTA_TABLE_NAME": "NLA_STRING", "NFTA_TABLE_FLAGS": "NLA_U32", "NFTA_SET_ELEM_KEY": "NLA_NESTED"}
	if len(got) != len(want) {
		t.Errorf("DocTypes = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("DocTypes[%s] = %q, want %q", k, got[k], v)
		}
	}
}

func TestCSignedness(t *testing.T) {
	for typ, want := range map[string]string{
		"__s32": "signed", "int": "signed", "short": "signed", "long long": "signed", "signed char": "signed",
		"__u32": "unsigned", "unsigned int": "unsigned", "__be16": "unsigned", "__le64": "unsigned",
		"char": "", "enum foo": "", "struct tc_ratespec": "",
	} {
		if got := cSignedness(typ); got != want {
			t.Errorf("cSignedness(%q) = %q, want %q", typ, got, want)
		}
	}
}
