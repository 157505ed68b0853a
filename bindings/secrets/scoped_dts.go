package secrets

import _ "embed"

// DTS is secrets.d.ts: the TypeScript declarations of SecretStore, the type
// of `ctx.secrets`, for `host types` (package host/bindings/types assembles
// them).
//
//go:embed secrets.d.ts
var DTS string
