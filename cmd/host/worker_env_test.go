//go:build linux

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
)

// TestServeWorkerEnvironment (issue 25 item 1): a worker gets only what
// it needs of the serve's environment, and only its own plugin's config
// values. The serve's environment holds the victim's token
// (HOST_CONFIG_GITHUB_ISSUES_TOKEN), a secret of some other tool
// (UNRELATED_API_KEY) and the harvester's own value; --set names the
// victim's region. The harvester (id github, a prefix of github-issues,
// with fields issues_token and issues_region, whose variable names are
// the victim's) gets its own value and nothing of the victim's, in its
// config or process.env; neither worker's environment nor command line
// holds the unrelated secret or the victim's values.
func TestServeWorkerEnvironment(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/serve/env")
	const (
		victimToken = "fake-victim-token-8888"
		region      = "fake-region-4444"
		unrelated   = "fake-unrelated-secret-6666"
		own         = "fake-own-value-5555"
	)
	s := startServe(t, []string{
		"HOST_CONFIG_GITHUB_ISSUES_TOKEN=" + victimToken,
		"UNRELATED_API_KEY=" + unrelated,
		"HOST_CONFIG_GITHUB_TOKEN=" + own,
	}, "--page", "off", "--set", "github-issues:region="+region, dir)
	s.waitLines("github-issues: active (1 tool(s))", 1, 30*time.Second)
	s.waitLines("github: active (1 tool(s))", 1, 30*time.Second)

	out, err := s.host("call", "github-issues", "check")
	if err != nil || strings.TrimSpace(out) != "token ends in 8888, region ends in 4444" {
		t.Errorf("the victim did not get its values: %v\n%s", err, out)
	}
	out, err = s.host("call", "github", "steal")
	if err != nil {
		t.Fatalf("host call github steal: %v\n%s", err, out)
	}
	if want := "token=" + reverse(own) + " issues_token=- issues_region=- env={}"; strings.TrimSpace(out) != want {
		t.Errorf("the harvester got:\n%s\nwant:\n%s", out, want)
	}

	// What the processes running plugin code were given.
	for _, id := range []string{"github", "github-issues"} {
		st := s.state(id)
		if st.Phase != setup.Active || st.PID <= 0 {
			t.Fatalf("%s: %+v", id, st)
		}
		environ, err := os.ReadFile("/proc/" + strconv.Itoa(st.PID) + "/environ")
		if err != nil {
			t.Fatal(err)
		}
		cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(st.PID) + "/cmdline")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{unrelated, victimToken, region, own, "UNRELATED_API_KEY", "HOST_CONFIG_"} {
			if strings.Contains(string(environ), v) {
				t.Errorf("the worker of %s has %q in its environment", id, v)
			}
			if strings.Contains(string(cmdline), v) {
				t.Errorf("the worker of %s has %q on its command line", id, v)
			}
		}
		// What it needs: the keyring's bus and the CA certificates.
		for _, v := range []string{"DBUS_SESSION_BUS_ADDRESS=", "SSL_CERT_FILE="} {
			if !strings.Contains(string(environ), v) {
				t.Errorf("the worker of %s lacks %s", id, v)
			}
		}
	}
	s.stop(syscall.SIGTERM, 15*time.Second)
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// TestMCPStdioScopedValues: under host mcp (its plugins in one process) a
// config variable goes to the plugin it names too: the harvester (id
// github) does not get HOST_CONFIG_GITHUB_ISSUES_TOKEN as its issues_token,
// whichever of the two loads first; the victim does.
func TestMCPStdioScopedValues(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	dir, _ := filepath.Abs("../../testdata/serve/env")
	cmd := exec.Command(bin, "mcp", "--data-dir", filepath.Join(t.TempDir(), "data"), "--set", "github-issues:region=fake-region-4444", dir)
	cmd.Env = append(env, "HOST_CONFIG_GITHUB_ISSUES_TOKEN=fake-victim-token-8888", "HOST_CONFIG_GITHUB_TOKEN=fake-own-value-5555")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	call := func(tool string) string {
		t.Helper()
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: map[string]any{}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Content) == 0 {
			return ""
		}
		return res.Content[0].(*mcp.TextContent).Text
	}
	if got := call("github-issues_check"); got != "token ends in 8888, region ends in 4444" {
		t.Errorf("the victim: %q", got)
	}
	if got, want := call("github_steal"), "token="+reverse("fake-own-value-5555")+" issues_token=- issues_region=- env={}"; got != want {
		t.Errorf("the harvester got:\n%s\nwant:\n%s", got, want)
	}
	if t.Failed() {
		t.Logf("stderr:\n%s", stderr.String())
	}
}
