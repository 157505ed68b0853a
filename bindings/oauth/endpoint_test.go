package oauth_test

import (
	"errors"
	"strings"
	"testing"

	"host/bindings/oauth"
)

func TestCheckEndpoint(t *testing.T) {
	tests := []struct {
		url       string
		want      string // "" when accepted; else a part of the error
		cleartext bool
	}{
		{url: "https://auth.example.com/authorize"},
		{url: "HTTPS://auth.example.com/authorize"},
		{url: "http://127.0.0.1:8080/token"},
		{url: "http://127.9.9.9/token"},
		{url: "http://[::1]:9000/token"},
		{url: "http://localhost:9000/token"},
		{url: "http://LocalHost/token"},
		{url: "http://auth.example.com/token", want: `auth.tokenUrl "http://auth.example.com/token" is http:// to another machine: the authorization code, the PKCE verifier and the tokens would travel unencrypted; use https://`, cleartext: true},
		{url: "HTTP://auth.example.com/token", want: "is http:// to another machine", cleartext: true},
		{url: "http://10.0.0.7/token", want: "is http:// to another machine", cleartext: true},
		{url: "http://192.168.1.1/token", want: "is http:// to another machine", cleartext: true},
		{url: "http://localhost.example.com/token", want: "is http:// to another machine", cleartext: true},
		{url: "http://127.0.0.1.example.com/token", want: "is http:// to another machine", cleartext: true},
		{url: "http://[::ffff:8.8.8.8]/token", want: "is http:// to another machine", cleartext: true},
		{url: "http://0.0.0.0/token", want: "is http:// to another machine", cleartext: true},
		{url: "ftp://auth.example.com/token", want: `auth.tokenUrl must be an http(s) URL, got "ftp://auth.example.com/token"`},
		{url: "auth.example.com/token", want: "must be an http(s) URL"},
		{url: "https:///token", want: "must be an http(s) URL"},
		{url: "http:auth.example.com", want: "must be an http(s) URL"},
		{url: "https://a b/", want: "must be an http(s) URL"},
	}
	for _, tt := range tests {
		err := oauth.CheckEndpoint("tokenUrl", tt.url)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.url, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: err = %v, want it to contain %q", tt.url, err, tt.want)
		case err != nil && errors.Is(err, oauth.ErrCleartext) != tt.cleartext:
			t.Errorf("%s: errors.Is(err, ErrCleartext) = %v, want %v", tt.url, !tt.cleartext, tt.cleartext)
		}
	}
}

// TestStartRefusesCleartextEndpoint: a Config that did not come through a
// plugin's definition is checked too, before any request.
func TestStartRefusesCleartextEndpoint(t *testing.T) {
	cfg := oauth.Config{ClientID: "fake-client", AuthorizationURL: "http://auth.example.com/authorize", TokenURL: "https://auth.example.com/token", PKCE: true}
	f, err := oauth.Start(t.Context(), cfg, oauth.FlowOptions{})
	if err == nil {
		f.Close()
		t.Fatal("Start accepted an http:// authorization URL to another host")
	}
	if !errors.Is(err, oauth.ErrCleartext) || !strings.Contains(err.Error(), `auth.authorizationUrl "http://auth.example.com/authorize"`) {
		t.Fatalf("err = %v", err)
	}
}
