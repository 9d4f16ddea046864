//go:build linux

package sunrpccache

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/families/nfsd"
	"github.com/ynlgo/ynl/genl"
)

func liveClient(t *testing.T) *Client {
	t.Helper()
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "sunrpccache")
	return c
}

// TestLiveCache flushes both caches, dumps the (empty) pending requests
// of each, and checks the kernel's errors: a flush mask outside the
// policy's 0x3 (validation off) names the attribute; an ip_map reply
// without its class is refused.
func TestLiveCache(t *testing.T) {
	c := liveClient(t)
	ctx := livetest.Ctx(t)
	if err := c.CacheFlush(ctx, &CacheFlush{Mask: genl.Some(CacheTypeIPMap | CacheTypeUnixGID)}); err != nil {
		t.Fatalf("cache-flush: %v", err)
	}
	if err := c.CacheFlush(ctx, &CacheFlush{}); err != nil {
		t.Fatalf("cache-flush without a mask: %v", err)
	}
	for r, err := range c.IPMapGetReqsDump(ctx, nil) {
		if err != nil {
			t.Fatalf("ip-map-get-reqs: %v", err)
		}
		t.Errorf("ip-map-get-reqs with no server: %+v, want none", r)
	}
	for r, err := range c.UnixGIDGetReqsDump(ctx, nil) {
		if err != nil {
			t.Fatalf("unix-gid-get-reqs: %v", err)
		}
		t.Errorf("unix-gid-get-reqs with no server: %+v, want none", r)
	}

	c.NoValidate = true
	livetest.KernelError(t, c.CacheFlush(ctx, &CacheFlush{Mask: genl.Some(CacheType(4))}), syscall.EINVAL, ".mask")
	err := c.IPMapSetReqs(ctx, &IPMapReqs{Requests: []IPMap{{Addr: genl.Some("127.0.0.1"), Negative: true, Expiry: genl.Some(uint64(time.Now().Unix() + 60))}}})
	livetest.KernelError(t, err, syscall.EINVAL, "")
}

