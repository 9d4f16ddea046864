package tcpmetrics

import (
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// inNetNS runs f on an OS thread that entered the network namespace at
// path, so the sockets f opens live there (they stay in it when used from
// other threads). The thread is thrown away afterwards: its goroutine
// exits still locked.
func inNetNS(path string, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- fmt.Errorf("open %s: %w", path, err)
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", path, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}
