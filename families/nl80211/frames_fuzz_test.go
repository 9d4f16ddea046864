package nl80211

import "testing"

// FuzzFrames feeds arbitrary bytes to the frame and element parsers: they
// must return errors, never panic, and elements they accept must walk to
// the end.
func FuzzFrames(f *testing.F) {
	f.Add([]byte(ies))
	f.Add(append(seedHdr(0xb0), 0, 0, 1, 0, 0, 0))
	f.Add(append(seedHdr(0x00), 0x01, 0x00, 0x0a, 0x00, 0x00, 0x01, 'x', 0x01, 0x02, 0x82, 0x8b))
	f.Fuzz(func(t *testing.T, b []byte) {
		e := Elements(b)
		if e.Validate() == nil {
			n := 0
			for el, err := range e.All() {
				if err != nil {
					t.Fatalf("valid elements failed walking: %v", err)
				}
				n += 2 + len(el.Data)
			}
			if n != len(b) {
				t.Fatalf("walked %d of %d bytes", n, len(b))
			}
		}
		e.SSID()
		e.Channel()
		e.SupportedRates()
		m, err := ParseMgmt(b)
		if err != nil {
			return
		}
		ParseAuth(m.Body)
		ParseAssocRequest(m.Body, false)
		ParseAssocRequest(m.Body, true)
	})
}

// seedHdr is the header of a management frame from a station
// (staMAC) to an access point (apMAC), for seeds.
func seedHdr(fc byte) []byte {
	ap, sta := apMAC, staMAC
	h := append([]byte{fc, 0x00, 0x3a, 0x01}, ap...)
	h = append(h, sta...)
	h = append(h, ap...)
	return append(h, 0x20, 0x00)
}
