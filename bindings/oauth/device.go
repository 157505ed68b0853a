package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// deviceGrantType is RFC 8628's grant_type for polling.
const deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"

// DeviceUI is what Device shows the user while the device login runs.
type DeviceUI struct {
	// Code is called once, before polling starts, with what to show: the
	// code, where to enter it, that URL with the code filled in when the
	// provider gives one, and how long the code lasts.
	Code func(userCode, verificationURI, verificationURIComplete string, expiresIn time.Duration)
	// Retrying is called after a poll that failed on the way, with the
	// failure and the wait before the next poll.
	Retrying func(err error, next time.Duration)
}

func (ui DeviceUI) retrying(err error, next time.Duration) {
	if ui.Retrying != nil {
		ui.Retrying(err, next)
	}
}

// maxPollBackoff caps the wait between polls after transient failures, in
// pollUnits (seconds).
const maxPollBackoff = 60

// transientError is a poll that failed on the way, not by the provider's
// answer: Device polls again.
type transientError struct{ err error }

func (e *transientError) Error() string { return e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }

// pollUnit is what one second of the provider's polling interval lasts;
// tests shorten it.
var pollUnit = time.Second

// Device runs the device authorization grant (RFC 8628): it asks
// cfg.DeviceAuthorizationURL for a user code, calls onCode once with what to
// show the user (the code, where to enter it, the URL with the code filled
// in when the provider gives one, and how long the code lasts), then polls
// the token endpoint at the provider's interval (5 s when unspecified),
// 5 s slower after each slow_down, until the user approves, denies
// (access_denied), the code expires (expired_token, or its lifetime
// passes) or ctx ends. It stores nothing.
//
// A poll that fails on the way (no connection, a dropped answer, a 5xx or
// 429 without an OAuth error) does not end the login: the user may be
// approving on their phone while the laptop's Wi-Fi hiccups. Polling goes
// on at twice the interval each time (RFC 8628 3.5), at most once a
// minute, with ui.Retrying told; when the code expires during such
// failures the error is the last failure, which is what the user needs to
// fix.
//
// ui's functions run on the calling goroutine and must not block for
// long; either may be nil. Errors are as for Flow.Wait. Safe for
// concurrent use.
//
// Polling is written here rather than with x/oauth2's DeviceAccessToken
// to report expiry and denial as typed errors and to keep the interval
// under the package's control.
func Device(ctx context.Context, cfg Config, client *http.Client, ui DeviceUI) (*Token, error) {
	if err := cfg.validate("deviceAuthorizationUrl"); err != nil {
		return nil, err
	}
	if client == nil {
		client = http.DefaultClient
	}
	da, err := cfg.oauth2Config("").DeviceAuth(withClient(ctx, client))
	if err != nil {
		return nil, mapErr(StageDevice, cfg.DeviceAuthorizationURL, err)
	}
	if da.DeviceCode == "" || da.UserCode == "" || da.VerificationURI == "" {
		return nil, mapErr(StageDevice, cfg.DeviceAuthorizationURL, errors.New("the answer lacks device_code, user_code or verification_uri"))
	}
	var left time.Duration
	if !da.Expiry.IsZero() {
		left = time.Until(da.Expiry)
	}
	if ui.Code != nil {
		ui.Code(da.UserCode, da.VerificationURI, da.VerificationURIComplete, left)
	}
	interval := da.Interval
	if interval <= 0 || interval > 300 {
		interval = 5
	}
	var backoff int64 // the current wait after transient failures, in pollUnits
	expired := providerErr(&ProviderError{Stage: StageDevicePoll, Code: "expired_token", Description: "the code expired before the login was approved"})
	var failing error // the last poll's transient failure; nil once one gets through
	timer := time.NewTimer(time.Duration(interval) * pollUnit)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, withHint(ErrTimeout, "run the login again and approve it on the other device in time")
			}
			return nil, fmt.Errorf("oauth: waiting for the device login: %w", ctx.Err())
		case <-timer.C:
		}
		if !da.Expiry.IsZero() && !time.Now().Before(da.Expiry) {
			if failing != nil {
				return nil, failing
			}
			return nil, expired
		}
		t, perr, err := pollDevice(ctx, cfg, client, da.DeviceCode)
		wait := interval
		switch {
		case err != nil:
			var te *transientError
			if !errors.As(err, &te) || ctx.Err() != nil {
				return nil, err
			}
			failing = te.err
			backoff = min(max(backoff*2, interval*2), maxPollBackoff)
			wait = backoff
			ui.retrying(failing, time.Duration(wait)*pollUnit)
		case t != nil:
			return t, nil
		case perr.Code == "authorization_pending":
			failing, backoff = nil, 0
		case perr.Code == "slow_down":
			failing, backoff = nil, 0
			interval += 5 // RFC 8628 3.5: for this and all later requests
			wait = interval
		default:
			return nil, providerErr(perr)
		}
		timer.Reset(time.Duration(wait) * pollUnit)
	}
}

