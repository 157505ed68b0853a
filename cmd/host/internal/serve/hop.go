package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	segjson "github.com/segmentio/encoding/json"

	"host/cmd/host/internal/mcpserver"
)

// hop is the stdio connection to a worker: the SDK's client session runs
// on it as on mcp.CommandTransport (same pipes, same shutdown: stdin
// closed, then SIGTERM, then SIGKILL), and beside it the HTTP fast path
// forwards tools/call requests as bytes (call): their answers, recognized
// by their id alone, go back to the caller undecoded; every other line the
// worker writes goes to the SDK's session, in order. What measured it: the
// SDK's client decoding each answer three times (a fresh 32 KiB decoder
// buffer each) into a CallToolResult the serve encoded again was a third
// of the serve's CPU per call (BenchmarkMCPHTTPToolCall, serve).
type hop struct {
	cmd *exec.Cmd
	td  time.Duration // TerminateDuration

	wmu sync.Mutex // one message at a time on stdin
	in  io.WriteCloser

	next    atomic.Int64
	mu      sync.Mutex
	waiting map[string]chan hopReply // by id
	done    chan struct{}            // the worker's output ended
}

type hopReply struct {
	result json.RawMessage
	err    *jsonrpc.Error
}

// hopID starts the ids of forwarded calls (the worker answers them beside
// its SDK: mcpserver.RunWorker); hopPrefix is how their answers start as
// the worker writes them (jsonrpc, then id).
const (
	hopID     = mcpserver.ForwardedID
	hopPrefix = `{"jsonrpc":"2.0","id":"` + hopID
)

// hopMaxLine bounds a forwarded call's answer held in memory, as the SDK
// bounds a line.
const hopMaxLine = mcp.DefaultMaxLineLength

var errHopClosed = errors.New("the worker's connection ended")

func newHop(cmd *exec.Cmd, terminate time.Duration) *hop {
	if terminate <= 0 {
		terminate = 5 * time.Second
	}
	return &hop{cmd: cmd, td: terminate, waiting: map[string]chan hopReply{}, done: make(chan struct{})}
}

// Connect implements mcp.Transport: it starts the worker.
func (h *hop) Connect(ctx context.Context) (mcp.Connection, error) {
	stdout, err := h.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stdin, err := h.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := h.cmd.Start(); err != nil {
		return nil, err
	}
	h.in = stdin
	pr, pw := io.Pipe()
	go h.demux(stdout, pw)
	return (&mcp.IOTransport{Reader: io.NopCloser(pr), Writer: hopWriter{h}}).Connect(ctx)
}

// demux hands the worker's lines to the SDK (pw), but the answers of
// forwarded calls to their callers. It reads a line at a time, never
// waiting for more than a line (a short line is not held back).
func (h *hop) demux(stdout io.Reader, pw *io.PipeWriter) {
	defer func() {
		pw.Close()
		h.mu.Lock()
		close(h.done)
		h.mu.Unlock()
	}()
	br := bufio.NewReaderSize(stdout, 64<<10)
	for {
		chunk, err := br.ReadSlice('\n')
		if bytes.HasPrefix(chunk, []byte(hopPrefix)) {
			line := bytes.Clone(chunk)
			for err == bufio.ErrBufferFull && len(line) <= hopMaxLine {
				chunk, err = br.ReadSlice('\n')
				line = append(line, chunk...)
			}
			if err != nil {
				return // a line too long, or the end
			}
			h.reply(bytes.TrimRight(line, "\r\n"))
			continue
		}
		// Anything else goes to the SDK as it came, a piece at a time.
		if mcpserver.PassLine(pw, br, chunk, err) != nil {
			return
		}
	}
}

// readLine reads one line (without its newline), at most max bytes.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > max {
			return nil, fmt.Errorf("a line of the worker longer than %d bytes", max)
		}
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return nil, err
		}
		return bytes.TrimRight(line, "\r\n"), nil
	}
}

// reply hands a forwarded call's answer to its caller (decoding its id,
// and its result only as bytes).
func (h *hop) reply(line []byte) {
	var m struct {
		ID     string          `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  *jsonrpc.Error  `json:"error"`
	}
	if _, err := segjson.Parse(line, &m, segjson.DontMatchCaseInsensitiveStructFields); err != nil {
		return
	}
	h.mu.Lock()
	ch := h.waiting[m.ID]
	h.mu.Unlock()
	if ch != nil {
		ch <- hopReply{result: m.Result, err: m.Error}
	}
}

// write sends one message (a line) to the worker.
func (h *hop) write(msg []byte) error {
	h.wmu.Lock()
	defer h.wmu.Unlock()
	_, err := h.in.Write(msg)
	return err
}

// call runs the worker's tool name with args (a JSON object, or empty),
// its progress and questions tagged with token, and returns the result as
// the worker wrote it. ctx ending cancels it (notifications/cancelled, as
// the SDK's client does).
func (h *hop) call(ctx context.Context, name string, args json.RawMessage, token string) (json.RawMessage, error) {
	id := hopID + strconv.FormatInt(h.next.Add(1), 10)
	ch := make(chan hopReply, 1)
	h.mu.Lock()
	select {
	case <-h.done:
		h.mu.Unlock()
		return nil, errHopClosed
	default:
	}
	h.waiting[id] = ch
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.waiting, id)
		h.mu.Unlock()
	}()
	if len(args) == 0 {
		args = json.RawMessage("{}")
	}
	n, _ := json.Marshal(name)
	t, _ := json.Marshal(token)
	msg := make([]byte, 0, 128+len(args))
	msg = append(msg, `{"jsonrpc":"2.0","id":"`+id+`","method":"tools/call","params":{"name":`...)
	msg = append(append(append(msg, n...), `,"arguments":`...), args...)
	msg = append(append(append(msg, `,"_meta":{"progressToken":`...), t...), "}}}\n"...)
	if err := h.write(msg); err != nil {
		return nil, errHopClosed
	}
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, r.err
		}
		return r.result, nil
	case <-ctx.Done():
		reason, _ := json.Marshal(context.Cause(ctx).Error())
		_ = h.write([]byte(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"` + id + `","reason":` + string(reason) + "}}\n"))
		return nil, ctx.Err()
	case <-h.done:
		return nil, errHopClosed
	}
}

// hopWriter is the SDK's side of stdin; closing it ends the worker as
// mcp.CommandTransport does.
type hopWriter struct{ h *hop }

func (w hopWriter) Write(p []byte) (int, error) {
	w.h.wmu.Lock()
	defer w.h.wmu.Unlock()
	return w.h.in.Write(p)
}

func (w hopWriter) Close() error {
	h := w.h
	// The specification's order: close the worker's input, wait, SIGTERM,
	// wait, SIGKILL.
	if err := h.in.Close(); err != nil {
		return fmt.Errorf("closing stdin: %v", err)
	}
	res := make(chan error, 1)
	go func() { res <- h.cmd.Wait() }()
	wait := func() (error, bool) {
		t := time.NewTimer(h.td)
		defer t.Stop()
		select {
		case err := <-res:
			return err, true
		case <-t.C:
			return nil, false
		}
	}
	if err, ok := wait(); ok {
		return err
	}
	if err := h.cmd.Process.Signal(syscall.SIGTERM); err == nil {
		if err, ok := wait(); ok {
			return err
		}
	}
	if err := h.cmd.Process.Kill(); err != nil {
		return err
	}
	if err, ok := wait(); ok {
		return err
	}
	return fmt.Errorf("unresponsive subprocess")
}
