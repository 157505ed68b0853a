package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"host/internal/hosttest"
)

// TestMain says which tests a missing prerequisite skipped (hosttest.Main).
func TestMain(m *testing.M) { os.Exit(hosttest.Main(m)) }

// pinned are the packages and versions testdata/cldr/package.json pins
// (the header of cldr_data.go names them).
var pinned = map[string]string{"cldr-core": "48.0.0", "cldr-dates-full": "48.0.0", "cldr-numbers-full": "48.0.0", "cldr-localenames-full": "48.0.0", "cldr-bcp47": "48.2.0"}

// TestGenerated: bindings/intl/cldr_data.go is what cldrgen writes from
// the pinned CLDR packages (installed by `npm ci` in testdata/cldr, as
// .ci/run does), so the tables are CLDR's and nobody edited them by hand.
func TestGenerated(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "..", "testdata", "cldr", "node_modules")
	if _, err := os.Stat(filepath.Join(dir, "cldr-dates-full")); err != nil {
		hosttest.Require(t, "the CLDR packages cldr_data.go is generated from are not installed: npm ci in testdata/cldr")
	}
	for name, version := range pinned {
		b, err := os.ReadFile(filepath.Join(dir, name, "package.json"))
		if err != nil {
			t.Fatal(err)
		}
		var pkg struct{ Version string }
		if err := json.Unmarshal(b, &pkg); err != nil {
			t.Fatal(err)
		}
		if pkg.Version != version {
			t.Fatalf("%s %s is installed, testdata/cldr pins %s: run npm ci there", name, pkg.Version, version)
		}
	}
	got, err := Generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "cldr_data.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("bindings/intl/cldr_data.go differs from cldrgen's output (%d bytes, want %d): run go generate ./bindings/intl and commit the result", len(want), len(got))
	}
	again, err := Generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, again) {
		t.Error("cldrgen's output differs between two runs")
	}
}