// TestLiveUpcall starts an NFS server on loopback (with a stand-in
// rpcbind that accepts its registrations), sends it an NFSv3 GETATTR: the
// server looks up the ip_map entry of class "nfsd" for 127.0.0.1, finds
// none, and makes an upcall, which arrives as cache-notify on the exportd
// group. The request shows in the ip-map-get-reqs dump; a negative reply
// through ip-map-set-reqs answers it and it leaves the dump.
func TestLiveUpcall(t *testing.T) {
	c := liveClient(t)
	ctx := livetest.Ctx(t)
	if !livetest.InLab() {
		t.Skip("starts an NFS server: run it in the VM lab (go run ./internal/vmlab ./families/sunrpccache)")
	}
	n := nfsd.New(c.Conn())
	livetest.Family(t, c.Conn(), nfsd.FamilyName, "nfsd")

	fakeRpcbind(t)
	if err := c.CacheFlush(ctx, &CacheFlush{Mask: genl.Some(CacheTypeIPMap)}); err != nil {
		t.Fatalf("cache-flush: %v", err)
	}
	if err := n.VersionSet(ctx, &nfsd.ServerProto{Version: []nfsd.Version{{Major: genl.Some[uint32](3), Enabled: true}}}); err != nil {
		t.Fatalf("nfsd version-set: %v", err)
	}
	sa := make([]byte, 16) // struct sockaddr_in, 127.0.0.1:2049
	binary.NativeEndian.PutUint16(sa, syscall.AF_INET)
	binary.BigEndian.PutUint16(sa[2:], 2049)
	copy(sa[4:], []byte{127, 0, 0, 1})
	if err := n.ListenerSet(ctx, &nfsd.ServerSock{Addr: []nfsd.Sock{{Addr: sa, TransportName: genl.Some("tcp")}}}); err != nil {
		t.Fatalf("nfsd listener-set: %v", err)
	}
	if err := n.ThreadsSet(ctx, &nfsd.Server{Threads: []uint32{1}}); err != nil {
		t.Fatalf("nfsd threads-set: %v", err)
	}
	t.Cleanup(func() {
		if err := n.ThreadsSet(livetest.Ctx(t), &nfsd.Server{Threads: []uint32{0}}); err != nil {
			t.Errorf("stopping nfsd: %v", err)
		}
	})

	sub, err := c.Subscribe(ctx, GroupExportd)
	if err != nil {
		t.Fatalf("subscribe exportd: %v", err)
	}
	defer sub.Close()

	conn, err := net.DialTimeout("tcp", "127.0.0.1:2049", 10*time.Second)
	if err != nil {
		t.Fatalf("connecting to nfsd: %v", err)
	}
	defer conn.Close()
	// An ONC RPC call record: NFS (100003) v3 GETATTR (1), AUTH_NULL,
	// an 8-byte file handle.
	var call []byte
	for _, w := range []uint32{0x5eed, 0, 2, 100003, 3, 1, 0, 0, 0, 0, 8, 0, 0} {
		call = binary.BigEndian.AppendUint32(call, w)
	}
	rec := binary.BigEndian.AppendUint32(nil, 0x80000000|uint32(len(call)))
	if _, err := conn.Write(append(rec, call...)); err != nil {
		t.Fatalf("sending GETATTR: %v", err)
	}

	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for {
		m, err := sub.Receive(wctx)
		if err != nil {
			t.Fatalf("waiting for cache-notify: %v", err)
		}
		if cn, ok := m.Msg.(*CacheNotify); ok && m.Cmd == CmdCacheNotify {
			if cn.CacheType.Value != CacheTypeIPMap {
				t.Fatalf("cache-notify: %+v, want ip_map", cn)
			}
			t.Logf("cache-notify: %v", cn.CacheType.Value)
			break
		}
	}

	var pending []IPMap
	for r, err := range c.IPMapGetReqsDump(ctx, nil) {
		if err != nil {
			t.Fatalf("ip-map-get-reqs: %v", err)
		}
		pending = append(pending, r.Requests...)
	}
	t.Logf("pending ip_map requests: %+v", pending)
	found := false
	for _, r := range pending {
		if r.Class.Value == "nfsd" && r.Addr.Value == "127.0.0.1" && r.Seqno.Valid {
			found = true
		}
	}
	if !found {
		t.Fatalf("ip-map-get-reqs: %+v, want a request of class nfsd for 127.0.0.1", pending)
	}

	reply := IPMap{Class: genl.Some("nfsd"), Addr: genl.Some("127.0.0.1"), Negative: true, Expiry: genl.Some(uint64(time.Now().Unix() + 60))}
	if err := c.IPMapSetReqs(ctx, &IPMapReqs{Requests: []IPMap{reply}}); err != nil {
		t.Fatalf("ip-map-set-reqs: %v", err)
	}
	for r, err := range c.IPMapGetReqsDump(ctx, nil) {
		if err != nil {
			t.Fatalf("ip-map-get-reqs after the reply: %v", err)
		}
		for _, q := range r.Requests {
			if q.Class.Value == "nfsd" && q.Addr.Value == "127.0.0.1" {
				t.Errorf("ip-map-get-reqs after the reply: %+v still pending", q)
			}
		}
	}
}

// fakeRpcbind listens on 127.0.0.1:111 and answers every ONC RPC call
// with success and the boolean true, which is what the kernel's rpcbind
// SET and UNSET calls want when the server registers its programs.
func fakeRpcbind(t *testing.T) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:111")
	if err != nil {
		t.Fatalf("stand-in rpcbind: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				for {
					var hdr [4]byte
					if _, err := io.ReadFull(c, hdr[:]); err != nil {
						return
					}
					body := make([]byte, binary.BigEndian.Uint32(hdr[:])&0x7fffffff)
					if _, err := io.ReadFull(c, body); err != nil || len(body) < 4 {
						return
					}
					var r []byte
					r = binary.BigEndian.AppendUint32(r, 0x80000000|28)
					r = append(r, body[:4]...)                     // xid
					for _, w := range []uint32{1, 0, 0, 0, 0, 1} { // REPLY, MSG_ACCEPTED, AUTH_NULL verifier, SUCCESS, true
						r = binary.BigEndian.AppendUint32(r, w)
					}
					if _, err := c.Write(r); err != nil && !errors.Is(err, net.ErrClosed) {
						return
					}
				}
			}()
		}
	}()
}
