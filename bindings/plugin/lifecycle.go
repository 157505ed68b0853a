package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dop251/goja"

	"host/bindings/abort"
	"host/bindings/console"
	"host/bindings/secrets"
	"host/bindings/store"
	"host/bindings/zod"
	"host/jsrt"
	"host/schema"
)

// ActivateError is onActivate throwing or rejecting: the plugin refused its
// configuration or failed to start. Err is usually a *jsrt.JSError; Trace
// is what the host saw the plugin do meanwhile (its HTTP exchanges, host
// service failures), from which a caller tells a refusal from a network
// failure (see package setup).
type ActivateError struct {
	Plugin string
	Err    error
	Trace  Trace
}

func (e *ActivateError) Error() string { return e.Err.Error() }
func (e *ActivateError) Unwrap() error { return e.Err }

// Activate validates config against the configSchema, builds the
// PluginContext (id, config, secrets, store, log, signal) and awaits
// onActivate. A schema problem is a *schema.ValidationError; onActivate
// failing an *ActivateError. Nothing is saved here: the caller saves the
// setup after a successful activation.
func (p *Plugin) Activate(ctx context.Context, s *Setup) error {
	cfg, err := s.Validate()
	if err != nil {
		return err
	}
	sec, err := p.secretsForContext(s)
	if err != nil {
		return err
	}
	if p.host.Store == nil {
		return errors.New("no store configured")
	}
	st := p.host.Store.Plugin(p.ID)
	if m := p.host.Masker; m != nil {
		st.Check = func(key string, value json.RawMessage) error {
			if m.Contains(string(value)) || m.Contains(key) {
				return jsrt.WithHint(&storeSecretError{key: key},
					"keep secrets in ctx.secrets.set(key, value): they go to the OS keyring, ctx.store is a plain database file")
			}
			return nil
		}
	}
	p.data.setStore(st) // its rows count against the plugin's data quota
	p.mu.Lock()
	p.activated = cfg
	p.mu.Unlock()
	hctx, cancel := context.WithTimeoutCause(ctx, p.host.hookTimeout(), &hookTimeoutError{hook: "onActivate", d: p.host.hookTimeout()})
	defer cancel()
	p.tracer.reset()
	_, err = p.rt.Await(hctx, func(vm *goja.Runtime) (goja.Value, error) {
		if err := p.installRefresh(vm, s); err != nil {
			return nil, err
		}
		c, err := p.newContext(vm, cfg, sec, st)
		if err != nil {
			return nil, err
		}
		p.ctxObj = c
		fn, ok := goja.AssertFunction(p.def.Get("onActivate"))
		if !ok {
			return goja.Undefined(), nil
		}
		return fn(p.def, c)
	})
	if err != nil {
		return &ActivateError{Plugin: p.ID, Err: err, Trace: p.tracer.snapshot()}
	}
	p.mu.Lock()
	p.active = true
	p.mu.Unlock()
	return nil
}

