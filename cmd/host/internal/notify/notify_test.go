package notify_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"host/bindings/console"
	"host/bindings/mask"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/bindings/secrets/keyringtest"
	"host/bindings/store"
	"host/cmd/host/internal/notify"
	"host/internal/hosttest"
)

// logs keeps the lines a plugin host logs.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) sink(e console.Entry) {
	l.mu.Lock()
	l.lines = append(l.lines, e.Plugin+" "+e.Level.String()+" "+e.Message)
	l.mu.Unlock()
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// notifications stands in for a desktop's notification daemon: it owns
// org.freedesktop.Notifications on a real (private) session bus and keeps
// what Notify was called with.
type notifications struct {
	mu  sync.Mutex
	got []string
	ch  chan struct{}
}

func (n *notifications) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	n.mu.Lock()
	n.got = append(n.got, app+"|"+summary+"|"+body)
	n.mu.Unlock()
	n.ch <- struct{}{}
	return 1, nil
}

// TestNotifyDesktop sends ctx.notify through Desktop to a
// notification service on a private D-Bus session: the notification
// arrives there, masked, and no fallback line is printed. Without the
// service, the same call prints the line.
func TestNotifyDesktop(t *testing.T) {
	keyringtest.StartBusOnly(t)
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l := &logs{}
	h := &plugin.Host{DataDir: dir, Secrets: secrets.NewMemory(), Store: db, Log: l.sink, WorkDir: dir,
		Notify: notify.Desktop, Masker: mask.New()}
	h.Masker.Add("fake-secret-in-body")
	src := `export default definePlugin({
  tools: [{ name: 'ping', description: '', parameters: z.object({}), execute: async (_p, ctx) => {
    await ctx.notify({ title: 'Deploy done', body: 'token fake-secret-in-body used' });
    return { content: 'ok' };
  } }],
});`
	path := filepath.Join(dir, "notifier", "plugin.ts")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := plugin.Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.Setup(ctx, plugin.Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Activate(ctx, s); err != nil {
		t.Fatal(err)
	}
	defer p.Deactivate(ctx)

	// No service on the bus yet: a line instead.
	if _, err := p.CallTool(context.Background(), "ping", nil); err != nil {
		t.Fatal(err)
	}
	hosttest.WaitFor(t, time.Minute, "the notification's line", func() bool {
		return strings.Contains(l.String(), "notification: Deploy done")
	}, l.String)
	if !strings.Contains(l.String(), "notifier info notification: Deploy done: token *** used") {
		t.Fatalf("without a notification service, no line:\n%s", l)
	}

	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	srv := &notifications{ch: make(chan struct{}, 1)}
	if err := conn.Export(srv, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("RequestName: %v %v", reply, err)
	}
	before := l.String()
	if _, err := p.CallTool(context.Background(), "ping", nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.ch:
	case <-time.After(5 * time.Second):
		t.Fatal("the notification service got nothing")
	}
	srv.mu.Lock()
	got := srv.got
	srv.mu.Unlock()
	if len(got) != 1 || got[0] != "host|Deploy done (notifier)|token *** used" {
		t.Errorf("notifications = %q", got)
	}
	if l.String() != before {
		t.Errorf("a shown notification also printed a line:\n%s", strings.TrimPrefix(l.String(), before))
	}
}
