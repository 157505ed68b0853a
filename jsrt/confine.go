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
// user's home directory, its ancestors and the file system root never
// count as a package root (see TooBroadRoot).
func DefaultRoot(entry string) string {
	if abs, err := filepath.Abs(entry); err == nil {
		entry = abs
	}
	real, err := filepath.EvalSymlinks(entry)
	if err != nil {
		real = entry
	}
	dir := filepath.Dir(real)
	for d := dir; !TooBroadRoot(d); d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "package.json")); err == nil && fi.Mode().IsRegular() {
			return d
		}
	}
	return dir
}

// TooBroadRoot reports whether dir is a directory that holds the user's
// other files, which a build never takes as a root: the file system root,
// the user's home directory or one of its ancestors, the folders where
// files land from elsewhere ($HOME/Downloads, Desktop and Documents) and
// the system's temporary directory.
func TooBroadRoot(dir string) bool {
	dir = realAbs(dir)
	if dir == filepath.Dir(dir) || dir == realAbs(os.TempDir()) {
		return true
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return false
	}
	home = realAbs(home)
	if within(dir, home) {
		return true
	}
	for _, shared := range []string{"Downloads", "Desktop", "Documents"} {
		if dir == realAbs(filepath.Join(home, shared)) {
			return true
		}
	}
	return false
}

// realAbs is p absolute, with symbolic links resolved where it exists.
func realAbs(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return p
}

// buildRoot is the absolute, symlink-free root of a build. It is "" when
// the root would be too broad (TooBroadRoot): the build then reads only
// the entry itself and node_modules.
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
	if TooBroadRoot(root) {
		return "", nil
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
// own and its ancestors'), after following symlinks; any file below root
// with a hidden (dot) name or under a hidden directory, outside
// node_modules; an import attribute that changes how a file is read (with
// { type: 'text' } or 'bytes', 'json' on a file that is not .json); and
// any file that is not a regular file of at most MaxSourceSize bytes.
// With root "" (too broad a directory, see buildRoot) only entry and
// node_modules may be read. It runs before esbuild reads a file, so a
// refused file's content is never read.
func confinePlugin(root, entry, wd string) api.Plugin {
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
				if err := confined(root, entry, wd, real); err != nil {
					return api.OnLoadResult{}, err
				}
				if err := checkAttributes(real, a.With); err != nil {
					return api.OnLoadResult{}, err
				}
				if err := checkSource(real); err != nil {
					return api.OnLoadResult{}, err
				}
				return api.OnLoadResult{}, nil // esbuild loads it as usual
			})
		},
	}
}

// confined reports why a build may not read real (absolute, symlinks
// resolved), or nil.
func confined(root, entry, wd, real string) error {
	const rule = "a plugin may import only files inside its root and its node_modules"
	if root == "" {
		if real == entry || inNodeModules(filepath.Dir(entry), real) {
			return nil
		}
		return fmt.Errorf("%s is outside the plugin's file: %s sits in %s, which holds your other files, so it may import only node_modules; move the plugin into a directory of its own", shownPath(wd, real), filepath.Base(entry), filepath.Dir(entry))
	}
	if !insideRoot(root, real) { // esbuild has followed the links
		where := "the plugin's root " + shownPath(wd, root)
		if root == wd {
			where = "the plugin's directory"
		}
		return fmt.Errorf("%s is outside %s: %s", shownPath(wd, real), where, rule)
	}
	if within(root, real) {
		r, _ := filepath.Rel(root, real)
		for _, part := range strings.Split(r, string(filepath.Separator)) {
			if part == "node_modules" {
				break
			}
			if strings.HasPrefix(part, ".") && part != "." && part != ".." {
				return fmt.Errorf("%s is hidden (%s): a plugin may not import dot-files or files in hidden directories, which hold settings and credentials", shownPath(wd, real), part)
			}
		}
	}
	return nil
}

// checkAttributes refuses import attributes that change how esbuild reads
// a file: with { type: 'text' } or { type: 'bytes' } would read any file
// as data (a plugin has no need: text it ships can be a .ts module), and
// { type: 'json' } is kept only on a .json file, where it changes nothing.
func checkAttributes(path string, with map[string]string) error {
	for k, v := range with {
		if k == "type" && v == "json" && strings.EqualFold(filepath.Ext(path), ".json") {
			continue
		}
		return fmt.Errorf("import attribute { %s: '%s' } on %s is refused: it changes how the file is read, and a plugin imports only code and .json; ship text as a module (export default `...`)", k, v, filepath.Base(path))
	}
	return nil
}

// inNodeModules reports whether path is inside a node_modules directory
// of dir or one of its ancestors.
func inNodeModules(dir, path string) bool {
	const nm = string(filepath.Separator) + "node_modules" + string(filepath.Separator)
	i := strings.Index(path, nm)
	if i < 0 {
		return false
	}
	parent := path[:i]
	if parent == "" {
		parent = string(filepath.Separator)
	}
	return within(parent, dir)
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
	return within(root, path) || inNodeModules(root, path)
}

// within reports whether path is dir or inside it.
func within(dir, path string) bool {
	r, err := filepath.Rel(dir, path)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}
