package bench

import (
	"context"
	"testing"

	"github.com/ynlgo/ynl/families/rtlink"
	"github.com/ynlgo/ynl/genl"
)

// BenchmarkRtnlLinksDecode decodes the messages of one link dump of the
// benchmark namespace (1001 links), captured once: the decoding share of
// BenchmarkRtnlLinks/ynl without the system calls and the kernel's work,
// so a change of the generated decoder shows through the machine's load.
func BenchmarkRtnlLinksDecode(b *testing.B) {
	c := dialRtnl(b)
	ctx := context.Background()
	var msgs []genl.RawMessage
	for m, err := range c.link.Conn().Dump(ctx, &genl.RawRequest{Family: rtlink.FamilyName, Type: uint16(rtlink.CmdGetlink), Header: make([]byte, rtlink.IfinfomsgSize)}) {
		if err != nil {
			b.Fatal(err)
		}
		m.Data = append([]byte(nil), m.Data...)
		msgs = append(msgs, m)
	}
	if len(msgs) != devices+1 {
		b.Fatalf("captured %d links, want %d", len(msgs), devices+1)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			if _, err := rtlink.DecodeNotification(m); err != nil {
				b.Fatal(err)
			}
		}
	}
}
