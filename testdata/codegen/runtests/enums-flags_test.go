package enumsflags

// This test is copied next to the generated package by the codegen
// compile test, and runs there.

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/ynlgo/ynl/genl"
)

// An enum used as flags is a mask of 1<<value bits with its own type.
func TestEnumAsFlagsMask(t *testing.T) {
	m := StateMaskOf(StateUp, StateTesting)
	if m != 1<<1|1<<2 {
		t.Fatalf("StateMaskOf(up, testing) = %#x, want 0x6", uint32(m))
	}
	if !m.Has(StateUp) || m.Has(StateDown) || m.Has(State(40)) {
		t.Errorf("Has: %v", m)
	}
	if got := m.Values(); !slices.Equal(got, []State{StateUp, StateTesting}) {
		t.Errorf("Values() = %v", got)
	}
	for _, c := range []struct {
		m    StateMask
		want string
	}{
		{0, "0"},
		{m, "up|testing"},
		{m | 1<<6, "up|testing|0x40"},
		{StateMaskOf(StateDown), "down"},
	} {
		if got := c.m.String(); got != c.want {
			t.Errorf("%#x: String() = %q, want %q", uint32(c.m), got, c.want)
		}
	}
	b, err := json.Marshal(Link{States: genl.Some(m | 1<<6)})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"states":"up|testing|0x40"}` {
		t.Errorf("JSON %s", b)
	}
	var back Link
	if err := json.Unmarshal(b, &back); err != nil || back.States.Value != m|1<<6 {
		t.Errorf("JSON round trip: %v, %v", back.States, err)
	}
	if err := json.Unmarshal([]byte(`{"states":"up|bogus"}`), &back); err == nil {
		t.Error("unknown name accepted")
	}
	var e genl.Encoder
	(&Link{States: genl.Some(m)}).Encode(&e)
	var dec Link
	if err := dec.Decode(e.Bytes()); err != nil || dec.States.Value != m {
		t.Errorf("wire round trip: %v, %v", dec.States, err)
	}
}
