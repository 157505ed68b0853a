package pkgstore

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"sync"
)

// Extraction limits for one plugin with all its dependencies.
const (
	maxUnpacked = 1 << 30 // bytes written
	maxFiles    = 200_000
)

// budget counts what the extractions of one install wrote.
type budget struct {
	mu    sync.Mutex
	bytes int64
	files int
}

func (b *budget) take(n int64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bytes += n
	b.files++
	if b.bytes > maxUnpacked {
		return fmt.Errorf("the package unpacks to more than %d MiB", maxUnpacked>>20)
	}
	if b.files > maxFiles {
		return fmt.Errorf("the package holds more than %d files", maxFiles)
	}
	return nil
}

// UnsafeTarballError is a tarball entry that would land outside its
// package's directory.
type UnsafeTarballError struct {
	Package, Entry string
}

func (e *UnsafeTarballError) Error() string {
	return fmt.Sprintf("%s: the tarball entry %q would be written outside the package's directory; refusing the package", e.Package, e.Entry)
}

// extract unpacks an npm tarball (gzipped tar, entries under one top
// directory, "package/" by convention) into dir of root. Only regular
// files and directories are written: links and devices are skipped, as
// npm does. root confines every write to the staging directory whatever
// the entry names say; names that climb out are refused outright.
func extract(root *os.Root, dir, pkg string, data []byte, b *budget) error {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: the tarball is not gzip data: %w", pkg, err)
	}
	tr := tar.NewReader(zr)
	if dir != "" {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: the tarball is damaged: %w", pkg, err)
		}
		name := strings.ReplaceAll(h.Name, `\`, "/")
		if strings.HasPrefix(name, "/") || strings.Contains(name, ":") {
			return &UnsafeTarballError{Package: pkg, Entry: h.Name}
		}
		// The first component is the package folder, whatever its name.
		first, rel, ok := strings.Cut(name, "/")
		if first == ".." {
			return &UnsafeTarballError{Package: pkg, Entry: h.Name}
		}
		if !ok || rel == "" {
			continue
		}
		for _, part := range strings.Split(rel, "/") {
			if part == ".." {
				return &UnsafeTarballError{Package: pkg, Entry: h.Name}
			}
		}
		rel = path.Clean(rel)
		if rel == "." {
			continue
		}
		target := rel
		if dir != "" {
			target = dir + "/" + rel
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := root.MkdirAll(target, 0o755); err != nil {
				return fmt.Errorf("%s: %w", pkg, err)
			}
		case tar.TypeReg:
			if err := b.take(h.Size); err != nil {
				return fmt.Errorf("%s: %w", pkg, err)
			}
			if err := root.MkdirAll(path.Dir(target), 0o755); err != nil {
				return fmt.Errorf("%s: %w", pkg, err)
			}
			mode := os.FileMode(0o644)
			if h.Mode&0o111 != 0 {
				mode = 0o755
			}
			f, err := root.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
			if err != nil {
				return fmt.Errorf("%s: %w", pkg, err)
			}
			_, err = io.Copy(f, io.LimitReader(tr, h.Size))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("%s: writing %s: %w", pkg, rel, err)
			}
		default:
			// Symlinks, hard links, devices, FIFOs: not written.
		}
	}
	return nil
}
