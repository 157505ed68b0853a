package control

import "net"

// The control channel on Windows is to be a named pipe with the user's
// ACL; until then a process runs without one.

func listen(dataDir, name string) (net.Listener, error) { return nil, ErrUnsupported }

func dial(dataDir, name string) (net.Conn, error) { return nil, ErrUnsupported }

func names(dataDir string) []string { return nil }

func removeStale(dataDir, name string, pid int, err error) {}
