package genl

import (
	"errors"
	"testing"
)

// Fail records an *EncodeError naming the attribute, keeps the first
// error, and leaves the buffer as it was.
func TestEncoderFail(t *testing.T) {
	var e Encoder
	e.Uint8(1, 7)
	n := e.Len()
	e.Fail(2, "300 does not fit in u8")
	e.Fail(3, "later")
	var ee *EncodeError
	if !errors.As(e.Err(), &ee) || ee.Type != 2 || ee.Msg != "300 does not fit in u8" {
		t.Fatalf("Err() = %v, want encode attr 2: 300 does not fit in u8", e.Err())
	}
	if got := e.Err().Error(); got != "encode attr 2: 300 does not fit in u8" {
		t.Errorf("Error() = %q", got)
	}
	if e.Len() != n {
		t.Errorf("Len() = %d after Fail, want %d", e.Len(), n)
	}
	e.Reset(nil)
	if e.Err() != nil {
		t.Errorf("Err() = %v after Reset, want nil", e.Err())
	}
}
