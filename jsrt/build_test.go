package jsrt

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A virtual module wins over a package of the same name in node_modules,
// for the plugin's own imports and for imports from inside node_modules,
// ES module and CommonJS alike.
func TestBuildVirtualShadowsNodeModules(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.ts": `import { who } from '@acme/sdk';
import { viaLib } from 'lib';
import EventEmitter from 'events';
export const all = () => [who, viaLib(), new EventEmitter().kind].join(' ');
`,
		"node_modules/@acme/sdk/package.json": `{"name":"@acme/sdk","main":"index.js"}`,
		"node_modules/@acme/sdk/index.js":     `exports.who = 'installed';`,
		"node_modules/lib/package.json":       `{"name":"lib","main":"index.js"}`,
		"node_modules/lib/index.js":           `const sdk = require('@acme/sdk'); const E = require('events'); exports.viaLib = () => sdk.who + '/' + new E().kind;`,
	})
	b, err := Build(BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir, GlobalName: "__m",
		Virtual: map[string]string{
			"@acme/sdk": "export const who = 'host';",
			"events":    "module.exports = function EventEmitter() { this.kind = 'cjs'; };",
		}})
	if err != nil {
		t.Fatal(err)
	}
	rt := New(Options{})
	t.Cleanup(rt.Close)
	if err := rt.RunBundle(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	got, err := call(t, rt, "all")
	if err != nil {
		t.Fatal(err)
	}
	if got != "host host/cjs cjs" {
		t.Errorf("all() = %q, want the virtual modules everywhere", got)
	}
}

// Imports stay inside the plugin's root and node_modules: a plugin cannot
// bundle the user's other files (and send them anywhere). The error names
// the import and the rule, and never shows the file's content.
func TestBuildConfinedToRoot(t *testing.T) {
	const secret = "fake-secret-4f1d"
	outside := writeTree(t, map[string]string{
		"config.json": `{"auth":"` + secret + `"}`,
		"notes.txt":   secret + "\n",
		"lib.js":      "export const s = '" + secret + "';",
	})
	top := writeTree(t, map[string]string{
		"node_modules/hoisted/package.json": `{"name":"hoisted","main":"index.js"}`,
		"node_modules/hoisted/index.js":     `exports.h = 'hoisted';`,
		"plugin/node_modules/dep/index.js":  `exports.d = 'dep';`,
		"plugin/data.json":                  `{"ok":true}`,
		"plugin/sub/helper.ts":              `export const helper = 'helper';`,
	})
	root := filepath.Join(top, "plugin")
	if err := os.Symlink(filepath.Join(outside, "lib.js"), filepath.Join(root, "linked.js")); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(root, filepath.Join(outside, "notes.txt"))
	tests := []struct{ name, src, want string }{
		{"inside", "import d from './data.json'; import { helper } from './sub/helper'; import { d as dep } from 'dep'; import { h } from 'hoisted';\nexport default [d.ok, helper, dep, h].join();\n", ""},
		{"absolute", "import c from '" + filepath.Join(outside, "config.json") + "';\nexport default c;\n", `main.ts:1:15: ` + up(root, outside, "config.json") + ` is outside the plugin's directory`},
		{"dotdot", "import n from '" + filepath.ToSlash(rel) + "';\nexport default n;\n", `main.ts:1:15: ` + up(root, outside, "notes.txt") + ` is outside`},
		{"symlink", "import { s } from './linked.js';\nexport default s;\n", `main.ts:1:19: ` + up(root, outside, "lib.js") + ` is outside`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(root, "main.ts"), []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := Build(BuildOptions{Entry: filepath.Join(root, "main.ts"), WorkDir: root})
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var be *BuildError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a BuildError", err)
			}
			if got := be.Error(); !strings.HasPrefix(got, tt.want) || !strings.Contains(got, "a plugin may import only files inside its root and its node_modules") {
				t.Errorf("Error() = %q, want prefix %q and the rule", got, tt.want)
			}
			if strings.Contains(fmt.Sprintf("%+v", be), secret) || b != nil {
				t.Errorf("the refused file's content shows: %+v", be)
			}
		})
	}
}

