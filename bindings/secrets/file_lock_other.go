//go:build !unix && !windows

package secrets

import (
	"errors"
	"os"
)

func tryLock(*os.File, bool) (bool, error) {
	return false, errors.New("file locking is not supported on this OS")
}

func unlock(*os.File) error { return nil }
