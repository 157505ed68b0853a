package setup

import (
	"context"
	"errors"

	"host/bindings/plugin"
	"host/jsrt"
	"host/schema"
)

// Classify says why an activation failed, from how onActivate failed and
// what the host saw it do (plugin.Trace), never from the error's text or
// code (a plugin can set both). The rule, first match wins:
//
//  1. ctx ended: Cancelled.
//  2. A *schema.ValidationError (the values do not pass configSchema):
//     Invalid.
//  3. Not an *plugin.ActivateError (the secret backend or the store failed
//     before onActivate ran): HostFailed.
//  4. The host saw a host service fail during onActivate (the secret
//     backend unreachable, locked, failing): HostFailed.
//  5. onActivate did not settle within the hook timeout, or ran past the
//     script timeout: HostFailed when a request was still in flight or the
//     last one got no response, else Bug.
//  6. The last HTTP request that finished got no response (DNS, connect,
//     TLS, reset, timeout): HostFailed, whatever the plugin threw (its own
//     Error wrapping the failure, or fetch's TypeError let through).
//  7. A TypeError, ReferenceError, SyntaxError, RangeError, URIError or
//     EvalError: Bug (the plugin's code is wrong; a wrong token does not
//     make a TypeError).
//  8. The last HTTP response was 5xx or 429: HostFailed (the service, not
//     the credentials, failed).
//  9. Anything else thrown (an Error or subclass, a string, an object),
//     after requests that completed (a 401, a 403, a 200 whose body the
//     plugin rejected) or after none (a local check): Refused.
func Classify(ctx context.Context, err error) Kind {
	if ctx.Err() != nil {
		return Cancelled
	}
	var ve *schema.ValidationError
	if errors.As(err, &ve) {
		return Invalid
	}
	var ae *plugin.ActivateError
	if !errors.As(err, &ae) {
		return HostFailed
	}
	t := ae.Trace
	if t.HostErr != nil {
		return HostFailed
	}
	je, isJS := jsrt.AsJSError(ae.Err)
	if plugin.HookTimedOut(ae.Err) || (isJS && je.Interrupted()) {
		if t.InFlight > 0 || t.TransportFailed() {
			return HostFailed
		}
		return Bug
	}
	if t.TransportFailed() {
		return HostFailed
	}
	if !isJS {
		return HostFailed
	}
	switch je.Name {
	case "TypeError", "ReferenceError", "SyntaxError", "RangeError", "URIError", "EvalError":
		return Bug
	}
	if s := t.Last.Status; s >= 500 || s == 429 {
		return HostFailed
	}
	return Refused
}
