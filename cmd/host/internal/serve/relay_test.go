package serve

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"host/internal/hosttest"
)

// lockedBuffer is a bytes.Buffer safe for the worker's copier and the
// test to use at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRelayCleansControls: what a worker writes to its stderr reaches the
// serve's terminal without terminal controls (OSC 52, OSC 8, ESC[2K + CR,
// C1), written out as visible escapes; newlines and tabs stay. The
// "worker" here is a shell printing the attack strings, as a worker whose
// plugin found a way past its own cleaning would.
func TestRelayCleansControls(t *testing.T) {
	var out lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	script := `printf '[p] clip \033]52;c;ZXZpbA==\007\n'; printf '[p] \033]8;;https://evil.example/\033\\link\033]8;;\033\\\n';` +
		`printf '[p] \033[2K\rhost: forged\n'; printf '[p] c1 \302\2330m\ttab\n'; printf 'done\n'; exit 3`
	sup := Start(ctx, []string{"p.ts"}, Options{
		Command: func(string) *exec.Cmd {
			cmd := exec.Command("sh", "-c", "exec >&2; "+script)
			cmd.Stderr = &out
			return cmd
		},
		MinBackoff: time.Hour,
	})
	hosttest.WaitFor(t, time.Minute, "the worker's lines", func() bool { return strings.Contains(out.String(), "done\n") },
		func() string { return fmt.Sprintf("%q", out.String()) })
	cancel()
	sup.Wait()
	got := out.String()
	want := "[p] clip \\x1b]52;c;ZXZpbA==\\x07\n[p] \\x1b]8;;https://evil.example/\\x1b\\link\\x1b]8;;\\x1b\\\n" +
		"[p] \\x1b[2K\\x0dhost: forged\n[p] c1 \\u009b0m\ttab\ndone\n"
	if got != want {
		t.Errorf("relayed:\n%q\nwant\n%q", got, want)
	}
}
