package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"host/jsrt"
)

// Manifest is a plugin package's package.json as far as host reads it:
// the package name (the default plugin id) and the SDK's "hivemind"
// manifest.
type Manifest struct {
	Path        string // the package.json file
	Name        string // package name, e.g. "@acme/connector-github"
	Version     string
	Description string
	Main        string

	Type           string   // hivemind.type, e.g. "connector"
	DisplayName    string   // hivemind.displayName
	HMDescription  string   // hivemind.description
	Permissions    []string // hivemind.permissions
	MinHostVersion string   // hivemind.minHostVersion
}

// ManifestError is a package.json host cannot use.
type ManifestError struct {
	Path    string
	Problem string
}

func (e *ManifestError) Error() string { return e.Path + ": " + e.Problem }

// ReadManifest reads dir/package.json. It returns nil, nil when there is
// none.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, "package.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var raw struct {
		Name        string          `json:"name"`
		Version     string          `json:"version"`
		Description string          `json:"description"`
		Main        string          `json:"main"`
		Hivemind    json.RawMessage `json:"hivemind"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, &ManifestError{Path: path, Problem: fmt.Sprintf("not valid JSON: %v", err)}
	}
	m := &Manifest{Path: path, Name: raw.Name, Version: raw.Version, Description: raw.Description, Main: raw.Main}
	if len(raw.Hivemind) > 0 && string(raw.Hivemind) != "null" {
		var hm struct {
			Type           *string   `json:"type"`
			DisplayName    *string   `json:"displayName"`
			Description    *string   `json:"description"`
			Permissions    *[]string `json:"permissions"`
			MinHostVersion *string   `json:"minHostVersion"`
		}
		if err := json.Unmarshal(raw.Hivemind, &hm); err != nil {
			return nil, &ManifestError{Path: path, Problem: fmt.Sprintf(`"hivemind" must be an object { type, displayName, description, permissions: [...], minHostVersion }: %v`, err)}
		}
		deref := func(p *string) string {
			if p == nil {
				return ""
			}
			return *p
		}
		m.Type, m.DisplayName, m.HMDescription, m.MinHostVersion = deref(hm.Type), deref(hm.DisplayName), deref(hm.Description), deref(hm.MinHostVersion)
		if hm.Permissions != nil {
			m.Permissions = *hm.Permissions
		}
	}
	return m, nil
}

// ID is the plugin id the package name gives, derived as the SDK's host
// derives it (a leading "@" dropped, "/" made ".", " " made "-":
// "@acme/github" is "acme.github"), lower-cased, and with any other
// character a plugin id may not have made "-" (runs of them one, none at
// either end, at most 64 characters): "{{name}}" is "name". Empty when
// the name has nothing usable.
func (m *Manifest) ID() string { return idFromName(m.Name) }

func idFromName(name string) string {
	n := strings.TrimLeft(name, "@")
	n = strings.ReplaceAll(strings.ReplaceAll(n, "/", "."), " ", "-")
	var b strings.Builder
	for _, r := range strings.ToLower(n) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			b.WriteRune(r)
		default:
			if s := b.String(); s != "" && !strings.HasSuffix(s, "-") {
				b.WriteByte('-')
			}
		}
	}
	id := strings.TrimLeft(b.String(), "._-")
	if len(id) > 64 {
		id = id[:64]
	}
	return strings.TrimRight(id, "-")
}

// entryNames are the files a plugin directory's entry may be, in order.
var entryNames = []string{"plugin.ts", "index.ts", "src/index.ts", "src/plugin.ts", "plugin.js", "index.js"}

// Entry finds the file to run for a plugin directory: with a package.json,
// its TypeScript source entry ("main" when it is a .ts file; else the
// source of a built "main": dist/index.js is src/index.ts; else
// src/index.ts, index.ts...); without one, plugin.ts or index.ts (and
// their .js). An error says where it looked.
func Entry(dir string) (string, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return "", err
	}
	var tried []string
	try := func(rel string) (string, bool) {
		if rel == "" {
			return "", false
		}
		rel = filepath.Clean(filepath.FromSlash(rel))
		if filepath.IsAbs(rel) || strings.HasPrefix(rel, "..") {
			return "", false
		}
		p := filepath.Join(dir, rel)
		tried = append(tried, filepath.ToSlash(rel))
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, true
		}
		return "", false
	}
	if m != nil && m.Main != "" {
		main := filepath.ToSlash(filepath.Clean(m.Main))
		if ext := filepath.Ext(main); ext == ".ts" || ext == ".mts" {
			if p, ok := try(main); ok {
				return p, nil
			}
		}
		stem := strings.TrimSuffix(main, filepath.Ext(main))
		for _, out := range []string{"dist/", "build/", "lib/", "out/"} {
			if rest, ok := strings.CutPrefix(stem, out); ok {
				if p, ok := try("src/" + rest + ".ts"); ok {
					return p, nil
				}
			}
		}
		if p, ok := try(stem + ".ts"); ok {
			return p, nil
		}
	}
	for _, n := range entryNames {
		if p, ok := try(n); ok {
			return p, nil
		}
	}
	if m != nil && m.Main != "" {
		if p, ok := try(m.Main); ok {
			return p, nil
		}
	}
	return "", jsrt.WithHint(fmt.Errorf("%s has no plugin entry (looked for %s)", dir, strings.Join(dedupe(tried), ", ")),
		`name the file to run, or put the plugin's TypeScript source at src/index.ts (package.json "main": "dist/index.js" is read as src/index.ts)`)
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// findManifest returns the package.json of the plugin package entry
// belongs to: the nearest one at or above entry's directory (below the
// user's home and the file system root; one with no name, main or
// permissions, such as a build's dist/package.json {"type": "module"},
// does not count), when entry is that package's
// entry: in its directory, under its src/, its "main" (a published
// package's dist/index.js), or what Entry finds for it. Nil when there is
// none. A package.json further up (a repository's own) is not the
// plugin's.
func findManifest(entry string) (*Manifest, error) {
	abs, err := filepath.Abs(entry)
	if err != nil {
		return nil, nil
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	home, _ := os.UserHomeDir()
	for dir := filepath.Dir(abs); dir != filepath.Dir(dir) && dir != home; dir = filepath.Dir(dir) {
		m, err := ReadManifest(dir)
		if err != nil {
			return nil, err
		}
		if m == nil || m.Name == "" && m.Permissions == nil && m.Main == "" {
			continue // none, or a build's {"type": "module"} marker (dist/package.json)
		}
		if filepath.Dir(abs) == dir || filepath.Dir(abs) == filepath.Join(dir, "src") || isEntryOf(dir, m, abs) {
			return m, nil
		}
		return nil, nil
	}
	return nil, nil
}

// isEntryOf reports whether file is the entry of the package in dir with
// manifest m: its "main", or what Entry picks.
func isEntryOf(dir string, m *Manifest, file string) bool {
	same := func(p string) bool {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return p == file
	}
	if m.Main != "" {
		if rel := filepath.Clean(filepath.FromSlash(m.Main)); filepath.IsLocal(rel) && same(filepath.Join(dir, rel)) {
			return true
		}
	}
	e, err := Entry(dir)
	return err == nil && same(e)
}

// versionLess reports whether version a is below b, comparing dotted
// numbers (a pre-release suffix like "-dev" is ignored). ok is false when
// either is not a version.
func versionLess(a, b string) (less, ok bool) {
	parse := func(v string) ([]int, bool) {
		v = strings.TrimPrefix(strings.TrimSpace(v), "v")
		if i := strings.IndexAny(v, "-+"); i >= 0 {
			v = v[:i]
		}
		var out []int
		for _, part := range strings.Split(v, ".") {
			n, err := strconv.Atoi(part)
			if err != nil {
				return nil, false
			}
			out = append(out, n)
		}
		return out, len(out) > 0
	}
	av, ok1 := parse(a)
	bv, ok2 := parse(b)
	if !ok1 || !ok2 {
		return false, false
	}
	for i := 0; i < max(len(av), len(bv)); i++ {
		var x, y int
		if i < len(av) {
			x = av[i]
		}
		if i < len(bv) {
			y = bv[i]
		}
		if x != y {
			return x < y, true
		}
	}
	return false, true
}

// rel shows p relative to wd when it is inside it.
func rel(wd, p string) string {
	if wd == "" {
		wd, _ = os.Getwd()
	}
	r, err := filepath.Rel(wd, p)
	if err != nil || strings.HasPrefix(r, "..") {
		return p
	}
	return filepath.ToSlash(r)
}
