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

	"host/bindings/store"
	"host/jsrt"
)

// MaxDataFile bounds what ctx.dataDir.readFile reads and writeFile writes.
const MaxDataFile = 32 << 20

// DefaultDataQuota is Host.DataQuota's default: what one plugin may keep
// in its ctx.dataDir and its ctx.store together.
const DefaultDataQuota = 1 << 30

// DataBlock is the least a file or directory counts for against the
// quota (a file system's block): a plugin cannot fill the disk's inodes
// with empty files either.
const DataBlock = 4096

func (h *Host) dataQuota() int64 {
	if h.DataQuota > 0 {
		return h.DataQuota
	}
	return DefaultDataQuota
}

// entryCost is what a file of size bytes (or a directory, size 0) counts
// for against the quota.
func entryCost(size int64) int64 {
	return max((size+DataBlock-1)/DataBlock*DataBlock, DataBlock)
}

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
// leaves the directory, ERR_DATADIR_NOT_FOUND, ERR_DATADIR_QUOTA for a
// write past the plugin's quota, else ERR_DATADIR.
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
	path  string
	quota int64
	help  string // Host.QuotaHelp's words, added to a refusal ("" none)
	once  sync.Once
	root  *os.Root
	err   error

	// mu serialises the calls that add or remove entries, and used: the
	// bytes the directory holds as the quota counts them (-1: not
	// counted yet, or unknown after a removal or a failed write).
	mu   sync.Mutex
	used int64
	// store is the plugin's ctx.store, whose rows count against the same
	// quota (nil before the plugin is activated).
	store *store.Store
}

// setStore makes st's rows count against the quota: their writes are
// refused past it (store.Store.Reserve), and they count for the
// directory's writes.
func (d *dataDir) setStore(st *store.Store) {
	d.mu.Lock()
	d.store = st
	d.mu.Unlock()
	st.Reserve = d.reserveStore
}

// storeUsage is what the plugin's ctx.store rows hold. With d.mu held.
func (d *dataDir) storeUsage(ctx context.Context) (int64, error) {
	if d.store == nil {
		return 0, nil
	}
	return d.store.Usage(ctx)
}

// reserveStore checks that the plugin's data can take add more bytes of
// ctx.store rows (store.Store.Reserve).
func (d *dataDir) reserveStore(ctx context.Context, add int64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if add <= 0 {
		return nil
	}
	var files int64
	if _, err := os.Lstat(d.path); err == nil { // a directory never used is not created here
		root, err := d.open()
		if err != nil {
			return err
		}
		if files, err = d.usage(root); err != nil {
			return err
		}
	}
	rows, err := d.store.Usage(ctx)
	if err != nil {
		return err
	}
	if files+rows+add > d.quota {
		return jsrt.WithCode(d.overQuota(files+rows+add), "ERR_STORE_QUOTA")
	}
	return nil
}

// overQuota is the refusal of a write that would take the plugin's data
// to total bytes.
func (d *dataDir) overQuota(total int64) error {
	help := ""
	if d.help != "" {
		help = " (" + d.help + ")"
	}
	return fmt.Errorf("refused: the plugin's data (its ctx.dataDir files, ctx.store values and emitted messages and events) would hold %s, over its quota of %s; remove what the plugin no longer needs (ctx.dataDir.remove, ctx.store.delete), or ask the user to clear some of it%s or raise its data quota", mib(total), mib(d.quota), help)
}

// usage returns what the directory holds, counting it when unknown. With
// d.mu held.
func (d *dataDir) usage(root *os.Root) (int64, error) {
	if d.used >= 0 {
		return d.used, nil
	}
	var n int64
	err := fs.WalkDir(root.FS(), ".", func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == "." {
			return nil
		}
		var size int64
		if e.Type().IsRegular() {
			info, err := e.Info()
			if err != nil {
				return err
			}
			size = info.Size()
		}
		n += entryCost(size)
		return nil
	})
	if err != nil {
		return 0, err
	}
	d.used = n
	return n, nil
}

// reserve checks that the directory can take add more bytes (add may be
// negative) and counts them; the caller resets d.used to -1 when the write
// then fails. With d.mu held.
func (d *dataDir) reserve(ctx context.Context, root *os.Root, op, p string, add int64) error {
	used, err := d.usage(root)
	if err != nil {
		return err
	}
	if add <= 0 {
		d.used = used + add
		return nil
	}
	rows, err := d.storeUsage(ctx)
	if err != nil {
		return err
	}
	if used+rows+add > d.quota {
		return &DataDirError{Op: op, Path: p, code: "ERR_DATADIR_QUOTA", Err: d.overQuota(used + rows + add)}
	}
	d.used = used + add
	return nil
}

// newDirs is what creating the directories of path (those missing) adds.
func newDirs(root *os.Root, path string) int64 {
	var n int64
	for dir := path; dir != "." && dir != string(filepath.Separator); dir = filepath.Dir(dir) {
		if _, err := root.Lstat(dir); err != nil {
			n += DataBlock
		}
	}
	return n
}

// mib shows a size in KiB under a MiB, else in MiB, with one decimal
// under 10.
func mib(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	if n < 10<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d MiB", n>>20)
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
		{"mkdir", true, false, func(ctx context.Context, root *os.Root, path string, _ goja.FunctionCall) (any, error) {
			d.mu.Lock()
			defer d.mu.Unlock()
			if err := d.reserve(ctx, root, "mkdir", path, newDirs(root, path)); err != nil {
				return nil, err
			}
			if err := root.MkdirAll(path, 0o700); err != nil {
				d.used = -1
				return nil, err
			}
			return jsrt.Undefined, nil
		}},
		{"remove", true, false, func(_ context.Context, root *os.Root, path string, _ goja.FunctionCall) (any, error) {
			if _, err := root.Lstat(path); err != nil {
				return nil, err
			}
			d.mu.Lock()
			defer d.mu.Unlock()
			d.used = -1
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
				run = func(ctx context.Context, root *os.Root, path string, _ goja.FunctionCall) (any, error) {
					d.mu.Lock()
					defer d.mu.Unlock()
					add := entryCost(int64(len(data))) + newDirs(root, filepath.Dir(path))
					if fi, err := root.Lstat(path); err == nil {
						add -= entryCost(fi.Size())
					}
					if err := d.reserve(ctx, root, "writeFile", raw, add); err != nil {
						return nil, err
					}
					if dir := filepath.Dir(path); dir != "." {
						if err := root.MkdirAll(dir, 0o700); err != nil {
							d.used = -1
							return nil, err
						}
					}
					if err := root.WriteFile(path, data, 0o600); err != nil {
						d.used = -1
						return nil, err
					}
					return jsrt.Undefined, nil
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
