package cmdutil

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"host/bindings/oauth"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/jsrt"
)

// ExitCode is what the process exits with.
type ExitCode int

// The exit codes.
const (
	ExitOK      ExitCode = 0 // done
	ExitFailure ExitCode = 1 // the plugin or the runtime failed
	ExitUsage   ExitCode = 2 // bad usage or missing configuration
	// ExitInterrupted is a command that Ctrl-C or SIGTERM ended before it
	// finished (128 + SIGINT, as shells report it).
	ExitInterrupted ExitCode = 130
)

// UsageError is bad usage: exit 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef is a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ExitError carries a specific exit code with its message.
type ExitError struct {
	Code ExitCode
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// WithExit is err with exit code code.
func WithExit(code ExitCode, err error) error { return &ExitError{Code: code, Err: err} }

// Reported is a failure the command has shown the user already (host
// test's summary): Report prints nothing more and exits with Code.
type Reported struct{ Code ExitCode }

func (e *Reported) Error() string { return fmt.Sprintf("exit %d (reported)", e.Code) }

// Report prints err (one clear message, a hint when there is one) on
// io.Err and maps it to an exit code. Help asked for is not an error.
func Report(io *IO, err error) ExitCode {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	var rep *Reported
	if errors.As(err, &rep) {
		return rep.Code
	}
	code := ExitFailure
	var ue *UsageError
	var ee *ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.Code
	case errors.As(err, &ue):
		code = ExitUsage
	}
	msg := io.Masker.Mask(err.Error())
	fmt.Fprintf(io.Err, "host: %s\n", msg)
	if h := io.Masker.Mask(HintText(err)); h != "" && !strings.Contains(msg, h) {
		fmt.Fprintf(io.Err, "  hint: %s\n", h)
	}
	return code
}

// HintText is err's hint in this CLI's words: libraries say what to do
// ("opt in to the encrypted file backend"); here it gets the flag.
func HintText(err error) string {
	h := jsrt.Hint(err)
	switch jsrt.HintKindOf(err) {
	case oauth.HintLoginAgain:
		id := "PLUGIN"
		var le *oauth.LoginNeededError
		if errors.As(err, &le) && le.PluginID != "" {
			id = le.PluginID
		}
		return strings.TrimSuffix(h, "log in to the plugin again") + "run `host auth login " + id + "` to log in again"
	case oauth.HintLoginTimeout:
		return "run the login again and finish it in the browser in time (or raise --auth-timeout); on a machine without a browser use --paste or --device"
	case oauth.HintNoDeviceLogin:
		return "log in with the browser instead (drop --device), or use --paste on a machine without a browser"
	case oauth.HintCheckEndpoint:
		return "check the network connection and the plugin's auth URLs (with --connect-to, that the target is up)"
	case plugin.HintSupplyAgain:
		var se *plugin.SavedValueError
		if errors.As(err, &se) {
			return fmt.Sprintf("run `host auth login %s` or supply it again (--set %s=... or %s)", se.Plugin, se.Key, plugin.EnvName(se.Key))
		}
	case plugin.HintSupplyClientID:
		return fmt.Sprintf("supply it with --set clientId=... or %s", plugin.EnvName("clientId"))
	}
	if h := ToolPolicyHint(err); h != "" {
		return h
	}
	var ue *secrets.UnavailableError
	if errors.As(err, &ue) && strings.HasSuffix(h, "encrypted file backend") {
		h += " (--secrets file, or HOST_SECRETS=file)"
	}
	return h
}

// ToolPolicyHint words the typed hints of a tool call the user's tool
// policy stopped (plugin.ToolDisabledError, a plugin.ApprovalError nobody
// could answer) with this CLI's commands; "" for other errors. The MCP
// server adds it to the tool's error text.
func ToolPolicyHint(err error) string {
	var td *plugin.ToolDisabledError
	if errors.As(err, &td) {
		return fmt.Sprintf("enable it: host tools %s --enable %s", td.Plugin, td.Tool)
	}
	var ae *plugin.ApprovalError
	if errors.As(err, &ae) && !ae.Denied {
		return fmt.Sprintf("run it with host call in a terminal, or allow it for good: host tools %s --always-allow %s", ae.Plugin, ae.Tool)
	}
	return ""
}
