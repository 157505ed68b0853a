// Package serve is the supervisor behind `host serve`: it runs each plugin
// in its own worker process (the host binary, speaking MCP over stdio with
// the official go-sdk; the plugins of a group the user asked for, each
// over its own MCP connection, in one: group.go), keeps a state per plugin, restarts crashed workers
// with backoff, stops a worker above its memory cap or stuck past its
// timeout, and routes tool calls to the right worker. It also holds the
// worker's side of the state protocol and the local control channel.
//
// # The state protocol (worker -> supervisor)
//
// What MCP's tool surface cannot carry travels as an MCP resource: every
// worker serves StateURI ("host://worker/state", application/json, one
// State) and supports resources/subscribe on it. On every change it sends
// notifications/resources/updated for StateURI with the new State in the
// notification's _meta under MetaState ("host/state"), so the supervisor
// needs no second round trip; a supervisor may still read the resource at
// any time (it does once, right after subscribing). A worker's tools are
// its plugin's tools, named as the plugin names them.
//
// Nothing in this package prints, prompts or exits; cmd/host words states
// and errors for the terminal.
package serve

import (
	"fmt"
	"strings"
	"time"

	"host/bindings/setup"
)

// StateURI is the resource every worker serves with its State.
const StateURI = "host://worker/state"

// MetaState is the _meta key of a resources/updated notification for
// StateURI that carries the new State.
const MetaState = "host/state"

// MetaSeq is the _meta key beside MetaState (and on the StateURI resource's
// contents) numbering the worker's states in the order they were made: the
// supervisor takes a state only when it is newer than the last it took, as
// notifications and a read may reach it in another order.
const MetaSeq = "host/seq"

// Field is a config field a plugin that needs setup is missing.
type Field struct {
	Key    string `json:"key"`
	Label  string `json:"label,omitempty"`
	Secret bool   `json:"secret,omitempty"`
	Env    string `json:"env,omitempty"` // the variable that supplies it
}

// State is one plugin's state with its reason. Workers fill ID to Status;
// the supervisor adds the rest.
type State struct {
	ID    string      `json:"id"`
	Name  string      `json:"name,omitempty"`
	File  string      `json:"file"`
	Phase setup.Phase `json:"state"`
	// Kind is why the worker's setup session ended without activating
	// the plugin (setup.Kind: "refused", "bug", "host", "missing"...), ""
	// when it did not fail.
	Kind setup.Kind `json:"kind,omitempty"`
	// Reason says why, for every phase but Active: the error with its
	// position, the login refusal, the crash and the next try.
	Reason string `json:"reason,omitempty"`
	// Fields are the missing fields when Phase is NeedsSetup.
	Fields []Field `json:"fields,omitempty"`
	// Status is the plugin's last updateStatus, as it passed it.
	Status any `json:"status,omitempty"`
	// Files are the files the plugin's build read (what --watch watches).
	Files []string `json:"files,omitempty"`
	// Tools are the plugin's tool names.
	Tools []string `json:"tools,omitempty"`
	// Loaded: the worker has loaded the plugin, and ID is the one it
	// declares (before that, its file's default id).
	Loaded bool `json:"loaded,omitempty"`
	// Problems are what the serve cannot serve of the plugin: a tool
	// whose MCP name another tool maps to (given to neither).
	Problems []string `json:"problems,omitempty"`

	// Set by the supervisor.
	// Group names the group whose worker process the plugin shares
	// (host serve --group), as the user named it.
	Group       string    `json:"group,omitempty"`
	PID         int       `json:"pid,omitempty"`
	MemoryBytes int64     `json:"memoryBytes,omitempty"` // the worker's resident set
	Crashes     int       `json:"crashes,omitempty"`     // in a row
	NextTry     time.Time `json:"nextTry,omitzero"`
	Since       time.Time `json:"since,omitzero"` // when the phase was entered
}

// Line is the one-line form of s for a terminal: "id: state (reason)".
func (s State) Line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", s.ID, s.Phase)
	switch {
	case s.Phase == setup.NeedsSetup && len(s.Fields) > 0 && (s.Kind == setup.Missing || s.Kind == ""):
		keys := make([]string, len(s.Fields))
		for i, f := range s.Fields {
			keys[i] = f.Key
		}
		fmt.Fprintf(&b, " (missing %s)", strings.Join(keys, ", "))
	case s.Phase == setup.Active:
		fmt.Fprintf(&b, " (%d tool(s))", len(s.Tools))
	case s.Reason != "":
		fmt.Fprintf(&b, ": %s", firstLine(s.Reason))
	}
	if s.Phase == setup.NeedsSetup && s.Kind != "" && s.Kind != setup.Missing || s.Phase == setup.NeedsLogin {
		fmt.Fprintf(&b, "; run 'host setup %s'", s.ID)
	}
	for _, p := range s.Problems {
		fmt.Fprintf(&b, "; %s", p)
	}
	return b.String()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
