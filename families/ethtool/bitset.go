package ethtool

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/ynlgo/ynl/genl"
)

// A Bitset comes in one of two forms, and the spec can describe neither's
// meaning: the verbose form lists bits (index, name, value flag) in the
// bits nest, the compact form carries value and mask as arrays of host-order
// 32-bit words whose bit names are in a string set (StringSet). With the
// nomask flag a bitset is a list: the bits it lists (verbose) or sets
// (compact) are on, all others off. Without it, the mask (the listed bits,
// or the mask words) says which bits the bitset speaks about and the value
// (the value flag, or the value words) which of those are on.

// Names returns the names of the bits that are on in b, in the order of the
// bitset (by index for a compact one). A verbose bitset names its own bits;
// strs, indexed by bit number as StringSet returns it, names the bits of a
// compact one and the verbose bits sent without a name. strs may be nil
// for a verbose bitset that names every bit. A nil b has no bits on.
func (b *Bitset) Names(strs []string) ([]string, error) {
	var out []string
	err := b.each(strs, func(name string, on bool) {
		if on {
			out = append(out, name)
		}
	})
	return out, err
}

// Map returns every bit b speaks about by name: true when on, false when
// off. For a list (nomask) bitset only the bits that are on appear.
func (b *Bitset) Map(strs []string) (map[string]bool, error) {
	out := make(map[string]bool)
	err := b.each(strs, func(name string, on bool) { out[name] = on })
	return out, err
}

// Has reports whether the bit called name is on in b. A name that is
// neither a bit of b nor in strs is an error, so a misspelt name is not
// mistaken for a bit that is off; pass the string set (StringSet) when b
// may leave out bits that are off (a list bitset, or a mask not covering
// the bit), or every name it does not mention is an error.
func (b *Bitset) Has(strs []string, name string) (bool, error) {
	m, err := b.Map(strs)
	if err != nil {
		return false, err
	}
	if on, ok := m[name]; ok {
		return on, nil
	}
	if slices.Contains(strs, name) {
		return false, nil
	}
	if strs == nil {
		return false, fmt.Errorf("ethtool bitset: no bit named %q in the bitset, and no string set to tell whether it exists", name)
	}
	return false, fmt.Errorf("ethtool bitset: no bit named %q in the bitset or its string set", name)
}

// BitsetFromNames returns a verbose bitset that changes only the named bits:
// those mapped to true are turned on, those mapped to false off, all others
// are left as they are. Bits are sent by name, in name order.
func BitsetFromNames(bits map[string]bool) *Bitset {
	names := make([]string, 0, len(bits))
	for n := range bits {
		names = append(names, n)
	}
	slices.Sort(names)
	b := &Bitset{Bits: &BitsetBits{Bit: make([]BitsetBit, len(names))}}
	for i, n := range names {
		b.Bits.Bit[i] = BitsetBit{Name: genl.Some(n), Value: bits[n]}
	}
	return b
}

// BitsetList returns a verbose list bitset (nomask): exactly the named bits
// on, every other bit off.
func BitsetList(names ...string) *Bitset {
	b := &Bitset{Nomask: true, Bits: &BitsetBits{Bit: make([]BitsetBit, len(names))}}
	for i, n := range names {
		b.Bits.Bit[i] = BitsetBit{Name: genl.Some(n)}
	}
	return b
}

// each calls f for every bit b speaks about, with its name and state.
func (b *Bitset) each(strs []string, f func(name string, on bool)) error {
	switch {
	case b == nil:
		return nil
	case b.Bits != nil:
		return b.eachVerbose(strs, f)
	case b.Value != nil:
		return b.eachCompact(strs, f)
	}
	return nil
}

// eachVerbose walks the bits nest of a verbose bitset.
func (b *Bitset) eachVerbose(strs []string, f func(string, bool)) error {
	for i, bit := range b.Bits.Bit {
		name, ok := bit.Name.Get()
		if !ok {
			idx, ok := bit.Index.Get()
			if !ok {
				return fmt.Errorf("ethtool bitset: bits.bit[%d] has neither a name nor an index", i)
			}
			if name, ok = bitName(strs, idx); !ok {
				return fmt.Errorf("ethtool bitset: bits.bit[%d]: bit %d has no name in a string set of %d", i, idx, len(strs))
			}
		}
		f(name, b.Nomask || bit.Value)
	}
	return nil
}

// eachCompact walks the value (and mask) words of a compact bitset.
func (b *Bitset) eachCompact(strs []string, f func(string, bool)) error {
	size := b.Size.Or(uint32(len(b.Value) * 8))
	if need := (uint64(size) + 31) / 32 * 4; uint64(len(b.Value)) < need || (!b.Nomask && b.Mask != nil && uint64(len(b.Mask)) < need) {
		return fmt.Errorf("ethtool bitset: %d bits need %d bytes of value and mask, have %d and %d", size, need, len(b.Value), len(b.Mask))
	}
	for i := range size {
		on := bit32(b.Value, i)
		if !b.Nomask && b.Mask != nil && !bit32(b.Mask, i) {
			continue
		}
		if b.Nomask && !on {
			continue
		}
		name, ok := bitName(strs, i)
		if !ok {
			return fmt.Errorf("ethtool bitset: bit %d has no name in a string set of %d", i, len(strs))
		}
		f(name, on)
	}
	return nil
}

// bit32 reports bit i of an array of host-order 32-bit words.
func bit32(words []byte, i uint32) bool {
	w := binary.NativeEndian.Uint32(words[i/32*4:])
	return w&(1<<(i%32)) != 0
}

// bitName returns the name of bit i in strs, if it has one.
func bitName(strs []string, i uint32) (string, bool) {
	if int64(i) >= int64(len(strs)) || strs[i] == "" {
		return "", false
	}
	return strs[i], true
}
