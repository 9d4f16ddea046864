//go:build !linux

package genltest

import (
	"fmt"
	"runtime"
)

var errNotSupported = fmt.Errorf("genltest: not supported on %s/%s", runtime.GOOS, runtime.GOARCH)

func socketPair() (int, int, error)           { return 0, 0, errNotSupported }
func recvDatagram(int) ([]byte, bool, error)  { return nil, false, errNotSupported }
func writeDatagram(int, []byte) (bool, error) { return false, errNotSupported }
func closeFDs(...int) error                   { return errNotSupported }
