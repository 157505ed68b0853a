//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package terminal

import (
	"errors"
	"os"
)

// openKeys is unix-only; elsewhere --paste reads lines.
func openKeys(*os.File) (keys, error) {
	return nil, errors.New("key-by-key input is not supported here")
}

// echoOff is unix-only; elsewhere term.ReadPassword turns the echo off
// once the prompt is shown.
func echoOff(int) (restore func(), err error) {
	return nil, errors.New("not supported here")
}
