//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package terminal

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// openKeys turns off the terminal's echo and line editing on in (signals
// such as Ctrl-C still work) and reads it key by key, polling so that a
// reader can stop between keys.
func openKeys(in *os.File) (keys, error) {
	fd := int(in.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return nil, err
	}
	raw := *old
	raw.Lflag &^= unix.ECHO | unix.ICANON
	raw.Cc[unix.VMIN] = 1
	raw.Cc[unix.VTIME] = 0
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &raw); err != nil {
		return nil, err
	}
	return &unixKeys{fd: fd, old: old}, nil
}

type unixKeys struct {
	fd  int
	old *unix.Termios
}

func (k *unixKeys) next(wait time.Duration) ([]byte, error) {
	fds := []unix.PollFd{{Fd: int32(k.fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, int(wait/time.Millisecond))
	if errors.Is(err, unix.EINTR) || n == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if fds[0].Revents&(unix.POLLHUP|unix.POLLERR) != 0 && fds[0].Revents&unix.POLLIN == 0 {
		return nil, errors.New("the terminal closed")
	}
	b := make([]byte, 4096)
	m, err := unix.Read(k.fd, b)
	if err != nil {
		if errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN) {
			return nil, nil
		}
		return nil, err
	}
	if m == 0 {
		return nil, errors.New("end of input")
	}
	return b[:m], nil
}

func (k *unixKeys) restore() { _ = unix.IoctlSetTermios(k.fd, ioctlSetTermios, k.old) }

// echoOff turns off the terminal's echo on fd until restore is called, so
// that a secret prompt is shown only once what is typed after it can no
// longer appear on the screen.
func echoOff(fd int) (restore func(), err error) {
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return nil, err
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
		return nil, err
	}
	return func() { _ = unix.IoctlSetTermios(fd, ioctlSetTermios, old) }, nil
}
