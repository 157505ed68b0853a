package plugin

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"strings"

	"host/jsrt"
)

// Root is the directory a plugin's imports must stay inside (with the
// node_modules Node's lookup finds from it): the plugin's package
// (jsrt.DefaultRoot), or, when that package is a member of an npm, yarn or
// pnpm workspace, the workspace's root, so that a workspace package linked
// into node_modules (packages/plug importing @org/shared, a link to
// packages/shared) may be imported. The workspace root is the nearest
// directory above the package with a package.json that has "workspaces"
// or a pnpm-workspace.yaml, whose patterns name the package; never the
// user's home, an ancestor of it or / (jsrt.TooBroadRoot).
func Root(entry string) string {
	pkg := jsrt.DefaultRoot(entry)
	if m, _ := findManifest(entry); m != nil {
		pkg = filepath.Dir(m.Path) // above a build's dist/package.json
	}
	if !fileExists(filepath.Join(pkg, "package.json")) {
		return pkg
	}
	for d := filepath.Dir(pkg); !jsrt.TooBroadRoot(d); d = filepath.Dir(d) {
		patterns, ok := workspacePatterns(d)
		if !ok {
			continue
		}
		rel, err := filepath.Rel(d, pkg)
		if err == nil && workspaceMember(filepath.ToSlash(rel), patterns) {
			return d
		}
		return pkg // the nearest workspace does not list the package
	}
	return pkg
}

// workspacePatterns reads the workspace patterns of dir: pnpm-workspace.yaml's
// packages, or package.json's "workspaces" (an array, or yarn's
// { packages: [...] }). ok is false when dir is not a workspace root.
func workspacePatterns(dir string) (patterns []string, ok bool) {
	if data, err := os.ReadFile(filepath.Join(dir, "pnpm-workspace.yaml")); err == nil {
		return pnpmPackages(string(data)), true
	}
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, false
	}
	var pj struct {
		Workspaces json.RawMessage `json:"workspaces"`
	}
	if json.Unmarshal(data, &pj) != nil || len(pj.Workspaces) == 0 || string(pj.Workspaces) == "null" {
		return nil, false
	}
	if json.Unmarshal(pj.Workspaces, &patterns) == nil {
		return patterns, true
	}
	var yarn struct {
		Packages []string `json:"packages"`
	}
	if json.Unmarshal(pj.Workspaces, &yarn) == nil {
		return yarn.Packages, true
	}
	return nil, true
}

// pnpmPackages reads the packages list of a pnpm-workspace.yaml: the
// block form (packages: then "- 'glob'" lines) and the flow form
// (packages: ['a/*', 'b']). Anything else reads as no packages, which
// keeps the plugin's root its own package.
func pnpmPackages(yaml string) []string {
	var out []string
	in := false
	unquote := func(s string) string {
		if i := strings.Index(s, " #"); i >= 0 {
			s = s[:i]
		}
		return strings.Trim(strings.TrimSpace(s), `'"`)
	}
	for _, line := range strings.Split(yaml, "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "packages:"); ok {
			rest = strings.TrimSpace(rest)
			if strings.HasPrefix(rest, "[") {
				for _, item := range strings.Split(strings.Trim(rest, "[]"), ",") {
					if s := unquote(item); s != "" {
						out = append(out, s)
					}
				}
				return out
			}
			in = true
			continue
		}
		if line[0] != ' ' && line[0] != '\t' && line[0] != '-' {
			in = false // the next top-level key
			continue
		}
		if item, ok := strings.CutPrefix(trimmed, "-"); ok && in {
			if s := unquote(item); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// workspaceMember reports whether the package at rel (slash-separated,
// relative to the workspace root) matches the patterns, "!" patterns
// excluding.
func workspaceMember(rel string, patterns []string) bool {
	member := false
	for _, p := range patterns {
		neg := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(p, "!"), "./"), "/")
		p = strings.TrimSuffix(p, "/")
		if globMatch(strings.Split(p, "/"), strings.Split(rel, "/")) {
			member = !neg
		}
	}
	return member
}

// globMatch matches path segments against pattern segments: "**" any
// number of segments, else path.Match per segment.
func globMatch(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(segs); i++ {
			if globMatch(pat[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	ok, err := path.Match(pat[0], segs[0])
	return err == nil && ok && globMatch(pat[1:], segs[1:])
}
