package hosttest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// CI reports whether the tests run under CI, where every prerequisite is
// required: the environment variable CI is set to anything but "", "0" or
// "false" (CI=true is what .ci/run, GitHub Actions and GitLab set). This is
// the one convention; a test never reads CI itself.
func CI() bool {
	v := os.Getenv("CI")
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	return err != nil || b
}

// Require is called by a test that found a prerequisite missing (a
// keyring daemon, Node 22, an `npm ci` folder, tsc, Chromium, jose, zod 4).
// problem says what is missing and how to install it, in one line. Under
// CI the test fails; elsewhere it is skipped, and Main says so in one line
// per package that the person running `go test ./...` sees.
// tb is a testing.TB, or testscript's T in a script's Setup.
func Require(tb SkipFailer, problem string) {
	if h, ok := tb.(interface{ Helper() }); ok {
		h.Helper()
	}
	if CI() {
		tb.Fatal(problem + " (required under CI)")
	}
	skips.add(problem)
	tb.Skip(problem + " (CI=true makes this a failure)")
}

// SkipFailer is what Require needs of a test: testing.TB has it, and so
// has testscript's T.
type SkipFailer interface {
	Skip(args ...any)
	Fatal(args ...any)
}

// skipCounter counts the tests Require skipped, by problem.
type skipCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (s *skipCounter) add(problem string) {
	s.mu.Lock()
	s.n[problem]++
	s.mu.Unlock()
}

// skips are this test binary's.
var skips = skipCounter{n: map[string]int{}}

// Runner is what a TestMain runs: *testing.M, or anything with its Run
// (testscript.Main takes one).
type Runner interface{ Run() int }

// Main is TestMain's body for a package whose tests use Require: it runs
// the tests and, when some were skipped for a missing prerequisite, prints
// one line naming the package, how many tests and the install hints. Call
// as `os.Exit(hosttest.Main(m))`; with testscript, pass hosttest.Wrap(m).
func Main(m Runner) int { return Wrap(m).Run() }

// Wrap returns m with the summary line of Main printed after its Run.
func Wrap(m Runner) Runner { return wrapped{m, packagePath()} }

type wrapped struct {
	m   Runner
	pkg string
}

func (w wrapped) Run() int {
	code := w.m.Run()
	if line := summary(w.pkg); line != "" {
		say(line)
	}
	return code
}

// summary is the line for the skips so far, or "".
func summary(pkg string) string {
	skips.mu.Lock()
	defer skips.mu.Unlock()
	total := 0
	var problems []string
	for p, n := range skips.n {
		total += n
		problems = append(problems, p)
	}
	if total == 0 {
		return ""
	}
	sort.Strings(problems)
	tests := "tests"
	if total == 1 {
		tests = "test"
	}
	return fmt.Sprintf("%s: %d %s skipped, a prerequisite is missing: %s (CI=true makes them fail)",
		pkg, total, tests, strings.Join(problems, "; "))
}

// packagePath is the import path of the package under test, from the
// directory go test runs its binary in and the module's go.mod; else the
// directory.
func packagePath() string {
	wd, err := os.Getwd()
	if err != nil {
		return "this package"
	}
	for dir := wd; ; {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			if mod := modulePath(data); mod != "" {
				if rel, err := filepath.Rel(dir, wd); err == nil && rel != "." {
					return mod + "/" + filepath.ToSlash(rel)
				}
				return mod
			}
			return wd
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return wd
		}
		dir = parent
	}
}

// say prints line where the person running go test sees it. go test shows
// a passing package's output only with -v (or when run without package
// arguments); for `go test ./...`, the README's command, it shows just the
// "ok" line. So without -v the line goes to go test's own stderr when that
// is a terminal or a pipe (on Linux, /proc/PPID/fd/2 of the go command);
// else, and with -v, to this process's stderr.
func say(line string) {
	if !testing.Verbose() {
		if w := goTestStderr(); w != nil {
			fmt.Fprintln(w, line)
			w.Close()
			return
		}
	}
	fmt.Fprintln(os.Stderr, line)
}

// goTestStderr opens the stderr of the go command that started this test
// binary, when it is a terminal or a pipe (a regular file is not opened:
// a second writer would write over go test's own output), or returns nil.
func goTestStderr() io.WriteCloser {
	if runtime.GOOS != "linux" {
		return nil
	}
	ppid := os.Getppid()
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", ppid))
	if err != nil || !isGoCommand(exe) {
		return nil
	}
	path := fmt.Sprintf("/proc/%d/fd/2", ppid)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().IsRegular() || fi.IsDir() {
		return nil
	}
	if own, err := os.Stderr.Stat(); err == nil && os.SameFile(own, fi) {
		return nil // go test shows ours already
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil
	}
	return f
}

// isGoCommand reports whether exe is the go command's binary.
func isGoCommand(exe string) bool {
	base := exe[strings.LastIndexAny(exe, `/\`)+1:]
	return base == "go" || base == "go.exe"
}

// modulePath is go.mod's module path (the line `module PATH`; enough for
// this module's go.mod, so no golang.org/x/mod for one line).
func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
