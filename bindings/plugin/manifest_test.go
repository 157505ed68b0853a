package plugin

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEntry(t *testing.T) {
	dir := t.TempDir()
	put := func(rel, text string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  string // relative; "" = error
	}{
		{"built main is its source", map[string]string{"package.json": `{"main": "dist/index.js"}`, "src/index.ts": "", "index.ts": ""}, "src/index.ts"},
		{"a .ts main", map[string]string{"package.json": `{"main": "lib/entry.ts"}`, "lib/entry.ts": ""}, "lib/entry.ts"},
		{"no main: src/index.ts", map[string]string{"package.json": `{"name": "x"}`, "src/index.ts": ""}, "src/index.ts"},
		{"no package.json: plugin.ts first", map[string]string{"plugin.ts": "", "index.ts": ""}, "plugin.ts"},
		{"only the built js", map[string]string{"package.json": `{"main": "dist/index.js"}`, "dist/index.js": ""}, "dist/index.js"},
		{"nothing", map[string]string{"package.json": `{"main": "dist/index.js"}`}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir = t.TempDir()
			for k, v := range tt.files {
				put(k, v)
			}
			got, err := Entry(dir)
			if tt.want == "" {
				if err == nil || !strings.Contains(err.Error(), "has no plugin entry (looked for src/index.ts, dist/index.ts") {
					t.Errorf("Entry = %q, %v; want an error saying where it looked", got, err)
				}
				return
			}
			if err != nil || got != filepath.Join(dir, tt.want) {
				t.Errorf("Entry = %q, %v; want %s", got, err, tt.want)
			}
		})
	}
	dir = t.TempDir()
	put("package.json", `{"name": "x", "hivemind": "connector"}`)
	if _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), `"hivemind" must be an object`) {
		t.Errorf("a bad manifest: %v", err)
	}
}

func TestManifest(t *testing.T) {
	h, _ := newHost(t)
	h.Version = "0.1.0-dev" // host's own version: not what minHostVersion is compared with
	ctx := context.Background()
	writePlugin(t, h, "pkg/package.json", `{
  "name": "@acme/Issues", "version": "2.0.0", "description": "from npm",
  "hivemind": { "type": "connector", "displayName": "Acme Issues", "description": "Issues of Acme", "permissions": ["network:api.acme.test"], "minHostVersion": "0.2.0" }
}`)
	path := writePlugin(t, h, "pkg/src/index.ts", `import { definePlugin, z } from '@hivemind-os/plugin-sdk';
export default definePlugin({ configSchema: z.object({}), tools: [] });`)
	p, err := Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.ID != "acme.issues" || p.Name != "Acme Issues" || p.Description != "Issues of Acme" || p.Version != "2.0.0" || p.Manifest.Type != "connector" {
		t.Errorf("plugin = id %q name %q desc %q version %q manifest %+v", p.ID, p.Name, p.Description, p.Version, p.Manifest)
	}
	if ps := p.Permissions(); !ps.Declared || len(ps.List) != 1 || ps.List[0] != "network:api.acme.test" {
		t.Errorf("permissions = %+v", ps)
	}
	if DefaultID(path) != "acme.issues" {
		t.Errorf("DefaultID = %q", DefaultID(path))
	}

	writePlugin(t, h, "pkg/package.json", `{"name": "acme", "hivemind": {"minHostVersion": "9.0.0"}}`)
	_, err = Load(ctx, h, path)
	var de *DefinitionError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "pkg/package.json: hivemind.minHostVersion is 9.0.0; this host implements the SDK's host API 0.2.0: upgrade host") {
		t.Errorf("minHostVersion: %v", err)
	}
}

// TestIDFromName: ids come from any package name as the SDK's host derives
// them ("@" dropped, "/" to ".", " " to "-"), made usable as a host id.
func TestIDFromName(t *testing.T) {
	for name, want := range map[string]string{
		"@hivemind-os/test-plugin": "hivemind-os.test-plugin",
		"@acme/GitHub":             "acme.github",
		"{{name}}":                 "name",
		"My Plugin":                "my-plugin",
		"my plugin (beta)!":        "my-plugin-beta",
		"café+crème":               "caf-cr-me",
		"@@@":                      "",
		"plain":                    "plain",
		strings.Repeat("a", 70):    strings.Repeat("a", 64),
	} {
		if got := idFromName(name); got != want {
			t.Errorf("idFromName(%q) = %q, want %q", name, got, want)
		}
		if got := idFromName(name); got != "" && !idRE().MatchString(got) {
			t.Errorf("idFromName(%q) = %q is not a usable id", name, got)
		}
	}
}

// TestPublishedLayout: a package as npm publishes it (main dist/index.js,
// no src/) finds its manifest from the built file: its id is the package
// name's, not "dist"; a package.json further up that does not name the
// file is not the plugin's.
func TestPublishedLayout(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pkg/package.json", `{"name": "@acme/published", "main": "dist/index.js", "hivemind": {"permissions": ["network:api.acme.test"]}}`)
	write("pkg/dist/index.js", `export default definePlugin({});`)
	write("pkg/dist/helpers/other.js", `export default definePlugin({});`)
	write("pkg/dist/package.json", `{"type": "module"}`) // a build's marker, not the package
	entry, err := Entry(filepath.Join(dir, "pkg"))
	if err != nil || entry != filepath.Join(dir, "pkg/dist/index.js") {
		t.Fatalf("Entry = %q, %v", entry, err)
	}
	if got := DefaultID(entry); got != "acme.published" {
		t.Errorf("DefaultID = %q, want acme.published", got)
	}
	if got := DefaultID(filepath.Join(dir, "pkg/dist/helpers/other.js")); got != "other" {
		t.Errorf("a file of the package that is not its entry: DefaultID = %q, want other", got)
	}
	h, _ := newHost(t)
	p, err := Load(context.Background(), h, entry)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	real, _ := filepath.EvalSymlinks(filepath.Join(dir, "pkg"))
	if got := Root(entry); got != real {
		t.Errorf("Root = %s, want the package %s", got, real)
	}
	if p.ID != "acme.published" || p.Manifest == nil || !p.Permissions().declares(catNetwork) || p.Permissions().allowsURL("https", "evil.test", "443") {
		t.Errorf("published: id %q, manifest %v, permissions %+v", p.ID, p.Manifest, p.Permissions())
	}
}
