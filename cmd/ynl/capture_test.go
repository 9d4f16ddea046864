package main

import (
	"strings"
	"testing"
)

// TestReadStracePaddedPid reads strace -f lines whose pid strace padded to
// five columns: once the kernel's pids wrap, a four-digit pid is followed
// by two spaces, and such a trace was taken for a hex dump.
func TestReadStracePaddedPid(t *testing.T) {
	// A 20-byte getfamily request: nlmsghdr (len 20, type 0x10, flags
	// REQUEST|ACK, seq 1, pid 0) and the genl header (cmd 3, version 1).
	const msg = `"\x14\x00\x00\x00\x10\x00\x05\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03\x01\x00\x00"`
	for _, prefix := range []string{"31185 ", "812   ", "7     ", "812   16:32:40.123456 ", ""} {
		trace := prefix + "write(3, " + msg + ", 20) = 20\n" + prefix + "+++ exited with 0 +++\n"
		grams, err := readCapture([]byte(trace))
		if err != nil {
			t.Errorf("%q: %v", prefix, err)
			continue
		}
		if len(grams) != 1 || len(grams[0].data) != 20 || grams[0].dir != "send" {
			t.Errorf("%q: got %d datagrams %+v, want one 20-byte send", prefix, len(grams), grams)
		}
		if !strings.HasPrefix(grams[0].at, "strace line 1") {
			t.Errorf("%q: datagram at %q, want strace line 1", prefix, grams[0].at)
		}
	}
}
