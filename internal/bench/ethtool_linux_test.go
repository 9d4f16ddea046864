package bench

import (
	"context"
	"testing"

	mdethtool "github.com/mdlayher/ethtool"
	"github.com/ynlgo/ynl/families/ethtool"
	"github.com/ynlgo/ynl/genl"
)

// clients are both libraries' ethtool clients, with sockets in the
// namespace holding the veths.
type clients struct {
	ynl *ethtool.Client
	md  *mdethtool.Client
}

// dial opens both clients in the benchmark namespace; they are closed
// when tb ends.
func dial(tb testing.TB) clients {
	tb.Helper()
	path := benchNetNS(tb)
	y, err := ethtool.Dial(context.Background(), &genl.DialOptions{NetNSPath: path})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = y.Close() })
	var md *mdethtool.Client
	if err := inNetNS(path, func() (err error) { md, err = mdethtool.New(); return err }); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = md.Close() })
	return clients{ynl: y, md: md}
}

// compact asks for compact bitsets, as mdlayher/ethtool always does, so
// both libraries send the same request and get the same replies.
var compact = &ethtool.Header{Flags: genl.Some(ethtool.HeaderFlagsCompactBitsets)}

// ynlLinkinfos dumps linkinfo-get into a slice, as a caller collecting
// the devices would.
func ynlLinkinfos(ctx context.Context, c *ethtool.Client) ([]*ethtool.Linkinfo, error) {
	var out []*ethtool.Linkinfo
	for m, err := range c.LinkinfoGetDump(ctx, &ethtool.Linkinfo{Header: compact}) {
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// ynlLinkmodes dumps linkmodes-get into a slice.
func ynlLinkmodes(ctx context.Context, c *ethtool.Client) ([]*ethtool.Linkmodes, error) {
	var out []*ethtool.Linkmodes
	for m, err := range c.LinkmodesGetDump(ctx, &ethtool.Linkmodes{Header: compact}) {
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func BenchmarkLinkinfoDump(b *testing.B) {
	c := dial(b)
	ctx := context.Background()
	b.Run("ynl", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l, err := ynlLinkinfos(ctx, c.ynl)
			if err == nil {
				err = errCount("ynl", len(l))
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mdlayher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l, err := c.md.LinkInfos()
			if err == nil {
				err = errCount("mdlayher", len(l))
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkLinkmodesDump(b *testing.B) {
	c := dial(b)
	ctx := context.Background()
	b.Run("ynl", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l, err := ynlLinkmodes(ctx, c.ynl)
			if err == nil {
				err = errCount("ynl", len(l))
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mdlayher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l, err := c.md.LinkModes()
			if err == nil {
				err = errCount("mdlayher", len(l))
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
