package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/oauth2"

	"host/jsrt"
)

// Stages name the request that failed, in ProviderError and EndpointError.
const (
	StageAuthorize  = "authorization"        // the browser redirect came back with an error
	StageExchange   = "code exchange"        // token endpoint, grant_type=authorization_code
	StageRefresh    = "refresh"              // token endpoint, grant_type=refresh_token
	StageDevice     = "device authorization" // device authorization endpoint
	StageDevicePoll = "device login"         // token endpoint, device_code grant
)

// ProviderError is a refusal by the OAuth provider: an `error` on the
// redirect (access_denied, ...) or an error answer of an endpoint
// (invalid_grant, ...). Code and Description are the provider's (the
// description cleaned of control characters and shortened); Status is the
// HTTP status of an endpoint answer, 0 for a redirect. It never holds a
// token, a code or a verifier. Functions return it wrapped with a hint;
// use errors.As.
type ProviderError struct {
	Stage       string
	Code        string // e.g. "access_denied", "invalid_grant"; "" when the provider sent none
	Description string
	Status      int
}

func (e *ProviderError) Error() string {
	var b strings.Builder
	b.WriteString("oauth: the provider refused the ")
	b.WriteString(e.Stage)
	switch {
	case e.Code != "":
		b.WriteString(": ")
		b.WriteString(e.Code)
	case e.Status != 0:
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	}
	if e.Description != "" {
		b.WriteString(" (")
		b.WriteString(e.Description)
		b.WriteString(")")
	}
	return b.String()
}

// ErrorCode is the stable JS error code (the `code` of the JS error):
// ERR_OAUTH_<CODE> for an error code of lower-case letters and
// underscores, e.g. ERR_OAUTH_ACCESS_DENIED, else ERR_OAUTH_PROVIDER.
func (e *ProviderError) ErrorCode() string {
	if e.Code == "" || strings.IndexFunc(e.Code, func(r rune) bool { return !(r == '_' || r >= 'a' && r <= 'z') }) >= 0 {
		return "ERR_OAUTH_PROVIDER"
	}
	return "ERR_OAUTH_" + strings.ToUpper(e.Code)
}

// EndpointError reports a provider endpoint that could not be reached or
// answered with something that is not OAuth (not JSON, a TLS failure, a
// timeout). URL is the endpoint without query.
type EndpointError struct {
	Stage string
	URL   string
	Err   error
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("oauth: %s failed: cannot get an answer from %s: %v", e.Stage, e.URL, e.Err)
}

// Unwrap returns the cause.
func (e *EndpointError) Unwrap() error { return e.Err }

// Code is the JS error code.
func (e *EndpointError) Code() string { return "ERR_OAUTH_UNREACHABLE" }

// ErrLoginNeeded matches every *LoginNeededError: the stored tokens cannot
// be refreshed and the user must log in again.
var ErrLoginNeeded = errors.New("login needed")

// LoginNeededError says the user has to log in again: the provider refused
// the refresh token, or the token expired and there is none. PluginID, when
// known, goes into the hint. errors.Is(err, ErrLoginNeeded) matches it.
type LoginNeededError struct {
	PluginID string
	Reason   string // why, e.g. "the provider refused the refresh token (invalid_grant)"
	Err      error  // the cause, e.g. a *ProviderError; may be nil
}

func (e *LoginNeededError) Error() string {
	return "oauth: login needed: " + e.Reason
}

// Unwrap returns the cause.
func (e *LoginNeededError) Unwrap() error { return e.Err }

// Is matches ErrLoginNeeded.
func (e *LoginNeededError) Is(target error) bool { return target == ErrLoginNeeded }

// Code is the JS error code.
func (e *LoginNeededError) Code() string { return "ERR_OAUTH_LOGIN_NEEDED" }

// Hint is what the user does next, in plain words (the CLI words
// HintLoginAgain with its command).
func (e *LoginNeededError) Hint() string { return "log in to the plugin again" }

