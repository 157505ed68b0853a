package zod

import _ "embed"

// DTS is zod.d.ts: the TypeScript declarations of the global `z` and its
// schema types, for `host types` (package host/bindings/types assembles
// them).
//
//go:embed zod.d.ts
var DTS string
