package nl80211

import (
	"context"
	"fmt"
)

// Wiphy is one radio as a split get-wiphy dump describes it, with the
// parts of its many messages merged: the kernel splits a wiphy over
// several messages (bands and their frequencies, commands, interface
// modes each in their own), all carrying the wiphy's index.
type Wiphy struct {
	// Index is the wiphy index, Name its name (phy0, ...).
	Index uint32
	Name  string
	// Attrs is the first message of the wiphy, with the settings the
	// kernel sends once (retry limits, thresholds, antennas, ...).
	Attrs *Attrs
	// Bands holds the bands with their frequencies and bitrates merged
	// from every message.
	Bands WiphyBands
	// Commands lists the commands the wiphy supports.
	Commands []Commands
	// Iftypes lists the interface modes the wiphy supports; Software
	// those that need no hardware support (monitor, AP VLAN).
	Iftypes  *SupportedIftypes
	Software *SupportedIftypes
	// Combinations lists the interface combinations the wiphy allows.
	Combinations []IfCombinationAttributes
	// CipherSuites lists the cipher suite selectors the wiphy supports.
	CipherSuites []uint32
	// Messages is how many messages the wiphy took.
	Messages int
}

// Supports reports whether the wiphy lists cmd among its supported
// commands.
func (w *Wiphy) Supports(cmd Commands) bool {
	for _, c := range w.Commands {
		if c == cmd {
			return true
		}
	}
	return false
}

// Frequencies returns the center frequencies in MHz of every band, in
// the order the kernel listed them.
func (w *Wiphy) Frequencies() []uint32 {
	var out []uint32
	for _, b := range w.bands() {
		for _, f := range b.Freqs {
			if f.Freq.Valid {
				out = append(out, f.Freq.Value)
			}
		}
	}
	return out
}

func (w *Wiphy) bands() []*BandAttrs {
	var out []*BandAttrs
	for _, b := range []*BandAttrs{w.Bands.N2ghz, w.Bands.N5ghz, w.Bands.N6ghz, w.Bands.N60ghz, w.Bands.S1ghz, w.Bands.Lc} {
		if b != nil {
			out = append(out, b)
		}
	}
	return out
}

// Wiphys dumps every wiphy with a split get-wiphy dump (the split-wiphy-dump
// flag, which every kernel since 3.10 wants) and merges each wiphy's
// messages, in the order the kernel sent them.
func (c *Client) Wiphys(ctx context.Context) ([]*Wiphy, error) {
	var out []*Wiphy
	byIndex := map[uint32]*Wiphy{}
	for m, err := range c.GetWiphyDump(ctx, &Attrs{SplitWiphyDump: true}) {
		if err != nil {
			return nil, err
		}
		if !m.Wiphy.Valid {
			return nil, fmt.Errorf("nl80211 get-wiphy dump: message without a wiphy index")
		}
		w := byIndex[m.Wiphy.Value]
		if w == nil {
			w = &Wiphy{Index: m.Wiphy.Value, Attrs: m}
			byIndex[w.Index] = w
			out = append(out, w)
		}
		w.merge(m)
	}
	return out, nil
}

// merge adds the parts of one message of the wiphy.
func (w *Wiphy) merge(m *Attrs) {
	w.Messages++
	if m.WiphyName.Valid {
		w.Name = m.WiphyName.Value
	}
	w.Commands = append(w.Commands, m.SupportedCommands...)
	if m.SupportedIftypes != nil {
		w.Iftypes = m.SupportedIftypes
	}
	if m.SoftwareIftypes != nil {
		w.Software = m.SoftwareIftypes
	}
	w.Combinations = append(w.Combinations, m.InterfaceCombinations...)
	w.CipherSuites = append(w.CipherSuites, m.CipherSuites...)
	if b := m.WiphyBands; b != nil {
		mergeBand(&w.Bands.N2ghz, b.N2ghz)
		mergeBand(&w.Bands.N5ghz, b.N5ghz)
		mergeBand(&w.Bands.N6ghz, b.N6ghz)
		mergeBand(&w.Bands.N60ghz, b.N60ghz)
		mergeBand(&w.Bands.S1ghz, b.S1ghz)
		mergeBand(&w.Bands.Lc, b.Lc)
	}
}

// mergeBand appends src's frequencies and bitrates to *dst and keeps its
// capabilities when set.
func mergeBand(dst **BandAttrs, src *BandAttrs) {
	if src == nil {
		return
	}
	if *dst == nil {
		*dst = &BandAttrs{}
	}
	d := *dst
	d.Freqs = append(d.Freqs, src.Freqs...)
	d.Rates = append(d.Rates, src.Rates...)
	d.IftypeData = append(d.IftypeData, src.IftypeData...)
	if src.HtCapa.Valid {
		d.HtCapa = src.HtCapa
	}
	if src.HtMcsSet != nil {
		d.HtMcsSet = src.HtMcsSet
	}
	if src.VhtCapa.Valid {
		d.VhtCapa = src.VhtCapa
	}
	if src.VhtMcsSet != nil {
		d.VhtMcsSet = src.VhtMcsSet
	}
}