// up is dir/name relative to from.
func up(from, dir, name string) string {
	r, _ := filepath.Rel(from, filepath.Join(dir, name))
	return filepath.ToSlash(r)
}

// A syntax error goja finds in a bundled library (code esbuild accepted)
// points at the library's own file and line, not at the bundle.
func TestBundleSyntaxErrorInLibrary(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.ts":                       "import { v } from 'lib';\nexport default v;\n",
		"node_modules/lib/package.json": `{"name":"lib","main":"index.js"}`,
		"node_modules/lib/index.js":     "// lib\nexports.other = 1;\nexports.v = 12345;\n",
	})
	b, err := Build(BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	// What goja cannot parse, at the library's third line.
	b = newBundle(strings.Replace(b.Code, "12345", "@@@@@", 1), b.File, b.Inputs, nil)
	rt := New(Options{})
	t.Cleanup(rt.Close)
	err = rt.RunBundle(t.Context(), b)
	je, ok := AsJSError(err)
	if !ok || je.Name != "SyntaxError" || je.Position() != "node_modules/lib/index.js:3:13" || strings.Contains(err.Error(), bundleSuffix) {
		t.Errorf("err = %v (%#v), want a SyntaxError at node_modules/lib/index.js:3:13", err, je)
	}
}

// An error thrown inside one of esbuild's injected helpers (here the
// private-field check of lowered class fields) points at the library line
// that called the helper, the first frame with a source mapping.
func TestHelperErrorPointsAtLibrary(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.ts":                       "import { read } from 'lib';\nexport const go = () => read({});\n",
		"node_modules/lib/package.json": `{"name":"lib","main":"index.js"}`,
		"node_modules/lib/index.js":     "class C {\n  #x = 1;\n  static read(o) { return o.#x; }\n}\nexports.read = (o) => C.read(o);\n",
	})
	rt := run(t, dir, Options{})
	_, err := call(t, rt, "go")
	je, ok := AsJSError(err)
	if !ok || je.Position() != "node_modules/lib/index.js:3:27" || strings.Contains(err.Error(), bundleSuffix) || strings.Contains(je.Stack, bundleSuffix) {
		t.Errorf("err = %v\nstack:\n%s\nwant node_modules/lib/index.js:3:27", err, je.Stack)
	}
}

