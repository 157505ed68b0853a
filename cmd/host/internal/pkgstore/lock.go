package pkgstore

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// LockName is the lock file beside an installed plugin's package.
const LockName = "host-lock.json"

// Lock records exactly what an install wrote: the plugin's package and
// every dependency with its place in node_modules, exact version, tarball
// and sha512 integrity. Installing from a lock (InstallOptions.Lock) gives
// the same tree byte for byte, whatever the registry has published since.
type Lock struct {
	LockfileVersion int                  `json:"lockfileVersion"`
	Name            string               `json:"name"`
	Version         string               `json:"version"`
	Resolved        string               `json:"resolved,omitempty"`
	Integrity       string               `json:"integrity"`
	Packages        map[string]LockEntry `json:"packages"` // key: "node_modules/a/node_modules/b"
}

// LockEntry is one dependency in a Lock.
type LockEntry struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Resolved  string `json:"resolved"`
	Integrity string `json:"integrity"`
	Optional  bool   `json:"optional,omitempty"`
}

// lockOf is the lock of a resolved tree.
func lockOf(top *node, resolved, integrity string) *Lock {
	l := &Lock{LockfileVersion: 1, Name: top.meta.Name, Version: top.meta.Version, Resolved: resolved, Integrity: integrity, Packages: map[string]LockEntry{}}
	_ = top.walk(func(n *node) error {
		l.Packages[n.path] = LockEntry{Name: n.meta.Name, Version: n.meta.Version, Resolved: n.meta.Dist.Tarball, Integrity: n.meta.Dist.Integrity, Optional: n.optional}
		return nil
	})
	return l
}

// ReadLock reads a lock file.
func ReadLock(path string) (*Lock, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var l Lock
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("%s: not a host lock file: %w", path, err)
	}
	if l.LockfileVersion != 1 || l.Name == "" || l.Version == "" {
		return nil, fmt.Errorf("%s: not a host lock file (lockfileVersion 1 with name and version)", path)
	}
	for p, e := range l.Packages {
		if !validLockPath(p, e.Name) {
			return nil, fmt.Errorf("%s: %q is not a node_modules path of %s", path, p, e.Name)
		}
		if _, err := sha512Of(e.Integrity); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, p, err)
		}
	}
	return &l, nil
}

// validLockPath checks that p is node_modules/NAME(/node_modules/NAME)*
// ending in name, with valid package names only (no "..").
func validLockPath(p, name string) bool {
	rest, ok := strings.CutPrefix(p, "node_modules/")
	if !ok {
		return false
	}
	last := ""
	for rest != "" {
		seg, tail, _ := strings.Cut(rest, "/node_modules/")
		if validName(seg) != nil {
			return false
		}
		last, rest = seg, tail
	}
	return last == name
}

// tree rebuilds the node tree a lock describes.
func (l *Lock) tree(root *VersionMeta) *node {
	top := &node{meta: root, children: map[string]*node{}}
	paths := make([]string, 0, len(l.Packages))
	for p := range l.Packages {
		paths = append(paths, p)
	}
	sort.Strings(paths) // parents before children
	byPath := map[string]*node{"": top}
	for _, p := range paths {
		e := l.Packages[p]
		parentPath := ""
		if i := strings.LastIndex(p, "/node_modules/"); i >= 0 {
			parentPath = p[:i]
		}
		parent := byPath[parentPath]
		if parent == nil {
			parent = top
		}
		m := &VersionMeta{Name: e.Name, Version: e.Version}
		m.Dist.Tarball, m.Dist.Integrity = e.Resolved, e.Integrity
		n := &node{meta: m, path: p, parent: parent, children: map[string]*node{}, optional: e.Optional}
		parent.children[e.Name] = n
		byPath[p] = n
	}
	return top
}

func (l *Lock) marshal() []byte {
	b, _ := json.MarshalIndent(l, "", "  ")
	return append(b, '\n')
}
