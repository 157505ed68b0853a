package plugin

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"host/bindings/secrets"
)

// Exchange is one HTTP request a plugin's fetch made, as the host saw it on
// the wire: the status of the response, or the transport failure (no
// response at all: DNS, connect, TLS, a reset, a timeout).
type Exchange struct {
	URL    string // without query
	Status int    // 0 when Err is set
	Err    error
}

// Trace is what the host saw while onActivate ran: the HTTP exchanges of
// the plugin's fetch and the failures of the host's own services (the
// secret backend). It lets the caller tell "the plugin refused its
// credentials" (an Error thrown after a completed request) from "the
// network or the service failed" without reading the plugin's message.
type Trace struct {
	Requests int      // HTTP requests started
	InFlight int      // started and not finished when onActivate ended
	Last     Exchange // the last request that finished (zero when none)
	// HostErr is the last failure of a host service the plugin called
	// (the secret backend unreachable, locked or failing), nil if none.
	HostErr error
}

// TransportFailed reports whether the last finished request got no response.
func (t Trace) TransportFailed() bool { return t.Last.Err != nil }

// tracer records a Trace for the activation in progress. Safe for
// concurrent use (requests finish on their own goroutines).
type tracer struct {
	mu sync.Mutex
	t  Trace
}

func (tr *tracer) reset() {
	tr.mu.Lock()
	tr.t = Trace{}
	tr.mu.Unlock()
}

func (tr *tracer) snapshot() Trace {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.t
}

func (tr *tracer) hostFailed(err error) {
	if err == nil || errors.Is(err, secrets.ErrNotFound) || errors.Is(err, context.Canceled) {
		return
	}
	tr.mu.Lock()
	tr.t.HostErr = err
	tr.mu.Unlock()
}

// tracedClient is c with a transport that records each exchange in tr.
// A nil c stays nil (fetch's default client, untraced).
func tracedClient(c *http.Client, tr *tracer) *http.Client {
	if c == nil {
		return nil
	}
	cc := *c
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cc.Transport = &tracingTransport{base: base, tr: tr}
	return &cc
}

type tracingTransport struct {
	base http.RoundTripper
	tr   *tracer
}

func (t *tracingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.tr.mu.Lock()
	t.tr.t.Requests++
	t.tr.t.InFlight++
	t.tr.mu.Unlock()
	resp, err := t.base.RoundTrip(req)
	u := *req.URL
	u.RawQuery, u.Fragment, u.User = "", "", nil
	ex := Exchange{URL: u.String(), Err: err}
	if err == nil {
		ex.Status = resp.StatusCode
	}
	t.tr.mu.Lock()
	t.tr.t.InFlight--
	t.tr.t.Last = ex
	t.tr.mu.Unlock()
	return resp, err
}

// tracingBackend records the secret backend's failures in tr.
type tracingBackend struct {
	secrets.Backend
	tr *tracer
}

func (b *tracingBackend) Get(ctx context.Context, service, user string) (string, error) {
	v, err := b.Backend.Get(ctx, service, user)
	b.tr.hostFailed(err)
	return v, err
}

func (b *tracingBackend) Set(ctx context.Context, service, user, value string) error {
	err := b.Backend.Set(ctx, service, user, value)
	b.tr.hostFailed(err)
	return err
}

func (b *tracingBackend) Delete(ctx context.Context, service, user string) error {
	err := b.Backend.Delete(ctx, service, user)
	b.tr.hostFailed(err)
	return err
}

// HookTimedOut reports whether err is onActivate or onDeactivate not
// settling within the hook timeout.
func HookTimedOut(err error) bool {
	var he *hookTimeoutError
	return errors.As(err, &he)
}

var _ http.RoundTripper = (*tracingTransport)(nil)
