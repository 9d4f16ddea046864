//go:build linux

package binder

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// The binder ABI the test drives, from include/uapi/linux/android/binder.h
// and binderfs.h (64-bit: binder_size_t and binder_uintptr_t are u64).
func ioc(dir, typ, nr, size uintptr) uintptr { return dir<<30 | size<<16 | typ<<8 | nr }

const (
	iocW  = 1
	iocR  = 2
	iocRW = iocW | iocR

	protocolVersion = 8    // BINDER_CURRENT_PROTOCOL_VERSION on 64-bit
	tfAcceptFDs     = 0x10 // TF_ACCEPT_FDS
)

// binderWriteRead is struct binder_write_read.
type binderWriteRead struct {
	WriteSize, WriteConsumed, WriteBuffer uint64
	ReadSize, ReadConsumed, ReadBuffer    uint64
}

// transactionData is struct binder_transaction_data.
type transactionData struct {
	Target      uint64 // union: handle (u32) or ptr
	Cookie      uint64
	Code        uint32
	Flags       uint32
	SenderPID   int32
	SenderEUID  uint32
	DataSize    uint64
	OffsetsSize uint64
	Buffer      uint64 // data.ptr.buffer
	Offsets     uint64 // data.ptr.offsets
}

// binderfsDevice is struct binderfs_device.
type binderfsDevice struct {
	Name         [256]byte // BINDERFS_MAX_NAME + 1
	Major, Minor uint32
}

var (
	ioctlWriteRead = ioc(iocRW, 'b', 1, unsafe.Sizeof(binderWriteRead{}))
	ioctlVersion   = ioc(iocRW, 'b', 9, 4)
	ioctlCtlAdd    = ioc(iocRW, 'b', 1, unsafe.Sizeof(binderfsDevice{}))
	bcTransaction  = uint32(ioc(iocW, 'c', 0, unsafe.Sizeof(transactionData{})))
	bcReply        = uint32(ioc(iocW, 'c', 1, unsafe.Sizeof(transactionData{})))
	brNoop         = uint32(ioc(0, 'r', 12, 0))
	brDeadReply    = uint32(ioc(0, 'r', 5, 0))
	brFailedReply  = uint32(ioc(0, 'r', 17, 0))
)

func ioctl(fd int, req uintptr, arg unsafe.Pointer) error {
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), req, uintptr(arg))
	if e != 0 {
		return e
	}
	return nil
}

// openBinder opens a binder device, maps it and checks the protocol
// version; it returns the descriptor and the device's name, which is the
// binder context's. Where the kernel has binderfs, it mounts an instance
// of its own and adds a device named name; otherwise (Debian's kernels)
// the driver registers the misc devices of its devices parameter, which
// the lab sets to "binder".
func openBinder(t *testing.T, name string) (int, string) {
	t.Helper()
	if unsafe.Sizeof(transactionData{}) != 64 || unsafe.Sizeof(binderWriteRead{}) != 48 || unsafe.Sizeof(binderfsDevice{}) != 264 {
		t.Fatal("binder ABI structs have the wrong size for this architecture")
	}
	dir := t.TempDir()
	err := unix.Mount("binder", dir, "binder", 0, "")
	if err == unix.ENODEV {
		return mapBinder(t, "/dev/binder"), "binder"
	}
	if err != nil {
		t.Fatalf("mount binderfs: %v", err)
	}
	t.Cleanup(func() { _ = unix.Unmount(dir, unix.MNT_DETACH) })
	ctl, err := unix.Open(filepath.Join(dir, "binder-control"), unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("open binder-control: %v", err)
	}
	defer unix.Close(ctl)
	var dev binderfsDevice
	copy(dev.Name[:], name)
	if err := ioctl(ctl, ioctlCtlAdd, unsafe.Pointer(&dev)); err != nil {
		t.Fatalf("BINDER_CTL_ADD %s: %v", name, err)
	}
	return mapBinder(t, filepath.Join(dir, name)), name
}