// newContext builds the PluginContext object: the SDK's members, and
// host's older names ctx.id and ctx.log beside them. On the loop.
func (p *Plugin) newContext(vm *goja.Runtime, cfg map[string]any, sec *secrets.Scoped, st *store.Store) (*goja.Object, error) {
	c := vm.NewObject()
	p.controller, p.earlyAbort = nil, ""
	conf, err := p.configJS(vm, cfg)
	if err != nil {
		return nil, err
	}
	sink := func(e console.Entry) {
		e.Plugin = p.ID
		p.host.log(e)
	}
	h, err := p.helpers(vm)
	if err != nil {
		return nil, err
	}
	secObj := secrets.NewObject(p.rt, vm, sec)
	for m, need := range map[string]string{"get": "secrets:read", "has": "secrets:read", "set": "secrets:write", "delete": "secrets:write"} {
		if !p.perms.Allows(need) {
			_ = secObj.Set(m, p.permissionDenied(vm, "ctx.secrets."+m, need))
		}
	}
	secV, err := callHelper(vm, h, "nullIfMissing", secObj)
	if err != nil {
		return nil, err
	}
	storeV, err := callHelper(vm, h, "nullIfMissing", store.NewObject(p.rt, vm, st))
	if err != nil {
		return nil, err
	}
	fn := func(name string, f func(goja.FunctionCall) goja.Value) goja.Value {
		return vm.ToValue(jsrt.Safe(vm, name, f))
	}
	frozen := func(kv map[string]any) (*goja.Object, error) {
		o := vm.NewObject()
		for k, v := range kv {
			if err := o.Set(k, v); err != nil {
				return nil, err
			}
		}
		freeze, _ := goja.AssertFunction(vm.Get("Object").ToObject(vm).Get("freeze"))
		_, err := freeze(nil, o)
		return o, err
	}
	caps := make([]any, len(Capabilities))
	for i, s := range Capabilities {
		caps[i] = s
	}
	capsArr := vm.NewArray(caps...)
	hostInfo, err := frozen(map[string]any{"version": APIVersion, "platform": Platform(), "capabilities": capsArr})
	if err != nil {
		return nil, err
	}
	list := h.Get("connectorsList")
	connectors, err := frozen(map[string]any{"list": list})
	if err != nil {
		return nil, err
	}
	personas, err := frozen(map[string]any{"list": list})
	if err != nil {
		return nil, err
	}
	httpObj, err := p.httpObject(vm)
	if err != nil {
		return nil, err
	}
	dataDir := p.newDataDir(vm)
	for _, kv := range []struct {
		k string
		v any
	}{
		{"pluginId", p.ID},
		{"config", conf},
		{"secrets", secV},
		{"store", storeV},
		{"logger", p.newLogger(vm, sink)},
		{"emitMessage", fn("ctx.emitMessage", p.emit(vm, st, false))},
		{"emitMessages", fn("ctx.emitMessages", p.emit(vm, st, true))},
		{"notify", fn("ctx.notify", p.notify(vm, sink))},
		{"emitEvent", fn("ctx.emitEvent", p.emitEvent(vm, st))},
		{"updateStatus", fn("ctx.updateStatus", p.updateStatus(vm, st))},
		{"sleep", fn("ctx.sleep", p.sleep(vm))},
		{"schedule", fn("ctx.schedule", p.schedule(vm))},
		{"unschedule", fn("ctx.unschedule", p.unschedule(vm))},
		{"http", httpObj},
		{"dataDir", dataDir},
		{"host", hostInfo},
		{"connectors", connectors},
		{"personas", personas},
		// host's older names.
		{"id", p.ID},
		{"log", console.NewObject(vm, p.ID, sink, false)},
	} {
		if err := c.DefineDataProperty(kv.k, vm.ToValue(kv.v), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
			return nil, err
		}
	}
	// ctx.signal is made when first read (or when ctx.sleep needs it): its
	// AbortController is the first use of abort's JS, which a plugin that
	// never reads its signal then never compiles (issue 23 §1). Read, it is
	// the same data property as the others.
	err = jsrt.DefineLazy(vm, c, []jsrt.LazyProp{{Name: "signal", Enumerable: true}}, func() error {
		ctrl, err := p.signalController(vm)
		if err != nil {
			return err
		}
		return c.DefineDataProperty("signal", ctrl.Signal(), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// signalController is ctx.signal's controller, made on first use; a signal
// made after the plugin stopped is made aborted. On the loop.
func (p *Plugin) signalController(vm *goja.Runtime) (*abort.Controller, error) {
	if p.controller != nil {
		return p.controller, nil
	}
	ctrl, err := abort.NewController(vm)
	if err != nil {
		return nil, err
	}
	if !abort.OnAbort(vm, ctrl.Signal(), func() {
		p.wakeSleepers(ctrl.Signal().ToObject(vm).Get("reason"))
	}) {
		return nil, errors.New("ctx.signal is not an AbortSignal")
	}
	p.controller = ctrl
	if p.earlyAbort != "" {
		ctrl.Abort(vm, p.earlyAbort)
	}
	return ctrl, nil
}

// abortSignal aborts ctx.signal with reason, or, when it was not made
// yet, makes it aborted with reason when it is. On the loop.
func (p *Plugin) abortSignal(vm *goja.Runtime, reason string) {
	if p.controller == nil {
		if p.earlyAbort == "" {
			p.earlyAbort = reason
		}
		return
	}
	p.controller.Abort(vm, reason)
}

// hookTimeoutError is onActivate or onDeactivate not settling in time: an
// await on something that never happens, or a slow network.
type hookTimeoutError struct {
	hook string
	d    time.Duration
}

func (e *hookTimeoutError) Error() string {
	return fmt.Sprintf("%s did not finish within %s (is it awaiting a promise that never settles?)", e.hook, e.d)
}
func (e *hookTimeoutError) Code() string { return "ERR_HOOK_TIMEOUT" }

// hookTimeout bounds onActivate and onDeactivate: twice the script
// timeout, so a hook may make a few slow network calls.
func (h *Host) hookTimeout() time.Duration {
	t := h.Timeout
	if t <= 0 {
		t = jsrt.DefaultTimeout
	}
	return 2 * t
}

// storeSecretError is ctx.store.set refusing a value that holds a secret.
type storeSecretError struct{ key string }

func (e *storeSecretError) Error() string {
	return "refused: the value contains one of the plugin's secrets; use ctx.secrets.set() for secrets"
}
func (e *storeSecretError) Code() string { return "ERR_STORE_SECRET" }

// configJS is ctx.config: the validated config as a frozen JS object, after
// the configSchema's refinements and transforms, which run here, on the
// loop (Go-side validation skips them). A refinement's refusal is a
// *schema.ValidationError. A config holding dates is converted the same
// way, so they reach the plugin as Dates. On the loop.
func (p *Plugin) configJS(vm *goja.Runtime, cfg map[string]any) (goja.Value, error) {
	if p.Config == nil || !p.Config.HasEffects() && !p.Config.Holds(schema.KindDate) {
		return toFrozenJS(p.rt, vm, cfg) // JSON carries no Date
	}
	v, issues := zod.Apply(vm, p.Config, cfg)
	if len(issues) > 0 {
		return nil, &schema.ValidationError{Issues: issues}
	}
	freeze, _ := goja.AssertFunction(vm.Get("Object").ToObject(vm).Get("freeze"))
	if _, err := freeze(nil, v); err != nil {
		return nil, err
	}
	return v, nil
}

// toFrozenJS turns config into a frozen plain JS object (via JSON, with
// the runtime's own JSON functions and size bounds, so the plugin sees
// ordinary objects and arrays).
func toFrozenJS(rt *jsrt.Runtime, vm *goja.Runtime, v map[string]any) (goja.Value, error) {
	s, _, err := rt.StringifyJSON(vm.ToValue(v), jsrt.JSONLimits{})
	if err != nil {
		return nil, err
	}
	out, err := rt.ParseJSON(s)
	if err != nil {
		return nil, err
	}
	freeze, _ := goja.AssertFunction(vm.Get("Object").ToObject(vm).Get("freeze"))
	if _, err := freeze(nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Deactivate stops the loop from starting new runs, aborts ctx.signal,
// waits (bounded) for a loop run in progress, awaits onDeactivate (when the
// plugin was active and defines one) and closes the runtime, stopping its
// timers and pending work. It always closes; the error is what failed.
func (p *Plugin) Deactivate(ctx context.Context) error {
	p.mu.Lock()
	active := p.active
	p.active = false
	lr := p.loop
	p.loop = nil
	p.mu.Unlock()
	defer p.Close()
	if !active {
		return nil
	}
	if lr != nil {
		lr.halt()
	}
	p.stopSchedules()
	var errs []error
	err := p.rt.Do(ctx, func(vm *goja.Runtime) error {
		p.abortSignal(vm, "plugin deactivated")
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	if lr != nil {
		wait := p.host.LoopStopWait
		if wait <= 0 {
			wait = DefaultLoopStopWait
		}
		if err := lr.wait(wait); err != nil {
			errs = append(errs, err)
		}
	}
	hctx, cancel := context.WithTimeoutCause(ctx, p.host.hookTimeout(), &hookTimeoutError{hook: "onDeactivate", d: p.host.hookTimeout()})
	defer cancel()
	_, err = p.rt.Await(hctx, func(vm *goja.Runtime) (goja.Value, error) {
		fn, ok := goja.AssertFunction(p.def.Get("onDeactivate"))
		if !ok {
			return goja.Undefined(), nil
		}
		return fn(p.def, p.ctxObj)
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("onDeactivate failed: %w", err))
	}
	return errors.Join(errs...)
}

// Active reports whether onActivate succeeded and Deactivate has not run.
func (p *Plugin) Active() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.active
}

// httpObject is ctx.http, frozen: its fetch is the global fetch as it is
// on first read (an accessor, so that a plugin that never fetches never
// builds fetch: the globals of package fetch are lazy, issue 23 §3).
func (p *Plugin) httpObject(vm *goja.Runtime) (*goja.Object, error) {
	var fetch goja.Value
	get := vm.ToValue(func(goja.FunctionCall) goja.Value {
		if fetch == nil {
			fetch = vm.Get("fetch")
		}
		return fetch
	})
	o := vm.NewObject()
	if err := o.DefineAccessorProperty("fetch", get, goja.Undefined(), goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
		return nil, err
	}
	freeze, _ := goja.AssertFunction(vm.Get("Object").ToObject(vm).Get("freeze"))
	_, err := freeze(nil, o)
	return o, err
}
