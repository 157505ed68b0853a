package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"host/bindings/oauth"
	"host/bindings/oauth/oauthtest"
	"host/cmd/host/internal/browsertest"
)

// login runs a browser login against the stand-in provider in Chromium
// and returns what the callback page showed.
func login(t *testing.T, ctx context.Context, prov *oauthtest.Provider, name string) (shown map[string]string) {
	t.Helper()
	base := "https://" + prov.Addr()
	cfg := oauth.Config{AuthorizationURL: base + oauthtest.AuthorizePath, TokenURL: base + oauthtest.TokenPath,
		ClientID: oauthtest.DefaultClientID, Scopes: []string{"read", "write"}, PKCE: true}
	f, err := oauth.Start(context.Background(), cfg, oauth.FlowOptions{Client: prov.Client(), Name: name, Page: CallbackPage})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	done := make(chan error, 1)
	go func() {
		wctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := f.Wait(wctx)
		done <- err
	}()
	browsertest.Do(t, ctx, chromedp.Navigate(f.AuthURL()), chromedp.WaitVisible(chromedp.ID("outcome")))
	shown = map[string]string{}
	read := func(key string, a chromedp.Action[string]) {
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		shown[key] = v
	}
	read("h1", chromedp.Text(chromedp.CSS("h1")))
	read("plugin", chromedp.Text(chromedp.ID("plugin")))
	read("body", chromedp.Text(chromedp.CSS("main")))
	// The inline stylesheet is allowed by the CSP (its hash) and applies.
	read("sheets", chromedp.Evaluate[string](`String(document.styleSheets.length)`))
	read("border", chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.card')).borderTopWidth`))
	// Provider and plugin text made no elements.
	read("injected", chromedp.Evaluate[string](`String(document.querySelectorAll('b, img, script').length)`))
	ar, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("outcome"), "data-outcome"))
	if err != nil {
		t.Fatal(err)
	}
	shown["outcome"] = ar.Value
	<-done
	return shown
}

// TestCallbackPageInChromium: a real browser goes through the login; the
// page it lands on names the plugin and shows the real outcome (after the
// code exchange): signed in with the scopes, or the provider's refusal
// with its own words, escaped.
func TestCallbackPageInChromium(t *testing.T) {
	ctx := browsertest.Start(t, browsertest.Options{Timeout: 60 * time.Second})
	prov := oauthtest.New(oauthtest.Options{RequirePKCE: true})
	defer prov.Close()

	got := login(t, ctx, prov, `My <b>Plugin</b>`)
	if got["h1"] != "Signed in" || got["outcome"] != "signed-in" {
		t.Errorf("title %q outcome %q, want Signed in", got["h1"], got["outcome"])
	}
	if got["plugin"] != "My <b>Plugin</b>" {
		t.Errorf("plugin shown as %q", got["plugin"])
	}
	if !strings.Contains(got["body"], "read") || !strings.Contains(got["body"], "write") {
		t.Errorf("scopes not shown: %q", got["body"])
	}
	if got["sheets"] != "1" || got["border"] != "4px" || got["injected"] != "0" {
		t.Errorf("stylesheets %s, card border %s, injected elements %s", got["sheets"], got["border"], got["injected"])
	}
	if prov.ExchangeCount() != 1 {
		t.Errorf("%d exchanges, want 1", prov.ExchangeCount())
	}

	prov.Update(func(o *oauthtest.Options) {
		o.Deny, o.DenyDescription = true, `<img src=x onerror=alert(1)> not today`
	})
	got = login(t, ctx, prov, "token-auth")
	if got["h1"] != "Login failed" || got["outcome"] != "provider-error" {
		t.Errorf("title %q outcome %q, want Login failed", got["h1"], got["outcome"])
	}
	if !strings.Contains(got["body"], "access_denied") || !strings.Contains(got["body"], "<img src=x onerror=alert(1)> not today") {
		t.Errorf("the provider's words are not shown as text: %q", got["body"])
	}
	if got["injected"] != "0" {
		t.Errorf("the provider's text made %s elements", got["injected"])
	}
}
