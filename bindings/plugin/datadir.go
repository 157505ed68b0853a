package plugin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"host/jsrt"
)

// MaxDataFile bounds what ctx.dataDir.readFile reads and writeFile writes.
const MaxDataFile = 32 << 20

// DataDirError is a ctx.dataDir call refused or failed. Path is as the
// plugin gave it.
type DataDirError struct {
	Op, Path string
	Err      error
	code     string
}

func (e *DataDirError) Error() string {
	return fmt.Sprintf("ctx.dataDir.%s(%q): %v", e.Op, e.Path, e.Err)
}
func (e *DataDirError) Unwrap() error { return e.Err }

// Code is the error's code in JS: ERR_DATADIR_ESCAPE for a path that
// leaves the directory, ERR_DATADIR_NOT_FOUND, else ERR_DATADIR.
func (e *DataDirError) Code() string {
	if e.code != "" {
		return e.code
	}
	return "ERR_DATADIR"
}

// dataDir is the plugin's private directory, <data dir>/plugins/<id>/data,
// created on first use. Every access goes through an os.Root, so neither
// "..", an absolute path nor a symbolic link can leave it.
type dataDir struct {
	path string
	once sync.Once
	root *os.Root
	err  error
}

// DataDir is the directory behind the plugin's ctx.dataDir.
func (p *Plugin) DataDir() string { return filepath.Join(p.host.DataDir, "plugins", p.ID, "data") }

func (d *dataDir) open() (*os.Root, error) {
	d.once.Do(func() {
		if err := os.MkdirAll(d.path, 0o700); err != nil {
			d.err = err
			return
		}
		d.root, d.err = os.OpenRoot(d.path)
	})
	return d.root, d.err
}

func (d *dataDir) close() {
	if d != nil && d.root != nil {
		_ = d.root.Close()
	}
}

// local checks a plugin's path: relative, and not leaving the directory
// by its names. Links are the os.Root's to refuse.
func local(op, p string, emptyOK bool) (string, error) {
	if p == "" || p == "." {
		if emptyOK {
			return ".", nil
		}
		return "", &DataDirError{Op: op, Path: p, Err: errors.New("the path is empty; name a file inside the plugin's data directory")}
	}
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) || filepath.VolumeName(p) != "" {
		return "", &DataDirError{Op: op, Path: p, code: "ERR_DATADIR_ESCAPE",
			Err: errors.New("refused: absolute paths are not allowed; paths are relative to the plugin's data directory (ctx.dataDir.resolve('') is its location)")}
	}
	clean := filepath.Clean(filepath.FromSlash(p))
	if !filepath.IsLocal(clean) {
		return "", &DataDirError{Op: op, Path: p, code: "ERR_DATADIR_ESCAPE",
			Err: errors.New("refused: the path leaves the plugin's data directory")}
	}
	return clean, nil
}

// fail words an os error of a dataDir call.
func fail(op, p string, err error) error {
	switch {
	case strings.Contains(err.Error(), "path escapes from parent"), errors.Is(err, os.ErrPermission) && strings.Contains(err.Error(), "escape"):
		return &DataDirError{Op: op, Path: p, code: "ERR_DATADIR_ESCAPE",
			Err: errors.New("refused: the path leads outside the plugin's data directory (through a symbolic link)")}
	case errors.Is(err, fs.ErrNotExist):
		return &DataDirError{Op: op, Path: p, code: "ERR_DATADIR_NOT_FOUND", Err: errors.New("no such file or directory")}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // without the absolute path
	}
	return &DataDirError{Op: op, Path: p, Err: err}
}

