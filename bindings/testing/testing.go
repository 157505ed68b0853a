// Package testing runs a plugin author's tests inside host's runtime, as
// `deno test` and `bun test` do for theirs: the vitest API the tests use
// (the "vitest" module), the plugin SDK's harness
// ("@hivemind-os/plugin-sdk/testing"), and a Go entry point, Run, that
// returns each test's outcome as data. It never prints.
package testing

import (
	_ "embed"
)

// DTS declares "@hivemind-os/plugin-sdk/testing" for `host types`.
//
//go:embed harness.d.ts
var DTS string
