package plugin

import _ "embed"

// DTS is plugin.d.ts: the TypeScript declarations of definePlugin,
// PluginContext, the auth, tool and loop types and the "host:plugin" module,
// for `host types` (package host/bindings/types assembles them).
//
//go:embed plugin.d.ts
var DTS string
