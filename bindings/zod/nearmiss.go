package zod

import (
	"slices"
	"sort"
	"strings"

	"github.com/dop251/goja"

	"host/jsrt"
)

// Did-you-mean for misspelt zod names (`z.numbr()`, `z.string().trimm()`).
// goja's own error names neither the receiver nor a fix ("Object has no
// member 'numbr'"), and by the time it is thrown the receiver is gone. So
// a dynamic object sits at the end of the prototype chains of z, its
// sub-namespaces and every z value, where only names the object lacks
// arrive: a name one or two edits from a zod function or method reads as
// a function that throws a TypeError naming the receiver and the nearest
// real name; every other name reads as undefined, as before. `in`, key
// listings and assignments see no such property. Real names never reach
// it, so lookups that succeed cost nothing more.

// nearMiss is the DynamicObject at the end of a chain. Use on the loop.
type nearMiss struct {
	b *binding
	// names are the candidates a read is compared with (made on first
	// use: the tables are complete only after New).
	names func() []string
	// call makes the throwing function for a near name.
	call func(name string) goja.Value
	// fns caches the decision per name (nil: not near).
	fns map[string]goja.Value
	// objectProto answers the names every object has.
	objectProto *goja.Object
}

// notNear are names runtimes and libraries probe on any object (a promise
// resolution looks for then); they always read as undefined here.
var notNear = map[string]bool{"then": true, "toJSON": true, "asymmetricMatch": true, "nodeType": true, "inspect": true, "length": true}

func (m *nearMiss) Get(key string) goja.Value {
	if fn, ok := m.fns[key]; ok {
		return fn
	}
	var fn goja.Value
	if !notNear[key] && !strings.HasPrefix(key, "_") && !strings.HasPrefix(key, "$") && m.objectProto.Get(key) == nil {
		if _, ok := nearest(key, m.names()); ok {
			fn = m.call(key)
		}
	}
	m.fns[key] = fn
	return fn
}

func (m *nearMiss) Set(string, goja.Value) bool { return false }
func (m *nearMiss) Has(string) bool             { return false }
func (m *nearMiss) Delete(string) bool          { return true }
func (m *nearMiss) Keys() []string              { return nil }

// nearest is the candidate closest to name, if one is near: the name
// itself, the same name in another case, or one within one edit (names of
// up to 4 letters) or two.
func nearest(name string, candidates []string) (string, bool) {
	limit := 2
	if len(name) <= 4 {
		limit = 1
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		d := jsrt.EditDistance(name, c)
		if d > 0 && strings.EqualFold(name, c) {
			d = 1
		}
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best, best != ""
}

// namespaceNearMiss puts a nearMiss under o's prototype chain: o's own names
// (a namespace such as z, shown as display) are the candidates.
func (b *binding) namespaceNearMiss(o *goja.Object, display string) {
	var names []string
	m := b.newNearMiss(func() []string {
		if names == nil {
			names = o.GetOwnPropertyNames()
		}
		return names
	}, func(name string) goja.Value {
		return b.vm.ToValue(func(goja.FunctionCall) goja.Value {
			near, _ := nearest(name, names)
			jsrt.Throw(b.vm, jsrt.TypeErrorf("%s.%s is not a function; did you mean %s.%s?", display, name, display, near))
			return nil
		})
	})
	_ = o.SetPrototype(m)
}

// schemaNearMiss puts a nearMiss under b.base, the end of every z value's
// chain: the candidates are the methods of every kind; the error names the
// receiver's kind and the nearest of its own methods.
func (b *binding) schemaNearMiss() {
	var all []string
	m := b.newNearMiss(func() []string {
		if all == nil {
			all = chainNames(b.base)
			for _, p := range b.protos {
				all = append(all, p.GetOwnPropertyNames()...)
			}
		}
		return all
	}, func(name string) goja.Value {
		return b.vm.ToValue(func(c goja.FunctionCall) goja.Value {
			h := handleOf(c.This)
			if h == nil { // called off its schema
				jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s is not a function (nor a method of this value)", name))
			}
			own := chainNames(c.This.ToObject(b.vm))
			if near, ok := nearest(name, own); ok {
				jsrt.Throw(b.vm, jsrt.TypeErrorf("%s.%s is not a function; did you mean .%s()?", kindCall(h.s), name, near))
			}
			near, _ := nearest(name, all)
			jsrt.Throw(b.vm, jsrt.TypeErrorf("%s has no method .%s(); %s has .%s()", kindCall(h.s), name, b.kindWith(near), near))
			return nil
		})
	})
	_ = b.base.SetPrototype(m)
}

// kindWith names a kind whose z values have method name, as its z call
// ("z.string()"); the first in kind order when several do.
func (b *binding) kindWith(name string) string {
	var kinds []string
	for k, p := range b.protos {
		if k != kindPipe && slices.Contains(p.GetOwnPropertyNames(), name) {
			kinds = append(kinds, string(k))
		}
	}
	if len(kinds) == 0 {
		return "another z schema"
	}
	sort.Strings(kinds)
	return "z." + kinds[0] + "()"
}
func (b *binding) newNearMiss(names func() []string, call func(string) goja.Value) *goja.Object {
	m := &nearMiss{b: b, names: names, call: call, fns: map[string]goja.Value{},
		objectProto: b.vm.Get("Object").ToObject(b.vm).Get("prototype").ToObject(b.vm)}
	return b.vm.NewDynamicObject(m)
}

// chainNames are the property names of o and its prototypes up to (not
// including) a nearMiss or Object.prototype, sorted.
func chainNames(o *goja.Object) []string {
	seen := map[string]bool{}
	var out []string
	for p := o; p != nil; p = p.Prototype() {
		if _, dyn := p.Export().(*nearMiss); dyn {
			break
		}
		if p.Get("hasOwnProperty") != nil && p.Prototype() == nil {
			break // Object.prototype
		}
		for _, n := range p.GetOwnPropertyNames() {
			if !seen[n] && !strings.HasPrefix(n, "_") {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}

var _ goja.DynamicObject = (*nearMiss)(nil)
