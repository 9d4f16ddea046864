package ovsvport_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/ovsvport"
	"github.com/ynlgo/ynl/genl"
)

// TestNetnsidSigned: OVS_VPORT_ATTR_NETNSID is an NLA_S32 the kernel puts
// with nla_put_s32, and OVS_VPORT_ATTR_IFINDEX is NLA_POLICY_MIN(NLA_S32, 0)
// (net/openvswitch/datapath.c), not the spec's u32s: a netns id of -1
// (NETNSA_NSID_NOT_ASSIGNED) decodes as -1, and a negative ifindex is
// refused before it is sent.
func TestNetnsidSigned(t *testing.T) {
	e := genl.NewEncoder(nil)
	(&ovsvport.Vport{Netnsid: genl.Some[int32](-1), Ifindex: genl.Some[int32](7)}).Encode(e)
	var got ovsvport.Vport
	if err := got.Decode(e.Bytes()); err != nil {
		t.Fatal(err)
	}
	if got.Netnsid.Value != -1 || got.Ifindex.Value != 7 {
		t.Errorf("decoded netnsid %v ifindex %v, want -1 and 7", got.Netnsid, got.Ifindex)
	}
	if err := (&ovsvport.Vport{Ifindex: genl.Some[int32](-1)}).Validate(); err == nil {
		t.Error("ifindex -1 validated; the kernel's policy has a minimum of 0")
	}
}
