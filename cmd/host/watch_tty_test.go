//go:build linux

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	hostplugin "host/bindings/plugin"
	"host/cmd/host/internal/ptytest"
)

// TestWatchBugInTerminal: under --watch in a terminal, a reload whose
// onActivate has a bug, or that needs a new field, never turns the watcher
// into a prompt: the broken version is reported and the old one keeps
// running.
func TestWatchBugInTerminal(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("host")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "live", "plugin.ts")
	write := func(content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(src, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const head = "export default definePlugin({\n  configSchema: z.object({ region: z.string().label('Region') }),\n"
	write(head + "  onActivate: async (ctx) => { console.log('v1 in ' + ctx.config.region); },\n});\n")
	cmd := exec.Command(bin, "run", "--watch", "live/plugin.ts", "--data-dir", filepath.Join(dir, "data"), "--set", "region=eu")
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := ptytest.Start(t, cmd)
	out := newLines(t, bufio.NewScanner(stderr))
	out.expect(`^\[live\] v1 in eu$`)
	out.expect(`is active \(version 1`)

	write(head + "  onActivate: async (ctx) => {\n    const me: any = undefined;\n    console.log(me.name);\n  },\n});\n")
	out.expect(`^host: live/plugin.ts:5:20: TypeError: Cannot read property 'name' of undefined`)
	out.expect(`still running the previous version`)

	write("export default definePlugin({\n  configSchema: z.object({ region: z.string(), workspace: z.string().label('Workspace') }),\n  onActivate: async () => {},\n});\n")
	// It says which field is new and how to supply it (issue 19 §6), not
	// "no terminal to ask in" nor "fix the error" (there is none).
	out.expect(`^host: the new version of live adds required configuration: workspace$`)
	out.expect(`^  workspace \(Workspace\): stop \(Ctrl-C\) and run again to be asked, or set HOST_CONFIG_WORKSPACE=\.\.\. in the environment`)
	out.expect(`^host: still running the previous version$`)

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	out.expect(`^stopping live$`)
	if code := p.Wait(); code != 0 {
		t.Fatalf("exit %d\n%s", code, strings.Join(out.all, "\n"))
	}
	if s := p.Shown(); strings.Contains(s, "Workspace") || strings.Contains(s, "Region") || strings.Contains(s, ">") {
		t.Errorf("the terminal showed a prompt:\n%s", s)
	}
	for _, ln := range out.all {
		if strings.Contains(ln, "no terminal to ask in") {
			t.Errorf("misleading line: %s", ln)
		}
		if strings.Contains(ln, "version 2") {
			t.Errorf("a broken version went live: %s", ln)
		}
	}
}

// TestWatchMasksPreviousVersionError: the old version's onDeactivate
// failing with a secret in its message is reported masked.
func TestWatchMasksPreviousVersionError(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	dir := t.TempDir()
	src := filepath.Join(dir, "live", "plugin.ts")
	write := func(content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(src, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const secret = "fake-watch-secret-77"
	v := func(n string) string {
		return "export default definePlugin({\n  configSchema: z.object({ token: z.string().secret() }),\n" +
			"  onActivate: async () => { console.log('" + n + " up'); },\n" +
			"  onDeactivate: async (ctx) => { throw new Error('cannot stop, token ' + ctx.config.token); },\n});\n"
	}
	write(v("v1"))
	cmd := exec.Command(bin, "run", "--watch", "live/plugin.ts", "--data-dir", filepath.Join(dir, "data"))
	cmd.Dir = dir
	cmd.Env = append(env, "HOST_CONFIG_TOKEN="+secret)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	out := newLines(t, bufio.NewScanner(stderr))
	out.expect(`is active \(version 1`)
	write(v("v2"))
	line := out.expect(`reloaded \(version 2`)
	found := false
	for _, ln := range append(line, out.all...) {
		if strings.Contains(ln, secret) {
			t.Errorf("the secret was printed: %s", ln)
		}
		if strings.Contains(ln, "the previous version: onDeactivate failed") && strings.Contains(ln, "token ***") {
			found = true
		}
	}
	if !found {
		t.Errorf("no masked report of the old version's error:\n%s", strings.Join(out.all, "\n"))
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
}

// TestCtrlCAtPromptExits130: Ctrl-C while host asks for a token ends the
// setup, restores the terminal and exits 130 (as shells expect of SIGINT);
// nothing is saved.
func TestCtrlCAtPromptExits130(t *testing.T) {
	t.Parallel()
	bin, sess, env := hostBinary(t, nil)
	dir := t.TempDir()
	plugin, err := filepath.Abs("../../plugins/token-auth/plugin.ts")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "--once", "--data-dir", filepath.Join(dir, "data"), plugin)
	cmd.Env = env
	p := ptytest.Start(t, cmd)
	p.WaitShown("input hidden", 1)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := p.Wait(); code != 130 {
		t.Fatalf("exit %d, want 130\n%s", code, p.Stderr())
	}
	if !strings.Contains(p.Stderr(), "cancelled; nothing was saved") {
		t.Errorf("stderr: %s", p.Stderr())
	}
	if _, err := sess.Lookup("host:token-auth"+hostplugin.DataDirNamespace(filepath.Join(dir, "data")), "config.token"); err == nil {
		t.Error("a token was saved")
	}
}
