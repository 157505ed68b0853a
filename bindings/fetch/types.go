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
