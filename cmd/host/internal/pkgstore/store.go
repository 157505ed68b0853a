package pkgstore

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/jsrt"
)

// Files and folders of the store, under the data dir.
const (
	packagesDir = "packages"    // <data dir>/packages/<id>/
	packageDir  = "package"     // the npm package root inside it
	recordName  = "record.json" // the plugin's Record inside it
	lockName    = ".lock"       // <data dir>/packages/.lock: one change at a time
)

// Record is an installed or linked plugin.
type Record struct {
	ID           string    `json:"id"`
	Package      string    `json:"package"`         // npm name
	Version      string    `json:"version"`         // installed version
	Range        string    `json:"range,omitempty"` // what `host update` stays within
	Source       string    `json:"source"`          // "registry", "tarball" or "link"
	Registry     string    `json:"registry,omitempty"`
	Resolved     string    `json:"resolved,omitempty"` // tarball URL or file
	Integrity    string    `json:"integrity,omitempty"`
	Link         string    `json:"link,omitempty"` // a linked plugin's directory
	Entry        string    `json:"entry"`          // the file to run, relative to the package root
	Enabled      bool      `json:"enabled"`
	Installed    time.Time `json:"installed"`
	Publisher    string    `json:"publisher,omitempty"`
	DisplayName  string    `json:"displayName,omitempty"`
	Description  string    `json:"description,omitempty"`
	Permissions  []string  `json:"permissions"` // as declared
	Loop         bool      `json:"loop,omitempty"`
	Tools        []Tool    `json:"tools"`
	Dependencies int       `json:"dependencies"`
}

// Store is the installed plugins of one data dir. Its methods may be
// called from any goroutine; changes to the set are serialised by a lock
// file, so two host processes can install at once.
type Store struct {
	DataDir  string
	Registry *Registry // nil: no registry installs (link, list, remove still work)
	// Describe loads the plugin whose package root is dir and reports its
	// id, tools and permissions. Loading runs the plugin's code: the host
	// does it in a separate process. Required for install, update and link.
	Describe func(ctx context.Context, dir string) (*Description, error)
}

func (s *Store) root() string { return filepath.Join(s.DataDir, packagesDir) }

// Root is the package root of a plugin (its linked directory for a link).
func (s *Store) Root(r *Record) string {
	if r.Link != "" {
		return r.Link
	}
	return filepath.Join(s.root(), r.ID, packageDir)
}

// EntryPath is the absolute path of the file to run for r.
func (s *Store) EntryPath(r *Record) string {
	return filepath.Join(s.Root(r), filepath.FromSlash(r.Entry))
}

// NotInstalledError is an id no installed plugin has.
type NotInstalledError struct{ ID string }

func (e *NotInstalledError) Error() string {
	return fmt.Sprintf("no installed plugin %q (host list shows what is installed)", e.ID)
}

// List returns the installed and linked plugins, by id.
func (s *Store) List() ([]*Record, error) {
	entries, err := os.ReadDir(s.root())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		r, err := s.read(e.Name())
		if err != nil {
			continue // a folder without a record is not an installed plugin
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Get returns the installed plugin id.
func (s *Store) Get(id string) (*Record, error) {
	if err := validID(id); err != nil {
		return nil, err
	}
	r, err := s.read(id)
	if errors.Is(err, os.ErrNotExist) {
		return nil, &NotInstalledError{ID: id}
	}
	return r, err
}

func (s *Store) read(id string) (*Record, error) {
	data, err := os.ReadFile(filepath.Join(s.root(), id, recordName))
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(s.root(), id, recordName), err)
	}
	if r.ID != id {
		return nil, fmt.Errorf("%s names plugin %q", filepath.Join(s.root(), id, recordName), r.ID)
	}
	return &r, nil
}