// TestBuildInHome: a plugin file sitting in the user's home directory
// (issue 25 item 3) may not import the dot-files there, with or without an
// import attribute that reads them as text, nor any other file of the home
// directory; $HOME is never a root, hidden files below any root are
// refused, and the bundle cache keeps no copy of what was refused.
func TestBuildInHome(t *testing.T) {
	const secret = "fake-credential-9c2e"
	home := writeTree(t, map[string]string{
		".docker/config.json":                `{"auths":{"registry":{"auth":"` + secret + `"}}}`,
		".aws/credentials":                   "[default]\naws_secret_access_key = " + secret + "\n",
		"notes.json":                         `{"note":"` + secret + `"}`,
		"package.json":                       `{"name":"home-is-not-a-package"}`,
		"node_modules/dep/package.json":      `{"name":"dep","main":"index.js"}`,
		"node_modules/dep/index.js":          `exports.d = 'dep';`,
		"proj/.env.json":                     `{"token":"` + secret + `"}`,
		"proj/.hidden/x.ts":                  `export const x = '` + secret + `';`,
		"proj/data.json":                     `{"ok":true}`,
		"proj/prompt.txt":                    "hello",
		"proj/sub/helper.ts":                 `export const helper = 'helper';`,
		"proj/node_modules/.pnpm/p/index.js": `exports.p = 'pnpm';`,
	})
	t.Setenv("HOME", home)
	cache := t.TempDir()
	tests := []struct{ name, file, src, want string }{
		{"docker config", "plugin.ts", "import c from './.docker/config.json';\nexport default c;\n", `.docker/config.json is outside the plugin's file: plugin.ts sits in ` + home + `, which holds your other files`},
		{"aws credentials as text", "plugin.ts", "import t from './.aws/credentials' with { type: 'text' };\nexport default t;\n", `.aws/credentials is outside the plugin's file`},
		{"another file of home", "plugin.ts", "import n from './notes.json';\nexport default n;\n", `notes.json is outside the plugin's file`},
		{"node_modules from home", "plugin.ts", "import { d } from 'dep';\nexport default d;\n", ""},
		{"hidden file", "proj/plugin.ts", "import e from './.env.json';\nexport default e;\n", `.env.json is hidden (.env.json): a plugin may not import dot-files`},
		{"hidden dir", "proj/plugin.ts", "import { x } from './.hidden/x';\nexport default x;\n", `.hidden/x.ts is hidden (.hidden)`},
		{"text attribute", "proj/plugin.ts", "import t from './prompt.txt' with { type: 'text' };\nexport default t;\n", `import attribute { type: 'text' } on prompt.txt is refused`},
		{"json attribute on code", "proj/plugin.ts", "import t from './sub/helper.ts' with { type: 'json' };\nexport default t;\n", `import attribute { type: 'json' } on helper.ts is refused`},
		{"inside", "proj/plugin.ts", "import d from './data.json' with { type: 'json' };\nimport { helper } from './sub/helper';\nimport { p } from './node_modules/.pnpm/p/index.js';\nexport default [d.ok, helper, p].join();\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entry := filepath.Join(home, tt.file)
			if err := os.WriteFile(entry, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := BuildCached(BuildOptions{Entry: entry, WorkDir: filepath.Dir(entry)}, cache)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) || b != nil {
				t.Errorf("the refused file's content shows: %v", err)
			}
		})
	}
	// An explicit root of $HOME is not taken either.
	entry := filepath.Join(home, "proj", "plugin.ts")
	if err := os.WriteFile(entry, []byte("import n from '../notes.json';\nexport default n;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(BuildOptions{Entry: entry, WorkDir: home, Root: home}); err == nil || !strings.Contains(err.Error(), "is outside the plugin's file") {
		t.Errorf("Root $HOME: err = %v", err)
	}
	_ = filepath.Walk(cache, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			if data, _ := os.ReadFile(p); strings.Contains(string(data), secret) {
				t.Errorf("the bundle cache keeps a copy of a refused file in %s", p)
			}
		}
		return nil
	})
}

// A bundle far larger than a plugin needs is a warning naming the package
// that makes up most of it.
func TestBigBundleWarning(t *testing.T) {
	defer func(n int) { bigBundle = n }(bigBundle)
	bigBundle = 64 << 10
	big := "export const apis = [" + strings.Repeat("'"+strings.Repeat("x", 1000)+"',", 100) + "];\n"
	dir := writeTree(t, map[string]string{
		"main.ts":                             "import { apis } from '@huge/sdk';\nexport default apis.length;\n",
		"node_modules/@huge/sdk/package.json": `{"name":"@huge/sdk","main":"index.js"}`,
		"node_modules/@huge/sdk/index.js":     big,
	})
	b, err := Build(BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range b.Warnings {
		got = append(got, w.String())
	}
	if len(got) != 1 || !strings.Contains(got[0], "the plugin's code is 0.1 MB once bundled") || !strings.Contains(got[0], "0.1 MB of it is @huge/sdk: import only the part you use") {
		t.Errorf("warnings %q", got)
	}
	bigBundle = 16 << 20
	if b, _ := Build(BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir}); len(b.Warnings) != 0 {
		t.Errorf("a small bundle warns: %v", b.Warnings)
	}
}
