package mcpserver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/url"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/mask"
	"host/bindings/plugin"
)

// Result turns a plugin's ToolResult into an MCP result, masking every
// secret m knows (again: the plugin masked what it knew). A string content
// is text; an object is structured content, with its JSON as text for
// clients that read only text; an array or other value is its JSON as
// text. image/* and audio/* artifacts become image and audio content,
// text-like ones embedded text resources, other inline ones embedded blobs,
// and those with only a url resource links.
func Result(pluginID string, r *plugin.ToolResult, m *mask.Masker) *mcp.CallToolResult {
	res := &mcp.CallToolResult{IsError: r.IsError}
	addValue(res, r.Content, m)
	for _, a := range r.Artifacts {
		res.Content = append(res.Content, artifactContent(pluginID, a, m))
	}
	if res.Content == nil {
		res.Content = []mcp.Content{}
	}
	return res
}

// ErrorResult is a tool error: isError with the masked text.
func ErrorResult(text string, m *mask.Masker) *mcp.CallToolResult {
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: m.Mask(text)}}}
}

func addValue(res *mcp.CallToolResult, v json.RawMessage, m *mask.Masker) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return
	}
	switch v[0] {
	case '"':
		var s string
		_ = json.Unmarshal(v, &s)
		res.Content = append(res.Content, &mcp.TextContent{Text: m.Mask(s)})
		return
	case '{':
		masked := json.RawMessage(m.Mask(string(v)))
		if json.Valid(masked) {
			res.StructuredContent = masked
			res.Content = append(res.Content, &mcp.TextContent{Text: string(masked)})
			return
		}
	}
	res.Content = append(res.Content, &mcp.TextContent{Text: m.Mask(string(v))})
}

func artifactContent(pluginID string, a plugin.Artifact, m *mask.Masker) mcp.Content {
	name := m.Mask(a.Name)
	mt := a.MimeType
	if mt == "" {
		mt = "application/octet-stream"
	}
	if a.Content == "" && a.URL != "" {
		return &mcp.ResourceLink{URI: m.Mask(a.URL), Name: name, MIMEType: mt}
	}
	data, err := base64.StdEncoding.DecodeString(a.Content)
	if err != nil {
		return &mcp.TextContent{Text: "artifact " + name + ": content is not base64 (" + err.Error() + ")"}
	}
	// Inline data may hold a secret too: text-like data is masked as text;
	// binary data holding a secret's bytes is replaced by a note.
	base := mt
	if b, _, err := mime.ParseMediaType(mt); err == nil {
		base = b
	}
	switch {
	case strings.HasPrefix(base, "image/"), strings.HasPrefix(base, "audio/"):
		if m.Contains(string(data)) {
			return &mcp.TextContent{Text: "artifact " + name + ": withheld, it contains a secret"}
		}
		if strings.HasPrefix(base, "image/") {
			return &mcp.ImageContent{Data: data, MIMEType: mt}
		}
		return &mcp.AudioContent{Data: data, MIMEType: mt}
	}
	uri := "host://" + url.PathEscape(pluginID) + "/artifacts/" + url.PathEscape(a.Name)
	if textLike(base) {
		return &mcp.EmbeddedResource{Resource: &mcp.ResourceContents{URI: uri, MIMEType: mt, Text: m.Mask(string(data))}}
	}
	if m.Contains(string(data)) {
		return &mcp.TextContent{Text: "artifact " + name + ": withheld, it contains a secret"}
	}
	return &mcp.EmbeddedResource{Resource: &mcp.ResourceContents{URI: uri, MIMEType: mt, Blob: data}}
}

func textLike(mt string) bool {
	return strings.HasPrefix(mt, "text/") || mt == "application/json" || strings.HasSuffix(mt, "+json") ||
		mt == "application/xml" || strings.HasSuffix(mt, "+xml") || mt == "application/javascript" || mt == "application/yaml"
}
