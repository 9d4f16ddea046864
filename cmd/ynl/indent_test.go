package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestIndentJSON(t *testing.T) {
	in := `{"a":1,"s":"x,[]{}\"y","flags":["up","running"],"empty":[],"o":{},"list":[{"b":[1,2]},{"c":null}]}`
	want := `{
  "a": 1,
  "s": "x,[]{}\"y",
  "flags": ["up", "running"],
  "empty": [],
  "o": {},
  "list": [
    {
      "b": [1, 2]
    },
    {
      "c": null
    }
  ]
}`
	got := indentJSON([]byte(in))
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(in), &b)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("indenting changed the value")
	}
}
