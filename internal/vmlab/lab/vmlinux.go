package lab

import (
	"bytes"
	"compress/gzip"
	"context"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// xenPVHNote is the ELF note type (XEN_ELFNOTE_PHYS32_ENTRY) that marks a
// kernel qemu can start directly in 32-bit mode with -kernel, skipping the
// real-mode setup and the decompressor.
const xenPVHNote = 18

// payloadMagic lists the compressed payload formats a bzImage may carry
// that we can unpack, with the tool for those the standard library lacks.
var payloadMagic = []struct {
	magic []byte
	tool  string
}{
	{[]byte{0xfd, '7', 'z', 'X', 'Z', 0}, "xz"},
	{[]byte{0x28, 0xb5, 0x2f, 0xfd}, "zstd"},
	{[]byte{0x1f, 0x8b, 0x08}, ""}, // gzip
}

// ExtractVmlinux returns the uncompressed kernel inside a bzImage, if it is
// an ELF file qemu can boot through PVH. Under TCG the decompressor is the
// slowest part of a boot (about half of it for an xz kernel), so booting
// the uncompressed image saves seconds on every run.
func ExtractVmlinux(ctx context.Context, bzImage []byte) ([]byte, error) {
	var errs []error
	for _, p := range payloadMagic {
		i := bytes.Index(bzImage, p.magic)
		if i < 0 {
			continue
		}
		out, err := decompressPayload(ctx, bzImage[i:], p.tool)
		if len(out) == 0 {
			errs = append(errs, err)
			continue
		}
		if err := checkPVH(out); err != nil {
			errs = append(errs, err)
			continue
		}
		return out, nil
	}
	if len(errs) == 0 {
		return nil, errors.New("no known compressed payload in the kernel image")
	}
	return nil, errors.Join(errs...)
}

// decompressPayload decompresses one stream; the data after it (the
// bzImage's trailer) makes the tools complain, so their output is kept
// whatever the exit status and judged by checkPVH.
func decompressPayload(ctx context.Context, b []byte, tool string) ([]byte, error) {
	if tool == "" {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		zr.Multistream(false)
		return io.ReadAll(zr)
	}
	args := []string{"-dc"}
	if tool == "xz" {
		args = append(args, "--single-stream")
	}
	out, err := filter(ctx, bytes.NewReader(b), tool, args...)
	if len(out) == 0 && err != nil {
		return nil, err
	}
	return out, nil
}

// checkPVH fails unless b is an ELF kernel with a PVH entry note.
func checkPVH(b []byte) error {
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("uncompressed kernel is not ELF: %w", err)
	}
	for _, p := range f.Progs {
		if p.Type != elf.PT_NOTE {
			continue
		}
		data := make([]byte, p.Filesz)
		if _, err := p.ReadAt(data, 0); err != nil {
			return fmt.Errorf("reading ELF notes: %w", err)
		}
		if hasNote(data, f.ByteOrder, "Xen", xenPVHNote) {
			return nil
		}
	}
	return errors.New("kernel has no PVH entry note (CONFIG_PVH)")
}

// hasNote reports whether an ELF note segment holds a note of the given
// owner and type.
func hasNote(data []byte, bo binary.ByteOrder, owner string, typ uint32) bool {
	align4 := func(n uint32) uint32 { return (n + 3) &^ 3 }
	for len(data) >= 12 {
		namesz, descsz, t := bo.Uint32(data), bo.Uint32(data[4:]), bo.Uint32(data[8:])
		end := 12 + uint64(align4(namesz)) + uint64(align4(descsz))
		if end > uint64(len(data)) || namesz > uint32(len(data)) {
			return false
		}
		name := string(bytes.TrimRight(data[12:12+namesz], "\x00"))
		if name == owner && t == typ {
			return true
		}
		data = data[end:]
	}
	return false
}
