package plugin

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestRoot: a plugin's root is its package, or the root of the npm, yarn
// or pnpm workspace that lists it; never the user's home.
func TestRoot(t *testing.T) {
	top := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(top, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("npm/package.json", `{"workspaces": ["packages/*", "!packages/ignored", "apps/**"]}`)
	write("yarn/package.json", `{"workspaces": {"packages": ["plugins/*"]}}`)
	write("pnpm/pnpm-workspace.yaml", "packages: ['libs/*', \"plugins/**\"]\ncatalog:\n  - x\n")
	for _, dir := range []string{"npm/packages/a", "npm/packages/ignored", "npm/apps/web/plug", "npm/tools/x", "yarn/plugins/p", "pnpm/plugins/deep/p", "pnpm/other/p", "home/plug", "solo"} {
		write(dir+"/package.json", `{"name": "x"}`)
		write(dir+"/src/index.ts", ``)
	}
	write("home/package.json", `{"workspaces": ["plug"]}`)
	t.Setenv("HOME", filepath.Join(top, "home"))
	for entry, want := range map[string]string{
		"npm/packages/a/src/index.ts":       "npm",
		"npm/packages/ignored/src/index.ts": "npm/packages/ignored",
		"npm/apps/web/plug/src/index.ts":    "npm",
		"npm/tools/x/src/index.ts":          "npm/tools/x",
		"yarn/plugins/p/src/index.ts":       "yarn",
		"pnpm/plugins/deep/p/src/index.ts":  "pnpm",
		"pnpm/other/p/src/index.ts":         "pnpm/other/p",
		"home/plug/src/index.ts":            "home/plug",
		"solo/src/index.ts":                 "solo",
	} {
		real, _ := filepath.EvalSymlinks(top)
		if got := Root(filepath.Join(top, entry)); got != filepath.Join(real, want) {
			t.Errorf("Root(%s) = %s, want %s", entry, got, want)
		}
	}
	if got := pnpmPackages("# c\npackages:\n  - 'a/*' # x\n  - \"b\"\n  -   c/**\nother:\n  - 'no'\n"); !slices.Equal(got, []string{"a/*", "b", "c/**"}) {
		t.Errorf("pnpmPackages = %q", got)
	}
}
