package cmdutil

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"host/bindings/fetch"
)

// The start-up budget: `host run --once` of plugins/token-auth (the path of
// BenchmarkProcessRunOnce: the real binary, the real Secret Service, the
// loopback TLS stand-in) has 40 ms wall; measured on a shared 2-core
// machine at about 28 ms wall and 33 ms CPU (BenchmarkStartupBudget,
// medians of 40 alternating runs; a second all-on run differs by about
// 0.5 ms wall and 1-2 ms CPU). Every process-level start-up choice lives or
// is switched here; what each saves on that path, all on against it alone
// off, as wall / CPU:
//
//   - gogc: GOGC 400 with a 1 GiB soft memory limit: 6 / 10 ms.
//   - roots: fetch.PrewarmSystemRoots on a helper goroutine, so the first
//     HTTPS handshake finds crypto/x509's system pool loaded: 3 / 0 ms
//     (only for the commands that make HTTPS requests: fetchesHTTPS).
//   - cache: the content-hashed bundle cache (Host.CacheDir, set in
//     package session; jsrt.BuildCached), which skips esbuild: 1 / 3-4 ms.
//
// Dropped because they measured below the noise (under 1 ms CPU, no wall
// gain): precompiling the bindings' built-in JS at start-up
// (jsrt.PrecompileAll) and a plugin's bundle beside installing the
// bindings (Bundle.Precompile), prefetching remembered secret fields from
// the keyring during Load, and connecting to the D-Bus session bus early
// (secrets.Prewarm). The lazy web/node globals (jsrt.DefineLazy) are part of
// the runtime and have no switch.
//
// HOST_STARTUP_OFF=gogc,roots,cache turns the named ones off. It is for
// benchmarks only, to keep these numbers honest; users have no use for it.

// Startup are the start-up choices switched off (HOST_STARTUP_OFF).
type Startup map[string]bool

// ParseStartup reads HOST_STARTUP_OFF's value.
func ParseStartup(s string) Startup {
	off := Startup{}
	for name := range strings.SplitSeq(s, ",") {
		if name = strings.TrimSpace(name); name != "" {
			off[name] = true
		}
	}
	return off
}

// Off reports whether the start-up choice name is switched off.
func (s Startup) Off(name string) bool { return s[name] }

// GC sets the collector's pace. First thing in main: the memory guard
// lowers the memory limit afterwards when --memory asks for less.
func (s Startup) GC() {
	// A host process is short-lived or idles between plugin calls; collect
	// garbage less eagerly (goja allocates a lot per promise), bounded by a
	// soft memory limit. GOGC and GOMEMLIMIT in the environment still win.
	if !s.Off("gogc") {
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(400)
		}
		if os.Getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(1 << 30)
		}
	}
}

// Helpers starts what prepares the command cmd on the side; trace hears
// "roots" when the system's roots are loaded (the start-up budget).
func (s Startup) Helpers(cmd string, trace func(step string)) {
	// The roots only for the commands that make HTTPS requests in this
	// process (a plugin's fetch, an OAuth login, the npm registry): loading
	// them costs about 5 ms of CPU, all of `host version`'s time after
	// init. A serve makes no HTTPS calls itself, and twenty workers
	// starting at once would compete for the same cores.
	if fetchesHTTPS(cmd) && !s.Off("roots") {
		go func() {
			fetch.PrewarmSystemRoots()
			trace("roots")
		}()
	}
}

// fetchesHTTPS reports whether the command cmd may make HTTPS requests in
// its own process, so that it gets the system's roots loaded early.
func fetchesHTTPS(cmd string) bool {
	switch cmd {
	case "run", "call", "setup", "auth", "test", "mcp", "install", "update", "demo":
		return true
	}
	return false
}

// TraceMemory prints, when HOST_TRACE is set, what the process has
// resident as it ends (the start-up budget's memory side, Linux only):
// the binary's own pages (text, rodata: page cache shared with every other
// host process, mapped in by the kernel around each place a start
// touches) apart from its anonymous memory (the Go heap, stacks, the
// runtime's), in KiB, from /proc/self/smaps.
func (f *Factory) TraceMemory() {
	if os.Getenv("HOST_TRACE") == "" {
		return
	}
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return
	}
	exe, _ := os.Executable()
	var text, rodata, data, anon int
	var into *int
	for ln := range strings.Lines(string(b)) {
		fields := strings.Fields(ln)
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && len(fields[1]) == 4:
			// A mapping's header: range perms offset dev inode [path].
			path := ""
			if len(fields) >= 6 {
				path = fields[5]
			}
			switch {
			case path == exe && fields[1] == "r-xp":
				into = &text
			case path == exe && fields[1] == "r--p":
				into = &rodata
			case path == exe:
				into = &data
			case path == "" || path == "[heap]" || path == "[stack]":
				into = &anon
			default:
				into = nil // vdso, vvar
			}
		case len(fields) == 3 && fields[0] == "Rss:" && into != nil:
			n, _ := strconv.Atoi(fields[1])
			*into += n
		}
	}
	fmt.Fprintf(os.Stderr, "trace-rss text=%d rodata=%d data=%d anon=%d\n", text, rodata, data, anon)
}
