package jsrt

import (
	"path/filepath"
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
