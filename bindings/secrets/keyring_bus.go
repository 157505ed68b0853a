package secrets

import (
	"os"
	"time"

	"github.com/godbus/dbus/v5"
)

// busSilent reports whether the session bus in DBUS_SESSION_BUS_ADDRESS
// accepts connections but does not answer the D-Bus handshake within
// wait: then a keyring call that timed out waited on the bus, not on an
// unlock prompt. It returns the address it checked.
func busSilent(wait time.Duration) (addr string, silent bool) {
	addr = os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" {
		return "", false
	}
	done := make(chan error, 1)
	var conn *dbus.Conn
	go func() {
		c, err := dbus.Dial(addr)
		if err != nil {
			done <- err
			return
		}
		conn = c
		if err := c.Auth(nil); err != nil {
			done <- err
			return
		}
		done <- c.Hello()
	}()
	select {
	case err := <-done:
		if conn != nil {
			conn.Close()
		}
		_ = err
		return addr, false // it answered (maybe with an error, which is not silence)
	case <-time.After(wait):
		// The handshake goroutine ends when the process does or the bus
		// finally answers; the connection is closed then.
		go func() {
			<-done
			if conn != nil {
				conn.Close()
			}
		}()
		return addr, true
	}
}