// newDataDir is ctx.dataDir. On the loop.
func (p *Plugin) newDataDir(vm *goja.Runtime) *goja.Object {
	d := p.data
	o := vm.NewObject()
	type op struct {
		name    string
		write   bool
		emptyOK bool
		run     func(ctx context.Context, root *os.Root, path string, c goja.FunctionCall) (any, error)
	}
	ops := []op{
		{"resolve", false, true, func(_ context.Context, _ *os.Root, path string, _ goja.FunctionCall) (any, error) {
			return filepath.Join(d.path, path), nil
		}},
		{"readFile", false, false, func(_ context.Context, root *os.Root, path string, _ goja.FunctionCall) (any, error) {
			f, err := root.Open(path)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, MaxDataFile+1))
			if err != nil {
				return nil, err
			}
			if len(b) > MaxDataFile {
				return nil, fmt.Errorf("the file is larger than %d MiB", MaxDataFile>>20)
			}
			return string(b), nil
		}},
		{"writeFile", true, false, nil}, // below: takes its content on the loop
		{"readDir", false, true, func(_ context.Context, root *os.Root, path string, _ goja.FunctionCall) (any, error) {
			f, err := root.Open(path)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			names, err := f.Readdirnames(-1)
			if err != nil {
				return nil, err
			}
			sort.Strings(names)
			return jsrt.ToJS(func(vm *goja.Runtime) (goja.Value, error) {
				items := make([]any, len(names))
				for i, n := range names {
					items[i] = n
				}
				return vm.NewArray(items...), nil
			}), nil
		}},
		{"exists", false, true, func(_ context.Context, root *os.Root, path string, _ goja.FunctionCall) (any, error) {
			_, err := root.Stat(path)
			if errors.Is(err, fs.ErrNotExist) {
				return false, nil
			}
			return err == nil, err
		}},
		{"mkdir", true, false, func(_ context.Context, root *os.Root, path string, _ goja.FunctionCall) (any, error) {
			return jsrt.Undefined, root.MkdirAll(path, 0o700)
		}},
		{"remove", true, false, func(_ context.Context, root *os.Root, path string, _ goja.FunctionCall) (any, error) {
			if _, err := root.Lstat(path); err != nil {
				return nil, err
			}
			return jsrt.Undefined, root.RemoveAll(path)
		}},
	}
	for _, op := range ops {
		need := "filesystem:read"
		if op.write {
			need = "filesystem:write"
		}
		_ = o.Set(op.name, jsrt.Safe(vm, "ctx.dataDir."+op.name, func(c goja.FunctionCall) goja.Value {
			raw, ok := c.Argument(0).Export().(string)
			if !ok {
				return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.dataDir.%s: the path must be a string, got %s", op.name, jsrt.TypeNameWithArticle(c.Argument(0))))
			}
			if !p.perms.Allows(need) {
				return jsrt.Rejected(vm, p.denied("ctx.dataDir."+op.name, need))
			}
			path, err := local(op.name, raw, op.emptyOK)
			if err != nil {
				return jsrt.Rejected(vm, err)
			}
			run := op.run
			if op.name == "writeFile" {
				data, err := contentBytes(vm, c.Argument(1))
				if err != nil {
					return jsrt.Rejected(vm, &DataDirError{Op: op.name, Path: raw, Err: err})
				}
				run = func(_ context.Context, root *os.Root, path string, _ goja.FunctionCall) (any, error) {
					if dir := filepath.Dir(path); dir != "." {
						if err := root.MkdirAll(dir, 0o700); err != nil {
							return nil, err
						}
					}
					return jsrt.Undefined, root.WriteFile(path, data, 0o600)
				}
			}
			return p.rt.Go(func(ctx context.Context) (any, error) {
				root, err := d.open()
				if err != nil {
					return nil, fail(op.name, raw, err)
				}
				v, err := run(ctx, root, path, c)
				if err != nil {
					var de *DataDirError
					if errors.As(err, &de) {
						return nil, err
					}
					return nil, fail(op.name, raw, err)
				}
				return v, nil
			})
		}))
	}
	return o
}

// contentBytes reads writeFile's content: a string (written as UTF-8) or
// a Uint8Array / ArrayBuffer. On the loop.
func contentBytes(vm *goja.Runtime, v goja.Value) ([]byte, error) {
	switch x := v.Export().(type) {
	case string:
		if len(x) > MaxDataFile {
			return nil, fmt.Errorf("the content is larger than %d MiB", MaxDataFile>>20)
		}
		return []byte(x), nil
	case goja.ArrayBuffer:
		if len(x.Bytes()) > MaxDataFile {
			return nil, fmt.Errorf("the content is larger than %d MiB", MaxDataFile>>20)
		}
		return append([]byte(nil), x.Bytes()...), nil
	case []byte:
		if len(x) > MaxDataFile {
			return nil, fmt.Errorf("the content is larger than %d MiB", MaxDataFile>>20)
		}
		return append([]byte(nil), x...), nil
	}
	if o, ok := v.(*goja.Object); ok {
		if buf, ok := o.Get("buffer").Export().(goja.ArrayBuffer); ok {
			off, n := o.Get("byteOffset").ToInteger(), o.Get("byteLength").ToInteger()
			b := buf.Bytes()
			if off >= 0 && n >= 0 && off+n <= int64(len(b)) {
				if n > MaxDataFile {
					return nil, fmt.Errorf("the content is larger than %d MiB", MaxDataFile>>20)
				}
				return append([]byte(nil), b[off:off+n]...), nil
			}
		}
	}
	return nil, jsrt.TypeErrorf("the content must be a string or a Uint8Array, got %s", jsrt.TypeNameWithArticle(v))
}
