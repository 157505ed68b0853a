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
