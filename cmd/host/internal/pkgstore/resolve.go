package pkgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
)

// ProvidedByHost are packages host provides itself: a plugin's dependency
// on them is not installed (the published SDK's own runtime never runs).
var ProvidedByHost = []string{"@hivemind-os/plugin-sdk"}

// VersionError is a range no published version satisfies.
type VersionError struct {
	Name, Range string
	Latest      string
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("%s has no version matching %q (latest is %s)", e.Name, e.Range, e.Latest)
}

// pickVersion chooses the version of p that rng (a semver range as npm
// writes it, an exact version or a dist-tag; "" is "latest") names: the
// "latest" tag when it satisfies the range, else the highest satisfying
// version (pre-releases only when the range names one).
func pickVersion(p *Packument, rng string) (*VersionMeta, error) {
	rng = strings.TrimSpace(rng)
	if rng == "" {
		rng = "latest"
	}
	if v, ok := p.DistTags[rng]; ok {
		if m := p.Versions[v]; m != nil {
			return m, nil
		}
		return nil, fmt.Errorf("%s: dist-tag %s names version %s, which the registry does not list", p.Name, rng, v)
	}
	c, err := parseRange(rng)
	if err != nil {
		return nil, fmt.Errorf("%s@%s: %w", p.Name, rng, err)
	}
	if lv, ok := p.DistTags["latest"]; ok {
		if v, err := parseVersion(lv); err == nil && c.check(v) && p.Versions[lv] != nil {
			return p.Versions[lv], nil
		}
	}
	var best *version
	for s := range p.Versions {
		v, err := parseLooseVersion(s)
		if err != nil || !c.check(v) {
			continue
		}
		if best == nil || v.compare(best) > 0 {
			best = v
		}
	}
	if best == nil {
		return nil, &VersionError{Name: p.Name, Range: rng, Latest: p.DistTags["latest"]}
	}
	return p.Versions[best.original], nil
}

// parseRange parses an npm range ("^1.2", "~1.2.3", "1.x", ">=1 <2 || 3",
// "1.2.3 - 2", "*").
func parseRange(rng string) (versionRange, error) {
	c, err := newRange(rng)
	if err != nil {
		return nil, fmt.Errorf("%q is not a version range host understands (e.g. ^1.2.0, ~1.2, 1.x, >=1 <3): %w", rng, err)
	}
	return c, nil
}

// satisfies reports whether version is in rng (a tag never matches an
// already placed version unless it names exactly it).
func satisfies(p *Packument, version, rng string) bool {
	rng = strings.TrimSpace(rng)
	if rng == "" {
		rng = "latest"
	}
	if p != nil {
		if v, ok := p.DistTags[rng]; ok {
			return v == version
		}
	}
	c, err := parseRange(rng)
	if err != nil {
		return false
	}
	v, err := parseLooseVersion(version)
	return err == nil && c.check(v)
}

// node is one package of the dependency tree at its place on disk.
type node struct {
	meta     *VersionMeta
	path     string // "" for the plugin itself, else "node_modules/a/node_modules/b"
	parent   *node  // whose node_modules holds it; nil for the plugin
	children map[string]*node
	optional bool
}

