package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"sync"
	"time"
)

// drainGrace bounds how long the end of stdin waits for the answers still
// owed (a first tools/list waits up to 10 s for the plugins to load).
const drainGrace = 15 * time.Second

// drainIO is host mcp's stdio: stdin's end reaches the MCP session only
// once every request read before it has been answered on stdout (or after
// drainGrace, or when ctx ends). The SDK drops the requests in flight when
// its input ends, so a client that writes its requests and closes stdin
// (`printf '...' | host mcp DIR`) got no tools/list; the TypeScript SDK's
// server answers them. Requests and answers are counted by their JSON-RPC
// shape, one message a line.
type drainIO struct {
	ctx context.Context
	in  io.Reader
	out io.Writer

	mu               sync.Mutex
	asked, answered  int
	changed          chan struct{} // closed and replaced when answered grows
	inLine, outLine  []byte        // a message not yet ended by its newline
	inBroken, outBad bool          // a line too long to keep: counting stops
}

func newDrainIO(ctx context.Context, in io.Reader, out io.Writer) *drainIO {
	return &drainIO{ctx: ctx, in: in, out: out, changed: make(chan struct{})}
}

// maxLine is the longest message counted; past it the drain gives up
// waiting (the counts would be wrong).
const maxLine = 16 << 20

func (d *drainIO) Read(p []byte) (int, error) {
	n, err := d.in.Read(p)
	d.mu.Lock()
	d.asked += d.scan(&d.inLine, &d.inBroken, p[:n], isRequest)
	d.mu.Unlock()
	if err == io.EOF {
		d.wait()
	}
	return n, err
}

func (d *drainIO) Write(p []byte) (int, error) {
	n, err := d.out.Write(p)
	d.mu.Lock()
	if k := d.scan(&d.outLine, &d.outBad, p[:n], isAnswer); k > 0 {
		d.answered += k
		close(d.changed)
		d.changed = make(chan struct{})
	}
	d.mu.Unlock()
	return n, err
}

// wait returns once every request has its answer, or after drainGrace.
func (d *drainIO) wait() {
	timer := time.NewTimer(drainGrace)
	defer timer.Stop()
	for {
		d.mu.Lock()
		done := d.answered >= d.asked || d.inBroken || d.outBad
		changed := d.changed
		d.mu.Unlock()
		if done {
			return
		}
		select {
		case <-changed:
		case <-timer.C:
			return
		case <-d.ctx.Done():
			return
		}
	}
}

// scan adds b to the partial line *line and counts the complete lines that
// match. With d.mu held.
func (d *drainIO) scan(line *[]byte, broken *bool, b []byte, match func([]byte) bool) int {
	count := 0
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			if len(*line)+len(b) > maxLine {
				*broken = true
				*line = nil
			} else if !*broken {
				*line = append(*line, b...)
			}
			return count
		}
		msg := b[:i]
		if len(*line) > 0 {
			msg = append(*line, msg...)
		}
		if !*broken && match(msg) {
			count++
		}
		*line = (*line)[:0]
		b = b[i+1:]
	}
	return count
}

// envelope is what tells a JSON-RPC request from an answer.
type envelope struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
}

func isRequest(b []byte) bool {
	var e envelope
	return json.Unmarshal(b, &e) == nil && e.Method != "" && len(e.ID) > 0 && string(e.ID) != "null"
}

func isAnswer(b []byte) bool {
	var e envelope
	return json.Unmarshal(b, &e) == nil && e.Method == "" && len(e.ID) > 0 && string(e.ID) != "null"
}
