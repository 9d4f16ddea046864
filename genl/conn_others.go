//go:build !linux

package genl

import (
	"context"
	"time"

	"github.com/mdlayher/netlink"
)

// Dial returns ErrNotSupported: generic netlink exists only on Linux.
func Dial(ctx context.Context, opts *DialOptions) (*Conn, error) {
	return nil, ErrNotSupported
}

// NewConn returns ErrNotSupported: generic netlink exists only on Linux.
func NewConn(c *netlink.Conn, dial func() (*netlink.Conn, error)) (*Conn, error) {
	return nil, ErrNotSupported
}

// sockIO is empty: no socket is ever opened on this OS.
type sockIO struct{}

func newSock(nc *netlink.Conn, o *DialOptions) (*sock, error) { return nil, ErrNotSupported }

func (s *sock) send(b []byte) error               { return ErrNotSupported }
func (s *sock) recv() ([]byte, error)             { return nil, ErrNotSupported }
func (s *sock) setReadDeadline(t time.Time) error { return ErrNotSupported }

func (s *sock) discardPending() {}

func (s *sock) listenAllNSID() error { return ErrNotSupported }
