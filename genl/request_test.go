package genl

import (
	"strings"
	"testing"
)

// TestNextSkipsStale feeds a socket replies to earlier requests, then the
// current one: the stale ones are skipped, strangers are errors.
func TestNextSkipsStale(t *testing.T) {
	msg := func(seq, pid uint32) []byte {
		return appendFakeMsg(nil, 0x20, 0, seq, pid, []byte{1, 1, 0, 0})
	}
	s := &sock{pid: 7, seq0: 100, seq: 103}
	s.pending = append(append(msg(101, 7), msg(102, 7)...), msg(103, 7)...)
	m, err := s.next(103)
	if err != nil || m.seq != 103 {
		t.Fatalf("next = seq %d, %v; want 103", m.seq, err)
	}
	for _, tc := range []struct {
		b    []byte
		want string
	}{
		{msg(104, 7), "sequence 104"}, // from the future
		{msg(100, 7), "sequence 100"}, // before this socket's first request
		{msg(103, 8), "port 8"},
		{msg(103, 7)[:10], "truncated"},
	} {
		s.pending = tc.b
		if _, err := s.next(103); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("next = %v, want an error about %q", err, tc.want)
		}
	}
}

// TestSequenceWraps checks staleness across the uint32 wrap.
func TestSequenceWraps(t *testing.T) {
	s := &sock{seq0: ^uint32(0) - 1, seq: 2}
	for seq, want := range map[uint32]bool{^uint32(0): true, 0: true, 1: true, 2: false, 3: false, ^uint32(0) - 1: false} {
		if got := s.stale(seq); got != want {
			t.Errorf("stale(%d) = %v, want %v", seq, got, want)
		}
	}
}

func TestFrame(t *testing.T) {
	s := &sock{pid: 9, seq: 41}
	b := s.frame(0x20, nlmFRequest|nlmFAck, 3, 1, []byte{0xaa, 0xbb}, []byte{4, 0, 1, 0})
	m, rest, err := splitMsg(b)
	if err != nil || len(rest) != 0 {
		t.Fatal(err, len(rest))
	}
	want := []byte{3, 1, 0, 0, 0xaa, 0xbb, 0, 0, 4, 0, 1, 0}
	if m.typ != 0x20 || m.seq != 42 || m.pid != 9 || m.flags != nlmFRequest|nlmFAck || string(m.data) != string(want) {
		t.Errorf("framed %+v", m)
	}
}

func TestOpFlagsString(t *testing.T) {
	for f, want := range map[OpFlags]string{
		0:                            "0",
		OpDo | OpDump | OpHasPolicy:  "do|dump|has-policy",
		OpAdminPerm | OpDo:           "admin-perm|do",
		OpUnsAdminPerm | OpDo | 0x80: "do|uns-admin-perm|0x80",
		0x100:                        "0x100",
	} {
		if got := f.String(); got != want {
			t.Errorf("%#x: %q, want %q", uint32(f), got, want)
		}
	}
}

// FuzzReplies runs arbitrary datagrams through the reply parsing a
// request applies to each message: errors, never panics.
func FuzzReplies(f *testing.F) {
	ack := appendFakeMsg(nil, nlmsgError, nlmFCapped|nlmFAckTLVs, 1, 7,
		append(make([]byte, 4+nlmsgHdrLen), 8, 0, 2, 0, 4, 0, 0, 0))
	f.Add(append(appendFakeMsg(nil, 0x20, nlmFMulti, 1, 7, []byte{1, 1, 0, 0, 4, 0, 1, 0}), ack...))
	f.Add(appendFakeMsg(nil, nlmsgDone, nlmFMulti|nlmFAckTLVs, 1, 7, []byte{0xea, 0xff, 0xff, 0xff, 5, 0, 1, 0, 'x'}))
	fam := &Family{Name: "f", ID: 0x20}
	f.Fuzz(func(t *testing.T, b []byte) {
		for len(b) > 0 {
			m, rest, err := splitMsg(b)
			if err != nil {
				return
			}
			b = rest
			switch m.typ {
			case nlmsgError, nlmsgDone:
				if a, err := parseAck(m, m.typ == nlmsgDone); err == nil {
					_ = newError("f", &Request{Attrs: b}, &a).Error()
				}
			default:
				_, _ = genlMessage(fam, m)
			}
		}
	})
}