func validID(id string) error {
	if id == "" || id == "." || id == ".." || strings.HasPrefix(id, ".") || strings.ContainsAny(id, `/\:`) || len(id) > 200 {
		return fmt.Errorf("%q is not a plugin id", id)
	}
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// lock takes the store's lock file; release it when done.
func (s *Store) lock(ctx context.Context) (func(), error) {
	if err := os.MkdirAll(s.root(), 0o700); err != nil {
		return nil, jsrt.WithHint(fmt.Errorf("cannot create %s: %w", s.root(), err), "pass --data-dir DIR with a writable directory")
	}
	return secrets.LockFile(ctx, filepath.Join(s.root(), lockName))
}

// SetEnabled enables or disables an installed plugin.
func (s *Store) SetEnabled(ctx context.Context, id string, on bool) (*Record, error) {
	release, err := s.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	r, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	if r.Enabled == on {
		return r, nil
	}
	r.Enabled = on
	return r, writeJSON(filepath.Join(s.root(), id, recordName), r)
}

// Spec is what `host install` was asked for.
type Spec struct {
	Raw   string
	Kind  string // "registry", "tarball" or "dir"
	Name  string // registry: the package name
	Range string // registry: the range, version or tag ("" = latest)
	Path  string // tarball, dir: the absolute path
}

// ParseSpec reads an install argument: an existing .tgz file or
// directory, else an npm package spec (name, name@range, @scope/name@tag).
func ParseSpec(arg string) (Spec, error) {
	sp := Spec{Raw: arg}
	looksLocal := strings.HasPrefix(arg, ".") || filepath.IsAbs(arg) || strings.HasSuffix(arg, ".tgz") || strings.HasSuffix(arg, ".tar.gz") || strings.ContainsRune(arg, os.PathSeparator) && !strings.HasPrefix(arg, "@")
	if fi, err := os.Stat(arg); err == nil && (looksLocal || fi.IsDir()) {
		abs, err := filepath.Abs(arg)
		if err != nil {
			return sp, err
		}
		sp.Path = abs
		if fi.IsDir() {
			sp.Kind = "dir"
		} else {
			sp.Kind = "tarball"
		}
		return sp, nil
	} else if looksLocal {
		return sp, fmt.Errorf("%s: no such file or directory", arg)
	}
	name, rng := arg, ""
	if i := strings.LastIndex(arg, "@"); i > 0 {
		name, rng = arg[:i], arg[i+1:]
	}
	if err := validName(name); err != nil {
		return sp, err
	}
	if err := unsupportedSpec(name, rng); err != nil {
		return sp, err
	}
	sp.Kind, sp.Name, sp.Range = "registry", name, rng
	return sp, nil
}

// Plan is an install or update prepared in a staging folder of the data
// dir: downloaded, verified, unpacked and described, but not yet part of
// the installed set. Commit makes it so in one rename; Discard removes it.
// Exactly one of them must be called.
type Plan struct {
	s       *Store
	staging string
	Record  *Record
	Summary *Summary
	prev    *Record
}

// InstallOptions modify Prepare.
type InstallOptions struct {
	// Lock, when set, is installed exactly (versions, places, hashes)
	// instead of resolving ranges; the spec must name the lock's package.
	Lock *Lock
}

// Prepare downloads, verifies and unpacks spec with its dependencies into
// a staging folder and describes the plugin, for the user's consent.
// Nothing is installed until Commit. An error leaves nothing behind.
func (s *Store) Prepare(ctx context.Context, spec Spec, opts InstallOptions) (*Plan, error) {
	switch spec.Kind {
	case "dir":
		return s.prepareLink(ctx, spec.Path)
	case "tarball":
		data, err := os.ReadFile(spec.Path)
		if err != nil {
			return nil, err
		}
		meta, err := metaOfTarball(data, spec.Path)
		if err != nil {
			return nil, err
		}
		meta.Dist.Integrity = IntegrityOf(data)
		meta.Dist.Tarball = spec.Path
		return s.prepare(ctx, meta, data, "tarball", "^"+meta.Version, opts.Lock)
	}
	if s.Registry == nil {
		return nil, errors.New("no registry configured")
	}
	p, err := s.Registry.Packument(ctx, spec.Name)
	if err != nil {
		return nil, err
	}
	var meta *VersionMeta
	if opts.Lock != nil {
		if opts.Lock.Name != spec.Name {
			return nil, fmt.Errorf("the lock is for %s, not %s", opts.Lock.Name, spec.Name)
		}
		if meta = p.Versions[opts.Lock.Version]; meta == nil {
			return nil, fmt.Errorf("%s@%s (in the lock) is not in the registry", spec.Name, opts.Lock.Version)
		}
		if meta.Dist.Integrity != opts.Lock.Integrity {
			return nil, fmt.Errorf("%s@%s: the registry's integrity differs from the lock's: the published package changed", spec.Name, opts.Lock.Version)
		}
	} else if meta, err = pickVersion(p, spec.Range); err != nil {
		return nil, err
	}
	rng := spec.Range
	if _, isTag := p.DistTags[rng]; rng == "" || isTag || isExact(rng) {
		rng = "^" + meta.Version // as npm saves it: updates stay within the major version
	}
	return s.prepare(ctx, meta, nil, "registry", rng, opts.Lock)
}

// isExact reports whether rng is one version ("1.2.3").
func isExact(rng string) bool {
	_, err := parseVersion(strings.TrimPrefix(rng, "="))
	return err == nil
}

// prepare stages meta (with its tarball when already read) and its
// dependencies.
func (s *Store) prepare(ctx context.Context, meta *VersionMeta, tarball []byte, source, rng string, lock *Lock) (plan *Plan, err error) {
	if s.Describe == nil {
		return nil, errors.New("pkgstore: Store.Describe is not set")
	}
	if err := os.MkdirAll(s.root(), 0o700); err != nil {
		return nil, jsrt.WithHint(fmt.Errorf("cannot create %s: %w", s.root(), err), "pass --data-dir DIR with a writable directory")
	}
	staging, err := os.MkdirTemp(s.root(), ".staging-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(staging)
		}
	}()
	var top *node
	if lock != nil {
		top = lock.tree(meta)
	} else if top, err = resolve(ctx, s.Registry, meta); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(staging)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	var b budget
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(16)
	g.Go(func() error {
		data := tarball
		if data == nil {
			var err error
			if data, err = s.Registry.Tarball(gctx, meta); err != nil {
				return err
			}
		}
		return extract(root, packageDir, meta.Name+"@"+meta.Version, data, &b)
	})
	deps := 0
	_ = top.walk(func(n *node) error {
		deps++
		g.Go(func() error {
			data, err := s.Registry.Tarball(gctx, n.meta)
			if err != nil {
				if n.optional {
					return nil
				}
				return err
			}
			return extract(root, packageDir+"/"+n.path, n.meta.Name+"@"+n.meta.Version, data, &b)
		})
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	lk := lockOf(top, meta.Dist.Tarball, meta.Dist.Integrity)
	if source == "tarball" {
		lk.Resolved = ""
	}
	if err := os.WriteFile(filepath.Join(staging, LockName), lk.marshal(), 0o600); err != nil {
		return nil, err
	}
	pkgRoot := filepath.Join(staging, packageDir)
	man, err := plugin.ReadManifest(pkgRoot)
	if err != nil {
		return nil, err
	}
	if man == nil || man.Name != meta.Name || man.Version != meta.Version {
		return nil, fmt.Errorf("%s@%s: the tarball's package.json does not name this package and version", meta.Name, meta.Version)
	}
	entry, err := plugin.Entry(pkgRoot)
	if err != nil {
		return nil, err
	}
	relEntry, _ := filepath.Rel(pkgRoot, entry)
	d, err := s.Describe(ctx, pkgRoot)
	if err != nil {
		return nil, fmt.Errorf("%s@%s does not load: %w", meta.Name, meta.Version, err)
	}
	if err := validID(d.ID); err != nil {
		return nil, fmt.Errorf("%s@%s: %w", meta.Name, meta.Version, err)
	}
	if err := s.checkOwner(d.ID, filepath.Join(s.root(), d.ID)); err != nil {
		return nil, err
	}
	r := &Record{ID: d.ID, Package: meta.Name, Version: meta.Version, Range: rng, Source: source,
		Resolved: meta.Dist.Tarball, Integrity: meta.Dist.Integrity, Entry: filepath.ToSlash(relEntry),
		Enabled: true, Publisher: publisher(meta), DisplayName: man.DisplayName, Description: firstNonEmpty(man.HMDescription, man.Description),
		Permissions: d.Permissions, Loop: d.Loop, Tools: d.Tools, Dependencies: deps}
	if r.Permissions == nil {
		r.Permissions = []string{}
	}
	if r.Tools == nil {
		r.Tools = []Tool{}
	}
	if source == "registry" {
		r.Registry = s.Registry.Config.RegistryFor(meta.Name)
	}
	plan = &Plan{s: s, staging: staging, Record: r, Summary: summaryOf(r, deps)}
	return plan, nil
}

// publisher names who published a version: the registry's _npmUser, else
// the package's author.
func publisher(m *VersionMeta) string {
	if m.NPMUser != nil && m.NPMUser.Name != "" {
		return m.NPMUser.Name
	}
	var s string
	if json.Unmarshal(m.Author, &s) == nil {
		return s
	}
	var a struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(m.Author, &a) == nil {
		return a.Name
	}
	return ""
}

// metaOfTarball reads package.json out of a local tarball.
func metaOfTarball(data []byte, path string) (*VersionMeta, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: not a gzipped tarball: %w", path, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: the tarball holds no package.json", path)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: the tarball is damaged: %w", path, err)
		}
		if _, rel, ok := strings.Cut(h.Name, "/"); ok && rel == "package.json" && h.Typeflag == tar.TypeReg {
			var m VersionMeta
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&m); err != nil {
				return nil, fmt.Errorf("%s: package.json: %w", path, err)
			}
			if m.Name == "" || m.Version == "" {
				return nil, fmt.Errorf("%s: package.json has no name or version", path)
			}
			return &m, nil
		}
	}
}

