package oauth

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"time"
)

// CallbackKind is what the browser's visit to the redirect URI came to.
type CallbackKind string

// The outcomes the callback page shows.
const (
	CallbackSignedIn       CallbackKind = "signed-in"       // the code was exchanged for tokens
	CallbackProviderError  CallbackKind = "provider-error"  // the provider redirected with an error (denied...)
	CallbackExchangeFailed CallbackKind = "exchange-failed" // the token endpoint refused or failed
	CallbackStateMismatch  CallbackKind = "state-mismatch"  // not the answer to this login
	CallbackAlreadyUsed    CallbackKind = "already-used"    // this login already had its answer
	CallbackWrongMethod    CallbackKind = "wrong-method"    // not a GET
	CallbackNoResult       CallbackKind = "no-result"       // the exchange did not finish in time
	CallbackReceived       CallbackKind = "received"        // answered before the exchange (no Page)
)

// CallbackResult is the outcome of a callback, for the page the browser
// shows. Its text fields come from the provider: escape them.
type CallbackResult struct {
	Kind   CallbackKind
	Status int    // the HTTP status of the page
	Name   string // FlowOptions.Name: the plugin being logged in
	Scopes []string
	// ProviderCode and ProviderDescription are the provider's error and
	// error_description (ProviderError, ExchangeFailed when it said so).
	ProviderCode, ProviderDescription string
	Err                               error // ExchangeFailed: what went wrong
}

// callbackWait bounds how long the callback page waits for the code
// exchange before it answers without the outcome.
const callbackWait = 45 * time.Second

// report hands the exchange's outcome to the callback page, once.
func (f *Flow) report(t *Token, err error) {
	r := CallbackResult{Kind: CallbackSignedIn, Status: http.StatusOK}
	if err != nil {
		r.Kind, r.Err = CallbackExchangeFailed, err
		var pe *ProviderError
		if errors.As(err, &pe) {
			r.ProviderCode, r.ProviderDescription = pe.Code, pe.Description
		}
	} else if t != nil {
		r.Scopes = t.Scopes
	}
	select {
	case f.outcome <- r:
	default:
	}
}

// render writes the callback page for r with the caller's Page, else a
// plain default. Headers forbid caching and referrers (the code is in the
// URL) and everything but the page's own inline style.
func (f *Flow) render(w http.ResponseWriter, r CallbackResult) {
	r.Name = f.name
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	if f.page != nil {
		f.page(w, r)
		return
	}
	title, msg := "Login received", "You can close this tab and return to the terminal."
	switch r.Kind {
	case CallbackSignedIn:
		title = "Signed in"
	case CallbackProviderError, CallbackExchangeFailed:
		title, msg = "Login failed", "The provider did not grant access."
		if r.ProviderCode != "" {
			msg = "The provider answered: " + r.ProviderCode
			if r.ProviderDescription != "" {
				msg += " — " + r.ProviderDescription
			}
			msg += "."
		}
	case CallbackStateMismatch:
		title, msg = "Login not accepted", "This sign-in answer does not belong to the login the terminal is waiting for (state mismatch). Nothing was changed."
	case CallbackAlreadyUsed:
		title, msg = "Already used", "This login has already received its answer."
	case CallbackWrongMethod:
		title, msg = "Wrong request", "The login callback accepts only GET."
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'")
	w.WriteHeader(r.Status)
	fmt.Fprintf(w, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>host: %[1]s</title></head>\n<body><h1>%[1]s</h1><p>%[2]s</p></body></html>\n",
		html.EscapeString(title), html.EscapeString(msg))
}
