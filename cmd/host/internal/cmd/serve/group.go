package serve

import (
	"path/filepath"
	"sort"
	"strings"

	"host/bindings/plugin"
	"host/cmd/host/internal/cmdutil"
)

// parseGroups reads the --group values: each a comma-separated list of at
// least two of the served plugins (paths: their entry files), named by
// id, file or directory (resolve turns a name into a file as the serve's
// arguments are: session.Resolve). It returns each grouped plugin's path
// with its group's name (the value as given, spaces trimmed). A name that
// is no served plugin, a plugin named in two groups (or twice in one), an
// empty name or a group of one is a usage error saying which and what to
// do.
func parseGroups(values []string, paths []string, resolve func(string) string) (map[string]string, error) {
	if len(values) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, v := range values {
		var names []string
		for _, n := range strings.Split(v, ",") {
			n = strings.TrimSpace(n)
			if n == "" {
				return nil, cmdutil.Usagef("serve: --group %q: an empty plugin name; separate plugin ids with commas: --group a,b", v)
			}
			names = append(names, n)
		}
		if len(names) < 2 {
			return nil, cmdutil.Usagef("serve: --group %q: a group needs at least two plugins (a plugin not in a group has a worker of its own); name them with commas: --group %s,OTHER", v, names[0])
		}
		name := strings.Join(names, ",")
		seen := map[string]string{} // path -> the name it was given by, in this group
		for _, n := range names {
			p, ok := servedPath(n, paths, resolve)
			if !ok {
				return nil, cmdutil.Usagef("serve: --group %s: %s is not a plugin this serve runs (it runs %s); name a group's plugins by id, file or directory", name, n, strings.Join(servedIDs(paths), ", "))
			}
			if prev, ok := seen[p]; ok {
				return nil, cmdutil.Usagef("serve: --group %s: %s and %s are the same plugin; name each plugin once", name, prev, n)
			}
			if other, ok := out[p]; ok {
				return nil, cmdutil.Usagef("serve: --group %s: %s is already in --group %s; a plugin can be in one group only", name, n, other)
			}
			seen[p] = n
		}
		for p := range seen {
			out[p] = name
		}
	}
	return out, nil
}

// servedPath is the served plugin that name names: its id (the one its
// file would have, or one resolve knows: installed, or run before in the
// data dir), its file or its directory.
func servedPath(name string, paths []string, resolve func(string) string) (string, bool) {
	for _, p := range paths {
		if plugin.DefaultID(p) == name {
			return p, true
		}
	}
	r := name
	if resolve != nil {
		r = resolve(name)
	}
	abs, err := filepath.Abs(r)
	if err != nil {
		return "", false
	}
	for _, p := range paths {
		if p == abs || filepath.Dir(p) == abs {
			return p, true
		}
	}
	return "", false
}

// servedIDs are the served plugins' ids as their files give them, for a
// message.
func servedIDs(paths []string) []string {
	ids := make([]string, 0, len(paths))
	for _, p := range paths {
		ids = append(ids, plugin.DefaultID(p))
	}
	sort.Strings(ids)
	return ids
}
