package serve

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestMux: lines written to a channel's writer (whole, split, several at
// once) arrive on that channel's reader only, in order; control messages
// reach the handler; a channel nobody reads does not hold up another;
// the end of the input ends every channel; a line that is not a frame
// ends Run with an error.
func TestMux(t *testing.T) {
	pr, pw := io.Pipe()
	out := NewMux(pw)
	in := NewMux(io.Discard)
	a, b := in.Channel(1), in.Channel(2)
	controls := make(chan GroupControl, 4)
	runErr := make(chan error, 1)
	go func() { runErr <- in.Run(pr, func(c GroupControl) { controls <- c }) }()

	wa, wb := out.Writer(1), out.Writer(2)
	// Channel 1 gets far more than a pipe holds before anyone reads it.
	big := strings.Repeat("x", 200<<10)
	for _, w := range []struct {
		w io.Writer
		s string
	}{{wa, `{"a":1}` + "\n"}, {wb, `{"b":`}, {wb, `1}` + "\n" + `{"b":2}` + "\n"}, {wa, big + "\n"}, {wb, `{"b":3}` + "\n"}} {
		if _, err := w.w.Write([]byte(w.s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Control(GroupControl{Closed: 2}); err != nil {
		t.Fatal(err)
	}
	// Channel 2 is read first: channel 1's lines wait in its queue.
	rb := bufio.NewReader(b)
	for _, want := range []string{`{"b":1}`, `{"b":2}`, `{"b":3}`} {
		line, err := rb.ReadString('\n')
		if err != nil || line != want+"\n" {
			t.Fatalf("channel 2: %q %v, want %s", line, err, want)
		}
	}
	if c := <-controls; c.Closed != 2 {
		t.Errorf("control: %+v", c)
	}
	in.CloseChannel(2)
	if n, err := b.Read(make([]byte, 8)); n != 0 || err != io.EOF {
		t.Errorf("a closed channel: %d %v", n, err)
	}
	ra := bufio.NewReaderSize(a, 1<<20)
	for _, want := range []string{`{"a":1}`, big} {
		line, err := ra.ReadString('\n')
		if err != nil || line != want+"\n" {
			t.Fatalf("channel 1: %.40q %v, want %.40q", line, err, want)
		}
	}
	// The end of the input ends every channel.
	if _, err := pw.Write([]byte("1 {\"a\":2}\n")); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if err := <-runErr; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if line, err := ra.ReadString('\n'); line != `{"a":2}`+"\n" || err != nil {
		t.Errorf("channel 1's last line: %q %v", line, err)
	}
	if _, err := ra.ReadString('\n'); err != io.EOF {
		t.Errorf("channel 1 after the end: %v, want EOF", err)
	}
	if _, err := in.Channel(3).Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("a channel opened after the end: %v, want EOF", err)
	}

	// Not a frame.
	bad := NewMux(io.Discard)
	if err := bad.Run(strings.NewReader("{\"jsonrpc\":\"2.0\"}\n"), func(GroupControl) {}); err == nil || !strings.Contains(err.Error(), "not a frame") {
		t.Errorf("a line without a channel: %v", err)
	}
}

// TestMuxQueueBound: a channel whose reader does not keep up holds at most
// its bound; past it Run ends with a QueueFullError naming the channel
// (the serve then ends the group's worker), while what another channel
// got before stays readable.
func TestMuxQueueBound(t *testing.T) {
	pr, pw := io.Pipe()
	out := NewMux(pw)
	in := NewMux(io.Discard)
	in.maxQueued = 4 << 10
	slow, other := in.Channel(3), in.Channel(4)
	runErr := make(chan error, 1)
	go func() { runErr <- in.Run(pr, func(GroupControl) {}) }()
	go func() {
		wo, ws := out.Writer(4), out.Writer(3)
		_, _ = wo.Write([]byte(`{"ok":1}` + "\n"))
		line := []byte(`{"log":"` + strings.Repeat("x", 1000) + `"}` + "\n")
		for range 100 { // 100 KB, never read
			if _, err := ws.Write(line); err != nil {
				return
			}
		}
	}()
	var full *QueueFullError
	if err := <-runErr; !errors.As(err, &full) || full.Channel != 3 || full.Limit != 4<<10 {
		t.Fatalf("Run: %v, want a QueueFullError for channel 3", err)
	}
	_ = pr.Close()
	if line, err := bufio.NewReader(other).ReadString('\n'); err != nil || line != `{"ok":1}`+"\n" {
		t.Errorf("the other channel: %q %v", line, err)
	}
	if b, _ := io.ReadAll(slow); len(b) > 4<<10 {
		t.Errorf("the slow channel held %d bytes, past its bound", len(b))
	}
}
