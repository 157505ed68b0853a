package main

import (
	"path/filepath"
	"strings"
	"testing"

	"host/bindings/types"
)

// sdkGenericPlugin uses the SDK's generic types and its schema exports the
// way the SDK's own packages do.
const sdkGenericPlugin = `import {
  definePlugin, z, serializeConfigSchema, getFieldMeta,
  type PluginDefinition, type ToolDefinition, type PluginContext,
  type HivemindFieldMeta, type SerializedConfigSchema, type SerializedFieldSchema,
} from "@hivemind-os/plugin-sdk";
import sdk from "@hivemind-os/plugin-sdk";

const shape = { token: z.string().secret().label("Token"), retries: z.number().default(3) };

export const getItem: ToolDefinition<{ id: string }> = {
  name: "get_item",
  description: "one item",
  parameters: z.object({ id: z.string() }),
  execute: async (params, ctx: PluginContext) => ({ content: params.id.toUpperCase() + ctx.pluginId }),
};

export const tag: ToolDefinition<Record<string, number>> = {
  name: "tag",
  description: "a record",
  parameters: z.record(z.string(), z.number()),
  execute: async (params) => ({ content: Object.keys(params).map((k) => params[k] + 1) }),
};

const schemaTyped = z.object({ q: z.string() });
export const search: ToolDefinition<typeof schemaTyped> = {
  name: "search",
  description: "by schema",
  parameters: schemaTyped,
  execute: async ({ q }) => ({ content: q.trim() }),
};

export const def: PluginDefinition<typeof shape> = {
  configSchema: z.object(shape),
  tools: [getItem, tag, search],
};

const serialized: SerializedConfigSchema = serializeConfigSchema(def.configSchema!);
const field: SerializedFieldSchema = serialized.properties.token;
const meta: HivemindFieldMeta = getFieldMeta(shape.token);
export const checks: [string, boolean | undefined, string | undefined, string[]] = [field.type, meta.secret, field.hivemind?.label, serialized.required];
export const same = sdk.serializeConfigSchema === serializeConfigSchema && sdk.getFieldMeta === getFieldMeta;

export default definePlugin({
  configSchema: z.object(shape),
  tools: [
    getItem,
    {
      name: "count",
      description: "a record as parameters",
      parameters: z.record(z.string(), z.number()),
      execute: async (params) => ({ content: String(Object.values(params).reduce((a, b) => a + b, 0)) }),
    },
  ],
});
`

// sdkHarnessFile uses the SDK's testing harness as the SDK's sample tests
// do (without vitest, whose types come from its own package).
const sdkHarnessFile = `import { createTestHarness, type TestHarness, type TestHarnessOptions } from "@hivemind-os/plugin-sdk/testing";
import plugin from "../src/index";

const options: TestHarnessOptions = { config: { token: "fake" }, secrets: { a: "b" }, hostInfo: { version: "0.2.0", platform: "linux", capabilities: ["tools"] } };
let harness: ReturnType<typeof createTestHarness> = createTestHarness(plugin, options);
export async function run(): Promise<number> {
  const h: TestHarness = harness;
  const r = await h.callTool("get_item", { id: "x" });
  await h.activate();
  await h.deactivate();
  await h.runLoopUntil({ messageCount: 1, timeoutMs: 100 });
  const schema = h.getConfigSchema();
  const v = h.validateConfig({});
  h.reset();
  const first = h.messages[0]?.channel ?? h.statuses[0]?.state ?? h.notifications[0]?.title ?? h.events[0]?.type ?? h.logs[0]?.msg;
  return (r.isError ? 1 : 0) + schema.required.length + (v.errors?.length ?? 0) + (first?.length ?? 0) + Object.keys(h.kvStore).length + Object.keys(h.secretStore).length;
}
`

// TestTypesSDKGenerics type-checks plugins that use the SDK's generic
// types, its schema exports and its testing harness, the SDK's own samples
// (testdata/sdk-samples, unchanged), and tests written for `host test`
// against host's "vitest" declarations, in both forms of host.d.ts.
func TestTypesSDKGenerics(t *testing.T) {
	t.Parallel()
	cmd := findTSC(t)
	for _, dom := range []bool{true, false} {
		t.Run(map[bool]string{true: "dom", false: "no-dom"}[dom], func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			putFile(t, filepath.Join(dir, "host.d.ts"), types.Declarations(dom))
			putFile(t, filepath.Join(dir, "generic", "src", "index.ts"), sdkGenericPlugin)
			putFile(t, filepath.Join(dir, "generic", "test", "harness.ts"), sdkHarnessFile)
			for _, s := range []string{"github-issues", "test-plugin"} {
				copyPlugin(t, filepath.Join("../../testdata/sdk-samples", s, "src"), filepath.Join(dir, s, "src"))
			}
			args := append([]string{}, tscArgs...)
			if !dom {
				args = append(args, "--lib", "es2022")
			}
			copyPlugin(t, "../../testdata/hosttest", filepath.Join(dir, "hosttest"))
			args = append(args, "host.d.ts", "generic/src/index.ts", "generic/test/harness.ts",
				"github-issues/src/index.ts", "test-plugin/src/index.ts",
				"hosttest/mixed/test/mixed.test.ts", "hosttest/matchers/matchers.test.ts")
			if out, ok := tsc(t, cmd, dir, args...); !ok {
				t.Errorf("tsc %s failed:\n%s", strings.Join(args, " "), out)
			}
		})
	}
}

// TestTypesSDKGenericsBite: the generic types still catch mistakes.
func TestTypesSDKGenericsBite(t *testing.T) {
	t.Parallel()
	cmd := findTSC(t)
	tests := []struct{ name, src, want string }{
		{"params of ToolDefinition<T>", `import { z, type ToolDefinition } from "@hivemind-os/plugin-sdk";
export const t: ToolDefinition<{ id: string }> = { name: "t", description: "d", parameters: z.object({ id: z.string() }),
  execute: async (params) => ({ content: params.nope }) };`, "Property 'nope' does not exist"},
		{"parameters not matching T", `import { z, type ToolDefinition } from "@hivemind-os/plugin-sdk";
export const t: ToolDefinition<{ id: string }> = { name: "t", description: "d", parameters: z.object({ id: z.number() }),
  execute: async (params) => ({ content: params.id }) };`, "not assignable"},
		{"a matcher vitest lacks", `import { expect } from "vitest";
expect(1).toBeSeven();`, "Property 'toBeSeven' does not exist"},
		{"a spy's arguments", `import { vi } from "vitest";
const f = vi.fn((a: number) => a + 1);
f("one");`, "not assignable to parameter of type 'number'"},
		{"serialized field type", `import { z, serializeConfigSchema } from "@hivemind-os/plugin-sdk";
export const n: number = serializeConfigSchema(z.object({ a: z.string() })).properties.a.type;`, "not assignable to type 'number'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			putFile(t, filepath.Join(dir, "host.d.ts"), types.Declarations(true))
			putFile(t, filepath.Join(dir, "p", "plugin.ts"), tt.src)
			out, ok := tsc(t, cmd, dir, append(append([]string{}, tscArgs...), "host.d.ts", "p/plugin.ts")...)
			if ok || !strings.Contains(out, tt.want) {
				t.Errorf("want a tsc error %q, got (ok=%v):\n%s", tt.want, ok, out)
			}
		})
	}
}
