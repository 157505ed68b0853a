package testing_test

import (
	"context"
	"path/filepath"
	"testing"

	hosttest "host/bindings/testing"
)

// BenchmarkRunFiftyTests is one Run, in this process, of a file of 50
// tests in vitest's API (testdata/hosttest/bench/fifty.test.ts, which
// cmd/host's BenchmarkHostTestVsVitest also runs on vitest), its bundle
// cached (as `host test` keeps it between runs).
func BenchmarkRunFiftyTests(b *testing.B) {
	dir, err := filepath.Abs(filepath.Join(repo, "testdata/hosttest/bench"))
	if err != nil {
		b.Fatal(err)
	}
	opts := hosttest.Options{Files: []string{filepath.Join(dir, "fifty.test.ts")}, WorkDir: dir, CacheDir: b.TempDir()}
	for i := 0; i < b.N; i++ {
		sum, err := hosttest.Run(context.Background(), opts)
		if err != nil || sum.Passed != 50 {
			b.Fatalf("%v %+v", err, sum)
		}
	}
}
