package setup

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"host/bindings/oauth"
	"host/bindings/plugin"
)

// ErrTimeout matches a login that did not finish within
// LoginOptions.Timeout.
var ErrTimeout = oauth.ErrTimeout

// loginRun is an OAuth2 login in progress.
type loginRun struct {
	flow     *oauth.Flow // browser login; nil for the device grant
	results  chan loginResult
	cancel   context.CancelFunc
	deadline time.Time
	finished chan struct{} // closed with the first result
	once     sync.Once
}

// deliver hands a result to the waiting Next and closes finished.
func (lr *loginRun) deliver(r loginResult) {
	lr.results <- r
	lr.once.Do(func() { close(lr.finished) })
}

type loginResult struct {
	t   *oauth.Token
	err error
}

func (lr *loginRun) close() {
	if lr.cancel != nil {
		lr.cancel()
	}
	if lr.flow != nil {
		lr.flow.Close()
	}
}

// loginNeeded says why p (an OAuth2 plugin) needs a login with setup st:
// ErrNotLoggedIn, or the provider's refusal of the stored login; nil when
// it needs none (not an OAuth2 plugin, a fresh or renewable token). err
// is a *Failure when the check itself failed (the secret backend).
func loginNeeded(ctx context.Context, p *plugin.Plugin, st *plugin.Setup, info Info) (why, err error) {
	if p.Auth == nil || p.Auth.OAuth2 == nil {
		return nil, nil
	}
	state, _, serr := p.OAuthStatus(ctx, st)
	switch state {
	case plugin.OAuthNone:
		if serr != nil {
			return nil, &Failure{Kind: HostFailed, Plugin: info, Err: serr}
		}
		return nil, nil
	case plugin.OAuthReady:
		return nil, nil
	case plugin.OAuthLoginNeeded:
		if serr != nil {
			return serr, nil
		}
	}
	return ErrNotLoggedIn, nil
}

// startLogin starts the OAuth2 login when one is needed: nil, nil when
// not (not an oauth2 plugin, a fresh token stored).
func (s *Session) startLogin(ctx context.Context) (Step, error) {
	p := s.p
	if p.Auth == nil || p.Auth.OAuth2 == nil {
		return nil, nil
	}
	reason := ""
	if !s.o.ForceLogin {
		why, err := loginNeeded(ctx, p, s.s, s.info)
		if err != nil || why == nil {
			return nil, err
		}
		if why != ErrNotLoggedIn {
			reason = s.mask(why.Error())
		}
	}
	if s.o.NoLogin {
		if reason == "" {
			return nil, &Failure{Kind: LoginNeeded, Plugin: s.info, Err: ErrNotLoggedIn}
		}
		return nil, &Failure{Kind: LoginNeeded, Plugin: s.info, Err: errors.New(reason)}
	}
	cfg, err := p.OAuthConfig(s.s)
	if err != nil {
		return nil, &Failure{Kind: Missing, Plugin: s.info, Err: err}
	}
	client := s.o.Login.Flow.Client
	if client == nil {
		client = s.o.Host.HTTP
	}
	deadline := time.Now().Add(s.o.Login.Timeout)
	lctx, cancel := context.WithDeadline(context.Background(), deadline)
	lr := &loginRun{results: make(chan loginResult, 2), cancel: cancel, deadline: deadline, finished: make(chan struct{})}
	step := &Login{Plugin: s.info, Deadline: deadline, Reason: reason, Finished: lr.finished}
	if s.o.Login.Device {
		if cfg.DeviceAuthorizationURL == "" {
			cancel()
			return nil, &Failure{Kind: LoginNeeded, Plugin: s.info, Err: ErrNoDeviceLogin}
		}
		codes := make(chan DeviceCode, 1)
		go func() {
			t, err := oauth.Device(lctx, cfg, client, oauth.DeviceUI{
				Code: func(code, uri, complete string, expires time.Duration) {
					codes <- DeviceCode{UserCode: code, VerificationURI: uri, CompleteURI: complete, Expires: time.Now().Add(expires)}
				},
				Retrying: s.o.Login.OnDeviceRetry,
			})
			lr.deliver(loginResult{t, err})
		}()
		select {
		case dc := <-codes:
			step.Device = &dc
		case r := <-lr.results:
			cancel()
			return nil, s.loginFailure(ctx, r.err)
		case <-ctx.Done():
			cancel()
			return nil, s.loginFailure(ctx, ctx.Err())
		}
	} else {
		fo := s.o.Login.Flow
		fo.Client = client
		if fo.Name == "" {
			fo.Name = s.info.Name
		}
		f, err := oauth.Start(ctx, cfg, fo)
		if err != nil {
			cancel()
			return nil, &Failure{Kind: HostFailed, Plugin: s.info, Err: err}
		}
		lr.flow = f
		step.URL = f.AuthURL()
		go func() {
			t, err := f.Wait(lctx)
			if errors.Is(err, oauth.ErrFlowUsed) {
				return // a pasted address took the login; its result follows
			}
			lr.deliver(loginResult{t, err})
		}()
	}
	s.mu.Lock()
	s.login = lr
	s.mu.Unlock()
	return step, nil
}

