package jsrt

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/dop251/goja"
	"github.com/evanw/esbuild/pkg/api"
	"github.com/go-sourcemap/sourcemap"
)

// BuildOptions say what to bundle.
type BuildOptions struct {
	// Entry is the path of the TypeScript or JavaScript entry file.
	Entry string
	// WorkDir is the directory positions are shown relative to; default the
	// current directory.
	WorkDir string
	// Virtual maps import paths to module source (an ES module, or a
	// CommonJS one using module.exports). An import of exactly such a path,
	// from any file, gets that source: before node_modules is searched, so
	// a package of the same name installed there is not used. Keys are any
	// import path ("host:plugin", "@scope/sdk", "node:path", "path"). An
	// import with a "host:" or "node:" prefix that is not a key is a build
	// error naming the import.
	Virtual map[string]string
	// Root is the directory imports must stay inside (with the node_modules
	// Node's lookup finds from it); default DefaultRoot(Entry). A root
	// TooBroadRoot refuses (the user's home, an ancestor, /) is not taken:
	// the build then reads only Entry and node_modules. An import of any
	// other file is a build error, and so are a dot-file or a file in a
	// hidden directory below the root (node_modules aside), an import
	// attribute that changes how a file is read, and a source file that is
	// not a regular file or is larger than MaxSourceSize.
	Root string
	// GlobalName, when set, is the global variable the IIFE assigns the
	// entry's exports to.
	GlobalName string
}

// Bundle is a built script, ready to run.
type Bundle struct {
	Code   string   // one IIFE with an inline source map as its last line
	File   string   // the entry, relative to WorkDir when inside it
	Inputs []string // absolute paths of the source files, node_modules excluded
	// Warnings esbuild reported.
	Warnings []Message

	compiled *compiledBundle // nil for a Bundle made outside this package
}

// compiledBundle is a bundle's goja program, compiled once (on the first
// RunBundle) for every runtime that runs the bundle.
type compiledBundle struct {
	once sync.Once
	prg  *goja.Program
	err  error
}

func newBundle(code, file string, inputs []string, warnings []Message) *Bundle {
	return &Bundle{Code: code, File: file, Inputs: inputs, Warnings: warnings,
		compiled: &compiledBundle{}}
}

// program compiles the bundle, once.
func (b *Bundle) program() (*goja.Program, error) {
	c := b.compiled
	if c == nil {
		return compileBundle(b)
	}
	c.once.Do(func() { c.prg, c.err = compileBundle(b) })
	return c.prg, c.err
}

func compileBundle(b *Bundle) (*goja.Program, error) {
	// The program is named without a directory so goja resolves the source
	// map's sources (relative to WorkDir) unchanged.
	prg, err := goja.Compile(path.Base(b.File)+bundleSuffix, b.Code, false)
	if err != nil {
		return nil, mapSyntaxError(b.Code, fromGojaError(nil, err))
	}
	return prg, nil
}