func mapBinder(t *testing.T, path string) int {
	t.Helper()
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		t.Fatalf("open binder device (no binderfs in this kernel; the lab loads binder_linux with devices=binder): %v", err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	m, err := unix.Mmap(fd, 0, 128<<10, unix.PROT_READ, unix.MAP_PRIVATE|unix.MAP_NORESERVE)
	if err != nil {
		t.Fatalf("mmap binder device: %v", err)
	}
	t.Cleanup(func() { _ = unix.Munmap(m) })
	var v int32
	if err := ioctl(fd, ioctlVersion, unsafe.Pointer(&v)); err != nil {
		t.Fatalf("BINDER_VERSION: %v", err)
	}
	if v != protocolVersion {
		t.Fatalf("binder protocol version %d, want %d", v, protocolVersion)
	}
	return fd
}

// transact writes one command with its transaction data and reads back
// what the driver returns to this thread, as a list of return codes.
func transact(t *testing.T, fd int, cmd uint32, tr *transactionData) []uint32 {
	t.Helper()
	w := make([]byte, 4+unsafe.Sizeof(*tr))
	binary.NativeEndian.PutUint32(w, cmd)
	copy(w[4:], unsafe.Slice((*byte)(unsafe.Pointer(tr)), unsafe.Sizeof(*tr)))
	r := make([]byte, 256)
	bwr := binderWriteRead{
		WriteSize: uint64(len(w)), WriteBuffer: uint64(uintptr(unsafe.Pointer(&w[0]))),
		ReadSize: uint64(len(r)), ReadBuffer: uint64(uintptr(unsafe.Pointer(&r[0]))),
	}
	err := ioctl(fd, ioctlWriteRead, unsafe.Pointer(&bwr))
	runtime.KeepAlive(w)
	runtime.KeepAlive(r)
	if err != nil {
		t.Fatalf("BINDER_WRITE_READ: %v", err)
	}
	if bwr.WriteConsumed != uint64(len(w)) {
		t.Fatalf("BINDER_WRITE_READ consumed %d of %d bytes", bwr.WriteConsumed, len(w))
	}
	var codes []uint32
	for i := uint64(0); i+4 <= bwr.ReadConsumed; i += 4 {
		codes = append(codes, binary.NativeEndian.Uint32(r[i:]))
	}
	return codes
}

// TestLiveReport makes three binder transactions fail (to the context
// manager when there is none, to a handle we hold no reference for, and
// a reply with no transaction to answer) and checks each report the
// kernel multicasts on the report group against the transaction and the
// error the driver returned to the sender. The family has no operations:
// a request is refused.
func TestLiveReport(t *testing.T) {
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	f := livetest.Family(t, c.Conn(), FamilyName, "binder")
	if len(f.Ops) != 0 {
		t.Errorf("kernel lists ops %+v; the spec has only the report event", f.Ops)
	}
	ctx := livetest.Ctx(t)
	sub, err := c.Subscribe(ctx, GroupReport)
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	t.Cleanup(func() { sub.Close() })

	fd, device := openBinder(t, "ynl-live")
	payload := []byte("ynl live")

	for _, tc := range []struct {
		name    string
		cmd     uint32
		handle  uint64
		want    uint32
		isReply bool
	}{
		{"no context manager", bcTransaction, 0, brDeadReply, false},
		{"invalid handle", bcTransaction, 7, brFailedReply, false},
		{"reply to nothing", bcReply, 0, brFailedReply, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// from-tid is the thread making the ioctl.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			code := uint32(0x5f594e4c) + uint32(tc.handle) // '_YNL'
			tr := transactionData{
				Target: tc.handle, Code: code, Flags: tfAcceptFDs,
				DataSize: uint64(len(payload)), Buffer: uint64(uintptr(unsafe.Pointer(&payload[0]))),
			}
			got := transact(t, fd, tc.cmd, &tr)
			runtime.KeepAlive(payload)
			if len(got) != 2 || got[0] != brNoop || got[1] != tc.want {
				t.Fatalf("driver returned %#x, want BR_NOOP, %#x", got, tc.want)
			}

			rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			n, err := sub.Receive(rctx)
			if err != nil {
				t.Fatalf("waiting for the report: %v", err)
			}
			r, ok := n.Msg.(*Report)
			if n.Cmd != CmdReport || !ok {
				t.Fatalf("got notification %v %T, want a report", n.Cmd, n.Msg)
			}
			t.Logf("report: %+v", *r)
			want := Report{
				Error:    genl.Some(tc.want),
				Context:  genl.Some(device),
				FromPID:  genl.Some(uint32(os.Getpid())),
				FromTid:  genl.Some(uint32(unix.Gettid())),
				IsReply:  tc.isReply,
				Flags:    genl.Some[uint32](tfAcceptFDs),
				Code:     genl.Some(code),
				DataSize: genl.Some(uint32(len(payload))),
			}
			if *r != want {
				t.Errorf("report %+v, want %+v (no target: no to-pid, to-tid)", *r, want)
			}
		})
	}

	// No operations, so no kernel error to provoke: the kernel's op list
	// (checked above) makes a request fail before it is sent.
	_, err = c.Conn().Do(ctx, &genl.Request{Family: FamilyName, Command: uint8(CmdReport), OpName: "report"})
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("report as a request: %v, want errors.ErrUnsupported", err)
	}
}
