package oauth_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"host/bindings/oauth"
	"host/bindings/oauth/oauthtest"
	"host/jsrt"
)

func TestDeviceFlow(t *testing.T) {
	defer oauth.SetPollUnit(time.Millisecond)()
	tests := []struct {
		name      string
		opts      oauthtest.Options
		wantCode  string // provider error code; "" for success
		wantPolls int
		// wantRetries is how many polls failed on the way
		wantRetries int
	}{
		{"approved after pending", oauthtest.Options{DevicePending: 2}, "", 3, 0},
		{"slow_down then approved", oauthtest.Options{DeviceSlowDown: 2, DevicePending: 1}, "", 4, 0},
		{"denied", oauthtest.Options{DevicePending: 1, DeviceDeny: true}, "access_denied", 2, 0},
		{"dropped connections, then approved", oauthtest.Options{DeviceDrop: 2, DevicePending: 1}, "", 4, 2},
		{"bare 503s, then approved", oauthtest.Options{DeviceUnavailable: 2}, "", 3, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, cfg := provider(t, tc.opts)
			var calls int
			var user, uri, complete string
			var left time.Duration
			var retries []string
			tok, err := oauth.Device(t.Context(), *cfg, p.Client(), oauth.DeviceUI{
				Code: func(u, v, c string, e time.Duration) {
					calls++
					user, uri, complete, left = u, v, c, e
				},
				Retrying: func(err error, next time.Duration) {
					retries = append(retries, fmt.Sprintf("%v (next in %v)", err, next))
				},
			})
			if len(retries) != tc.wantRetries {
				t.Errorf("Retrying called %d times, want %d: %q", len(retries), tc.wantRetries, retries)
			}
			if calls != 1 || user == "" || uri != "https://myservice.com/device" || !strings.Contains(complete, "user_code=") || left < 9*time.Minute {
				t.Errorf("onCode: %d calls, code %q, uri %q, complete %q, expires in %v", calls, user, uri, complete, left)
			}
			if n := p.DevicePollCount(); n != tc.wantPolls {
				t.Errorf("%d polls, want %d", n, tc.wantPolls)
			}
			if tc.wantCode != "" {
				wantProviderError(t, err, tc.wantCode)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !p.ValidAccess(tok.AccessToken) || tok.RefreshToken == "" || strings.Join(tok.Scopes, " ") != "read write" || tok.Expiry.IsZero() {
				t.Errorf("token %v", tok)
			}
		})
	}
}

func TestDeviceCodeExpires(t *testing.T) {
	defer oauth.SetPollUnit(400 * time.Millisecond)()
	p, cfg := provider(t, oauthtest.Options{DeviceExpiresIn: 1, DevicePending: 1000})
	_, err := oauth.Device(t.Context(), *cfg, p.Client(), oauth.DeviceUI{})
	wantProviderError(t, err, "expired_token")
}

// When the code expires while polls keep failing on the way, the error is
// that failure (what the user must fix), not a bare "expired".
func TestDeviceExpiresWhileUnreachable(t *testing.T) {
	defer oauth.SetPollUnit(300 * time.Millisecond)()
	p, cfg := provider(t, oauthtest.Options{DeviceExpiresIn: 1, DeviceDrop: 1000})
	_, err := oauth.Device(t.Context(), *cfg, p.Client(), oauth.DeviceUI{})
	var ee *oauth.EndpointError
	if !errors.As(err, &ee) || ee.Stage != oauth.StageDevicePoll {
		t.Fatalf("err = %v, want the token endpoint's failure", err)
	}
	if n := p.DevicePollCount(); n < 1 || n > 3 {
		t.Errorf("%d polls in a 1 s code lifetime with backoff from 300 ms, want 1-3", n)
	}
}

func TestDeviceNotDeclared(t *testing.T) {
	cfg := specConfig()
	cfg.DeviceAuthorizationURL = ""
	_, err := oauth.Device(t.Context(), cfg, nil, oauth.DeviceUI{})
	if err == nil || !strings.Contains(err.Error(), "deviceAuthorizationUrl") || jsrt.Hint(err) == "" {
		t.Errorf("Device without the URL: %v (hint %q)", err, jsrt.Hint(err))
	}
}

func TestDeviceUnknownClient(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{ClientID: "other-app"})
	_, err := oauth.Device(t.Context(), *cfg, p.Client(), oauth.DeviceUI{})
	wantProviderError(t, err, "invalid_client")
	var pe *oauth.ProviderError
	if errors.As(err, &pe) && pe.Stage != oauth.StageDevice {
		t.Errorf("stage %q", pe.Stage)
	}
}
