package oauth

import _ "embed"

// DTS is oauth.d.ts: the declaration of the refreshOAuthToken global and
// its result type, for `host types` (package host/bindings/types
// assembles them).
//
//go:embed oauth.d.ts
var DTS string
