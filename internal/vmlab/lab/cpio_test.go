package lab

import (
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cpioEntry is an entry read back by readNewc.
type cpioEntry struct {
	Name string
	Mode uint32
	Data string
}

// readNewc is an independent newc reader: it checks the magic, the
// 4-byte alignment and the trailer.
func readNewc(t *testing.T, b []byte) []cpioEntry {
	t.Helper()
	var out []cpioEntry
	off := 0
	field := func(i int) uint32 {
		v, err := strconv.ParseUint(string(b[off+6+8*i:off+14+8*i]), 16, 32)
		if err != nil {
			t.Fatalf("offset %d: field %d: %v", off, i, err)
		}
		return uint32(v)
	}
	align := func(n int) int { return (n + 3) &^ 3 }
	for {
		if off+110 > len(b) || string(b[off:off+6]) != "070701" {
			t.Fatalf("offset %d: no newc header", off)
		}
		mode, size, namesize := field(1), int(field(6)), int(field(11))
		name := string(b[off+110 : off+110+namesize])
		if !strings.HasSuffix(name, "\x00") {
			t.Fatalf("name %q not NUL-terminated", name)
		}
		name = strings.TrimSuffix(name, "\x00")
		dataOff := align(off + 110 + namesize)
		if name == "TRAILER!!!" {
			if len(b)%4 != 0 {
				t.Errorf("archive length %d not 4-aligned", len(b))
			}
			return out
		}
		out = append(out, cpioEntry{name, mode, string(b[dataOff : dataOff+size])})
		off = align(dataOff + size)
	}
}

func sampleArchive(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	c := NewCPIOWriter(&buf)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Dir("bin", 0o755))
	must(c.File("/bin/a", 0o755, []byte("x")))  // 1 byte: needs padding
	must(c.File("bin/bb", 0o644, []byte("")))   // empty
	must(c.File("init", 0o700, []byte("1234"))) // already aligned
	must(c.Symlink("bin/sh", "busybox"))
	must(c.Close())
	return buf.Bytes()
}

func TestCPIOWriterRoundTrip(t *testing.T) {
	got := readNewc(t, sampleArchive(t))
	want := []cpioEntry{
		{"bin", 0o40755, ""},
		{"bin/a", 0o100755, "x"},
		{"bin/bb", 0o100644, ""},
		{"init", 0o100700, "1234"},
		{"bin/sh", 0o120777, "busybox"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

// TestCPIOWriterWithCpioTool checks the archive against GNU cpio, when
// installed, as a second opinion on the format.
func TestCPIOWriterWithCpioTool(t *testing.T) {
	if _, err := exec.LookPath("cpio"); err != nil {
		t.Skip("cpio not installed")
	}
	cmd := exec.Command("cpio", "-it", "--quiet")
	cmd.Stdin = bytes.NewReader(sampleArchive(t))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cpio -it: %v: %s", err, out)
	}
	if got, want := strings.Fields(string(out)), []string{"bin", "bin/a", "bin/bb", "init", "bin/sh"}; !cmp.Equal(got, want) {
		t.Errorf("cpio -it listed %q, want %q", got, want)
	}
}

func TestCPIOWriterRejects(t *testing.T) {
	for _, name := range []string{"", "/", ".", "..", "../x", "/../etc"} {
		c := NewCPIOWriter(&bytes.Buffer{})
		if err := c.File(name, 0o644, nil); err == nil {
			t.Errorf("File(%q): no error", name)
		}
	}
	c := NewCPIOWriter(&bytes.Buffer{})
	if err := c.Dir("a", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := c.File("/a/", 0o644, nil); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("duplicate entry: got %v", err)
	}
}
