package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

const intrSpec = `
name: intr
doc: A dump the kernel flags as interrupted.
protocol: genetlink
attribute-sets:
  - name: obj
    attributes:
      - name: id
        type: u32
operations:
  list:
    - name: get
      doc: Get.
      value: 1
      attribute-set: obj
      dump:
        reply:
          attributes: [id]
`

// TestGenlDumpIntrExit: a generic netlink dump the kernel flags
// NLM_F_DUMP_INTR is printed in full, warned about on stderr, and makes
// ynl exit 1, as on the classic netlink path (TestLiveRawDumpIntr).
func TestGenlDumpIntrExit(t *testing.T) {
	ctx := context.Background()
	f, err := family.Parse("intr.yaml", []byte(intrSpec))
	if err != nil {
		t.Fatal(err)
	}
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{Name: "intr", Version: 1, Ops: map[uint8]genltest.Handler{
		1: func(req genltest.Request) ([]genltest.Reply, error) {
			var out []genltest.Reply
			for i := range 3 {
				var e genl.Encoder
				e.Uint32(1, uint32(i))
				out = append(out, genltest.Reply{Attrs: e.Bytes()})
			}
			out[1].Flags = netlink.DumpInterrupted
			return out, nil
		},
	}})
	conn := k.Conn(t)
	fam, err := dynamic.Open(conn, f, &dynamic.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := &session{fam: fam, conn: conn}
	o := &options{dump: "get", outputJSON: true}
	reqs, err := prepareRequests(ctx, fam, o)
	if err != nil {
		t.Fatal(err)
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	var out bytes.Buffer
	err = s.send(ctx, &printer{w: &out, json: true}, o, reqs)
	os.Stderr = stderr
	w.Close()
	warn, _ := io.ReadAll(r)

	var se *silentError
	if !errors.As(err, &se) || se.code != exitKernel {
		t.Fatalf("send: %v, want exit %d", err, exitKernel)
	}
	var list []map[string]any
	if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list) != 3 {
		t.Fatalf("printed %q (%v), want the dump's 3 objects", out.String(), err)
	}
	if !strings.Contains(string(warn), "warning") || !strings.Contains(string(warn), "NLM_F_DUMP_INTR") {
		t.Fatalf("stderr %q, want a warning naming NLM_F_DUMP_INTR", warn)
	}
}
