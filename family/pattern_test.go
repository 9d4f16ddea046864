package family

import (
	"regexp"
	"strconv"
	"testing"
)

// patternInputs are strings around the edges of the schemas' patterns.
var patternInputs = []string{
	"", "a", "A", "0", "-", "_", " ", "a-b", "a_b", "aB", "ip_map", "FOO - 1", "FOO - 1 - 1", " - 1",
	"FOO -1", "FOO - 2", "foo bar", "é", "a\n", "\na", "u8-max", "s16-min", "s32-max", "u64-min",
	"u7-max", "x8-max", "s8-mid", "s8-max-", "s8max", "s-max", "u", "s08-max", "U8-MAX", "u128-max",
	"u8-max\n", "s64-max - 1",
}

// TestCharPatternsMatchTheirRegexp checks each byte-class pattern against
// the regular expression it prints as, over the edge cases and every
// two-byte string.
func TestCharPatternsMatchTheirRegexp(t *testing.T) {
	inputs := append([]string{}, patternInputs...)
	for a := 0; a < 128; a++ {
		inputs = append(inputs, string(rune(a)))
		for _, b := range "aZ9-_ \x80" {
			inputs = append(inputs, string(rune(a))+string(b))
		}
	}
	for _, p := range []*charPattern{reName, reNameCap, reLenOrDefine, reLenOrLimit} {
		re := regexp.MustCompile(p.String())
		for _, s := range inputs {
			if got, want := p.MatchString(s), re.MatchString(s); got != want {
				t.Errorf("%s matches %q: %v, regexp says %v", p, s, got, want)
			}
		}
	}
}

func TestParseTypeLimitMatchesRegexp(t *testing.T) {
	re := regexp.MustCompile(`^([su])(8|16|32|64)-(min|max)$`)
	for _, s := range patternInputs {
		signed, bits, max, ok := parseTypeLimit(s)
		m := re.FindStringSubmatch(s)
		if ok != (m != nil) {
			t.Errorf("parseTypeLimit(%q) ok = %v, regexp matches: %v", s, ok, m != nil)
			continue
		}
		if ok && (signed != (m[1] == "s") || strconv.Itoa(int(bits)) != m[2] || max != (m[3] == "max")) {
			t.Errorf("parseTypeLimit(%q) = %v %d %v, regexp says %q", s, signed, bits, max, m[1:])
		}
	}
}
