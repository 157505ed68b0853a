package store

import _ "embed"

// DTS is store.d.ts: the TypeScript declarations of PluginStore, the type of
// `ctx.store`, for `host types` (package host/bindings/types assembles
// them).
//
//go:embed store.d.ts
var DTS string
