package jsrt

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// MaxSourceSize bounds each file a build reads (the entry and every file it
// imports), so a device or a huge file cannot make a build read without end.
const MaxSourceSize = 32 << 20

// DefaultRoot is the directory a plugin's imports must stay inside when
// BuildOptions.Root is empty: the nearest directory at or above the entry's
// (after symlinks) that holds a package.json, so a package's src/index.ts
// may import from the whole package, else the entry's own directory. The
// user's home directory and the file system root never count as a
// package root.
func DefaultRoot(entry string) string {
	real, err := filepath.EvalSymlinks(entry)
	if err != nil {
		real = entry
	}
	dir := filepath.Dir(real)
	home, _ := os.UserHomeDir()
	for d := dir; ; {
		if d == home || d == filepath.Dir(d) {
			break
		}
		if fi, err := os.Stat(filepath.Join(d, "package.json")); err == nil && fi.Mode().IsRegular() {
			return d
		}
		d = filepath.Dir(d)
	}
	return dir
}

// buildRoot is the absolute, symlink-free root of a build.
func buildRoot(root, entry string) (string, error) {
	if root == "" {
		root = DefaultRoot(entry)
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	return root, nil
}

// checkSource refuses an entry file that is not a regular file of at most
// MaxSourceSize bytes.
func checkSource(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (a device, pipe or directory cannot be a plugin's source)", path)
	}
	if fi.Size() > MaxSourceSize {
		return fmt.Errorf("%s is %d MB, more than the %d MB a source file may have", path, fi.Size()>>20, MaxSourceSize>>20)
	}
	return nil
}

// confinePlugin refuses to load any file outside root and outside the
// node_modules directories Node's lookup would search from root (root's
// own and its ancestors'), after following symlinks, and any file that is
// not a regular file of at most MaxSourceSize bytes. It runs before
// esbuild reads a file, so a refused file's content is never read.
func confinePlugin(root, wd string) api.Plugin {
	return api.Plugin{
		Name: "host-confine",
		Setup: func(b api.PluginBuild) {
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "file"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
				real, err := filepath.EvalSymlinks(a.Path)
				if errors.Is(err, fs.ErrNotExist) {
					return api.OnLoadResult{}, nil // nothing to read: a path a package.json "browser" field disabled
				}
				if err != nil {
					return api.OnLoadResult{}, err
				}
				if !insideRoot(root, real) { // esbuild has followed the links
					where := "the plugin's root " + shownPath(wd, root)
					if root == wd {
						where = "the plugin's directory"
					}
					return api.OnLoadResult{}, fmt.Errorf("%s is outside %s: a plugin may import only files inside its root and its node_modules", shownPath(wd, real), where)
				}
				if err := checkSource(real); err != nil {
					return api.OnLoadResult{}, err
				}
				return api.OnLoadResult{}, nil // esbuild loads it as usual
			})
		},
	}
}

// shownPath is p relative to wd when that is at most two levels up, else p.
func shownPath(wd, p string) string {
	r, err := filepath.Rel(wd, p)
	if err != nil || strings.HasPrefix(r, filepath.Join("..", "..", "..")) {
		return p
	}
	return filepath.ToSlash(r)
}

// insideRoot reports whether path (absolute, symlinks resolved) is inside
// root, or inside a node_modules directory of root or of one of its
// ancestors.
func insideRoot(root, path string) bool {
	if within(root, path) {
		return true
	}
	const nm = string(filepath.Separator) + "node_modules" + string(filepath.Separator)
	i := strings.Index(path, nm)
	if i < 0 {
		return false
	}
	parent := path[:i]
	if parent == "" {
		parent = string(filepath.Separator)
	}
	return within(parent, root)
}

// within reports whether path is dir or inside it.
func within(dir, path string) bool {
	r, err := filepath.Rel(dir, path)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}