// parsePosRE finds the bundle position in a goja parse error's message.
var parsePosRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[^\s:]+` + regexp.QuoteMeta(bundleSuffix) + `: Line (\d+):(\d+) `)
})

// mapSyntaxError points a syntax error goja found in the bundle (code
// esbuild accepted, so in goja's gaps) at the source file and line through
// the bundle's source map, instead of at a bundle file that does not exist.
func mapSyntaxError(code string, err error) error {
	je, ok := AsJSError(err)
	if !ok || je.File != "" {
		return err
	}
	m := parsePosRE().FindStringSubmatch(je.Message)
	if m == nil {
		return err
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	if file, l, c, ok := sourcePosition(code, line, col-1); ok {
		je.File, je.Line, je.Column = file, l, c+1
		je.Message = strings.TrimPrefix(je.Message, m[0])
	}
	return je
}

// sourcePosition maps a 1-based line and 0-based column of a bundle to its
// source file through the bundle's inline source map.
func sourcePosition(code string, line, col int) (string, int, int, bool) {
	i := strings.LastIndex(code, sourceMapPrefix)
	if i < 0 {
		return "", 0, 0, false
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(code[i+len(sourceMapPrefix):]))
	if err != nil {
		return "", 0, 0, false
	}
	sm, err := sourcemap.Parse("", data)
	if err != nil {
		return "", 0, 0, false
	}
	file, _, l, c, ok := sm.Source(line, col)
	return file, l, c, ok && file != ""
}

const sourceMapPrefix = "//# sourceMappingURL=data:application/json;base64,"

// Message is one problem found while building, at a place in a source file.
type Message struct {
	Text     string
	File     string // relative to WorkDir when inside it
	Line     int    // 1-based
	Column   int    // 1-based
	LineText string // the source line, for showing a caret
}

// String renders "file.ts:3:7: text".
func (m Message) String() string {
	if m.File == "" {
		return m.Text
	}
	return m.File + ":" + strconv.Itoa(m.Line) + ":" + strconv.Itoa(m.Column) + ": " + m.Text
}

// BuildError is a failed build: one or more messages with positions.
type BuildError struct {
	Errors []Message
}

func (e *BuildError) Error() string {
	parts := make([]string, 0, len(e.Errors))
	for _, m := range e.Errors {
		parts = append(parts, m.String())
	}
	return strings.Join(parts, "\n")
}

const virtualNS = "host-virtual"

// bundleSuffix ends the name of every compiled bundle. Positions in a file
// with another name came through the source map, whose columns are 0-based.
const bundleSuffix = ".bundle.js"

// Build bundles opts.Entry and everything it imports (node_modules
// included) into one IIFE targeting what goja runs (ES2022 without async
// generators, for-await and dynamic import), with an inline source map so
// positions in errors point at the TypeScript source. It reads files and
// does nothing else; safe for concurrent use.
func Build(opts BuildOptions) (*Bundle, error) {
	b, _, err := build(opts)
	return b, err
}

// build is Build also returning every file the bundle was built from,
// node_modules included (absolute paths).
func build(opts BuildOptions) (*Bundle, []string, error) {
	wd := opts.WorkDir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return nil, nil, err
		}
	}
	wd, _ = filepath.Abs(wd)
	entry, err := filepath.Abs(opts.Entry)
	if err != nil {
		return nil, nil, err
	}
	if err := checkSource(entry); err != nil {
		if os.IsNotExist(err) {
			return nil, nil, WithHint(fmt.Errorf("plugin file %s does not exist", opts.Entry), "check the path; it should name a .ts or .js file")
		}
		return nil, nil, WithHint(err, "name a plugin's .ts or .js file")
	}
	root, err := buildRoot(opts.Root, entry)
	if err != nil {
		return nil, nil, err
	}
	realEntry := entry
	if r, err := filepath.EvalSymlinks(entry); err == nil {
		realEntry = r
	}
	plugins := []api.Plugin{confinePlugin(root, realEntry, wd)}
	if len(opts.Virtual) > 0 {
		plugins = append(plugins, virtualPlugin(opts.Virtual))
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:   []string{entry},
		AbsWorkingDir: wd,
		Outdir:        wd,
		Bundle:        true,
		Write:         false,
		Format:        api.FormatIIFE,
		GlobalName:    opts.GlobalName,
		Platform:      api.PlatformBrowser,
		Target:        api.ES2022,
		Supported: map[string]bool{
			"async-generator": false,
			"for-await":       false,
			"dynamic-import":  false,
			// goja cannot parse class fields named get, set or async.
			"class-field":        false,
			"class-static-field": false,
			// goja's fast regexp path reads \p{L} as p{L}: every literal
			// with the u (or y) flag is lowered to new RegExp(...), which
			// js/engine.js routes to regexp2 when it has \p{...} (esbuild
			// does not look for them inside [...]).
			"regexp-unicode-property-escapes": false,
			"regexp-sticky-and-unicode-flags": false,
		},
		Sourcemap:      api.SourceMapInline,
		SourcesContent: api.SourcesContentExclude,
		Metafile:       true,
		LogLevel:       api.LogLevelSilent,
		Charset:        api.CharsetUTF8,
		Plugins:        plugins,
	})
	if len(res.Errors) > 0 {
		return nil, nil, &BuildError{Errors: messages(res.Errors, wd, opts.Virtual)}
	}
	if len(res.OutputFiles) != 1 {
		return nil, nil, fmt.Errorf("esbuild produced %d output files, want 1", len(res.OutputFiles))
	}
	b := newBundle(string(res.OutputFiles[0].Contents), rel(wd, entry), nil, messages(res.Warnings, wd, opts.Virtual))
	var meta struct {
		Inputs  map[string]json.RawMessage `json:"inputs"`
		Outputs map[string]struct {
			Inputs map[string]struct {
				BytesInOutput int `json:"bytesInOutput"`
			} `json:"inputs"`
		} `json:"outputs"`
	}
	var all []string
	if err := json.Unmarshal([]byte(res.Metafile), &meta); err == nil {
		for in := range meta.Inputs {
			if strings.Contains(in, ":") && !filepath.IsAbs(in) { // namespaced, e.g. host-virtual:host:plugin
				continue
			}
			p := in
			if !filepath.IsAbs(p) {
				p = filepath.Join(wd, p)
			}
			all = append(all, p)
			if strings.Contains(filepath.ToSlash(p), "/node_modules/") {
				continue
			}
			b.Inputs = append(b.Inputs, p)
		}
		sort.Strings(b.Inputs)
		for _, out := range meta.Outputs {
			sizes := map[string]int{}
			for in, x := range out.Inputs {
				sizes[packageOf(in)] += x.BytesInOutput
			}
			if w, ok := bigBundleWarning(sizes); ok {
				b.Warnings = append(b.Warnings, w)
			}
		}
	}
	return b, all, nil
}

// bigBundle is the code size above which a build warns, naming the
// package that makes up most of it: goja compiles and runs every byte at
// each start, so a library that pulls in far more than a plugin uses
// (googleapis' main entry is 58 MB for some 300 APIs) is slow and can
// reach the memory cap.
var bigBundle = 16 << 20

// bigBundleWarning is the warning for a bundle of the given code sizes
// per package ("" for the plugin's own files), if it is over bigBundle.
func bigBundleWarning(sizes map[string]int) (Message, bool) {
	total, top, topSize := 0, "", 0
	for pkg, n := range sizes {
		total += n
		if pkg != "" && n > topSize {
			top, topSize = pkg, n
		}
	}
	if total <= bigBundle {
		return Message{}, false
	}
	mb := func(n int) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
	text := fmt.Sprintf("the plugin's code is %s once bundled, which makes it slow to start", mb(total))
	if top != "" {
		text += fmt.Sprintf("; %s of it is %s: import only the part you use (a per-module entry, or a smaller package of it, such as @googleapis/drive for googleapis)", mb(topSize), top)
	}
	return Message{Text: text}, true
}

// packageOf is the npm package a bundle input belongs to ("" for the
// plugin's own files): the part after its last node_modules.
func packageOf(path string) string {
	path = filepath.ToSlash(path)
	i := strings.LastIndex(path, "node_modules/")
	if i < 0 {
		return ""
	}
	parts := strings.SplitN(path[i+len("node_modules/"):], "/", 3)
	if strings.HasPrefix(parts[0], "@") && len(parts) > 1 {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// virtualPlugin resolves the imports named in virtual to their source.
func virtualPlugin(virtual map[string]string) api.Plugin {
	return api.Plugin{
		Name: "host-virtual",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `.*`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
				if _, ok := virtual[a.Path]; ok {
					return api.OnResolveResult{Path: a.Path, Namespace: virtualNS}, nil
				}
				if scheme, _, ok := strings.Cut(a.Path, ":"); ok && (scheme == "host" || scheme == "node") {
					return api.OnResolveResult{}, unknownModule(virtual, a.Path, scheme+":")
				}
				return api.OnResolveResult{}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: virtualNS}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
				src := virtual[a.Path]
				return api.OnLoadResult{Contents: &src, Loader: api.LoaderJS}, nil
			})
		},
	}
}

// unknownModule is the error for an import of a host or node module that
// does not exist, naming the ones with the same prefix that do.
func unknownModule(virtual map[string]string, path, prefix string) error {
	if prefix == "node:" {
		return fmt.Errorf("%q is not a Node.js built-in module; check the name (host has the modules of Node.js 22: node:path, node:events, node:util, ...)", path)
	}
	var names []string
	for k := range virtual {
		if strings.HasPrefix(k, prefix) {
			names = append(names, strconv.Quote(k))
		}
	}
	sort.Strings(names)
	return fmt.Errorf("unknown host module %q; available: %s", path, strings.Join(names, ", "))
}

func messages(ms []api.Message, wd string, virtual map[string]string) []Message {
	out := make([]Message, 0, len(ms))
	for _, m := range ms {
		msg := Message{Text: m.Text}
		if pkg, ok := missingPackage(m.Text); ok {
			if near := nearModule(virtual, pkg); near != "" {
				msg.Text += fmt.Sprintf("; did you mean %q? (host provides it: nothing to install)", near)
			} else {
				msg.Text += "; install it in the plugin's directory: npm install " + pkg
			}
		}
		if m.Location != nil {
			msg.File = rel(wd, m.Location.File)
			msg.Line = m.Location.Line
			msg.Column = m.Location.Column + 1
			msg.LineText = m.Location.LineText
		}
		out = append(out, msg)
	}
	return out
}

// nearModule is the module host provides whose name is a likely typo of
// pkg ("@hivemind/plugin-sdk" for "@hivemind-os/plugin-sdk"), else "".
func nearModule(virtual map[string]string, pkg string) string {
	best, bestD := "", 4
	for name := range virtual {
		if strings.HasPrefix(name, "node:") || !strings.HasPrefix(name, "@") {
			continue // node's modules and bare ones are real npm names too
		}
		if d := EditDistance(strings.ToLower(pkg), strings.ToLower(name)); d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	return best
}

// EditDistance is the Levenshtein distance of a and b (bytes).
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// missingPackage reports the package name of esbuild's `Could not resolve
// "name/sub"` for a bare import (not a relative or absolute path).
func missingPackage(text string) (string, bool) {
	spec, ok := strings.CutPrefix(text, "Could not resolve ")
	if !ok {
		return "", false
	}
	spec, err := strconv.Unquote(spec)
	if err != nil || spec == "" || strings.HasPrefix(spec, ".") || strings.HasPrefix(spec, "/") || strings.Contains(spec, ":") {
		return "", false
	}
	parts := strings.SplitN(spec, "/", 3)
	if strings.HasPrefix(spec, "@") && len(parts) > 1 {
		return parts[0] + "/" + parts[1], true
	}
	return parts[0], true
}

func rel(wd, p string) string {
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(p)
	}
	r, err := filepath.Rel(wd, p)
	if err != nil || strings.HasPrefix(r, "..") {
		return p
	}
	return filepath.ToSlash(r)
}

// RunBundle compiles and runs a bundle on the loop. A syntax or runtime
// error comes back as *JSError pointing into the TypeScript source.
func (r *Runtime) RunBundle(ctx context.Context, b *Bundle) error {
	prg, err := b.program()
	if err != nil {
		return err
	}
	return r.Do(ctx, func(vm *goja.Runtime) error {
		_, err := vm.RunProgram(prg)
		return err
	})
}