// depsOf are a version's runtime dependencies to install, sorted: its
// dependencies and optional dependencies, less what host provides, what
// the package bundles, and peer dependencies (never installed).
func depsOf(m *VersionMeta) (names []string, ranges map[string]string, optional map[string]bool) {
	ranges, optional = map[string]string{}, map[string]bool{}
	for n, r := range m.Dependencies {
		ranges[n] = r
	}
	for n, r := range m.OptionalDependencies {
		ranges[n] = r
		optional[n] = true
	}
	for _, n := range append(bundled(m), ProvidedByHost...) {
		delete(ranges, n)
	}
	for n := range ranges {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, ranges, optional
}

// bundled lists the bundleDependencies the tarball ships itself.
func bundled(m *VersionMeta) []string {
	for _, raw := range []json.RawMessage{m.BundleDependencies, m.BundledDependencies} {
		var list []string
		if json.Unmarshal(raw, &list) == nil && len(list) > 0 {
			return list
		}
		var all bool
		if json.Unmarshal(raw, &all) == nil && all {
			var names []string
			for n := range m.Dependencies {
				names = append(names, n)
			}
			return names
		}
	}
	return nil
}

// platformOK reports whether a package's os/cpu fields admit this machine.
func platformOK(m *VersionMeta) bool {
	ok := func(list []string, have string) bool {
		if len(list) == 0 {
			return true
		}
		allowed, denied := false, false
		for _, e := range list {
			if neg, ok := strings.CutPrefix(e, "!"); ok {
				if neg == have {
					denied = true
				}
				continue
			}
			if e == have {
				allowed = true
			}
		}
		if denied {
			return false
		}
		return allowed || !slices.ContainsFunc(list, func(s string) bool { return !strings.HasPrefix(s, "!") })
	}
	goos := map[string]string{"windows": "win32"}[runtime.GOOS]
	if goos == "" {
		goos = runtime.GOOS
	}
	cpu := map[string]string{"amd64": "x64", "386": "ia32"}[runtime.GOARCH]
	if cpu == "" {
		cpu = runtime.GOARCH
	}
	return ok(m.OS, goos) && ok(m.CPU, cpu)
}

// resolve builds root's dependency tree as npm lays it out: each package
// as high in node_modules as it can go without clashing with another
// version that a package above needs (so Node's module resolution from
// every package finds a version in its range). Packuments are fetched
// concurrently; the layout depends only on the packuments, so the same
// registry state gives the same tree.
func resolve(ctx context.Context, reg *Registry, root *VersionMeta) (*node, error) {
	top := &node{meta: root, children: map[string]*node{}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	prefetch := func(m *VersionMeta) {
		names, _, _ := depsOf(m)
		for _, n := range names {
			go func() { _, _ = reg.Packument(ctx, n) }()
		}
	}
	prefetch(root)
	queue := []*node{top}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		names, ranges, optional := depsOf(n.meta)
		for _, name := range names {
			rng := ranges[name]
			if err := unsupportedSpec(name, rng); err != nil {
				if optional[name] {
					continue
				}
				return nil, fmt.Errorf("%s@%s depends on %w", n.meta.Name, n.meta.Version, err)
			}
			var found *node
			for loc := n; loc != nil; loc = loc.parent {
				if c := loc.children[name]; c != nil {
					found = c
					break
				}
			}
			p, err := reg.Packument(ctx, name)
			if err == nil && found != nil && satisfies(p, found.meta.Version, rng) {
				continue
			}
			var m *VersionMeta
			if err == nil {
				m, err = pickVersion(p, rng)
			}
			if err == nil && !platformOK(m) {
				err = fmt.Errorf("%s@%s is not for this platform", m.Name, m.Version)
			}
			if err != nil {
				if optional[name] {
					continue
				}
				return nil, fmt.Errorf("%s@%s depends on %s@%s: %w", n.meta.Name, n.meta.Version, name, rng, err)
			}
			at := top
			if found != nil {
				at = n // a clash above: this version goes into n's own node_modules
			}
			c := &node{meta: m, parent: at, children: map[string]*node{}, optional: optional[name]}
			c.path = "node_modules/" + name
			if at.path != "" {
				c.path = at.path + "/" + c.path
			}
			at.children[name] = c
			prefetch(m)
			queue = append(queue, c)
		}
	}
	return top, nil
}

// unsupportedSpec refuses dependency specs that are not registry ranges:
// git, URLs, files, aliases.
func unsupportedSpec(name, rng string) error {
	r := strings.TrimSpace(rng)
	for _, p := range []string{"git+", "git:", "github:", "http:", "https:", "file:", "link:", "npm:", "workspace:"} {
		if strings.HasPrefix(r, p) {
			return fmt.Errorf("%s@%s: host installs dependencies from the registry only (a %s spec is not supported)", name, rng, strings.TrimSuffix(p, ":"))
		}
	}
	if strings.Contains(r, "/") && !strings.ContainsAny(r, " <>=") {
		return fmt.Errorf("%s@%s: host installs dependencies from the registry only (a GitHub spec is not supported)", name, rng)
	}
	return nil
}

// walk visits every node below n (n excluded), parents before children,
// in path order.
func (n *node) walk(fn func(*node) error) error {
	names := make([]string, 0, len(n.children))
	for k := range n.children {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		c := n.children[k]
		if err := fn(c); err != nil {
			return err
		}
		if err := c.walk(fn); err != nil {
			return err
		}
	}
	return nil
}
