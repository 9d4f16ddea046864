package lab

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeModule returns a minimal relocatable ELF file with the given
// sections, the shape of a kernel module as far as ModuleDeps looks.
func fakeModule(t *testing.T, sections map[string]string) []byte {
	t.Helper()
	names := []string{}
	for n := range sections {
		names = append(names, n)
	}
	shstr := "\x00"
	nameOff := map[string]uint32{}
	for _, n := range append(names, ".shstrtab") {
		nameOff[n] = uint32(len(shstr))
		shstr += n + "\x00"
	}
	var body bytes.Buffer
	const hdrSize = 64
	shdrs := []elf.Section64{{}}
	for _, n := range names {
		shdrs = append(shdrs, elf.Section64{Name: nameOff[n], Type: uint32(elf.SHT_PROGBITS),
			Off: uint64(hdrSize + body.Len()), Size: uint64(len(sections[n])), Addralign: 1})
		body.WriteString(sections[n])
	}
	shdrs = append(shdrs, elf.Section64{Name: nameOff[".shstrtab"], Type: uint32(elf.SHT_STRTAB),
		Off: uint64(hdrSize + body.Len()), Size: uint64(len(shstr)), Addralign: 1})
	body.WriteString(shstr)
	for body.Len()%8 != 0 {
		body.WriteByte(0)
	}
	var h elf.Header64
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS], h.Ident[elf.EI_DATA], h.Ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	h.Type, h.Machine, h.Version = uint16(elf.ET_REL), uint16(elf.EM_X86_64), uint32(elf.EV_CURRENT)
	h.Ehsize, h.Shentsize, h.Shnum = hdrSize, 64, uint16(len(shdrs))
	h.Shoff, h.Shstrndx = uint64(hdrSize+body.Len()), uint16(len(shdrs)-1)
	var out bytes.Buffer
	for _, v := range []any{h, body.Bytes(), shdrs} {
		if err := binary.Write(&out, binary.LittleEndian, v); err != nil {
			t.Fatal(err)
		}
	}
	return out.Bytes()
}

func TestParseModInfo(t *testing.T) {
	for _, tc := range []struct {
		name    string
		modinfo string
		want    ModInfo
	}{
		{"deps", "license=GPL\x00depends=mac80211,cfg80211,virtio_ring\x00name=mac80211_hwsim\x00", ModInfo{Depends: []string{"mac80211", "cfg80211", "virtio_ring"}}},
		{"none", "license=GPL\x00depends=\x00name=rfkill\x00", ModInfo{}},
		{"no key", "license=GPL\x00", ModInfo{}},
		{"softdep and aliases", "softdep=pre: crc32c\x00depends=\x00alias=crypto-crc32c\x00alias=crc32c\x00\x00\x00",
			ModInfo{SoftPre: []string{"crc32c"}, Aliases: []string{"crypto-crc32c", "crc32c"}}},
		{"malformed softdep skipped", "softdep=gcm\x00softdep=pre: ccm post: x\x00", ModInfo{SoftPre: []string{"ccm"}, SoftPost: []string{"x"}}},
	} {
		got, err := ParseModInfo(fakeModule(t, map[string]string{".modinfo": tc.modinfo}))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestParseModInfoErrors(t *testing.T) {
	if _, err := ParseModInfo([]byte("not an elf file")); err == nil || !strings.Contains(err.Error(), "not an ELF") {
		t.Errorf("garbage: got %v", err)
	}
	if _, err := ParseModInfo(fakeModule(t, map[string]string{".text": "\x90"})); err == nil || !strings.Contains(err.Error(), ".modinfo") {
		t.Errorf("no .modinfo: got %v", err)
	}
}

func FuzzParseModInfo(f *testing.F) {
	f.Add([]byte("\x7fELF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseModInfo(b) // must not panic
	})
}
