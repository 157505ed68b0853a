package mcpserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckListen(t *testing.T) {
	for _, c := range []struct {
		addr           string
		remote, noAuth bool
		want           string // "" ok, else part of the error
	}{
		{"127.0.0.1:7331", false, false, ""},
		{"127.0.0.1:0", false, true, ""},
		{"[::1]:7331", false, true, ""},
		{"localhost:7331", false, false, ""},
		{"0.0.0.0:7331", false, false, "not a loopback address"},
		{":7331", false, false, "not a loopback address"},
		{"192.0.2.1:7331", false, false, "--allow-remote"},
		{"0.0.0.0:7331", true, false, ""},
		{"0.0.0.0:7331", true, true, "--no-auth is only allowed on a loopback address"},
		{"7331", false, false, "expected HOST:PORT"},
	} {
		err := CheckListen(c.addr, c.remote, c.noAuth)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckListen(%q, remote %v, noAuth %v) = %v, want %q", c.addr, c.remote, c.noAuth, err, c.want)
		}
	}
}

func TestOriginAndHost(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1:7331": true, "localhost:1": true, "[::1]:80": true, "127.5.0.1": true, "evil.example:7331": false, "127.0.0.1.evil.example": false} {
		if got := loopbackHost(host); got != want {
			t.Errorf("loopbackHost(%q) = %v", host, got)
		}
	}
	for _, c := range []struct {
		origin, host string
		remote, want bool
	}{
		{"http://127.0.0.1:7331", "127.0.0.1:7331", false, true},
		{"http://localhost:3000", "127.0.0.1:7331", false, true},
		{"https://evil.example", "127.0.0.1:7331", false, false},
		{"null", "127.0.0.1:7331", false, false},
		{"https://host.example:7331", "host.example:7331", true, true},
		{"http://localhost:3000", "host.example:7331", true, false},
	} {
		if got := sameOrigin(c.origin, c.host, c.remote); got != c.want {
			t.Errorf("sameOrigin(%q, %q, %v) = %v", c.origin, c.host, c.remote, got)
		}
	}
}

func TestLoadToken(t *testing.T) {
	dir := t.TempDir()
	a, err := LoadToken(dir)
	if err != nil || len(a) < 40 {
		t.Fatalf("token %q, %v", a, err)
	}
	fi, _ := os.Stat(filepath.Join(dir, TokenFile))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	if b, _ := LoadToken(dir); b != a {
		t.Errorf("second load %q != %q", b, a)
	}
	_ = os.Chmod(filepath.Join(dir, TokenFile), 0o644)
	if _, err := LoadToken(dir); err == nil || !strings.Contains(err.Error(), "readable by other users") {
		t.Errorf("world-readable token: %v", err)
	}
}
