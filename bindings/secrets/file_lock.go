package secrets

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// LockFile takes an exclusive lock on path (created, with its directory,
// when missing) shared by every process on the machine, waiting for it
// until ctx ends, and returns its release. The OS drops the lock if the
// process dies. It is the lock the file backend uses (flock on unix,
// LockFileEx on Windows); the OAuth refresh uses it so that two host
// processes never spend the same refresh token.
func LockFile(ctx context.Context, path string) (release func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := waitLock(ctx, f, true); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = unlock(f)
		_ = f.Close()
	}, nil
}

// errLockHeld is waitLock's error when ctx ends first.
type errLockHeld struct{ err error }

func (e *errLockHeld) Error() string { return "another process holds it: " + e.err.Error() }
func (e *errLockHeld) Unwrap() error { return e.err }

// waitLock locks f (exclusive or shared), polling until ctx ends.
func waitLock(ctx context.Context, f *os.File, exclusive bool) error {
	wait := time.Millisecond
	for {
		ok, err := tryLock(f, exclusive)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return &errLockHeld{ctx.Err()}
		case <-time.After(wait):
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}
