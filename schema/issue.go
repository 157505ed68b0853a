package schema

import (
	"strconv"
	"strings"
)

// Issue is one problem Validate found.
type Issue struct {
	Path    []any  // object keys (string) and array indexes (int) from the root
	Code    string // zod's issue code, e.g. "invalid_type", "too_small"
	Message string // zod's message, e.g. "Required", "Invalid url"
	// Params are zod's further fields of the issue (zod 3's names):
	// expected and received (type names) for invalid_type; minimum or
	// maximum, inclusive, exact and type for too_small/too_big; options;
	// keys; validation for invalid_string; multipleOf. They never hold the
	// value that was checked. nil when there are none.
	Params map[string]any
	// Custom is set when Message is the schema author's (a check's message
	// argument), not zod's default: an error map leaves it as it is.
	Custom bool
}

// String returns "path: message", or the message alone at the root.
func (i Issue) String() string {
	if len(i.Path) == 0 {
		return i.Message
	}
	return FormatPath(i.Path) + ": " + i.Message
}

// FormatPath renders a path as JavaScript would address it:
// items[2].name, or ["odd key"] for keys that are not identifiers.
func FormatPath(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch x := p.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(x) + "]")
		case string:
			if isIdent(x) {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(x)
			} else {
				b.WriteString("[" + strconv.Quote(x) + "]")
			}
		}
	}
	return b.String()
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// FormatIssues renders issues one per line, e.g.
//
//	token: Required
//	items[2].name: Expected string, received number
func FormatIssues(issues []Issue) string {
	lines := make([]string, len(issues))
	for i, is := range issues {
		lines[i] = is.String()
	}
	return strings.Join(lines, "\n")
}

// ValidationError carries the issues of a failed Parse. Its message names
// paths and problems; the only input it ever repeats is a non-secret enum
// value.
type ValidationError struct {
	Issues []Issue
}

// Error returns the issues joined by "; ".
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Issues))
	for i, is := range e.Issues {
		parts[i] = is.String()
	}
	return "invalid value: " + strings.Join(parts, "; ")
}

var _ error = (*ValidationError)(nil)
