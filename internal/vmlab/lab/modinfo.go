package lab

import (
	"bytes"
	"debug/elf"
	"fmt"
	"strings"
)

// ModInfo is what the harness needs from a module's .modinfo section.
type ModInfo struct {
	Depends  []string // "depends=": modules that must be loaded first
	SoftPre  []string // "softdep=pre: ...": loaded first if possible
	SoftPost []string // "softdep=post: ...": loaded after if possible
	Aliases  []string // "alias=": other names the module answers to
}

// ParseModInfo reads a kernel module's .modinfo section; the package ships
// no modules.dep (depmod makes it on install), so the index is built from
// these.
func ParseModInfo(ko []byte) (ModInfo, error) {
	var mi ModInfo
	f, err := elf.NewFile(bytes.NewReader(ko))
	if err != nil {
		return mi, fmt.Errorf("not an ELF module: %w", err)
	}
	sec := f.Section(".modinfo")
	if sec == nil {
		return mi, fmt.Errorf("no .modinfo section")
	}
	data, err := sec.Data()
	if err != nil {
		return mi, fmt.Errorf(".modinfo: %w", err)
	}
	for _, entry := range bytes.Split(data, []byte{0}) {
		key, value, ok := strings.Cut(string(entry), "=")
		if !ok {
			continue
		}
		switch key {
		case "depends":
			for _, d := range strings.Split(value, ",") {
				if d != "" {
					mi.Depends = append(mi.Depends, d)
				}
			}
		case "softdep":
			// Some modules (cifs) declare softdeps without "pre:" or
			// "post:"; like a malformed modprobe.d line, they are skipped.
			pre, post, err := parseSoftdep(value)
			if err != nil {
				continue
			}
			mi.SoftPre, mi.SoftPost = append(mi.SoftPre, pre...), append(mi.SoftPost, post...)
		case "alias":
			mi.Aliases = append(mi.Aliases, value)
		}
	}
	return mi, nil
}
