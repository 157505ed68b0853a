// Package plugins holds the runnable example plugins: the documents'
// plugins unchanged, and a few more. FS embeds them so `host demo` can run
// them from any directory.
package plugins

import "embed"

// FS holds every plugin directory's files.
//
//go:embed */*.ts
var FS embed.FS
