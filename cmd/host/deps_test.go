package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestProductDoesNotLinkTestDoubles lists the packages the host binary
// links and fails on a test double (oauthtest, keyringtest, browsertest
// and any other package of ours or a dependency named ...test) or on the
// standard library's testing and net/http/httptest: those belong to
// tests; the demo's stand-ins are cmd/host/internal/demo.
func TestProductDoesNotLinkTestDoubles(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 10 || !strings.Contains(string(out), "host/cmd/host/internal/demo false") {
		t.Fatalf("go list -deps did not list the binary's packages:\n%s", out)
	}
	for _, line := range lines {
		pkg, std, _ := strings.Cut(line, " ")
		forTests := pkg == "testing" || pkg == "net/http/httptest"
		if std == "false" && strings.HasSuffix(pkg, "test") {
			forTests = true
		}
		if forTests {
			t.Errorf("the host binary links %s, a package for tests", pkg)
		}
	}
}
