// node_modules/@hivemind-os/plugin-sdk here is a stand-in for the real
// package as npm installs it: its definePlugin starts its own Node runtime
// (JSON-RPC on stdin/stdout), which cannot run in host. host must give the
// plugin its own module instead, so this runs as any other plugin.
import { definePlugin, z } from '@hivemind-os/plugin-sdk';

export default definePlugin({
  configSchema: z.object({}),
  tools: [
    {
      name: 'which_sdk',
      description: "Says whether the package's own runtime was loaded",
      parameters: z.object({}),
      execute: async () => ({
        content: (globalThis as { __packageRuntimeLoaded?: boolean }).__packageRuntimeLoaded ? "the package's own runtime" : "host's module",
      }),
    },
  ],
});
