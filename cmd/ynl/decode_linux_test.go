package main

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestLiveDecodeCapture traces a live dump with strace, decodes the trace
// with ynl decode, and requires the replies to be the JSON the dump
// printed; the same datagrams written as xxd -p hex blocks and as nlmon
// pcap files (link types NETLINK and LINUX_SLL) decode the same.
func TestLiveDecodeCapture(t *testing.T) {
	needTool(t, "strace")
	ns := newNetns(t)
	dir := t.TempDir()
	trace := filepath.Join(dir, "trace.txt")
	argv := append(ns.prefix(), "strace", "-f", "-X", "raw", "-e", "trace=sendmsg,recvmsg,sendto,recvfrom,write", "-s", "65535", "-o", trace,
		ynlBinary(t), "--family", "netdev", "--dump", "dev-get", "--output-json")
	out, err := exec.Command(argv[0], argv[1:]...).Output()
	if err != nil {
		// A dump the kernel reports interrupted (NLM_F_DUMP_INTR: the
		// devices changed meanwhile) exits 1; trace it again once.
		out, err = exec.Command(argv[0], argv[1:]...).Output()
	}
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("strace ynl: %v\n%s", err, stderr)
	}
	var dump []any
	if err := json.Unmarshal(out, &dump); err != nil || len(dump) < 3 {
		t.Fatalf("dump printed %q: %v", out, err)
	}
	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	grams, err := readCapture(b)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"strace": b, "hex": hexCapture(grams), "pcap": pcapCapture(grams, 253), "pcap-sll": pcapCapture(grams, 113)}
	for name, capture := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, capture, 0o644); err != nil {
			t.Fatal(err)
		}
		r := runYNL(t, ns.prefix(), "decode", "--family", "netdev", "--output-json", path)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", name, r.code, r.stderr)
		}
		var replies []any
		var sawRequest bool
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			var m struct {
				Dir   string `json:"direction"`
				Name  string `json:"name"`
				Flags int    `json:"flags"`
				Msg   any    `json:"msg"`
			}
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("%s: %q: %v", name, line, err)
			}
			if m.Name != "dev-get" {
				continue
			}
			if m.Flags&1 != 0 { // NLM_F_REQUEST: the dump request
				sawRequest = true
				if name != "pcap" && m.Dir != "send" {
					t.Errorf("%s: request direction %q, want send", name, m.Dir)
				}
				continue
			}
			replies = append(replies, m.Msg)
		}
		if !sawRequest {
			t.Errorf("%s: the dump request is missing:\n%s", name, r.stdout)
		}
		if !reflect.DeepEqual(replies, dump) {
			t.Errorf("%s: decoded replies differ from the dump printed live:\n%v\n%v", name, replies, dump)
		}
	}
}

// TestDecodeErrors checks what cannot be decoded is reported, naming
// where, with exit status 1, and what can is still printed.
func TestDecodeErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.hex")
	// netdev dev-get replies (the family id given): a good one, one with
	// an attribute the spec lacks, one cut short.
	good := "1c00000014000000000000000000000001010000" + "0800010001000000"
	unknown := "2000000014000000000000000000000001010000" + "0800010001000000" + "0400ff00"
	capture := "recv\n" + good + "\n\nrecv\n" + good[:30] + "\n\nrecv\nzz\n"
	if err := os.WriteFile(path, []byte(capture), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	code := run([]string{"decode", "--family", "netdev", "--id", "netdev=20", "--output-json", path}, &out, &errb)
	if code != exitUsage || !strings.Contains(errb.String(), "hex block at line 8") {
		t.Errorf("bad hex: exit %d, stderr %q; want 2 naming the block", code, errb.String())
	}
	capture = "recv\n" + good + "\n\nrecv\n" + unknown + "\n\nrecv\n" + unknown[:40] + "\n"
	if err := os.WriteFile(path, []byte(capture), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	code = run([]string{"decode", "--family", "netdev", "--id", "netdev=20", "--no-process-unknown", "--output-json", path}, &out, &errb)
	if code != exitKernel || !strings.Contains(out.String(), `"name": "dev-get", "msg": {"ifindex": 1}}`) ||
		!strings.Contains(errb.String(), "hex block at line 5, message 1: netdev dev-get: decode .255: unknown attribute type 255") ||
		!strings.Contains(errb.String(), "hex block at line 8, message 1: nlmsg_len 32 does not fit the 20 bytes left") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out.String(), errb.String())
	}
}

// hexCapture writes datagrams as xxd -p prints them, 30 bytes a line,
// each after its direction.
func hexCapture(grams []datagram) []byte {
	var b strings.Builder
	for _, g := range grams {
		b.WriteString(g.dir + "\n")
		h := hex.EncodeToString(g.data)
		for len(h) > 60 {
			b.WriteString(h[:60] + "\n")
			h = h[60:]
		}
		b.WriteString(h + "\n\n")
	}
	return []byte(b.String())
}

// pcapCapture writes datagrams as a pcap file of link type NETLINK (253)
// or LINUX_SLL (113, with the direction in the packet type).
func pcapCapture(grams []datagram, link uint32) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0xa1b2c3d4)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 4)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, 65535)
	b = le.AppendUint32(b, link)
	for i, g := range grams {
		p := g.data
		if link == 113 {
			sll := make([]byte, 16)
			if g.dir == "send" {
				binary.BigEndian.PutUint16(sll, 4)
			}
			binary.BigEndian.PutUint16(sll[2:], 824) // ARPHRD_NETLINK
			binary.BigEndian.PutUint16(sll[14:], 16) // NETLINK_GENERIC
			p = append(sll, p...)
		}
		b = le.AppendUint32(b, uint32(i))
		b = le.AppendUint32(b, 0)
		b = le.AppendUint32(b, uint32(len(p)))
		b = le.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	return b
}
