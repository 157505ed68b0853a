package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestBrokenPlugins runs every plugin in testdata/broken and compares what a
// user sees (exit code and stderr) with its .golden file. Each runs with a
// 300 ms script timeout, so runaway plugins end quickly. A first line
// `// args: ...` replaces the default `run --once FILE`. Regenerate with
// `go test ./cmd/host -run BrokenPlugins -update`.
func TestBrokenPlugins(t *testing.T) {
	dir, err := filepath.Abs("../../testdata/broken")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.ts"))
	if len(files) < 25 {
		t.Fatalf("only %d broken plugins", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".ts")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
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
			args = append(args, "--timeout", "300ms", "--data-dir", t.TempDir())
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
