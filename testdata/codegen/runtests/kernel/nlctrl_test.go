package nlctrl

// This test is copied next to the package generated from the kernel's
// nlctrl spec by the codegen compile test, and runs against the live
// kernel (nlctrl is the same in every network namespace, so none is made).

import (
	"context"
	"testing"
	"time"

	"github.com/ynlgo/ynl/genl"
)

func TestLiveGetfamily(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f, err := c.Getfamily(ctx, &CtrlAttrs{FamilyName: genl.Some("nlctrl")})
	if err != nil {
		t.Fatal(err)
	}
	// nlctrl's id is GENL_ID_CTRL (16); its ops arrive as an indexed array.
	if f.FamilyID.Value != 16 || len(f.Ops) == 0 {
		t.Fatalf("getfamily nlctrl: id %v, %d ops", f.FamilyID, len(f.Ops))
	}
	found := false
	for _, op := range f.Ops {
		found = found || op.ID.Value == uint32(CmdGetfamily) && op.Flags.Value&OpFlagsCmdCapDo != 0
	}
	if !found {
		t.Errorf("getfamily is not among nlctrl's ops with cmd-cap-do: %+v", f.Ops)
	}
	if len(f.McastGroups) == 0 || f.McastGroups[0].Name.Value != "notify" {
		t.Errorf("mcast groups %+v, want notify", f.McastGroups)
	}
	n := 0
	for fam, err := range c.GetfamilyDump(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if fam.FamilyName.Value == "" {
			t.Errorf("a family without a name: %+v", fam)
		}
		n++
	}
	if n < 2 {
		t.Errorf("dump listed %d families", n)
	}
}

func TestLiveGetpolicy(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	attrs := 0
	for m, err := range c.GetpolicyDump(ctx, &CtrlAttrs{FamilyName: genl.Some("nlctrl")}) {
		if err != nil {
			t.Fatal(err)
		}
		// nest-type-value: policy index -> attribute type -> policy.
		for _, byAttr := range m.Policy {
			for typ, p := range byAttr {
				if !p.Type.Valid {
					t.Errorf("attribute %d has no policy type", typ)
				}
				attrs++
			}
		}
	}
	if attrs == 0 {
		t.Fatal("the policy dump of nlctrl held no attribute policies")
	}
}
