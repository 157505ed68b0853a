package hosttest

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCI(t *testing.T) {
	for v, want := range map[string]bool{"": false, "0": false, "false": false, "FALSE": false,
		"true": true, "1": true, "yes": true, "woodpecker": true} {
		t.Setenv("CI", v)
		if got := CI(); got != want {
			t.Errorf("CI=%q: CI() = %v, want %v", v, got, want)
		}
	}
}

func TestSummary(t *testing.T) {
	saved := skips.n
	t.Cleanup(func() { skips.n = saved })
	skips.n = map[string]int{}
	if got := summary("host/x"); got != "" {
		t.Errorf("no skips: %q", got)
	}
	skips.add("no tsc (npm install -g typescript@7)")
	if got, want := summary("host/x"), "host/x: 1 test skipped, a prerequisite is missing: no tsc (npm install -g typescript@7) (CI=true makes them fail)"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	skips.add("no tsc (npm install -g typescript@7)")
	skips.add("chromium is not installed")
	if got, want := summary("host/x"), "host/x: 3 tests skipped, a prerequisite is missing: chromium is not installed; no tsc (npm install -g typescript@7) (CI=true makes them fail)"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestPackagePath(t *testing.T) {
	if got := packagePath(); got != "host/internal/hosttest" {
		t.Errorf("packagePath() = %q", got)
	}
}

// TestEveryPackageReports: a package whose tests can skip for a missing
// prerequisite (they import hosttest or a helper that calls Require) has
// a TestMain through hosttest.Main or Wrap, or its skips would go unsaid.
func TestEveryPackageReports(t *testing.T) {
	helpers := []string{"host/internal/hosttest", "host/bindings/secrets/keyringtest",
		"host/cmd/host/internal/browsertest", "host/cmd/host/internal/pkgstore/registrytest"}
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .TestImports \" \"}} {{join .XTestImports \" \"}}", "host/...")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 || parts[0] == "host/internal/hosttest" {
			continue
		}
		imports := " " + parts[2] + " "
		uses := false
		for _, h := range helpers {
			uses = uses || strings.Contains(imports, " "+h+" ")
		}
		if !uses {
			continue
		}
		checked++
		files, _ := filepath.Glob(filepath.Join(parts[1], "*_test.go"))
		found := false
		for _, f := range files {
			src, _ := os.ReadFile(f)
			s := string(src)
			found = found || strings.Contains(s, "func TestMain(") && (strings.Contains(s, "hosttest.Main(") || strings.Contains(s, "hosttest.Wrap("))
		}
		if !found {
			t.Errorf("%s: its tests may skip for a missing prerequisite but no TestMain calls hosttest.Main or hosttest.Wrap", parts[0])
		}
	}
	if checked < 5 {
		t.Errorf("only %d packages checked; go list said:\n%s", checked, out)
	}
}

func TestWaitFor(t *testing.T) {
	n := 0
	if err := Wait(time.Minute, "three checks", func() bool { n++; return n == 3 }, func() string { return "never" }); err != nil || n != 3 {
		t.Errorf("a condition that holds on the third check: %v after %d checks", err, n)
	}
	err := Wait(20*time.Millisecond, "the ready line", func() bool { return false }, func() string { return `"starting..."` })
	if want := `waited 20ms for the ready line; saw instead: "starting..."`; err == nil || err.Error() != want {
		t.Errorf("a timeout says\n%v\nwant\n%s", err, want)
	}
}

func TestAtLeastParallel(t *testing.T) {
	for _, c := range []struct {
		args []string
		def  int
		want string
	}{
		{nil, 2, "8"},   // the default (GOMAXPROCS) raised
		{nil, 16, "16"}, // a larger default kept
		{[]string{"-test.parallel", "1"}, 2, "1"}, // said on the command line: kept
		{[]string{"-test.parallel=3"}, 2, "3"},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		p := fs.Int("test.parallel", c.def, "")
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		atLeastParallel(fs, 8)
		if got := strconv.Itoa(*p); got != c.want {
			t.Errorf("%v with default %d: parallel %s, want %s", c.args, c.def, got, c.want)
		}
	}
	atLeastParallel(flag.NewFlagSet("none", flag.ContinueOnError), 8) // no such flag: nothing to do
}
