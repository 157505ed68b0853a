package oauth_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"testing"

	"host/bindings/fetch"
	"host/bindings/oauth"
	"host/bindings/oauth/oauthtest"
	"host/bindings/secrets"
	"host/bindings/secrets/keyringtest"
	"host/internal/hosttest"
	"host/jsrt"
)

// realKeyring is the test binary's shared private Secret Service.
func realKeyring(t testing.TB) *keyringtest.Session { return keyringtest.Shared(t) }

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	code := hosttest.Main(m) // says which tests a missing prerequisite skipped
	keyringtest.CloseShared()
	os.Exit(code)
}

// childEnv marks a re-executed test binary acting as a second `host`
// process (see TestKeeperTwoProcesses).
const childEnv = "OAUTH_TEST_CHILD"

// childMain waits until stdin closes (so sibling processes start at once),
// then gets a fresh token through a Keeper on the real keyring and prints
// the access token (a fake value of the stand-in) on stdout.
func childMain() int {
	_, _ = io.Copy(io.Discard, os.Stdin)
	ctx := context.Background()
	host, port, _ := net.SplitHostPort(os.Getenv("OAUTH_TEST_PROVIDER"))
	rules := []fetch.ConnectTo{{Host: "myservice.com", Port: "443", ToHost: host, ToPort: port}}
	client := fetch.NewClient(fetch.ClientOptions{ConnectTo: rules}) // roots: SSL_CERT_FILE
	s, err := secrets.NewScoped(secrets.NewKeyring(), os.Getenv("OAUTH_TEST_PLUGIN"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	k := oauth.NewKeeper(specConfig(), client, s, os.Getenv("OAUTH_TEST_DATA"))
	t, err := k.Fresh(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%v (hint: %s)\n", err, jsrt.Hint(err))
		return 1
	}
	fmt.Println(t.AccessToken)
	return 0
}

// specConfig is the documents' oauth2 auth block.
func specConfig() oauth.Config {
	return oauth.Config{
		AuthorizationURL:       "https://myservice.com/oauth/authorize",
		TokenURL:               "https://myservice.com/oauth/token",
		DeviceAuthorizationURL: "https://myservice.com/oauth/device/code",
		ClientID:               "my-app",
		Scopes:                 []string{"read", "write"},
		PKCE:                   true,
	}
}

// provider starts a stand-in for myservice.com and the host's client for it.
func provider(t testing.TB, opts oauthtest.Options) (*oauthtest.Provider, *oauth.Config) {
	t.Helper()
	p := oauthtest.New(opts)
	t.Cleanup(p.Close)
	cfg := specConfig()
	return p, &cfg
}

// noLeak fails when err's text or hint contains one of the values.
func noLeak(t *testing.T, err error, values ...string) {
	t.Helper()
	if err == nil {
		return
	}
	text := err.Error() + "\n" + jsrt.Hint(err)
	for _, v := range values {
		if v != "" && strings.Contains(text, v) {
			t.Errorf("error text reveals a secret value: %q", text)
		}
	}
}

func wantProviderError(t *testing.T, err error, code string) *oauth.ProviderError {
	t.Helper()
	var pe *oauth.ProviderError
	if !errors.As(err, &pe) {
		t.Fatalf("want a *ProviderError with code %q, got %v", code, err)
	}
	if pe.Code != code {
		t.Fatalf("provider error code = %q, want %q (%v)", pe.Code, code, err)
	}
	if jsrt.Hint(err) == "" {
		t.Errorf("%v: no hint", err)
	}
	return pe
}

func memScope(t testing.TB, id string) *secrets.Scoped {
	t.Helper()
	s, err := secrets.NewScoped(secrets.NewMemory(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
