package jsrt

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"sync"
)

// cacheFormat changes whenever the cache entry's layout or the build
// options change meaning.
const cacheFormat = "host-bundle-cache-4"

// cachedBundle is one cache entry: the bundle and the content hash of every
// file it was built from (node_modules included), so any edit misses.
type cachedBundle struct {
	Format   string            `json:"format"`
	Code     string            `json:"code"`
	File     string            `json:"file"`
	Inputs   []string          `json:"inputs"`
	Warnings []Message         `json:"warnings,omitempty"`
	Hashes   map[string]string `json:"hashes"` // abs path -> sha256 of content
}

var toolVersion = sync.OnceValue(func() string {
	v := cacheFormat
	if bi, ok := debug.ReadBuildInfo(); ok {
		v += " " + bi.Main.Version
		for _, d := range bi.Deps {
			if d.Path == "github.com/evanw/esbuild" {
				v += " esbuild@" + d.Version
			}
		}
	}
	return v
})

// BuildCached is Build with a cache in dir: a bundle whose source files are
// byte for byte unchanged is read back instead of rebuilt, which saves
// esbuild's start-up on every cold `host run`. A file added where the
// resolver would now find it (a new index.ts shadowing a module, say) is not
// noticed until one of the bundle's own files changes. An unusable cache is
// ignored, never an error. Safe for concurrent use.
func BuildCached(opts BuildOptions, dir string) (*Bundle, error) {
	if dir == "" {
		return Build(opts)
	}
	key, err := cacheKey(opts)
	if err != nil {
		return Build(opts)
	}
	path := filepath.Join(dir, key+".json")
	if b, ok := readCache(path); ok {
		return b, nil
	}
	b, all, err := build(opts)
	if err != nil {
		return nil, err
	}
	writeCache(path, b, all)
	return b, nil
}

func cacheKey(opts BuildOptions) (string, error) {
	wd := opts.WorkDir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return "", err
		}
	}
	wd, _ = filepath.Abs(wd)
	entry, err := filepath.Abs(opts.Entry)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00", toolVersion(), wd, entry, opts.GlobalName, opts.Root)
	names := make([]string, 0, len(opts.Virtual))
	for k := range opts.Virtual {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(h, "%s\x00%s\x00", k, opts.Virtual[k])
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

func readCache(path string) (*Bundle, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var c cachedBundle
	if json.Unmarshal(data, &c) != nil || c.Format != cacheFormat || len(c.Hashes) == 0 {
		return nil, false
	}
	for p, want := range c.Hashes {
		got, err := hashFile(p)
		if err != nil || got != want {
			return nil, false
		}
	}
	return newBundle(c.Code, c.File, c.Inputs, c.Warnings), true
}

func writeCache(path string, b *Bundle, all []string) {
	c := cachedBundle{Format: cacheFormat, Code: b.Code, File: b.File, Inputs: b.Inputs, Warnings: b.Warnings, Hashes: map[string]string{}}
	for _, p := range all {
		h, err := hashFile(p)
		if err != nil {
			return
		}
		c.Hashes[p] = h
	}
	data, err := json.Marshal(c)
	if err != nil {
		return
	}
	_ = writeFileAtomic(path, data)
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeFileAtomic writes through a temp file and a rename, so readers see
// the old or the new file, never a part.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
