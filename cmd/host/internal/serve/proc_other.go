//go:build !linux

package serve

// residentBytes is not measured off Linux; the worker's own heap watch
// enforces the cap there.
func residentBytes(pid int) (int64, bool) { return 0, false }

// rssReader is residentBytes for the supervisor's poll.
type rssReader struct{}

func (*rssReader) read(pid int) (int64, bool) { return residentBytes(pid) }
func (*rssReader) sweep()                     {}
func (*rssReader) close()                     {}
