package secrets

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"

	"host/jsrt"
)

// DefaultTimeout bounds one keyring call when Keyring.Timeout is zero. It
// is under 5 s so that a command whose first keyring call hangs (a locked
// keyring waiting on an unlock prompt) has reported it within 5 s.
const DefaultTimeout = 4 * time.Second

// maxCalls is how many keyring calls may be outstanding at once, counting
// those that timed out but still wait for the keyring in their goroutine.
// Further calls wait for a slot within their own deadline.
const maxCalls = 16

// ProbeService is the keyring service Probe writes its test item under.
const ProbeService = "host:probe"

// Keyring is the OS keyring backend, through github.com/zalando/go-keyring:
// the Secret Service over the D-Bus session bus on Linux, the Keychain on
// macOS, the Credential Manager on Windows.
//
// Every call runs on its own goroutine and returns when ctx ends or Timeout
// passes, whichever is first: on Linux a locked collection waits for an
// unlock prompt that may never come. A call that timed out keeps its
// goroutine until the keyring answers; at most 16 calls are outstanding,
// later ones wait within their own deadline, so a hung keyring costs a
// bounded number of goroutines. Errors other than ErrNotFound, ErrValueTooBig and ctx's
// cancellation are *UnavailableError (wrapped in a *jsrt.HintError with the
// same hint). Safe for concurrent use; the zero value is ready; do not copy
// a Keyring after first use.
type Keyring struct {
	// Timeout bounds each call; 0 means DefaultTimeout.
	Timeout time.Duration

	once  sync.Once
	slots chan struct{}
	// mute is the last finding that the session bus accepts connections
	// but never answers: calls within muteFor of it fail at once with it
	// instead of waiting out their timeout again.
	mute atomic.Pointer[muteBus]
}

type muteBus struct {
	reason string
	at     time.Time
}

// muteFor is how long a bus found mute stays so for this Keyring.
const muteFor = 30 * time.Second

// NewKeyring returns a Keyring backend with the default timeout.
func NewKeyring() *Keyring { return &Keyring{} }

// Name returns "keyring".
func (k *Keyring) Name() string { return "keyring" }

// Get reads a value; ErrNotFound when there is none.
func (k *Keyring) Get(ctx context.Context, service, user string) (string, error) {
	return k.do(ctx, "get", func() (string, error) { return keyring.Get(service, user) })
}

// Set creates or replaces a value.
func (k *Keyring) Set(ctx context.Context, service, user, value string) error {
	_, err := k.do(ctx, "set", func() (string, error) { return "", keyring.Set(service, user, value) })
	return err
}

// Delete removes a value; ErrNotFound when there is none.
func (k *Keyring) Delete(ctx context.Context, service, user string) error {
	_, err := k.do(ctx, "delete", func() (string, error) { return "", keyring.Delete(service, user) })
	return err
}

// Probe checks that the keyring works by writing, reading back and deleting
// a harmless item (service ProbeService, user "probe"). It returns nil or
// the first failure, typed as for Get/Set/Delete.
func (k *Keyring) Probe(ctx context.Context) error {
	const user, value = "probe", "host-probe-value"
	if err := k.Set(ctx, ProbeService, user, value); err != nil {
		return err
	}
	got, err := k.Get(ctx, ProbeService, user)
	if err != nil {
		return err
	}
	if got != value {
		return k.unavailable("probe", ErrBackend, "read back a different value than was written", "", nil)
	}
	if err := k.Delete(ctx, ProbeService, user); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}

func (k *Keyring) timeout() time.Duration {
	if k.Timeout > 0 {
		return k.Timeout
	}
	return DefaultTimeout
}

// do runs fn on its own goroutine bounded by ctx and the timeout and turns
// its error into one of this package's errors.
func (k *Keyring) do(ctx context.Context, op string, fn func() (string, error)) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", k.ctxErr(op, err, 0)
	}
	if m := k.mute.Load(); m != nil && time.Since(m.at) < muteFor {
		return "", k.unavailable(op, ErrNoSessionBus, m.reason, "", context.DeadlineExceeded)
	}
	// What an error says it waited: the limit, not the time measured (on
	// a busy machine that overshoots it).
	limit := k.timeout()
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < limit {
		limit = time.Until(dl)
	}
	ctx, cancel := context.WithTimeout(ctx, k.timeout())
	defer cancel()
	slots := k.slotChan()
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return "", k.ctxErr(op, ctx.Err(), limit)
	}

	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		defer func() { <-slots }()
		defer func() {
			if p := recover(); p != nil {
				ch <- result{err: fmt.Errorf("keyring library failed: %v", p)}
			}
		}()
		v, err := fn()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return "", k.classify(op, r.err)
		}
		return r.v, nil
	case <-ctx.Done():
		return "", k.ctxErr(op, ctx.Err(), limit)
	}
}

