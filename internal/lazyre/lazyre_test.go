package lazyre

import (
	"sync"
	"testing"
)

func TestRegexp(t *testing.T) {
	r := &Regexp{Expr: `^a(b+)$`}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if m := r.RE().FindStringSubmatch("abb"); len(m) != 2 || m[1] != "bb" {
				t.Errorf("FindStringSubmatch = %q, want [abb bb]", m)
			}
		}()
	}
	wg.Wait()
	if r.RE() != r.RE() {
		t.Error("RE compiled twice")
	}
	if r.String() != `^a(b+)$` {
		t.Errorf("String = %q", r.String())
	}
}

func TestBadExprPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a bad expression did not panic")
		}
	}()
	(&Regexp{Expr: `(`}).RE()
}
