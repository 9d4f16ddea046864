package kitchensink

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/ynlgo/ynl/genl"
)

func TestValidate(t *testing.T) {
	if err := full().Validate(); err != nil {
		t.Fatalf("a valid message failed: %v", err)
	}
	for _, c := range []struct {
		name string
		set  func(*Attrs)
		want string
	}{
		{"max-len by const", func(m *Attrs) { m.Name = genl.Some("a-name-of-16-chr") }, "invalid .name: longer than 15 (max-name-len) bytes"},
		{"max-len edge ok", func(m *Attrs) { m.Name = genl.Some("fifteen-chars-x") }, ""},
		{"min-len", func(m *Attrs) { m.Blob = []byte{1} }, "invalid .blob: shorter than 2 bytes"},
		{"max", func(m *Attrs) { m.Percent = genl.Some[uint8](101) }, "invalid .percent: greater than 100"},
		{"signed min", func(m *Attrs) { m.Level = genl.Some[int16](0) }, "invalid .level: less than 1"},
		{"signed max", func(m *Attrs) { m.Level = genl.Some[int16](11) }, "invalid .level: greater than 10"},
		{"exact-len", func(m *Attrs) { m.Key = make([]byte, 15) }, "invalid .key: not 16 bytes long"},
		{"nested", func(m *Attrs) { m.Inner.Child.Percent = genl.Some[uint8](200) }, "invalid .inner.child.percent: greater than 100"},
		{"in a multi-attr nest", func(m *Attrs) { m.Inners[1].Percent = genl.Some[uint8](200) }, "invalid .inners.1.percent: greater than 100"},
		{"in an indexed array, by wire index", func(m *Attrs) { m.IdxInner[1].Percent = genl.Some[uint8](200) }, "invalid .idx-inner.2.percent: greater than 100"},
		{"ipv6 attribute holding ipv4", func(m *Attrs) { m.Addr6 = netip.MustParseAddr("192.0.2.1") }, "invalid .addr6: not an IPv6 address"},
		{"ipv4 attribute holding ipv6", func(m *Attrs) { m.Addr4 = netip.MustParseAddr("::1") }, "invalid .addr4: not an IPv4 address"},
		{"4in6 is fine for ipv4", func(m *Attrs) { m.Addr4 = netip.MustParseAddr("::ffff:192.0.2.1") }, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := full()
			c.set(m)
			err := m.Validate()
			if c.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ve *genl.ValidationError
			if !errors.As(err, &ve) || err.Error() != c.want {
				t.Errorf("Validate() = %v, want %q", err, c.want)
			}
		})
	}
}

func TestValidateNil(t *testing.T) {
	var m *Attrs
	if err := m.Validate(); err != nil {
		t.Error(err)
	}
}

// The fixed header is put as is, so Validate rejects a member too large
// for its width (flags is a u16 holding a uint32 flags type).
func TestValidateHeaderMemberTooWide(t *testing.T) {
	m := &Attrs{KsHeader: KsHeader{Flags: 0x10000}}
	if err := m.Validate(); err == nil || err.Error() != "invalid .ks-header: flags: 65536 does not fit in u16" {
		t.Errorf("Validate() = %v", err)
	}
	if _, err := m.KsHeader.MarshalBinary(); err == nil {
		t.Error("MarshalBinary accepted flags 0x10000")
	}
	m.KsHeader.Flags = 0xffff
	if err := m.Validate(); err != nil {
		t.Errorf("Validate() = %v with flags 0xffff", err)
	}
}
