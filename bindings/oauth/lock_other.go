//go:build !unix

package oauth

import "context"

// lockFile is a no-op where flock is not available: single flight still
// holds inside one process, but two processes may refresh at once.
func lockFile(ctx context.Context, path string) (func(), error) {
	return func() {}, nil
}