func (k *Keyring) slotChan() chan struct{} {
	k.once.Do(func() { k.slots = make(chan struct{}, maxCalls) })
	return k.slots
}

func (k *Keyring) ctxErr(op string, err error, waited time.Duration) error { // waited: the limit that ran out (0: none)
	if errors.Is(err, context.DeadlineExceeded) {
		reason := "no answer before the deadline"
		if waited > 0 {
			reason = fmt.Sprintf("no answer within %s", waited.Round(100*time.Millisecond))
		}
		if addr, silent := busSilent(500 * time.Millisecond); silent {
			reason += ": the D-Bus session bus at " + addr + " accepts connections but never answers"
			k.mute.Store(&muteBus{reason: reason, at: time.Now()})
			return k.unavailable(op, ErrNoSessionBus, reason, "", err)
		}
		return k.unavailable(op, ErrTimeout, reason+"; the keyring is probably locked and waiting for an unlock prompt nobody answered", "", err)
	}
	return fmt.Errorf("%s %s: %w", k.Name(), op, err)
}

// classify maps go-keyring and D-Bus errors to this package's errors.
func (k *Keyring) classify(op string, err error) error {
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return ErrValueTooBig
	}
	var de dbus.Error
	var dep *dbus.Error
	name := ""
	if errors.As(err, &de) {
		name = de.Name
	} else if errors.As(err, &dep) {
		name = dep.Name
	}
	msg := err.Error()
	var opErr *net.OpError
	switch {
	case errors.Is(err, exec.ErrNotFound), strings.Contains(msg, "dbus-launch"),
		strings.Contains(msg, "couldn't determine address of session bus"):
		return k.unavailable(op, ErrNoSessionBus, "DBUS_SESSION_BUS_ADDRESS is not set", "", err)
	case errors.As(err, &opErr), errors.Is(err, syscall.ENOENT), errors.Is(err, syscall.ECONNREFUSED),
		strings.Contains(msg, "dbus: authentication failed"):
		return k.unavailable(op, ErrNoSessionBus, "cannot connect to the bus in DBUS_SESSION_BUS_ADDRESS: "+msg,
			"DBUS_SESSION_BUS_ADDRESS names a bus that is not running: log in to a desktop session again, or unset it and start one with `dbus-run-session -- sh`; "+optInHint, err)
	case name == "org.freedesktop.DBus.Error.ServiceUnknown", name == "org.freedesktop.DBus.Error.NameHasNoOwner":
		return k.unavailable(op, ErrNoSecretService, "org.freedesktop.secrets is not provided: "+msg, "", err)
	case name == "org.freedesktop.Secret.Error.IsLocked", strings.Contains(msg, "failed to unlock"):
		return k.unavailable(op, ErrLocked, msg, "", err)
	}
	return k.unavailable(op, ErrBackend, msg, "", err)
}

// unavailable builds the error for kind: an *UnavailableError wrapped in a
// *jsrt.HintError carrying the same hint, so jsrt.Hint and the JS error's
// `hint` property see it too. An empty hint means the kind's default.
func (k *Keyring) unavailable(op string, kind error, reason, hint string, cause error) error {
	if hint == "" {
		hint = keyringHint(kind)
	}
	return jsrt.WithHint(&UnavailableError{Backend: k.Name(), Op: op, Kind: kind, Reason: reason, Hint: hint, Err: cause}, hint)
}

const optInHint = "or opt in to the encrypted file backend"

func keyringHint(kind error) string {
	switch kind {
	case ErrNoSessionBus:
		// No command line to start a keyring by hand: the ones that exist
		// wait silently for a password, echo it, or leave a keyring file
		// behind; a desktop session starts it properly.
		return "run host in a desktop session (its login unlocks the keyring), " + optInHint
	case ErrNoSecretService:
		return "enable your desktop's keyring (GNOME Keyring, KDE Wallet, or KeePassXC with Secret Service integration), " + optInHint
	case ErrTimeout:
		return "unlock your login keyring (e.g. in Passwords and Keys / seahorse) and try again; " + optInHint
	case ErrLocked:
		return "unlock your login keyring (e.g. in Passwords and Keys / seahorse) and try again"
	}
	return "check that your OS keyring works (e.g. `secret-tool store --label=test service test username test`); " + optInHint
}

var _ Backend = (*Keyring)(nil)
