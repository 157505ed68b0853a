package secrets

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"host/jsrt"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// DefaultTimeout bounds one keyring call when Keyring.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// maxStuck is how many keyring calls may hang at once (each leaves a
// goroutine behind until the keyring answers) before new calls fail fast.
const maxStuck = 16

// ProbeService is the keyring service Probe writes its test item under.
const ProbeService = "host:probe"

// Keyring is the OS keyring backend, through github.com/zalando/go-keyring:
// the Secret Service over the D-Bus session bus on Linux, the Keychain on
// macOS, the Credential Manager on Windows.
//
// Every call runs on its own goroutine and returns when ctx ends or Timeout
// passes, whichever is first: on Linux a locked collection waits for an
// unlock prompt that may never come. A call that timed out keeps its
// goroutine until the keyring answers; after maxStuck such calls new ones
// fail at once. Errors other than ErrNotFound, ErrValueTooBig and ctx's
// cancellation are *UnavailableError (wrapped in a *jsrt.HintError with the
// same hint). Safe for concurrent use; the zero value is ready; do not copy
// a Keyring after first use.
type Keyring struct {
	// Timeout bounds each call; 0 means DefaultTimeout.
	Timeout time.Duration

	once  sync.Once
	slots chan struct{}
}

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
		return k.unavailable("probe", ErrBackend, errors.New("read back a different value than was written"))
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
	slots := k.slotChan()
	select {
	case slots <- struct{}{}:
	default:
		return "", k.unavailable(op, ErrTimeout, fmt.Errorf("%d earlier keyring calls are still waiting for an answer", maxStuck))
	}
	ctx, cancel := context.WithTimeout(ctx, k.timeout())
	defer cancel()

	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	start := time.Now()
	go func() {
		defer func() { <-slots }()
		defer func() {
			if p := recover(); p != nil {
				ch <- result{err: fmt.Errorf("keyring library panicked: %v", p)}
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
		return "", k.ctxErr(op, ctx.Err(), time.Since(start))
	}
}

func (k *Keyring) slotChan() chan struct{} {
	k.once.Do(func() { k.slots = make(chan struct{}, maxStuck) })
	return k.slots
}

func (k *Keyring) ctxErr(op string, err error, waited time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) {
		reason := "no answer in time"
		if waited > 0 {
			reason = fmt.Sprintf("no answer within %s", waited.Round(100*time.Millisecond))
		}
		return k.unavailable(op, ErrTimeout, fmt.Errorf("%s (a locked keyring is probably waiting for an unlock prompt): %w", reason, err))
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
		return k.unavailable(op, ErrNoSessionBus, fmt.Errorf("DBUS_SESSION_BUS_ADDRESS is not set: %w", err))
	case errors.As(err, &opErr), errors.Is(err, syscall.ENOENT), errors.Is(err, syscall.ECONNREFUSED),
		strings.Contains(msg, "dbus: authentication failed"):
		return k.unavailable(op, ErrNoSessionBus, fmt.Errorf("cannot connect to DBUS_SESSION_BUS_ADDRESS=%s: %w", os.Getenv("DBUS_SESSION_BUS_ADDRESS"), err))
	case name == "org.freedesktop.DBus.Error.ServiceUnknown", name == "org.freedesktop.DBus.Error.NameHasNoOwner":
		return k.unavailable(op, ErrNoSecretService, fmt.Errorf("org.freedesktop.secrets is not provided: %w", err))
	case name == "org.freedesktop.Secret.Error.IsLocked", strings.Contains(msg, "failed to unlock"):
		return k.unavailable(op, ErrLocked, err)
	}
	return k.unavailable(op, ErrBackend, err)
}

// unavailable builds the error for kind: an *UnavailableError wrapped in a
// *jsrt.HintError carrying the same hint, so jsrt.Hint and the JS error's
// `hint` property see it too.
func (k *Keyring) unavailable(op string, kind, cause error) error {
	hint := keyringHint(kind)
	return jsrt.WithHint(&UnavailableError{Backend: k.Name(), Op: op, Kind: kind, Reason: cause.Error(), Hint: hint, Err: cause}, hint)
}

func keyringHint(kind error) string {
	const optIn = "or opt in to the encrypted file backend"
	switch kind {
	case ErrNoSessionBus:
		return "log in to a desktop session, or start one with `dbus-run-session -- sh` and run `gnome-keyring-daemon --unlock --components=secrets` inside it; " + optIn
	case ErrNoSecretService:
		return "start a Secret Service provider (gnome-keyring-daemon --start --components=secrets, or KeePassXC with Secret Service integration); " + optIn
	case ErrTimeout:
		return "the keyring did not answer: unlock your login keyring (e.g. in Passwords and Keys / seahorse) and try again; " + optIn
	case ErrLocked:
		return "unlock your login keyring (e.g. in Passwords and Keys / seahorse) and try again"
	}
	return "check that your OS keyring works (e.g. `secret-tool store --label=test service test username test`); " + optIn
}

var _ Backend = (*Keyring)(nil)