// pollDevice asks the token endpoint once. It returns the token, or the
// provider's error answer, or err for anything else: a *transientError
// when the poll failed on the way (no answer, or a bare 5xx/429).
func pollDevice(ctx context.Context, cfg Config, client *http.Client, deviceCode string) (*Token, *ProviderError, error) {
	form := url.Values{
		"grant_type":  {deviceGrantType},
		"device_code": {deviceCode},
		"client_id":   {cfg.ClientID},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, nil, mapErr(StageDevicePoll, cfg.TokenURL, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, &transientError{mapErr(StageDevicePoll, cfg.TokenURL, err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, nil, &transientError{mapErr(StageDevicePoll, cfg.TokenURL, err)}
	}
	fields, perr := parseBody(resp.Header.Get("Content-Type"), body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		pe := &ProviderError{Stage: StageDevicePoll, Status: resp.StatusCode}
		if perr == nil {
			pe.Code = clean(fields.str("error"), 64)
			pe.Description = clean(fields.str("error_description"), 300)
		}
		if pe.Code == "" && (pe.Status >= 500 || pe.Status == http.StatusTooManyRequests) {
			// Not the provider's answer to the login: a proxy, an outage.
			return nil, nil, &transientError{mapErr(StageDevicePoll, cfg.TokenURL, fmt.Errorf("it answered HTTP %d without an OAuth error", pe.Status))}
		}
		return nil, pe, nil
	}
	if perr != nil || fields.str("access_token") == "" {
		return nil, nil, mapErr(StageDevicePoll, cfg.TokenURL, errors.New("the answer is not a valid OAuth token response"))
	}
	t := &Token{
		AccessToken:  fields.str("access_token"),
		RefreshToken: fields.str("refresh_token"),
		TokenType:    fields.str("token_type"),
		ObtainedAt:   start,
	}
	if t.TokenType == "" || strings.EqualFold(t.TokenType, "bearer") {
		t.TokenType = "Bearer"
	}
	if n, err := strconv.ParseInt(fields.str("expires_in"), 10, 64); err == nil && n > 0 {
		t.ExpiresIn = n
		t.Expiry = start.Add(time.Duration(n) * time.Second)
	}
	if s, ok := fields["scope"]; ok {
		t.Scopes = strings.Fields(fmt.Sprint(s))
	} else {
		t.Scopes = append([]string(nil), cfg.Scopes...)
	}
	return t, nil, nil
}

// bodyFields is a token endpoint answer, JSON or form-encoded.
type bodyFields map[string]any

func (f bodyFields) str(k string) string {
	switch v := f[k].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

func parseBody(contentType string, body []byte) (bodyFields, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "application/x-www-form-urlencoded" || mt == "text/plain" {
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		f := bodyFields{}
		for k := range q {
			f[k] = q.Get(k)
		}
		return f, nil
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	var f bodyFields
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	return f, nil
}
