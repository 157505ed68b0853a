package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestConnectorStopsAtOnce runs plugins/github-issues (the SDK's loop
// function, syncing a GitHub stand-in into the inbox, then sleeping its
// poll interval of an hour) in the real binary until it reports itself
// connected, presses Ctrl-C (SIGINT), and expects host to stop at once:
// ctx.sleep rejects when ctx.signal aborts, the loop returns, exit 0. The
// second run, from the same data dir, emits nothing again: the cursor is
// in the store and the inbox drops what it has.
func TestConnectorStopsAtOnce(t *testing.T) {
	t.Parallel()
	gh := newGithubStandin()
	defer gh.Close()
	bin, _, env := hostBinary(t, gh.CertPEM())
	data := filepath.Join(t.TempDir(), "data")
	plugin, _ := filepath.Abs("../../plugins/github-issues")
	for run := 1; run <= 2; run++ {
		cmd := exec.Command(bin, "run", plugin, "--data-dir", data, "--connect-to", "api.github.com:443:"+gh.Addr(),
			"--set", "owner=octocat", "--set", "repo=hello-world", "--set", "pollInterval=3600")
		cmd.Env = append(env, "HOST_CONFIG_TOKEN="+githubToken)
		var stdout bytes.Buffer
		var mu sync.Mutex
		cmd.Stdout = &syncWriter{w: &stdout, mu: &mu}
		h := startHost(t, cmd)
		if !h.waitFor("[github-issues] status: connected") {
			t.Fatalf("run %d never connected:\n%s", run, h.output())
		}
		took, errText, err := h.stop(syscall.SIGINT, 20*time.Second)
		if err != nil {
			t.Fatalf("run %d: exit %v\n%s", run, err, errText)
		}
		// The loop sleeps for an hour: only an aborted sleep ends it this soon.
		if took > 10*time.Second {
			t.Errorf("run %d: stopping took %s", run, took)
		}
		if strings.Contains(errText, "did not return") || strings.Contains(errText, "loop failed") {
			t.Errorf("run %d: the loop did not stop cleanly:\n%s", run, errText)
		}
		mu.Lock()
		out := stdout.String()
		mu.Unlock()
		switch run {
		case 1:
			if !strings.Contains(out, "[github-issues] message octocat/hello-world: [#1] Issue 1 (open)") || strings.Count(out, "message octocat/hello-world") != 6 {
				t.Errorf("run 1 messages:\n%s", out)
			}
		case 2:
			if out != "" || !strings.Contains(errText, "syncing issues since=2026-01-07T00:00:00Z") {
				t.Errorf("run 2 emitted again (stdout %q):\n%s", out, errText)
			}
		}
	}
}

type syncWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
