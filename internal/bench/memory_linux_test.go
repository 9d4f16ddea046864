package bench

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/ynlgo/ynl/families/ethtool"
	"github.com/ynlgo/ynl/genl"
)

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkDumpMemory reports the memory a features dump holds: collected
// into a slice, the live heap the slice keeps (collected-B, and per
// device); streamed, the largest live heap above the start seen while the
// loop runs, checked every 250 messages (stream-live-B), which stays flat
// however many devices there are, as the loop keeps nothing; the same
// with genl.ReuseValues (reuse-live-B). Both with
// compact and with verbose bitsets, over 1000 devices and, unless -short,
// 10,000.
func BenchmarkDumpMemory(b *testing.B) {
	ctx := context.Background()
	for _, n := range floorSizes() {
		path := benchNetNSPairs(b, n/2)
		c, err := ethtool.Dial(ctx, &genl.DialOptions{NetNSPath: path})
		if err != nil {
			b.Fatal(err)
		}
		for _, mode := range []struct {
			name string
			hdr  *ethtool.Header
		}{{"compact", compact}, {"verbose", verbose}} {
			b.Run(fmt.Sprintf("features-%s/%d", mode.name, n), func(b *testing.B) {
				var collected, streamed, reused uint64
				for b.Loop() {
					base := liveHeap()
					var out []*ethtool.Features
					for f, err := range c.FeaturesGetDump(ctx, &ethtool.Features{Header: mode.hdr}) {
						if err != nil {
							b.Fatal(err)
						}
						out = append(out, f)
					}
					if len(out) < n {
						b.Fatalf("collected %d devices, want %d", len(out), n)
					}
					collected = liveHeap() - base
					runtime.KeepAlive(out)
					out = nil

					streamed = streamPeak(b, c, mode.hdr)
					reused = streamPeak(b, c, mode.hdr, genl.ReuseValues)
				}
				b.ReportMetric(float64(collected), "collected-B")
				b.ReportMetric(float64(collected)/float64(n), "collected-B/device")
				b.ReportMetric(float64(streamed), "stream-live-B")
				b.ReportMetric(float64(reused), "reuse-live-B")
			})
		}
		_ = c.Close()
	}
}

// streamPeak streams a features dump and returns the largest live heap
// above the start seen while it runs, checked every 250 messages.
func streamPeak(b *testing.B, c *ethtool.Client, hdr *ethtool.Header, opts ...genl.DumpOption) uint64 {
	base := liveHeap()
	peak, i := uint64(0), 0
	for _, err := range c.FeaturesGetDump(context.Background(), &ethtool.Features{Header: hdr}, opts...) {
		if err != nil {
			b.Fatal(err)
		}
		if i++; i%250 == 0 {
			if h := liveHeap(); h > base && h-base > peak {
				peak = h - base
			}
		}
	}
	return peak
}
