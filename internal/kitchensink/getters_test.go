package kitchensink

import (
	"testing"

	"github.com/ynlgo/ynl/genl"
)

// The getters of nest fields return nil through absent levels of a sparse
// message, and the nest itself when it is there.
func TestNestGettersNilSafe(t *testing.T) {
	var none *Attrs
	if none.GetInner() != nil || none.GetInner().GetChild().GetChild() != nil || none.GetPair() != nil {
		t.Fatal("getters of a nil message returned non-nil")
	}
	sparse := &Attrs{}
	if sparse.GetInner().GetChild() != nil || sparse.GetStats() != nil {
		t.Fatal("getters of absent nests returned non-nil")
	}
	full := &Attrs{Inner: &Inner{Child: &Inner{Label: genl.Some("deep")}}}
	var e genl.Encoder
	full.Encode(&e)
	var back Attrs
	if err := back.Decode(e.Bytes()); err != nil {
		t.Fatal(err)
	}
	if c := back.GetInner().GetChild(); c == nil || c.Label.Or("") != "deep" {
		t.Errorf("GetInner().GetChild() = %+v, want the decoded child", c)
	}
	if back.GetInner().GetChild().GetChild() != nil {
		t.Error("a missing third level is not nil")
	}
}
