package registrytest

import (
	"fmt"
	"sort"
	"strings"
)

// PluginOpts describe a fixture plugin package.
type PluginOpts struct {
	Name, Version string
	Deps          map[string]string // runtime dependencies (each must export hello(name))
	Permissions   []string          // package.json "hivemind".permissions
	Scripts       map[string]string // package.json scripts (install scripts that must never run)
	Loop          bool              // the plugin has a loop
	Files         map[string]string // more files
	// Source replaces dist/index.js (then Deps are only installed).
	Source string
	// NoSDK leaves out the dependency on @hivemind-os/plugin-sdk (host
	// provides it; npm, as a peer, would look for it in the registry).
	NoSDK bool
}

// PluginPackage is a plugin package as its author publishes it:
// package.json with a "hivemind" manifest, "main": "dist/index.js" (built
// JavaScript importing the SDK), two tools: greet (read-only: calls
// hello() of each dependency) and wipe (side effects, approval always).
func PluginPackage(o PluginOpts) Package {
	var imports, calls []string
	names := sortedKeys(o.Deps)
	for i, d := range names {
		imports = append(imports, fmt.Sprintf("import dep%d from %q;", i, d))
		calls = append(calls, fmt.Sprintf("dep%d.hello(name)", i))
	}
	loop := ""
	if o.Loop {
		loop = "\n  loop: async (ctx) => { while (!ctx.signal.aborted) { await ctx.sleep(60000); } },"
	}
	src := fmt.Sprintf(`import { definePlugin, z } from '@hivemind-os/plugin-sdk';
%s
export default definePlugin({
  tools: [
    {
      name: 'greet',
      description: 'Greets someone',
      parameters: z.object({ name: z.string() }),
      annotations: { readOnly: true },
      execute: async ({ name }) => ({ content: [%s].join(' | ') || ('hello ' + name + ' from %s@%s') }),
    },
    {
      name: 'wipe',
      description: 'Deletes everything',
      parameters: z.object({}),
      annotations: { sideEffects: true, approval: 'always' },
      execute: async () => ({ content: 'wiped' }),
    },
  ],%s
});
`, strings.Join(imports, "\n"), strings.Join(calls, ", "), o.Name, o.Version, loop)
	if o.Source != "" {
		src = o.Source
	}
	pj := map[string]any{
		"name": o.Name, "version": o.Version, "description": "Fixture plugin " + o.Name,
		"main": "dist/index.js", "license": "MIT", "author": "Host Tests <tests@example.invalid>",
		"hivemind":         map[string]any{"type": "connector", "displayName": "Fixture " + o.Name, "description": "A fixture plugin for host's tests", "permissions": orEmpty(o.Permissions)},
		"peerDependencies": map[string]string{"@hivemind-os/plugin-sdk": "*"},
	}
	deps := map[string]string{"@hivemind-os/plugin-sdk": "^1.0.0"} // provided by host, never fetched
	if o.NoSDK {
		delete(deps, "@hivemind-os/plugin-sdk")
		delete(pj, "peerDependencies")
	}
	for k, v := range o.Deps {
		deps[k] = v
	}
	pj["dependencies"] = deps
	if len(o.Scripts) > 0 {
		pj["scripts"] = o.Scripts
	}
	p := Package{"package.json": PackageJSON(pj), "dist/index.js": src, "CHANGELOG.md": fmt.Sprintf("# Changelog\n\n## %s\n\n- Release %s of %s.\n", o.Version, o.Version, o.Name)}
	for k, v := range o.Files {
		p[k] = v
	}
	return p
}

// LibPackage is a plain CommonJS library whose hello(name) names itself
// and calls its own dependencies' hello.
func LibPackage(name, version string, deps, scripts map[string]string) Package {
	var req []string
	for _, d := range sortedKeys(deps) {
		req = append(req, fmt.Sprintf("require(%q).hello(n)", d))
	}
	inner := "''"
	if len(req) > 0 {
		inner = "' [' + [" + strings.Join(req, ", ") + "].join(', ') + ']'"
	}
	pj := map[string]any{"name": name, "version": version, "main": "index.js", "license": "MIT"}
	if len(deps) > 0 {
		pj["dependencies"] = deps
	}
	if len(scripts) > 0 {
		pj["scripts"] = scripts
	}
	return Package{
		"package.json": PackageJSON(pj),
		"index.js":     fmt.Sprintf("exports.hello = (n) => 'hello ' + n + ' from %s@%s' + %s;\n", name, version, inner),
	}
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// KeeperSource is a plugin that keeps something everywhere a plugin can:
// a secret config field (token) and a plain one (region) in its config,
// a ctx.secrets item, a store row, an inbox message, an event and a
// status. Its values are fake; "keeper-marker" is in each of them so a
// test can look for leftovers.
const KeeperSource = `import { definePlugin, z } from '@hivemind-os/plugin-sdk';
export default definePlugin({
  configSchema: z.object({
    token: z.string().secret().label('API Token'),
    region: z.string().default('eu'),
  }),
  onActivate: async (ctx) => {
    await ctx.secrets.set('session', 'fake-session-keeper-marker');
    await ctx.store.set('cursor', 'keeper-marker-cursor');
    await ctx.emitMessage({ source: 'keeper#1', channel: 'keeper', content: 'keeper-marker message' });
    await ctx.emitEvent('keeper.event', { note: 'keeper-marker event' });
    await ctx.updateStatus({ state: 'connected', message: 'keeper-marker status' });
  },
  tools: [{ name: 'ping', description: 'Pong', parameters: z.object({}), annotations: { readOnly: true },
    execute: async () => ({ content: 'pong' }) }],
});
`
