package genl

import (
	"encoding/json"
	"testing"
)

func TestOpt(t *testing.T) {
	s := Some(uint32(0))
	if v, ok := s.Get(); !ok || v != 0 {
		t.Errorf("Some(0).Get = %v, %v", v, ok)
	}
	if s.Or(9) != 0 || None[uint32]().Or(9) != 9 {
		t.Error("Or")
	}
	if s.String() != "0" || None[string]().String() != "<none>" {
		t.Errorf("String: %q %q", s.String(), None[string]().String())
	}
	if s.IsZero() || !None[int]().IsZero() {
		t.Error("IsZero")
	}
}

func TestOptJSON(t *testing.T) {
	type msg struct {
		A Opt[uint32] `json:"a"`
		B Opt[string] `json:"b"`
		C Opt[int64]  `json:"c,omitzero"`
		D Opt[bool]   `json:"d,omitzero"`
	}
	in := msg{A: Some(uint32(0)), D: Some(false)}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"a":0,"b":null,"d":false}`; got != want {
		t.Errorf("marshal: got %s, want %s", got, want)
	}
	var out msg
	if err := json.Unmarshal([]byte(`{"a":0,"b":"x","c":null,"d":false}`), &out); err != nil {
		t.Fatal(err)
	}
	if out != (msg{A: Some(uint32(0)), B: Some("x"), D: Some(false)}) {
		t.Errorf("unmarshal: got %+v", out)
	}
	if err := json.Unmarshal([]byte(`{"a":"nope"}`), &out); err == nil {
		t.Error("bad type accepted")
	}
}
