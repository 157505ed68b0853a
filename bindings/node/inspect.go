package node

import (
	"errors"

	"github.com/dop251/goja"
)

// errNotInstalled is Format and Inspect on a runtime without Install.
var errNotInstalled = errors.New("node: the runtime has no Node built-ins (call node.Install first)")

// util returns the runtime's node:util exports (the module plugins import),
// running util.js the first time. On the loop goroutine.
func util(vm *goja.Runtime) (*goja.Object, error) {
	key, err := symbolFor(vm, "host.node")
	if err != nil {
		return nil, err
	}
	nat, ok := vm.GlobalObject().GetSymbol(key).(*goja.Object)
	if !ok {
		return nil, errNotInstalled
	}
	req, ok := goja.AssertFunction(nat.Get("require"))
	if !ok {
		return nil, errNotInstalled
	}
	v, err := req(goja.Undefined(), vm.ToValue("util"))
	if err != nil {
		return nil, err
	}
	return v.ToObject(vm), nil
}

// Format is node:util's format(...args): what console.log prints for its
// arguments, as Node prints it. Plugin code can run (a custom inspect
// function); its exception is the error. vm must have had Install. On the
// loop goroutine.
func Format(vm *goja.Runtime, args []goja.Value) (string, error) {
	u, err := util(vm)
	if err != nil {
		return "", err
	}
	f, _ := goja.AssertFunction(u.Get("format"))
	v, err := f(goja.Undefined(), args...)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

// InspectLine is node:util's inspect(v) on one line (breakLength
// Infinity), for log fields. As Format otherwise.
func InspectLine(vm *goja.Runtime, v goja.Value) (string, error) {
	u, err := util(vm)
	if err != nil {
		return "", err
	}
	f, _ := goja.AssertFunction(u.Get("inspect"))
	opts := vm.NewObject()
	_ = opts.Set("breakLength", goja.PositiveInf())
	r, err := f(goja.Undefined(), v, opts)
	if err != nil {
		return "", err
	}
	return r.String(), nil
}
