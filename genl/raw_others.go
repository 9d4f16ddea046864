//go:build !linux

package genl

import "context"

// DialRaw returns ErrNotSupported: netlink exists only on Linux.
func DialRaw(ctx context.Context, proto int, opts *DialOptions) (*RawConn, error) {
	return nil, ErrNotSupported
}

func (s *sock) recvNow() ([]byte, bool, error) { return nil, false, ErrNotSupported }
