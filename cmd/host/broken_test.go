package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// runaway are the broken plugins whose error is the script timeout (or the
// hook timeout, twice it): they run with a 300 ms script timeout, so they
// end quickly. The others run with a minute, a margin no loaded machine
// eats: their own error must come, never the timeout's instead.
var runaway = map[string]bool{
	"infinite_loop_after_await": true,
	"infinite_loop_at_load":     true,
	"infinite_loop_in_activate": true,
	"infinite_loop_in_timer":    true,
	"never_settles":             true,
}

// TestBrokenPlugins runs every plugin in testdata/broken and compares what a
// user sees (exit code and stderr) with its .golden file. A first line
// `// args: ...` replaces the default `run --once FILE`. Regenerate with
// `go test ./cmd/host -run BrokenPlugins -update`.
//
// At most GOMAXPROCS plugins run at once: the runaway ones spin a core
// each until their timeout, and 48 runtimes sharing two cores starved
// each other until a 300 ms timeout fired before a plugin reached its
// loop (the position was lost).
func TestBrokenPlugins(t *testing.T) {
	t.Parallel()
	dir, err := filepath.Abs("../../testdata/broken")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.ts"))
	if len(files) < 25 {
		t.Fatalf("only %d broken plugins", len(files))
	}
	for name := range runaway {
		if _, err := os.Stat(filepath.Join(dir, name+".ts")); err != nil {
			t.Errorf("runaway plugin %s: %v", name, err)
		}
	}
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".ts")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			slots <- struct{}{}
			defer func() { <-slots }()
			src, _ := os.ReadFile(file)
			args := []string{"run", "--once", filepath.Base(file)}
			if first, _, _ := strings.Cut(string(src), "\n"); strings.HasPrefix(first, "// args: ") {
				args = strings.Fields(strings.TrimPrefix(first, "// args: "))
			}
			// Paths are resolved from the test's directory; show them
			// relative to testdata/broken.
			for i, a := range args {
				if strings.HasSuffix(a, ".ts") {
					args[i] = filepath.Join(dir, a)
				}
			}
			timeout := "1m"
			if runaway[name] {
				timeout = "300ms"
			}
			args = append(args, "--timeout", timeout, "--data-dir", t.TempDir())
			var stdout, stderr bytes.Buffer
			io := &IO{In: strings.NewReader(""), Out: &stdout, Err: &stderr,
				Getwd:     func() (string, error) { return dir, nil },
				LookupEnv: func(string) (string, bool) { return "", false }}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			code := Run(ctx, args, io)
			got := fmt.Sprintf("exit %d\n%s", code, stderr.String())
			if stdout.Len() > 0 {
				got += "--- stdout\n" + stdout.String()
			}
			got = strings.ReplaceAll(got, dir+string(filepath.Separator), "")
			golden := filepath.Join(dir, name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)\ngot:\n%s", err, got)
			}
			if got != string(want) {
				t.Errorf("output differs from %s.golden\n--- got\n%s--- want\n%s", name, got, want)
			}
		})
	}
}
