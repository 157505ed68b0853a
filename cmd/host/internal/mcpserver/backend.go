// Package mcpserver is host's Model Context Protocol surface: an MCP server
// (the official go-sdk) over a Backend, the plugins of one host process or
// of a serve's workers. It names every plugin's tools for clients, turns
// tool results into MCP content, masks secrets in everything it sends,
// forwards logs, progress and plugin messages, and drives setup through the
// client (URL elicitation to host's own setup page; secrets never pass
// through the client).
//
// Two backends exist: Local (this package), the loaded plugins of this
// process, which is what a `host serve` worker serves over stdio; and the
// serve supervisor (package serve), which forwards to its workers and is
// what `host mcp` and `host serve --http` serve.
package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
)

// Backend is what the server serves. Every method is safe to call from many
// goroutines at once; none may block for long except CallTool and
// Messages, which are bounded by their ctx.
type Backend interface {
	// Plugins lists every plugin the backend knows, in any state, sorted
	// by id. The server lists the tools of those in setup.Active,
	// NeedsSetup and NeedsLogin (the last two so a call can start the setup).
	Plugins() []PluginInfo

	// CallTool runs one tool. A tool that ran, also one that threw or
	// returned isError, is a result (IsError set, the message masked, with
	// its plugin.ts:line:col); an error return is for everything else:
	// *UnknownToolError, *SetupRequiredError (the plugin needs setup or a
	// login: the server starts it through the client), *UnavailableError
	// (starting, restarting, error, disabled), or ctx's error. Content
	// must already be masked. ctx ending (the client cancelled) aborts the
	// tool's ctx.signal.
	CallTool(ctx context.Context, call *Call) (*mcp.CallToolResult, error)

	// Messages returns the plugin's inbox (what it passed to
	// ctx.emitMessage/emitMessages) as a JSON array, oldest first, masked.
	Messages(ctx context.Context, plugin string) (json.RawMessage, error)

	// Subscribe calls fn for every Event from now on until cancel is
	// called. fn may be called from any goroutine, never concurrently with
	// itself for one subscription, and must not block.
	Subscribe(fn func(Event)) (cancel func())
}

// RawCaller is a Backend that can also answer a call with its result as
// JSON bytes, as its plugin's process wrote them (the serve's workers: the
// HTTP fast path forwards them undecoded). Its errors are CallTool's.
type RawCaller interface {
	CallToolRaw(ctx context.Context, c *Call) (json.RawMessage, error)
}

// Loader is a Backend whose plugins load in the background (the serve's
// workers). The server's first lists wait for them (see FirstLoadWait).
type Loader interface {
	// WaitLoaded returns once every plugin has finished its first load
	// (whatever its state then), or when ctx ends.
	WaitLoaded(ctx context.Context)
}

// PluginInfo is one plugin as the backend knows it.
type PluginInfo struct {
	ID   string
	Name string // display name; the id when the plugin declares none
	// State is where the plugin stands. In setup.SecretsUnavailable (no
	// keyring reachable, e.g. an AI client started host without the
	// desktop's D-Bus session) its tools are listed and a call is a tool
	// error with Reason, which says the cause and the fix.
	State setup.Phase
	// Reason says why the plugin is in State (the error with its position,
	// "restarting in 4s after 2 crashes", ...); masked.
	Reason string
	Tools  []Tool
	// Setup says what is missing when State is setup.NeedsSetup or NeedsLogin.
	Setup *SetupNeeded
}

// SetupNeeded is what a plugin waits for before it can activate.
type SetupNeeded struct {
	Fields []string // keys of the config fields still missing
	Login  bool     // an OAuth2 login is needed
}

// Tool is one tool of a plugin, with the plugin's own name for it; the
// server names it "<plugin id>_<name>" for clients (see ToolName).
type Tool struct {
	Name        string
	Description string
	// InputSchema is a JSON Schema (2020-12) object schema.
	InputSchema json.RawMessage
	// Annotations are the MCP hints (nil when the plugin declares none).
	Annotations *mcp.ToolAnnotations
}

// Call is one tools/call.
type Call struct {
	Plugin string // plugin id
	Tool   string // the plugin's own tool name
	Input  json.RawMessage
	// Progress, when non-nil, receives the tool's ctx.progress reports; it
	// must not block.
	Progress func(Progress)
	// Elicit, when non-nil, asks the user through the client (form mode:
	// a message and a flat schema of non-secret fields). Nil when the
	// client cannot: the tool's ctx.elicit then rejects.
	Elicit func(ctx context.Context, p *mcp.ElicitParams) (*mcp.ElicitResult, error)
	// Sample, when non-nil, runs a prompt on the client's model (MCP
	// sampling, text messages). Nil when the client cannot: ctx.sample
	// then rejects.
	Sample func(ctx context.Context, p *mcp.CreateMessageParams) (*mcp.CreateMessageResult, error)
}

// Progress is one progress report of a running tool.
type Progress struct {
	Progress float64
	Total    float64 // 0 when unknown
	Message  string
}

// EventKind is what an Event is about.
type EventKind int

// The event kinds.
const (
	// PluginChanged: a plugin was added, removed, reloaded or changed
	// state (its tools may have changed). Plugin names it.
	PluginChanged EventKind = iota
	// Log: a plugin printed or logged; Log holds the entry.
	Log
	// MessagesChanged: a plugin's inbox has new messages.
	MessagesChanged
)

// Event is something a subscriber hears of.
type Event struct {
	Kind   EventKind
	Plugin string
	Log    *LogEntry // for Log
}

// LogEntry is one line a plugin logged, masked.
type LogEntry struct {
	Level   mcp.LoggingLevel // "debug", "info", "warning", "error"
	Message string
	// Data is the structured part (ctx.logger's data argument), if any.
	Data json.RawMessage
}

// UnknownToolError is a call to a tool that no listed plugin has.
type UnknownToolError struct{ Name string }

func (e *UnknownToolError) Error() string { return fmt.Sprintf("unknown tool %q", e.Name) }

// SetupRequiredError is a call to a plugin that needs setup or a login.
type SetupRequiredError struct {
	Plugin string
	Setup  SetupNeeded
}

func (e *SetupRequiredError) Error() string {
	if e.Setup.Login {
		return fmt.Sprintf("plugin %s needs a login", e.Plugin)
	}
	return fmt.Sprintf("plugin %s needs setup", e.Plugin)
}

// UnavailableError is a call to a plugin that cannot run tools now.
type UnavailableError struct {
	Plugin string
	State  setup.Phase
	Reason string
}

func (e *UnavailableError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("plugin %s is %s: %s", e.Plugin, e.State, e.Reason)
	}
	return fmt.Sprintf("plugin %s is %s", e.Plugin, e.State)
}

// ErrUnknownPlugin is Messages for a plugin the backend does not know.
var ErrUnknownPlugin = errors.New("unknown plugin")
