package lab

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// Marker keys the init script prints; see [ParseMarker].
const (
	MarkerStep      = "STEP"       // value: the step the guest is entering
	MarkerInsmodErr = "INSMOD_ERR" // value: "<module> rc=<code>"
	MarkerTestStart = "TEST_START" // value: package import path
	MarkerTestEnd   = "TEST_END"   // value: "<package> rc=<code>"
	MarkerExit      = "GUEST_EXIT" // value: the guest's exit code
)

// Marker is one status line printed by the guest's init script.
type Marker struct {
	Key   string
	Value string
}

// newNonce returns a random token that marks the init script's status
// lines, so test output that happens to print a similar line is not taken
// for one.
func newNonce() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on Linux
	return hex.EncodeToString(b[:])
}

// markerPrefix returns the text that starts every marker of a run.
func markerPrefix(nonce string) string { return "VMLAB[" + nonce + "] " }

// ParseMarker reports whether line carries a marker of the run with the
// given nonce, and returns it. The marker may follow other text on the same
// line (kernel messages and test output do not always end in a newline);
// carriage returns from the serial console are ignored.
func ParseMarker(line, nonce string) (Marker, bool) {
	prefix := markerPrefix(nonce)
	i := strings.LastIndex(line, prefix)
	if i < 0 {
		return Marker{}, false
	}
	rest := strings.TrimRight(line[i+len(prefix):], "\r\n ")
	key, value, ok := strings.Cut(rest, "=")
	if !ok || key == "" || strings.ContainsAny(key, " \t") {
		return Marker{}, false
	}
	return Marker{Key: key, Value: value}, true
}

// rcField splits a marker value of the form "<name> rc=<code>".
func rcField(value string) (name string, rc int, ok bool) {
	name, code, ok := strings.Cut(value, " rc=")
	if !ok {
		return "", 0, false
	}
	rc, err := atoiStrict(code)
	return name, rc, err == nil
}