// prepareLink describes a local plugin directory to link.
func (s *Store) prepareLink(ctx context.Context, dir string) (*Plan, error) {
	if s.Describe == nil {
		return nil, errors.New("pkgstore: Store.Describe is not set")
	}
	entry, err := plugin.Entry(dir)
	if err != nil {
		return nil, err
	}
	d, err := s.Describe(ctx, dir)
	if err != nil {
		return nil, err
	}
	if err := validID(d.ID); err != nil {
		return nil, err
	}
	if err := s.checkOwner(d.ID, dir); err != nil {
		return nil, err
	}
	relEntry, _ := filepath.Rel(dir, entry)
	r := &Record{ID: d.ID, Source: "link", Link: dir, Entry: filepath.ToSlash(relEntry), Enabled: true,
		Permissions: d.Permissions, Loop: d.Loop, Tools: d.Tools}
	if man, _ := plugin.ReadManifest(dir); man != nil {
		r.Package, r.Version, r.DisplayName, r.Description = man.Name, man.Version, man.DisplayName, firstNonEmpty(man.HMDescription, man.Description)
	}
	if r.Permissions == nil {
		r.Permissions = []string{}
	}
	if r.Tools == nil {
		r.Tools = []Tool{}
	}
	return &Plan{s: s, Record: r, Summary: summaryOf(r, 0)}, nil
}

