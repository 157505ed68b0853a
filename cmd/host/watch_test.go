package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// lines reads a process's output line by line for expectations.
type lines struct {
	t   *testing.T
	ch  chan string
	all []string
}

func newLines(t *testing.T, sc *bufio.Scanner) *lines {
	l := &lines{t: t, ch: make(chan string, 1000)}
	go func() {
		for sc.Scan() {
			l.ch <- sc.Text()
		}
		close(l.ch)
	}()
	return l
}

// expect reads until a line matches pattern and returns the lines read
// before it. The bound is generous; it only turns a hang into a failure.
func (l *lines) expect(pattern string) []string {
	l.t.Helper()
	re := regexp.MustCompile(pattern)
	var before []string
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ln, ok := <-l.ch:
			if !ok {
				l.t.Fatalf("output ended before %q:\n%s", pattern, strings.Join(l.all, "\n"))
			}
			l.all = append(l.all, ln)
			if re.MatchString(ln) {
				return before
			}
			before = append(before, ln)
		case <-timeout:
			l.t.Fatalf("no line matching %q:\n%s", pattern, strings.Join(l.all, "\n"))
		}
	}
}

const watchV1 = `export default definePlugin({
  onActivate: async (ctx) => {
    await ctx.store.set('written-by', 'v1');
    setInterval(() => console.log('tick v1'), 2);
    console.log('v1 active');
  },
  onDeactivate: async () => { console.log('v1 deactivated'); },
});
`

const watchV2 = `export default definePlugin({
  onActivate: async (ctx) => {
    setInterval(() => console.log('tick v2'), 2);
    console.log('v2 active');
  },
});
`

const watchBroken = `export default definePlugin({
  onActivate: async (ctx) => {
    const x = ;
  },
});
`

const watchV3 = `import { helper } from './helper';
export default definePlugin({
  onActivate: async (ctx) => {
    console.log('v3 active, store says', await ctx.store.get('written-by'), helper());
  },
});
`

// TestWatchReloads drives `host run --watch` in the real binary through
// edits: v1 -> v2 (v1 stopped), a syntax error (v2 keeps running, the
// position shown), a fix (v3, reading what v1 stored), an edit to an
// imported file (v4).
func TestWatchReloads(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("host")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "live", "plugin.ts")
	write := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(src, watchV1)
	cmd := exec.Command(bin, "run", "--watch", "live/plugin.ts", "--data-dir", filepath.Join(dir, "data"))
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	out := newLines(t, bufio.NewScanner(stderr))

	out.expect(`^\[live\] v1 active$`)
	out.expect(`is active \(version 1`)
	out.expect(`tick v1`)

	write(src, watchV2)
	out.expect(`plugin.ts changed, reloading`)
	// The new version is active before the old one is deactivated.
	before := out.expect(`^\[live\] v1 deactivated$`)
	if !contains(before, "[live] v2 active") {
		t.Errorf("v1 was deactivated before v2 was active:\n%s", strings.Join(before, "\n"))
	}
	out.expect(`reloaded \(version 2`)
	// From now on v1's interval must not fire: read a number of v2 ticks.
	for i := 0; i < 10; i++ {
		if got := out.expect(`^\[live\] tick v2$`); contains(got, "[live] tick v1") {
			t.Fatalf("v1's interval still fires after deactivation")
		}
	}

	write(src, watchBroken)
	out.expect(`^host: live/plugin.ts:3:15: Unexpected ";"`)
	out.expect(`^\s+3 \|     const x = ;$`)
	out.expect(`still running the previous version`)
	out.expect(`^\[live\] tick v2$`)

	write(filepath.Join(dir, "live", "helper.ts"), "export const helper = () => 'helper 1';\n")
	write(src, watchV3)
	out.expect(`^\[live\] v3 active, store says v1 helper 1$`)
	out.expect(`reloaded \(version 3`)

	// An imported file is watched too.
	write(filepath.Join(dir, "live", "helper.ts"), "export const helper = () => 'helper 2';\n")
	out.expect(`helper.ts changed, reloading`)
	out.expect(`^\[live\] v3 active, store says v1 helper 2$`)

	// An error at activation: mapped position, old version kept.
	write(src, "export default definePlugin({\n  onActivate: async () => {\n    throw new Error('cannot start');\n  },\n});\n")
	out.expect(`^host: live/plugin.ts:3:11: cannot start$`)
	out.expect(`at onActivate \(live/plugin.ts:3:11\)`)
	out.expect(`still running the previous version`)

	// A version that needs a new required field, with no terminal to ask
	// in: the message says how to supply it; the old version keeps running.
	write(src, "export default definePlugin({\n  configSchema: z.object({ region: z.string() }),\n  onActivate: async () => {},\n});\n")
	out.expect(`^host: the new version of live adds required configuration: region$`)
	out.expect(`region \(region\): stop \(Ctrl-C\) and run again to be asked, or set HOST_CONFIG_REGION=`)
	out.expect(`still running the previous version`)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out.expect(`^stopping live$`)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, strings.Join(out.all, "\n"))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
