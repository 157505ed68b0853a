//go:build linux

package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	hostplugin "host/bindings/plugin"
)

// openPTY opens a pseudo-terminal pair: the controller (the test's end)
// and the terminal (the process's stdin and controlling terminal).
func openPTY(t *testing.T) (controller, tty *os.File) {
	t.Helper()
	c, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetPointerInt(int(c.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetUint32(int(c.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tt, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); tt.Close() })
	return c, tt
}

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
	controller, tty := openPTY(t)
	cmd := exec.Command(bin, "run", "--watch", "live/plugin.ts", "--data-dir", filepath.Join(dir, "data"), "--set", "region=eu")
	cmd.Dir = dir
	cmd.Stdin = tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	var mu sync.Mutex
	var shown bytes.Buffer // what the terminal showed
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := controller.Read(b)
			mu.Lock()
			shown.Write(b[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
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
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, strings.Join(out.all, "\n"))
	}
	mu.Lock()
	defer mu.Unlock()
	if s := shown.String(); strings.Contains(s, "Workspace") || strings.Contains(s, "Region") || strings.Contains(s, ">") {
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
	controller, tty := openPTY(t)
	cmd := exec.Command(bin, "run", "--once", "--data-dir", filepath.Join(dir, "data"), plugin)
	cmd.Env = env
	cmd.Stdin = tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	shown := make(chan string, 100)
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := controller.Read(b)
			shown <- string(b[:n])
			if err != nil {
				return
			}
		}
	}()
	var screen strings.Builder
	deadline := time.After(30 * time.Second)
	for !strings.Contains(screen.String(), "input hidden") {
		select {
		case s := <-shown:
			screen.WriteString(s)
		case <-deadline:
			t.Fatalf("no prompt:\n%s", screen.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "cancelled; nothing was saved") {
		t.Errorf("stderr: %s", stderr.String())
	}
	if _, err := sess.Lookup("host:token-auth"+hostplugin.DataDirNamespace(filepath.Join(dir, "data")), "config.token"); err == nil {
		t.Error("a token was saved")
	}
}
