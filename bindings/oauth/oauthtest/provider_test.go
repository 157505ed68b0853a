package oauthtest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"host/bindings/oauth/oauthtest"
)

const redirect = "http://127.0.0.1:9/callback" // never dialled: RedirectOnly stops at the 302

func authURL(q url.Values) string {
	return "https://myservice.com" + oauthtest.AuthorizePath + "?" + q.Encode()
}

func baseQuery(verifier string) url.Values {
	sum := sha256.Sum256([]byte(verifier))
	return url.Values{
		"response_type": {"code"}, "client_id": {"my-app"}, "redirect_uri": {redirect}, "state": {"fake-state"},
		"scope": {"read"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}
}

// exchange posts an authorization_code grant and returns the status and
// the JSON answer.
func exchange(t *testing.T, p *oauthtest.Provider, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := p.Client().PostForm("https://myservice.com"+oauthtest.TokenPath, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func codeFrom(t *testing.T, loc string) string {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil || u.Query().Get("code") == "" || u.Query().Get("state") != "fake-state" {
		t.Fatalf("redirect %q: want code and the state back", loc)
	}
	return u.Query().Get("code")
}

func TestPKCEVerification(t *testing.T) {
	p := oauthtest.New(oauthtest.Options{RequirePKCE: true})
	defer p.Close()
	const verifier = "fake-verifier-0123456789-0123456789-0123456789"
	form := func(code, v string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "client_id": {"my-app"}, "code_verifier": {v}}
	}

	loc, err := p.RedirectOnly(authURL(baseQuery(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	if status, body := exchange(t, p, form(codeFrom(t, loc), "fake-wrong-verifier")); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("wrong verifier: %d %v, want 400 invalid_grant", status, body)
	}

	loc, _ = p.RedirectOnly(authURL(baseQuery(verifier)))
	code := codeFrom(t, loc)
	status, body := exchange(t, p, form(code, verifier))
	if status != 200 || body["access_token"] == nil || body["refresh_token"] == nil || body["expires_in"] != 3600.0 || body["scope"] != "read" {
		t.Errorf("right verifier: %d %v", status, body)
	}
	if status, body := exchange(t, p, form(code, verifier)); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("code reused: %d %v, want invalid_grant", status, body)
	}
}

func TestAuthorizeValidation(t *testing.T) {
	p := oauthtest.New(oauthtest.Options{RequirePKCE: true})
	defer p.Close()
	tests := []struct {
		name      string
		edit      func(url.Values)
		wantError string // error on the redirect; "" when no redirect (400 page)
	}{
		{"unknown client", func(q url.Values) { q.Set("client_id", "other") }, ""},
		{"redirect not on loopback", func(q url.Values) { q.Set("redirect_uri", "http://evil.example/callback") }, ""},
		{"https redirect", func(q url.Values) { q.Set("redirect_uri", "https://127.0.0.1:9/callback") }, ""},
		{"no PKCE", func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, "invalid_request"},
		{"plain PKCE", func(q url.Values) { q.Set("code_challenge_method", "plain") }, "invalid_request"},
		{"no state", func(q url.Values) { q.Del("state") }, "invalid_request"},
		{"token response type", func(q url.Values) { q.Set("response_type", "token") }, "unsupported_response_type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := baseQuery("fake-verifier")
			tc.edit(q)
			loc, err := p.RedirectOnly(authURL(q))
			if tc.wantError == "" {
				if err == nil {
					t.Errorf("redirected to %s, want a 400 page", loc)
				}
				return
			}
			u, _ := url.Parse(loc)
			if err != nil || u.Query().Get("error") != tc.wantError {
				t.Errorf("got %q, %v; want error=%s", loc, err, tc.wantError)
			}
		})
	}
	p.Update(func(o *oauthtest.Options) { o.Deny = true })
	loc, _ := p.RedirectOnly(authURL(baseQuery("fake-verifier")))
	if u, _ := url.Parse(loc); u == nil || u.Query().Get("error") != "access_denied" || u.Query().Get("state") != "fake-state" {
		t.Errorf("deny: %q", loc)
	}
}

func TestMe(t *testing.T) {
	p := oauthtest.New(oauthtest.Options{})
	defer p.Close()
	access, _ := p.Issue("read")
	for tok, want := range map[string]int{access: 200, "fake-unknown": 401} {
		req, _ := http.NewRequest("GET", "https://api.myservice.com/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := p.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("/me with %s: %d, want %d", strings.SplitN(tok, "-", 3)[1], resp.StatusCode, want)
		}
	}
}
