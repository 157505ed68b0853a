// Package notify shows a plugin's ctx.notify on the user's desktop: the
// freedesktop Notifications service on the D-Bus session bus. It is the
// default plugin.Host.Notify of the CLI; below cmd/host nothing reaches
// the desktop.
package notify

import (
	"context"
	"errors"
	"os"
	"runtime"
	"time"

	"github.com/godbus/dbus/v5"

	"host/bindings/plugin"
)

// notifyTimeout bounds one desktop notification: a bus that does not
// answer makes it a printed line soon.
const notifyTimeout = 3 * time.Second

// ErrNoService is Desktop's error on a machine without a notification
// service it can reach.
var ErrNoService = errors.New("no desktop notification service")

// Desktop shows n as a desktop notification: on Linux (and other
// systems with a D-Bus session bus) through the freedesktop Notifications
// service. Elsewhere, and when no session bus or service answers within
// ctx, it returns an error (then ctx.notify prints a line instead). Safe
// for concurrent use; it never starts a bus or a daemon.
func Desktop(ctx context.Context, n plugin.Notification) error {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return ErrNoService
	}
	ctx, cancel := context.WithTimeout(ctx, notifyTimeout)
	defer cancel()
	conn, err := dbus.SessionBusPrivate(dbus.WithContext(ctx))
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return err
	}
	if err := conn.Hello(); err != nil {
		return err
	}
	body := n.Body
	if n.ActionTarget != "" {
		body += "\n" + n.ActionTarget
	}
	obj := conn.Object("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
	call := obj.CallWithContext(ctx, "org.freedesktop.Notifications.Notify", 0,
		"host", uint32(0), "", n.Title+" ("+n.Plugin+")", body, []string{}, map[string]dbus.Variant{}, int32(-1))
	return call.Err
}
