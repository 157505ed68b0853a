package fetch

import _ "embed"

// DTS is fetch.d.ts: the TypeScript declarations of the fetch globals
// (fetch, Headers, Request, Response, FormData, Blob, File) for projects
// without the DOM lib, for `host types` (package host/bindings/types
// assembles them). It refers to AbortSignal and URLSearchParams, which other
// bindings declare.
//
//go:embed fetch.d.ts
var DTS string

// DOMDTS declares what fetch has beyond TypeScript's DOM lib (RequestInit's
// duplex), merged into its interfaces; for both forms of host.d.ts.
//
//go:embed dom.d.ts
var DOMDTS string
