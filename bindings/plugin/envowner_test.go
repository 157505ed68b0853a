package plugin

import "testing"

func TestEnvOwner(t *testing.T) {
	ids := []string{"github", "github-issues", "victim.svc", "victim_svc", "a"}
	for _, tc := range []struct {
		name, id string
		ok       bool
	}{
		{"HOST_CONFIG_GITHUB_ISSUES_TOKEN", "github-issues", true}, // the longest id part wins
		{"HOST_CONFIG_GITHUB_TOKEN", "github", true},
		{"HOST_CONFIG_GITHUB_ISSUES_", "github", true},      // github-issues has no key there
		{"HOST_CONFIG_VICTIM_SVC_PAY", "victim.svc", false}, // two ids, one part: neither
		{"HOST_CONFIG_TOKEN", "", false},
		{"HOST_CONFIG_A_B", "a", true},
		{"HOST_CONFIG_A_", "", false},
		{"OTHER_A_B", "", false},
	} {
		id, ok := EnvOwner(tc.name, ids)
		if ok != tc.ok || (ok && id != tc.id) {
			t.Errorf("EnvOwner(%s) = %q, %v; want %q, %v", tc.name, id, ok, tc.id, tc.ok)
		}
	}
}
