// Package secrets keeps plugin secrets: the Backend interface shared by
// the backends, and the per-plugin part a plugin reaches. Its files are
// named by part:
//
//   - secrets.go: Backend, the errors every part returns, ValidateKey;
//   - backends: keyring*.go (the OS keyring through go-keyring, Chunked
//     for platforms that limit an item's size), file*.go (the
//     opt-in encrypted file, its inter-process LockFile), memory.go (for
//     unit tests), probe.go (Probe, a check that any backend works),
//     deleteall.go (ServiceDeleter, logout);
//   - plugin-facing: scoped*.go (Scoped, the per-plugin view of a Backend;
//     NewObject in scoped_object.go, the JS object a plugin sees as
//     ctx.secrets; secrets.d.ts).
//
// The masker that hides known secret values in output is package
// host/bindings/mask. A secret value never appears in an error, a log line
// or a file written by this package; errors name the plugin's service and
// key only.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"host/jsrt"
)

// Backend stores secret strings under a (service, user) pair, the keyring's
// own addressing. Implementations are safe for concurrent use and honour
// ctx: a call returns by ctx's deadline at the latest.
type Backend interface {
	// Get returns the value, or an error matching ErrNotFound.
	Get(ctx context.Context, service, user string) (string, error)
	// Set creates or replaces the value.
	Set(ctx context.Context, service, user, value string) error
	// Delete removes the value, or returns an error matching ErrNotFound.
	Delete(ctx context.Context, service, user string) error
	// Name is a short name for messages, e.g. "keyring" or "memory".
	Name() string
}

// ErrNotFound reports that no secret is stored under the given name.
var ErrNotFound = errors.New("secret not found")

// ErrUnavailable matches every *UnavailableError: the secret backend cannot be
// reached or cannot answer. Use the Kind sentinels below to tell why.
var ErrUnavailable = errors.New("secret store unavailable")

// Sentinels for UnavailableError kinds; errors.Is(err, ErrNoSessionBus) etc.
var (
	ErrNoSessionBus    = errors.New("no D-Bus session bus")
	ErrNoSecretService = errors.New("no Secret Service on the D-Bus session bus")
	ErrTimeout         = errors.New("secret store did not answer in time")
	ErrLocked          = errors.New("keyring is locked")
	ErrBackend         = errors.New("secret store failed")
)

// ErrValueTooBig reports a value larger than the backend accepts (the
// macOS and Windows keyrings hold only a few KB).
var ErrValueTooBig = jsrt.WithCode(errors.New("secret value too big for the OS keyring"), "ERR_SECRET_TOO_BIG")

// UnavailableError is returned when the secret backend cannot do its work at
// all. Kind is one of the sentinels ErrNoSessionBus, ErrNoSecretService,
// ErrTimeout, ErrLocked or ErrBackend; errors.Is matches it as well as
// ErrUnavailable. Reason is one line of detail (the underlying error's text,
// never a secret); Hint says what the user can do. Err is the cause.
type UnavailableError struct {
	Backend string // backend name, e.g. "keyring"
	Op      string // "get", "set", "delete", "probe"
	Kind    error
	Reason  string
	Hint    string
	Err     error
}

func (e *UnavailableError) Error() string {
	s := fmt.Sprintf("%s %s: %v", e.Backend, e.Op, e.Kind)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap returns the cause.
func (e *UnavailableError) Unwrap() error { return e.Err }

// Is matches ErrUnavailable and the error's Kind.
func (e *UnavailableError) Is(target error) bool {
	return target == ErrUnavailable || (e.Kind != nil && target == e.Kind)
}

// Code is the stable code a JS error carries, one per Kind.
func (e *UnavailableError) Code() string {
	switch e.Kind {
	case ErrNoSessionBus:
		return "ERR_SECRET_NO_SESSION_BUS"
	case ErrNoSecretService:
		return "ERR_SECRET_NO_SECRET_SERVICE"
	case ErrTimeout:
		return "ERR_SECRET_TIMEOUT"
	case ErrLocked:
		return "ERR_SECRET_LOCKED"
	}
	return "ERR_SECRET_STORE_FAILED"
}

// InvalidKeyError reports a secret key a plugin may not use. It becomes a
// TypeError in JS.
type InvalidKeyError struct {
	Key    string // quoted with %q in Error, truncated when long
	Reason string
}

func (e *InvalidKeyError) Error() string {
	k := e.Key
	if len(k) > 40 {
		cut := 40
		for cut > 0 && !utf8.RuneStart(k[cut]) {
			cut-- // not inside a character
		}
		k = k[:cut] + "..."
	}
	return fmt.Sprintf("invalid secret key %q: %s", k, e.Reason)
}

// Code is the stable code a JS error carries.
func (e *InvalidKeyError) Code() string { return "ERR_SECRET_INVALID_KEY" }

// MaxKeyLen is the longest secret key, in bytes.
const MaxKeyLen = 128

// ValidateKey checks a ctx.secrets key or a config field key: non-empty, at
// most MaxKeyLen bytes of valid UTF-8, no control characters and no leading
// or trailing white space.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return &InvalidKeyError{Key: key, Reason: "must not be empty"}
	case len(key) > MaxKeyLen:
		return &InvalidKeyError{Key: key, Reason: fmt.Sprintf("longer than %d bytes", MaxKeyLen)}
	case !utf8.ValidString(key):
		return &InvalidKeyError{Key: key, Reason: "not valid UTF-8"}
	}
	for _, r := range key {
		if unicode.IsControl(r) {
			return &InvalidKeyError{Key: key, Reason: "contains a control character"}
		}
	}
	first, _ := utf8.DecodeRuneInString(key)
	last, _ := utf8.DecodeLastRuneInString(key)
	if unicode.IsSpace(first) || unicode.IsSpace(last) {
		return &InvalidKeyError{Key: key, Reason: "starts or ends with white space"}
	}
	return nil
}

var (
	_ error = (*UnavailableError)(nil)
	_ error = (*InvalidKeyError)(nil)
)
