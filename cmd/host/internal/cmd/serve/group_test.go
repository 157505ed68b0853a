package serve

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseGroups(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, id := range []string{"alpha", "beta", "gamma", "delta"} {
		p := filepath.Join(dir, id, "plugin.ts")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("export default definePlugin({ tools: {} });\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	alpha, beta, gamma, delta := paths[0], paths[1], paths[2], paths[3]
	// An installed plugin's id: the data dir knows its file.
	resolve := func(name string) string {
		if name == "installed-beta" {
			return filepath.Dir(beta)
		}
		return name
	}
	for _, tc := range []struct {
		values []string
		want   map[string]string
		err    string
	}{
		{values: nil, want: nil},
		{values: []string{"alpha,beta"}, want: map[string]string{alpha: "alpha,beta", beta: "alpha,beta"}},
		// Spaces trimmed; by id, directory, file and a name the data dir knows.
		{values: []string{" alpha , " + filepath.Dir(gamma), delta + ",installed-beta"},
			want: map[string]string{alpha: "alpha," + filepath.Dir(gamma), gamma: "alpha," + filepath.Dir(gamma), delta: delta + ",installed-beta", beta: delta + ",installed-beta"}},
		{values: []string{"alpha,beta,gamma,delta"}, want: map[string]string{alpha: "alpha,beta,gamma,delta", beta: "alpha,beta,gamma,delta", gamma: "alpha,beta,gamma,delta", delta: "alpha,beta,gamma,delta"}},
		{values: []string{"alpha"}, err: `serve: --group "alpha": a group needs at least two plugins (a plugin not in a group has a worker of its own); name them with commas: --group alpha,OTHER`},
		{values: []string{"alpha,"}, err: `serve: --group "alpha,": an empty plugin name; separate plugin ids with commas: --group a,b`},
		{values: []string{"alpha,omega"}, err: "serve: --group alpha,omega: omega is not a plugin this serve runs (it runs alpha, beta, delta, gamma); name a group's plugins by id, file or directory"},
		{values: []string{"alpha,beta", "gamma,beta"}, err: "serve: --group gamma,beta: beta is already in --group alpha,beta; a plugin can be in one group only"},
		{values: []string{"alpha," + alpha}, err: "serve: --group alpha," + alpha + ": alpha and " + alpha + " are the same plugin; name each plugin once"},
	} {
		got, err := parseGroups(tc.values, paths, resolve)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: got %v, want the error\n%s", tc.values, err, tc.err)
			} else if !strings.HasPrefix(err.Error(), "serve: --group") {
				t.Errorf("%q: %v", tc.values, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %v %v, want %v", tc.values, got, err, tc.want)
		}
	}
}