// AlreadyInstalledError is an install of an id that is installed.
type AlreadyInstalledError struct{ Record *Record }

func (e *AlreadyInstalledError) Error() string {
	what := e.Record.Package + "@" + e.Record.Version
	if e.Record.Link != "" {
		what = "linked from " + e.Record.Link
	}
	return fmt.Sprintf("plugin %s is already installed (%s); host update %s updates it, host remove %s removes it", e.Record.ID, what, e.Record.ID, e.Record.ID)
}

// Commit installs the plan: the staged folder becomes the plugin's in one
// rename (an update replaces the old version the same way).
func (p *Plan) Commit(ctx context.Context) (*Record, error) {
	release, err := p.s.lock(ctx)
	if err != nil {
		p.Discard()
		return nil, err
	}
	defer release()
	r := p.Record
	r.Installed = time.Now().UTC().Truncate(time.Second)
	final := filepath.Join(p.s.root(), r.ID)
	cur, err := p.s.read(r.ID)
	switch {
	case err == nil && p.prev == nil:
		p.Discard()
		return nil, &AlreadyInstalledError{Record: cur}
	case err != nil && !errors.Is(err, os.ErrNotExist) && p.prev == nil:
		p.Discard()
		return nil, err
	}
	if p.staging == "" { // a link: only the record
		if err := os.MkdirAll(final, 0o700); err != nil {
			return nil, err
		}
		return r, writeJSON(filepath.Join(final, recordName), r)
	}
	if p.prev != nil {
		r.Enabled = p.prev.Enabled
	}
	if err := writeJSON(filepath.Join(p.staging, recordName), r); err != nil {
		p.Discard()
		return nil, err
	}
	var old string
	if _, err := os.Stat(final); err == nil {
		old = filepath.Join(p.s.root(), ".old-"+r.ID+"-"+fmt.Sprint(time.Now().UnixNano()))
		if err := os.Rename(final, old); err != nil {
			p.Discard()
			return nil, err
		}
	}
	if err := os.Rename(p.staging, final); err != nil {
		if old != "" {
			_ = os.Rename(old, final)
		}
		p.Discard()
		return nil, err
	}
	if old != "" {
		_ = os.RemoveAll(old)
	}
	p.staging = ""
	return r, nil
}

// Discard removes the staged folder.
func (p *Plan) Discard() {
	if p.staging != "" {
		_ = os.RemoveAll(p.staging)
		p.staging = ""
	}
}

