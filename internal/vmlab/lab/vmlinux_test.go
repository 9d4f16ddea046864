package lab

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"strings"
	"testing"
)

// note encodes one ELF note.
func note(owner string, typ uint32, desc []byte) []byte {
	var b bytes.Buffer
	name := append([]byte(owner), 0)
	for _, v := range []uint32{uint32(len(name)), uint32(len(desc)), typ} {
		_ = binary.Write(&b, binary.LittleEndian, v)
	}
	b.Write(name)
	for b.Len()%4 != 0 {
		b.WriteByte(0)
	}
	b.Write(desc)
	for b.Len()%4 != 0 {
		b.WriteByte(0)
	}
	return b.Bytes()
}

func TestHasNote(t *testing.T) {
	seg := append(note("Xen", 6, []byte("linux\x00")), note("Xen", xenPVHNote, []byte{0, 0, 0, 1})...)
	if !hasNote(seg, binary.LittleEndian, "Xen", xenPVHNote) {
		t.Error("PVH note not found")
	}
	if hasNote(seg, binary.LittleEndian, "GNU", xenPVHNote) {
		t.Error("found a note of the wrong owner")
	}
	if hasNote(note("Xen", 6, nil), binary.LittleEndian, "Xen", xenPVHNote) {
		t.Error("found a note of the wrong type")
	}
	// A truncated or lying segment must not panic.
	if hasNote(seg[:len(seg)-3], binary.LittleEndian, "Xen", xenPVHNote) {
		t.Error("found a note in a truncated segment")
	}
	bad := note("Xen", xenPVHNote, nil)
	binary.LittleEndian.PutUint32(bad, 1<<31)
	if hasNote(bad, binary.LittleEndian, "Xen", xenPVHNote) {
		t.Error("found a note with an impossible name size")
	}
}

func TestExtractVmlinuxRejects(t *testing.T) {
	if _, err := ExtractVmlinux(context.Background(), []byte("MZ no payload here")); err == nil || !strings.Contains(err.Error(), "no known compressed payload") {
		t.Errorf("no payload: got %v", err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("not an ELF kernel"))
	zw.Close()
	img := append([]byte("setup code "), gz.Bytes()...)
	img = append(img, "trailer"...)
	if _, err := ExtractVmlinux(context.Background(), img); err == nil || !strings.Contains(err.Error(), "not ELF") {
		t.Errorf("gzip payload without ELF: got %v", err)
	}
	mod := fakeModule(t, map[string]string{".text": "\x90"}) // ELF, but no PVH note
	gz.Reset()
	zw = gzip.NewWriter(&gz)
	zw.Write(mod)
	zw.Close()
	if _, err := ExtractVmlinux(context.Background(), append([]byte("setup "), gz.Bytes()...)); err == nil || !strings.Contains(err.Error(), "PVH") {
		t.Errorf("ELF without PVH: got %v", err)
	}
}
