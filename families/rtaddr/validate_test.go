package rtaddr

import (
	"strings"
	"testing"
)

// TestHeaderOutOfRange: a fixed-header field too large for its width
// fails validation naming the header and the field, instead of being cut.
func TestHeaderOutOfRange(t *testing.T) {
	err := (&AddrAttrs{Ifaddrmsg: Ifaddrmsg{IfaFamily: 2, IfaFlags: IfaFlagsManagetempaddr}}).Validate()
	if err == nil || !strings.Contains(err.Error(), ".ifaddrmsg: ifa-flags: 256 does not fit in u8") {
		t.Errorf("Validate: %v, want ifa-flags named as too large", err)
	}
}
