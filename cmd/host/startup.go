package main

import (
	"os"
	"runtime/debug"
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
//     HTTPS handshake finds crypto/x509's system pool loaded: 3 / 0 ms.
//   - cache: the content-hashed bundle cache (Host.CacheDir, set in
//     session.go; jsrt.BuildCached), which skips esbuild: 1 / 3-4 ms.
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
var startupOff = parseStartupOff(os.Getenv("HOST_STARTUP_OFF"))

func parseStartupOff(s string) map[string]bool {
	off := map[string]bool{}
	for name := range strings.SplitSeq(s, ",") {
		if name = strings.TrimSpace(name); name != "" {
			off[name] = true
		}
	}
	return off
}

// startupGC sets the collector's pace. First thing in main: guardMemory
// lowers the memory limit afterwards when --memory asks for less.
func startupGC() {
	// A host process is short-lived or idles between plugin calls; collect
	// garbage less eagerly (goja allocates a lot per promise), bounded by a
	// soft memory limit. GOGC and GOMEMLIMIT in the environment still win.
	if !startupOff["gogc"] {
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(400)
		}
		if os.Getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(1 << 30)
		}
	}
}

// startupHelpers starts what prepares the command in args on the side.
func startupHelpers(args []string) {
	// A serve makes no HTTPS calls itself, and twenty workers starting at
	// once would compete for the same cores.
	if cmd := firstArg(args); cmd != "worker" && cmd != "serve" && !startupOff["roots"] {
		go fetch.PrewarmSystemRoots()
	}
}