// PrepareUpdate stages the newest version of an installed plugin within
// its range (any newer version with major), or returns nil when it is up
// to date. The plan's Summary.Update holds the permission diff and the
// changelog line.
func (s *Store) PrepareUpdate(ctx context.Context, id string, major bool) (*Plan, error) {
	cur, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	if cur.Source != "registry" {
		return nil, fmt.Errorf("plugin %s was %s, not installed from a registry: install the new version with host install", id, map[string]string{"link": "linked", "tarball": "installed from a file"}[cur.Source])
	}
	if s.Registry == nil {
		return nil, errors.New("no registry configured")
	}
	p, err := s.Registry.Packument(ctx, cur.Package)
	if err != nil {
		return nil, err
	}
	rng := cur.Range
	if major {
		rng = "latest"
	}
	meta, err := pickVersion(p, rng)
	if err != nil {
		return nil, err
	}
	if !newer(meta.Version, cur.Version) {
		return nil, nil
	}
	newRange := cur.Range
	if major {
		newRange = "^" + meta.Version
	}
	plan, err := s.prepare(ctx, meta, nil, "registry", newRange, nil)
	if err != nil {
		return nil, err
	}
	if plan.Record.ID != id {
		plan.Discard()
		return nil, fmt.Errorf("%s@%s declares plugin id %q, not %q: remove %s and install it anew", meta.Name, meta.Version, plan.Record.ID, id, id)
	}
	plan.prev = cur
	oldWords := PermissionWords(cur.Permissions, cur.Loop)
	plan.Summary.Update = &UpdateInfo{From: cur.Version, Added: diffWords(oldWords, plan.Summary.Permissions),
		Removed: diffWords(plan.Summary.Permissions, oldWords), Changelog: changelogLine(filepath.Join(plan.staging, packageDir), meta.Version)}
	return plan, nil
}

func newer(a, b string) bool {
	return satisfies(nil, a, ">"+b)
}

// changelogLine is the first line under the new version's heading in the
// package's CHANGELOG.md, if it has one.
func changelogLine(dir, version string) string {
	f, err := os.Open(filepath.Join(dir, "CHANGELOG.md"))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	in := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			if in {
				return ""
			}
			in = strings.Contains(line, version)
			continue
		}
		if in && line != "" {
			line = strings.TrimSpace(strings.TrimLeft(line, "-*"))
			if len(line) > 200 {
				line = line[:200]
			}
			return line
		}
	}
	return ""
}

// Served is what `host serve` and `host mcp` without arguments run: the
// entry files of the enabled plugins, and which of them are linked (a
// serve reloads those on save).
func (s *Store) Served() (entries []string, linked map[string]bool, err error) {
	list, err := s.List()
	if err != nil {
		return nil, nil, err
	}
	linked = map[string]bool{}
	for _, r := range list {
		if !r.Enabled {
			continue
		}
		p := s.EntryPath(r)
		entries = append(entries, p)
		if r.Link != "" {
			linked[p] = true
		}
	}
	return entries, linked, nil
}

// NothingServedError is `host serve` or `host mcp` without arguments when
// no plugin is installed and enabled (cmd/host exits 2, as for a missing
// argument).
type NothingServedError struct{ DataDir string }

func (e *NothingServedError) Error() string {
	return fmt.Sprintf("no plugin is installed and enabled in %s: install one (host install SPEC, host link DIR, host enable ID) or name plugins (host serve DIR)", e.DataDir)
}

// ServedIn is Served for the store of dataDir; nothing enabled is a
// *NothingServedError.
func ServedIn(dataDir string) (entries []string, linked map[string]bool, err error) {
	entries, linked, err = (&Store{DataDir: dataDir}).Served()
	if err == nil && len(entries) == 0 {
		err = &NothingServedError{DataDir: dataDir}
	}
	return entries, linked, err
}

// IDOwnedError is a plugin whose id already belongs to another file in
// the data dir: its secrets, config and store are that file's, so the
// installed plugin could not run (host refuses a second file an id).
type IDOwnedError struct{ ID, Owner string }

func (e *IDOwnedError) Error() string {
	return fmt.Sprintf("plugin id %s already belongs to %s (it ran from there): the installed plugin would not be allowed its secrets, config and store; nothing was installed", e.ID, e.Owner)
}

// checkOwner refuses id when the data dir records an owning file outside
// dir (the folder the plugin will run from).
func (s *Store) checkOwner(id, dir string) error {
	owners, err := plugin.KnownPlugins(s.DataDir)
	if err != nil {
		return nil // an unreadable record is refused when the plugin runs
	}
	for _, o := range owners {
		if o.ID != id || o.File == "" {
			continue
		}
		if rel, err := filepath.Rel(dir, o.File); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil
		}
		return jsrt.WithHint(&IDOwnedError{ID: id, Owner: o.File}, "run that file with --adopt to keep using the id there, or remove its data first (host auth logout, and the data dir's plugins/"+id+" folder)")
	}
	return nil
}
