package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/cmd/host/internal/serve"
)

// callThroughServe runs `host call` on the running serve's instance of the
// plugin when a serve runs for the data dir and runs that plugin; handled
// is false otherwise (the caller activates the plugin itself).
func callThroughServe(ctx context.Context, o *runOptions, arg, tool string, input json.RawMessage) (handled bool, err error) {
	c, _, err := dialServe(o)
	if err != nil || c == nil {
		return false, nil
	}
	defer c.Close()
	res, err := c.Call(ctx, serveName(arg), tool, input)
	var re *serve.RemoteError
	if errors.As(err, &re) {
		switch re.Kind {
		case "not found":
			return false, nil
		case "not active":
			return true, fmt.Errorf("%s (in the running serve)", re.Message)
		}
		return true, re
	}
	if err != nil {
		return true, err
	}
	text := resultText(res)
	for _, c := range res.Content {
		switch c := c.(type) {
		case *mcp.ImageContent:
			fmt.Fprintf(o.IO.Err, "artifact (%s): %d bytes\n", c.MIMEType, len(c.Data))
		case *mcp.AudioContent:
			fmt.Fprintf(o.IO.Err, "artifact (%s): %d bytes\n", c.MIMEType, len(c.Data))
		case *mcp.EmbeddedResource:
			if r := c.Resource; r != nil {
				fmt.Fprintf(o.IO.Err, "artifact %s (%s): %d bytes\n", path.Base(r.URI), r.MIMEType, len(r.Text)+len(r.Blob))
			}
		case *mcp.ResourceLink:
			fmt.Fprintf(o.IO.Err, "artifact %s (%s): %s\n", c.Name, c.MIMEType, o.IO.Masker.Mask(c.URI))
		}
	}
	if res.IsError {
		code := ExitFailure
		if strings.HasPrefix(text, "invalid input for ") {
			code = ExitUsage
		}
		return true, &exitError{code: code, err: fmt.Errorf("tool %s: %s", tool, o.IO.Masker.Mask(text))}
	}
	fmt.Fprintf(o.IO.Out, "%s\n", o.IO.Masker.Mask(text))
	return true, nil
}

// resultText is what `host call` prints for a worker's result, as it
// prints a tool's result without a serve: a string content as it is,
// anything else as its JSON text (mcpserver.Result's text content).
func resultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}
