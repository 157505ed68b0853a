package schema

import (
	"slices"
	"strconv"
	"strings"
)

// idMark is the key body() gives a schema's .meta({ id }) in the tree
// being exported; extractDefs replaces each marked schema with a $ref to
// a $defs entry of that name. No JSON Schema keyword can start with NUL.
const idMark = "\x00id"

// extractDefs moves parts of the exported tree doc to e.defs, leaving a
// $ref in their place: first every schema with an id (.meta({ id })),
// under that name; then, with share, every object schema that occurs more
// than once, under __schemaN (the names recursion uses too), largest
// first. A root with an id is a $ref to its entry, as zod writes it;
// with share (a tool's inputSchema, whose root must be an object schema)
// it stays where it is and its id is dropped.
func (e *exporter) extractDefs(doc ordered, share bool) ordered {
	rootID, _ := doc.get(idMark)
	doc = doc.without(idMark)
	for i, d := range e.defs {
		if b, ok := d.v.(ordered); ok {
			e.defs[i].v = b.without(idMark) // a recursive schema keeps its __schemaN
		}
	}
	byText := map[string]string{} // a $defs entry's JSON -> its name
	for _, d := range e.defs {
		byText[jsonText(d.v)] = d.k
	}
	// Ids, innermost first: an id'd schema inside another is a $ref in
	// the outer's entry.
	var pull func(n ordered) ordered
	pull = func(n ordered) ordered {
		n.eachChild(func(c ordered) ordered { return pull(c) })
		id, ok := n.get(idMark)
		if !ok {
			return n
		}
		return e.def(n.without(idMark), id.(string), byText)
	}
	doc.eachChild(func(c ordered) ordered { return pull(c) })
	for i := 0; i < len(e.defs); i++ { // entries added meanwhile are walked too
		if b, ok := e.defs[i].v.(ordered); ok {
			b.eachChild(func(c ordered) ordered { return pull(c) })
		}
	}
	if !share {
		if id, ok := rootID.(string); ok {
			return e.def(doc, id, byText)
		}
		return doc
	}
	next := len(e.refs)
	for {
		// Count the object schemas of the tree and of the entries.
		count := map[string]int{}
		var walk func(n ordered)
		walk = func(n ordered) {
			if _, ok := n.get("properties"); ok {
				count[jsonText(n)]++
			}
			n.eachChild(func(c ordered) ordered { walk(c); return c })
		}
		doc.eachChild(func(c ordered) ordered { walk(c); return c })
		for _, d := range e.defs {
			if b, ok := d.v.(ordered); ok {
				b.eachChild(func(c ordered) ordered { walk(c); return c })
			}
		}
		best := ""
		for text, n := range count {
			if n > 1 && (len(text) > len(best) || len(text) == len(best) && text < best) {
				best = text
			}
		}
		if best == "" {
			return doc
		}
		name := ""
		var swap func(n ordered) ordered
		swap = func(n ordered) ordered {
			if jsonText(n) == best {
				if name == "" {
					name = "__schema" + strconv.Itoa(next)
					next++
					for e.hasDef(name) {
						name = "__schema" + strconv.Itoa(next)
						next++
					}
					e.defs = append(e.defs, kv{name, n})
				}
				return ordered{{"$ref", "#/$defs/" + name}}
			}
			n.eachChild(swap)
			return n
		}
		doc.eachChild(swap)
		for i := 0; i < len(e.defs); i++ {
			if b, ok := e.defs[i].v.(ordered); ok && e.defs[i].k != name {
				b.eachChild(swap)
			}
		}
	}
}

// def puts body under $defs as name (name_2, name_3... when another body
// has the name) unless the same body is there already, and returns the
// $ref to it.
func (e *exporter) def(body ordered, name string, byText map[string]string) ordered {
	text := jsonText(body)
	if have, ok := byText[text]; ok && (have == name || strings.HasPrefix(have, name+"_")) {
		return ordered{{"$ref", "#/$defs/" + have}}
	}
	n := name
	for i := 2; e.hasDef(n); i++ {
		n = name + "_" + strconv.Itoa(i)
	}
	e.defs = append(e.defs, kv{n, body})
	byText[text] = n
	return ordered{{"$ref", "#/$defs/" + n}}
}

func (e *exporter) hasDef(name string) bool {
	return slices.ContainsFunc(e.defs, func(d kv) bool { return d.k == name })
}

// without is o without key (o itself when it has none).
func (o ordered) without(key string) ordered {
	i := slices.IndexFunc(o, func(e kv) bool { return e.k == key })
	if i < 0 {
		return o
	}
	return slices.Delete(slices.Clone(o), i, i+1)
}

// set is o with key set to v: in place of the key's value when o has it,
// else at the end.
func (o ordered) set(key string, v any) ordered {
	out := slices.Clone(o)
	for i := range out {
		if out[i].k == key {
			out[i].v = v
			return out
		}
	}
	return append(out, kv{key, v})
}

// eachChild calls fn with each schema directly inside the schema o (the
// values of properties and $defs; items, additionalProperties,
// propertyNames, not; the members of prefixItems, anyOf, oneOf, allOf)
// and puts what fn returns in its place. Keywords a plugin gave through
// .meta() are JSON text, never walked.
func (o ordered) eachChild(fn func(ordered) ordered) {
	for i := range o {
		switch o[i].k {
		case "properties", "$defs":
			if m, ok := o[i].v.(ordered); ok {
				for j := range m {
					if c, ok := m[j].v.(ordered); ok {
						m[j].v = fn(c)
					}
				}
			}
		case "items", "additionalProperties", "propertyNames", "not":
			if c, ok := o[i].v.(ordered); ok && len(c) > 0 {
				o[i].v = fn(c)
			}
		case "prefixItems", "anyOf", "oneOf", "allOf":
			if list, ok := o[i].v.([]any); ok {
				for j := range list {
					if c, ok := list[j].(ordered); ok {
						list[j] = fn(c)
					}
				}
			}
		}
	}
}
