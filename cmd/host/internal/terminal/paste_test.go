package terminal

import "testing"

// TestDescribePaste: the live line names a redirect's plain path and
// error code, never a path or code that may be pasted text, nor query
// values.
func TestDescribePaste(t *testing.T) {
	for _, tc := range []struct{ typed, want string }{
		{"", "paste the address and press Enter"},
		{"abc", "3 characters pasted: not an address yet"},
		{"http://127.0.0.1:5/callback", "http://127.0.0.1:5/callback without code= and state= yet"},
		{"http://127.0.0.1:5/call back", "http://127.0.0.1:5 without code= and state= yet"},
		{"http://127.0.0.1:5/" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "http://127.0.0.1:5 without code= and state= yet"},
		{"http://127.0.0.1:5/cb?error=access_denied", "http://127.0.0.1:5/cb with error=access_denied: press Enter"},
		{"http://127.0.0.1:5/cb?error=Access+Denied", "http://127.0.0.1:5/cb with an error: press Enter"},
		{"http://127.0.0.1:5/cb?error=", "http://127.0.0.1:5/cb without code= and state= yet"},
	} {
		if got := describePaste(tc.typed, ""); got != tc.want {
			t.Errorf("describePaste(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
}