// The hint kinds of this package (see jsrt.HintKind): the CLI words them
// with its commands and flags.
const (
	// HintLoginAgain: run the plugin's login again.
	HintLoginAgain jsrt.HintKind = "oauth-login-again"
	// HintLoginTimeout: log in again and finish in time, or log in
	// without a browser here (paste the redirected address, a device code).
	HintLoginTimeout jsrt.HintKind = "oauth-login-timeout"
	// HintNoDeviceLogin: the plugin has no device login; use the browser.
	HintNoDeviceLogin jsrt.HintKind = "oauth-no-device-login"
	// HintCheckEndpoint: an auth endpoint did not answer; check the
	// network, the plugin's auth URLs and where connections are sent.
	HintCheckEndpoint jsrt.HintKind = "oauth-check-endpoint"
)

// ErrTimeout reports that no callback arrived before Wait's context
// deadline.
var ErrTimeout = errors.New("oauth: timed out waiting for the login in the browser")

// ErrFlowUsed reports a second Wait or ExchangePasted on a Flow that has
// already taken its one callback.
var ErrFlowUsed = errors.New("oauth: this login has already received its callback")

// ErrStateMismatch reports a pasted URL whose state belongs to another
// login.
var ErrStateMismatch = errors.New("oauth: the URL belongs to a different login (state mismatch)")

// ErrNotRedirect reports pasted text that is not the address the browser
// ended on (no code or error, or no state); the login goes on waiting.
var ErrNotRedirect = errors.New("oauth: the pasted text is not the address the browser ended on")

// withHint is jsrt.WithHint.
func withHint(err error, hint string) error { return jsrt.WithHint(err, hint) }

// withHintKind is jsrt.WithHintKind.
func withHintKind(err error, kind jsrt.HintKind, hint string) error {
	return jsrt.WithHintKind(err, kind, hint)
}

// providerErr returns pe with its code (jsrt.WithCode: a Code method would
// clash with ProviderError's Code field) and a hint for the stage.
func providerErr(pe *ProviderError) error {
	return withHint(jsrt.WithCode(pe, pe.ErrorCode()), providerHint(pe))
}

func providerHint(pe *ProviderError) string {
	switch pe.Code {
	case "access_denied":
		if pe.Stage == StageDevicePoll {
			return "the request was denied on the other device; run the login again and approve it"
		}
		return "the login was denied or cancelled in the browser; run the login again and approve the request"
	case "invalid_grant":
		if pe.Stage == StageExchange {
			return "the authorization code was refused (expired, already used, or the PKCE verifier did not match); run the login again"
		}
	case "expired_token":
		return "the code expired before it was entered; run the login again and enter the code sooner"
	case "invalid_client", "unauthorized_client":
		return "the provider does not know this client; check auth.clientId (or the clientId config field)"
	case "invalid_scope":
		return "the provider refused the requested scopes; check auth.scopes"
	case "invalid_request", "unsupported_response_type", "unsupported_grant_type":
		return "the provider rejected the request; check the plugin's auth block (URLs, pkce, clientId)"
	}
	if pe.Status >= 500 {
		return "the provider had a server error; try again later"
	}
	return "check the plugin's auth block and try the login again"
}

// mapErr turns an x/oauth2 or transport error into ProviderError or
// EndpointError, with hints; ctx errors pass through unchanged.
func mapErr(stage, endpoint string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("oauth: %s: %w", stage, err)
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		pe := &ProviderError{Stage: stage, Code: clean(re.ErrorCode, 64), Description: clean(re.ErrorDescription, 300)}
		if re.Response != nil {
			pe.Status = re.Response.StatusCode
		}
		return providerErr(pe)
	}
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err // url.Error repeats the URL, which EndpointError names once
	}
	if strings.HasPrefix(cause.Error(), "oauth2: ") {
		// x/oauth2's own parse errors; they can quote the body, so say less.
		cause = errors.New("the answer is not a valid OAuth token response")
	}
	return withHintKind(&EndpointError{Stage: stage, URL: stripQuery(endpoint), Err: cause}, HintCheckEndpoint,
		"check the network connection and the plugin's auth URLs (where connections to them are redirected, that the target is up)")
}

func stripQuery(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}

// clean makes provider text safe for one terminal line.
func clean(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

var (
	_ error      = (*ProviderError)(nil)
	_ error      = (*EndpointError)(nil)
	_ jsrt.Coder = (*EndpointError)(nil)
	_ error      = (*LoginNeededError)(nil)
	_ jsrt.Coder = (*LoginNeededError)(nil)
)
