package plugin

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"host/bindings/store"
)

// ToolResult is what a tool's execute resolves to (the SDK's ToolResult).
// A tool in host's older form (`run` returning any JSON value) has that
// value as Content.
type ToolResult struct {
	// Content is JSON: a string, an object or an array (null when the tool
	// resolved to nothing). Secrets the host knows are masked in it.
	Content json.RawMessage `json:"content"`
	// IsError is the tool saying its result is an error (a failure the
	// caller should see, not a thrown exception).
	IsError bool `json:"isError,omitempty"`
	// Artifacts are files attached to the result.
	Artifacts []Artifact `json:"artifacts,omitempty"`
}

// Text is Content for a person: a string content as it is, anything else
// as its JSON text.
func (r *ToolResult) Text() string {
	var s string
	if json.Unmarshal(r.Content, &s) == nil {
		return s
	}
	return string(r.Content)
}

// Artifact is a file attached to a ToolResult: base64 Content or a URL.
type Artifact struct {
	Name     string `json:"name"`
	MimeType string `json:"mimeType"`
	Content  string `json:"content,omitempty"` // base64
	URL      string `json:"url,omitempty"`
}

// ToolAnnotations are a tool's declared side effects and approval mode
// (the SDK's ToolAnnotations). Nil pointers are unset.
type ToolAnnotations struct {
	SideEffects *bool `json:"sideEffects,omitempty"`
	// ReadOnly, when set, overrides SideEffects.
	ReadOnly *bool `json:"readOnly,omitempty"`
	// Approval is "always", "suggest", "never" or "" (unset).
	Approval string `json:"approval,omitempty"`
}

// IsReadOnly reports whether the tool declared that it changes nothing:
// readOnly: true, or sideEffects: false without readOnly. ok is false when
// it declared neither.
func (a ToolAnnotations) IsReadOnly() (readOnly, ok bool) {
	switch {
	case a.ReadOnly != nil:
		return *a.ReadOnly, true
	case a.SideEffects != nil:
		return !*a.SideEffects, true
	}
	return false, false
}

// Message is one entry of a plugin's inbox (ctx.emitMessage): the SDK's
// IncomingMessage with its place in the inbox. Read a plugin's messages
// with Host.Store.Plugin(id).Messages / FollowMessages.
type Message = store.Message

// ToolResultError is a tool that resolved to something that is not a
// ToolResult the host can pass on.
type ToolResultError struct {
	Tool    string
	Problem string
}

func (e *ToolResultError) Error() string {
	return fmt.Sprintf("tool %s returned an invalid ToolResult: %s; return { content: 'text' | {...} | [...], isError?: boolean, artifacts?: [{ name, mimeType, content?, url? }] }", e.Tool, e.Problem)
}

// parseToolResult reads the JSON text of what an SDK-style tool resolved
// to. A value that is not an object with `content` is the content itself.
func parseToolResult(tool, text string) (*ToolResult, error) {
	var probe map[string]json.RawMessage
	if json.Unmarshal([]byte(text), &probe) != nil {
		return &ToolResult{Content: json.RawMessage(text)}, nil
	}
	content, ok := probe["content"]
	if !ok {
		return &ToolResult{Content: json.RawMessage(text)}, nil
	}
	bad := func(format string, args ...any) (*ToolResult, error) {
		return nil, &ToolResultError{Tool: tool, Problem: fmt.Sprintf(format, args...)}
	}
	for k := range probe {
		if k != "content" && k != "isError" && k != "artifacts" {
			return bad("unknown key %q", k)
		}
	}
	switch c := strings.TrimSpace(string(content)); {
	case c == "null", strings.HasPrefix(c, `"`), strings.HasPrefix(c, "{"), strings.HasPrefix(c, "["):
	default:
		return bad("content must be a string, an object or an array, got %s", c)
	}
	r := &ToolResult{Content: content}
	if v, ok := probe["isError"]; ok {
		if json.Unmarshal(v, &r.IsError) != nil {
			return bad("isError must be true or false, got %s", v)
		}
	}
	if v, ok := probe["artifacts"]; ok {
		var list []map[string]json.RawMessage
		if json.Unmarshal(v, &list) != nil {
			return bad("artifacts must be an array of { name, mimeType, content?, url? }")
		}
		for i, m := range list {
			var a Artifact
			for k, v := range m {
				var s string
				if json.Unmarshal(v, &s) != nil {
					return bad("artifacts[%d].%s must be a string", i, k)
				}
				switch k {
				case "name":
					a.Name = s
				case "mimeType":
					a.MimeType = s
				case "content":
					if _, err := base64.StdEncoding.DecodeString(s); err != nil {
						return bad("artifacts[%d].content must be base64 (btoa(...))", i)
					}
					a.Content = s
				case "url":
					a.URL = s
				default:
					return bad("artifacts[%d] has an unknown key %q", i, k)
				}
			}
			if a.Name == "" || a.MimeType == "" {
				return bad("artifacts[%d] needs a name and a mimeType", i)
			}
			r.Artifacts = append(r.Artifacts, a)
		}
	}
	return r, nil
}
