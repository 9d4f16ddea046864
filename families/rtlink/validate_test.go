package rtlink

import (
	"strings"
	"testing"

	"github.com/ynlgo/ynl/genl"
)

// TestSubMessageSelector checks that a linkinfo data payload of another
// format than kind names, or of a kind the spec lacks, fails before it is
// sent, naming where.
func TestSubMessageSelector(t *testing.T) {
	bridge := &LinkinfoDataMsg{Bridge: &LinkinfoBridgeAttrs{StpState: genl.Some[uint32](1)}}
	for _, tc := range []struct {
		li   *LinkinfoAttrs
		want string
	}{
		{&LinkinfoAttrs{Kind: genl.Some("veth"), Data: bridge}, `.linkinfo.data: format "bridge" is set but kind is "veth"`},
		{&LinkinfoAttrs{Kind: genl.Some("no-such-kind"), Data: bridge}, `.linkinfo.data: format "bridge" is set but kind is "no-such-kind"`},
		{&LinkinfoAttrs{Data: bridge}, `.linkinfo.data: format "bridge" is set but kind is not`},
	} {
		err := (&LinkAttrs{Linkinfo: tc.li}).Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate: %v, want %s", err, tc.want)
		}
	}
	ok := &LinkAttrs{Linkinfo: &LinkinfoAttrs{Kind: genl.Some("bridge"), Data: bridge}}
	if err := ok.Validate(); err != nil {
		t.Errorf("bridge data under kind bridge: %v", err)
	}
	raw := &LinkAttrs{Linkinfo: &LinkinfoAttrs{Kind: genl.Some("veth"), Data: &LinkinfoDataMsg{Raw: []byte{4, 0, 1, 0}}}}
	if err := raw.Validate(); err != nil {
		t.Errorf("raw data under kind veth: %v", err)
	}
}
