package codegen

import (
	"strconv"
	"strings"
	"unicode"
)

// initialisms maps lower-case words of spec names to their Go spelling:
// "dev-index" is DevIndex, "if-id" is IfID and "rx-mtu" is RXMTU. The list
// follows Go's own conventions (ID, URL, IPv4) and adds the networking terms
// the kernel specs use. A plural of an initialism keeps a lower-case s
// ("ids" is IDs).
var initialisms = map[string]string{
	"ack":  "ACK",
	"api":  "API",
	"arp":  "ARP",
	"cpu":  "CPU",
	"crc":  "CRC",
	"dma":  "DMA",
	"dns":  "DNS",
	"fd":   "FD",
	"gid":  "GID",
	"gro":  "GRO",
	"gso":  "GSO",
	"hw":   "HW",
	"id":   "ID",
	"ip":   "IP",
	"ipv4": "IPv4",
	"ipv6": "IPv6",
	"irq":  "IRQ",
	"mac":  "MAC",
	"mtu":  "MTU",
	"napi": "NAPI",
	"phy":  "PHY",
	"pid":  "PID",
	"rss":  "RSS",
	"rx":   "RX",
	"tcp":  "TCP",
	"tls":  "TLS",
	"tso":  "TSO",
	"ttl":  "TTL",
	"tx":   "TX",
	"udp":  "UDP",
	"uid":  "UID",
	"url":  "URL",
	"uuid": "UUID",
	"vf":   "VF",
	"vlan": "VLAN",
	"xdp":  "XDP",
}

// GoName converts a spec name ("dev-index", "rx_max_pending") to an
// exported Go name ("DevIndex", "RXMaxPending"). Words are split at '-',
// '_', '.', ' ' and '/'; initialisms are spelt as listed in initialisms. A
// name that would start with a digit gets an "N" in front.
func GoName(s string) string {
	var b strings.Builder
	for _, w := range splitWords(s) {
		b.WriteString(goWord(w))
	}
	n := b.String()
	if n == "" {
		return "X"
	}
	if unicode.IsDigit(rune(n[0])) {
		n = "N" + n
	}
	return n
}

// lowerName is GoName with the first word in lower case, for unexported
// identifiers ("dev-index" is devIndex, "id" is id).
func lowerName(s string) string {
	words := splitWords(s)
	if len(words) == 0 {
		return "x"
	}
	var b strings.Builder
	b.WriteString(strings.ToLower(words[0]))
	for _, w := range words[1:] {
		b.WriteString(goWord(w))
	}
	n := b.String()
	if unicode.IsDigit(rune(n[0])) {
		n = "n" + n
	}
	if isKeyword(n) {
		n += "_"
	}
	return n
}

func splitWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

func goWord(w string) string {
	if i, ok := initialisms[w]; ok {
		return i
	}
	if len(w) > 1 && w[len(w)-1] == 's' {
		if i, ok := initialisms[w[:len(w)-1]]; ok {
			return i + "s"
		}
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

func isKeyword(s string) bool {
	switch s {
	case "break", "case", "chan", "const", "continue", "default", "defer",
		"else", "fallthrough", "for", "func", "go", "goto", "if", "import",
		"interface", "map", "package", "range", "return", "select", "struct",
		"switch", "type", "var":
		return true
	}
	return false
}

// namespace hands out unique identifiers in one scope (the package, or the
// fields and methods of one struct). Names are taken in a fixed order, so
// the outcome is the same on every run.
type namespace map[string]bool

// take returns name if it is free, else name+suffix, else name+suffix+N,
// and marks the result as used.
func (ns namespace) take(name, suffix string) string {
	if !ns[name] {
		ns[name] = true
		return name
	}
	cand := name + suffix
	for i := 2; ns[cand]; i++ {
		cand = name + suffix + strconv.Itoa(i)
	}
	ns[cand] = true
	return cand
}

// trimOwner returns name without a leading owner's name: an enum entry or
// an attribute that repeats the name of its enum or attribute set
// ("pse-event-over-current" in enum pse-event, "team-ifindex" in set
// team), so the Go name does not stutter (PseEventOverCurrent, not
// PseEventPseEventOverCurrent). owners are spec names or name prefixes;
// spellings with '_' and '-' match. ok is false, and name is returned, when
// no owner leads it or the rest would be empty or start with a digit.
func trimOwner(name string, owners ...string) (rest string, ok bool) {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "-") }
	n := norm(name)
	for _, o := range owners {
		o = strings.TrimSuffix(norm(o), "-")
		if o == "" || !strings.HasPrefix(n, o+"-") {
			continue
		}
		rest = n[len(o)+1:]
		if words := splitWords(rest); len(words) > 0 && !unicode.IsDigit(rune(words[0][0])) {
			return rest, true
		}
	}
	return name, false
}
