//go:build unix

package control

import (
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDialAll: the serve's channel and each host mcp's are found, the
// serve's first; a socket left by a killed process is skipped and
// removed (kept while its process lives); a second
// Listen on a live channel is refused; only the user may reach them.
func TestDialAll(t *testing.T) {
	data := t.TempDir()
	ctx := t.Context()
	answer := func(name string, ids ...string) {
		ln, err := Listen(data, name)
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
			out := []map[string]string{}
			for _, id := range ids {
				out = append(out, map[string]string{"id": id})
			}
			WriteJSON(w, http.StatusOK, out)
		})
		mux.HandleFunc("POST /cleared", func(w http.ResponseWriter, r *http.Request) {
			WriteErr(w, http.StatusNotFound, &RemoteError{Kind: "not found", Message: name + " runs none"})
		})
		t.Cleanup(Serve(ctx, ln, mux))
	}
	answer(MCPName(7), "b")
	answer(ServeName, "a")
	// Sockets nothing answers on: a killed host mcp's (its process gone:
	// removed), and one whose process lives (kept).
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	left := func(pid int) string {
		path := filepath.Join(data, "serve", MCPName(pid)+".sock")
		ln, err := net.Listen("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		ln.(*net.UnixListener).SetUnlinkOnClose(false)
		ln.Close()
		return path
	}
	dead, alive := left(gone.Process.Pid), left(os.Getpid())

	if _, err := Listen(data, ServeName); !errors.Is(err, ErrRunning) {
		t.Errorf("a second Listen on a live channel: %v, want ErrRunning", err)
	}
	for path, want := range map[string]os.FileMode{filepath.Join(data, "serve"): 0o700, filepath.Join(data, "serve", "control.sock"): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want mode %v", path, fi.Mode(), err, want)
		}
	}

	peers := DialAll(data)
	defer func() {
		for _, p := range peers {
			p.Close()
		}
	}()
	if len(peers) != 2 || peers[0].Name != ServeName || peers[1].PID != 7 {
		t.Fatalf("peers %+v, want the serve then mcp-7", peers)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("the socket of a process that is gone: %v, want it removed", err)
	}
	if _, err := os.Stat(alive); err != nil {
		t.Errorf("the socket of a live process that does not answer: %v, want it kept", err)
	}
	if w := peers[1].Who(); w != "the host mcp (pid 7)" {
		t.Errorf("Who = %q", w)
	}
	for i, want := range []string{"a", "b"} {
		if runs, err := peers[i].Runs(ctx, want); err != nil || !runs {
			t.Errorf("%s runs %s: %v %v", peers[i].Who(), want, runs, err)
		}
		if runs, err := peers[i].Runs(ctx, "c"); err != nil || runs {
			t.Errorf("%s runs c: %v %v", peers[i].Who(), runs, err)
		}
	}
	var re *RemoteError
	if err := peers[1].Cleared(ctx, "c", "inbox"); !errors.As(err, &re) || re.Kind != "not found" {
		t.Errorf("Cleared: %v, want a RemoteError not found", err)
	}
}

// acceptLog hands each connection the server accepts to conns too.
type acceptLog struct {
	net.Listener
	conns chan net.Conn
}

func (l acceptLog) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.conns <- c
	}
	return c, err
}

// TestDialFirstRequestLater: a client's first request may come long after
// Dial, when the server has dropped the connection Dial opened to see it
// answer (its ReadHeaderTimeout): the request still gets its answer, not
// EOF.
func TestDialFirstRequestLater(t *testing.T) {
	data := t.TempDir()
	ln, err := Listen(data, ServeName)
	if err != nil {
		t.Fatal(err)
	}
	log := acceptLog{ln, make(chan net.Conn, 16)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, []map[string]string{{"id": "a"}})
	})
	t.Cleanup(Serve(t.Context(), log, mux))

	c, err := Dial(data, ServeName, "the serve")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	select {
	case probe := <-log.conns:
		probe.Close() // as the server's header timeout would
	case <-t.Context().Done():
		t.Fatal("the server never saw Dial's connection")
	}
	var out []map[string]string
	if err := c.Do(t.Context(), "GET", "/status", nil, &out); err != nil || len(out) != 1 {
		t.Fatalf("the first request after the probe's connection closed: %v %v", err, out)
	}
}
