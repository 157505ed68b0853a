package mcpserver

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

// SetupPages starts a plugin's setup on a page of host's own that the user
// opens in a browser: the local setup page (the setup-page issue builds it
// on the serve's listener) or, for an OAuth2 plugin, the provider's
// authorization page with host's loopback redirect. Secrets are typed
// there, never into the AI client. The server calls StartSetup when a tool
// is called on a plugin that needs setup or a login.
type SetupPages interface {
	// StartSetup prepares plugin's setup and returns its flow. It must not
	// wait for the user. ctx bounds the start only. ErrReady means the
	// plugin turned out to be set up already (e.g. in a terminal since):
	// the server runs the call again. ErrNoPage: this plugin has no page
	// (the client is told what to run instead); any other error is shown
	// with that.
	StartSetup(ctx context.Context, plugin string) (*SetupFlow, error)
}

// ErrReady is StartSetup finding the plugin set up and active.
var ErrReady = errors.New("the plugin is set up")

// ErrNoPage is StartSetup having no page for the plugin.
var ErrNoPage = errors.New("no setup page for this plugin")

// SetupFlow is one setup in progress.
type SetupFlow struct {
	// URL is what the user opens, e.g. SetupURL(base, plugin, token).
	URL string
	// Done receives one value when the flow ends: nil when the plugin is
	// set up (the backend reports it active soon after), else why not.
	Done <-chan error
	// Close releases the flow (the user declined, the call ended or the
	// setup completed); safe to call more than once.
	Close func()
	// ForText, when set, is the link for a tool result, which the model
	// and transcripts read: one that is useless without the user (it asks
	// for a code shown only to the user). Nil: a tool result carries no
	// link (URL holds a one-time token: whoever reads it first gets the
	// page), only the terminal command (Options.SetupCommand).
	ForText func() string
}

// textURL is the flow's link for a tool result: "" unless ForText gives
// one that is useless without the user.
func (f *SetupFlow) textURL() string {
	if f.ForText != nil {
		return f.ForText()
	}
	return ""
}

// SetupPath is the setup page's path for one plugin: /setup/<plugin id>.
func SetupPath(plugin string) string { return "/setup/" + url.PathEscape(plugin) }

// SetupURL is the address of plugin's setup page under base (the page's
// origin, e.g. "http://127.0.0.1:7331"), carrying the one-time token that
// the page exchanges for its session cookie:
// base + "/setup/<plugin id>?token=<token>".
func SetupURL(base, plugin, token string) string {
	u := strings.TrimRight(base, "/") + SetupPath(plugin)
	if token != "" {
		u += "?token=" + url.QueryEscape(token)
	}
	return u
}