// ErrNoDeviceLogin is a device login asked of a plugin that declares no
// auth.deviceAuthorizationUrl.
var ErrNoDeviceLogin = errors.New("the plugin declares no auth.deviceAuthorizationUrl, so it cannot log in with a device code")

// Paste finishes a browser login from the address the browser ended on
// (for a browser on another machine). A paste from another login returns
// an error matching oauth.ErrStateMismatch, text that is not such an
// address oauth.ErrNotRedirect, and the login goes on waiting (the surface
// asks again); any other result ends the login and the waiting Next
// returns it. Safe from any goroutine.
func (s *Session) Paste(ctx context.Context, pasted string) error {
	s.mu.Lock()
	lr := s.login
	s.mu.Unlock()
	if lr == nil || lr.flow == nil {
		return errors.New("no browser login is waiting")
	}
	t, err := lr.flow.ExchangePasted(ctx, pasted)
	if errors.Is(err, oauth.ErrStateMismatch) || errors.Is(err, oauth.ErrNotRedirect) || errors.Is(err, oauth.ErrFlowUsed) {
		return err
	}
	lr.deliver(loginResult{t, err})
	return err
}

// waitLogin waits for the login in progress and saves its token.
func (s *Session) waitLogin(ctx context.Context, lr *loginRun) error {
	defer func() {
		s.mu.Lock()
		if s.login == lr {
			s.login = nil
		}
		s.mu.Unlock()
		lr.close()
	}()
	var r loginResult
	select {
	case r = <-lr.results:
	case <-ctx.Done():
		return s.loginFailure(ctx, ctx.Err())
	}
	if r.err != nil {
		return s.loginFailure(ctx, r.err)
	}
	if err := s.p.SaveOAuthToken(ctx, r.t); err != nil {
		return &Failure{Kind: HostFailed, Plugin: s.info, Err: err}
	}
	s.token = r.t
	s.loggedIn = true
	return nil
}

// LoginTimeoutError is a login that did not finish in time.
type LoginTimeoutError struct {
	Plugin  string
	Timeout time.Duration
}

func (e *LoginTimeoutError) Error() string {
	return fmt.Sprintf("%s: no login within %s", e.Plugin, e.Timeout)
}
func (e *LoginTimeoutError) Unwrap() error { return ErrTimeout }

func (s *Session) loginFailure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return &Failure{Kind: Cancelled, Plugin: s.info, Err: fmt.Errorf("login to %s cancelled; nothing was saved", s.info.Name)}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, oauth.ErrTimeout) {
		return &Failure{Kind: LoginNeeded, Plugin: s.info, Err: &LoginTimeoutError{Plugin: s.info.Name, Timeout: s.o.Login.Timeout}}
	}
	return &Failure{Kind: LoginNeeded, Plugin: s.info, Err: fmt.Errorf("%s: login failed: %w", s.info.Name, err)}
}
