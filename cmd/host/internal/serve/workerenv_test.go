package serve

import (
	"reflect"
	"slices"
	"testing"
)

func TestConfigFor(t *testing.T) {
	environ := []string{
		"HOST_CONFIG_GITHUB_ISSUES_TOKEN=victim",
		"HOST_CONFIG_GITHUB_TOKEN=own",
		"HOST_CONFIG_TOKEN=unscoped",
		"HOST_CONFIG_VICTIM_SVC_PAY=either",
		"HOST_CONFIG_GITHUB_=empty-key",
		"OTHER=x",
		"HOST_CONFIG_APIKEY=", // empty: unset
	}
	served := []string{"github", "github-issues", "victim.svc", "victim_svc"}
	set := map[string]string{"github-issues:region": "eu", "github:x": "1", "token": "t"}
	for _, tc := range []struct {
		id   string
		want ConfigValues
	}{
		{"github", ConfigValues{
			Env: map[string]string{"HOST_CONFIG_GITHUB_TOKEN": "own", "HOST_CONFIG_TOKEN": ""},
			Set: map[string]string{"github:x": "1", "token": ""},
		}},
		{"github-issues", ConfigValues{
			Env: map[string]string{"HOST_CONFIG_GITHUB_ISSUES_TOKEN": "victim", "HOST_CONFIG_TOKEN": ""},
			Set: map[string]string{"github-issues:region": "eu", "token": ""},
		}},
		// Two ids with one variable part: neither gets the value.
		{"victim.svc", ConfigValues{
			Env: map[string]string{"HOST_CONFIG_TOKEN": ""},
			Set: map[string]string{"token": ""},
		}},
	} {
		got := configFor(tc.id, served, environ, set)
		// HOST_CONFIG_GITHUB_ (no key) names no plugin: by name only.
		if v, ok := got.Env["HOST_CONFIG_GITHUB_"]; !ok || v != "" {
			t.Errorf("%s: HOST_CONFIG_GITHUB_ = %q, %v", tc.id, v, ok)
		}
		delete(got.Env, "HOST_CONFIG_GITHUB_")
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("configFor(%s) = %+v, want %+v", tc.id, got, tc.want)
		}
	}
}

func TestWorkerEnv(t *testing.T) {
	environ := []string{"PATH=/bin", "AWS_SECRET_ACCESS_KEY=x", "DBUS_SESSION_BUS_ADDRESS=unix:path=/b", "https_proxy=http://p", "LC_ALL=C",
		"HOST_CONFIG_TOKEN=v", "GITHUB_TOKEN=y", "HOST_SECRETS_PASSPHRASE=pw"}
	want := []string{"PATH=/bin", "DBUS_SESSION_BUS_ADDRESS=unix:path=/b", "https_proxy=http://p", "LC_ALL=C", "HOST_SECRETS_PASSPHRASE=pw"}
	if got := WorkerEnv(environ, true); !slices.Equal(got, want) {
		t.Errorf("shared: %v, want %v", got, want)
	}
	want = append(want, "HOST_CONFIG_TOKEN=v")
	if got := WorkerEnv(environ, false); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
		t.Errorf("alone: %v, want %v", got, want)
	}
}
