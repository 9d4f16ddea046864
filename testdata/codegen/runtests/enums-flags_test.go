package enumsflags

// This test is copied next to the generated package by the codegen
// compile test, and runs there.

import (
	"encoding/json"
	"errors"
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

// Enum and flags values are uint32s; one too large for a u8 or u16
// attribute fails Validate, naming the path, and Encode reports it
// instead of truncating it, while the widest value that fits round-trips.
func TestEnumTooWideForWire(t *testing.T) {
	for _, c := range []struct {
		m    Link
		want string
	}{
		{Link{State: genl.Some(State(300))}, "invalid .state: 300 does not fit in u8"},
		{Link{SmallCaps: genl.Some(Caps(0x10000))}, "invalid .small-caps: 65536 does not fit in u16"},
		{Link{History: []State{StateUp, 256}}, "invalid .history: 256 does not fit in u8"},
	} {
		if err := c.m.Validate(); err == nil || err.Error() != c.want {
			t.Errorf("%+v: Validate() = %v, want %s", c.m, err, c.want)
		}
		var e genl.Encoder
		c.m.Encode(&e)
		var ee *genl.EncodeError
		if !errors.As(e.Err(), &ee) {
			t.Errorf("%+v: Encode left Err() = %v, want an *EncodeError", c.m, e.Err())
		}
	}
	ok := Link{State: genl.Some(State(255)), SmallCaps: genl.Some(Caps(0xffff)), History: []State{StateTesting, 255}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("Validate(%+v) = %v", ok, err)
	}
	var e genl.Encoder
	ok.Encode(&e)
	if e.Err() != nil {
		t.Fatal(e.Err())
	}
	var back Link
	if err := back.Decode(e.Bytes()); err != nil {
		t.Fatal(err)
	}
	if back.State != ok.State || back.SmallCaps != ok.SmallCaps || !slices.Equal(back.History, ok.History) {
		t.Errorf("round trip: got %+v, want %+v", back, ok)
	}
}

// A flags type carried by a u64 is as wide: a bit above 31 the spec does
// not name yet survives a round trip and prints.
func TestWideFlags(t *testing.T) {
	in := Link{Actions: genl.Some(ActionsPass | 1<<40)}
	var e genl.Encoder
	in.Encode(&e)
	var out Link
	if err := out.Decode(e.Bytes()); err != nil {
		t.Fatal(err)
	}
	if out.Actions != in.Actions || out.Actions.Value.String() != "pass|0x10000000000" {
		t.Errorf("actions %v, want %v", out.Actions, in.Actions)
	}
}
