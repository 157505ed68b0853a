package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	segjson "github.com/segmentio/encoding/json"
)

// The worker's side of the serve's hop (package serve, hop.go): the
// serve's HTTP fast path forwards a tools/call to the worker as one line
// of bytes, with an id starting ForwardedID, and takes the answer back by
// that id without decoding it. The worker answers such a call itself when
// it can answer it exactly as the SDK's handler would (the same
// streamCall, the same encoding), without the SDK's decoding (its
// json.Unmarshal allocates and clears a 32 KiB buffer per message: a
// quarter of the worker's CPU per call under BenchmarkMCPHTTPToolCall,
// and a tenth more in GC) and its hand-offs between goroutines. Anything
// else, and a forwarded call it cannot serve exactly (a session not
// initialized or in 2026-07-28, a tool not registered, a message of
// another shape than the hop's), goes to the SDK's session as it came.

// ForwardedID starts the id of a tools/call the serve's hop forwards.
const ForwardedID = "host-hop-"

// How a forwarded call, and the serve's cancellation of one, start as the
// hop writes them.
const (
	forwardedCall   = `{"jsonrpc":"2.0","id":"` + ForwardedID
	forwardedCancel = `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"` + ForwardedID
)

// RunWorker serves one session on t as Run does, answering the serve's
// forwarded calls itself where it can (see ForwardedID) when t is a stream
// of lines (mcp.StdioTransport, mcp.IOTransport: a worker's stdio, a
// group worker's channel); on any other transport it is Run.
func (s *Server) RunWorker(ctx context.Context, t mcp.Transport) error {
	var in io.ReadCloser
	var out io.WriteCloser
	switch t := t.(type) {
	case *mcp.StdioTransport:
		in, out = workerStdin(), nopWriteCloser{os.Stdout}
	case *mcp.IOTransport:
		in, out = t.Reader, t.Writer
	default:
		return s.Run(ctx, t)
	}
	pr, pw := io.Pipe()
	w := &workerConn{s: s, out: out, calls: map[string]context.CancelFunc{}, jobs: make(chan func())}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	defer w.cancel()
	// Closing the SDK's connection closes in and out, as the SDK's
	// transports do.
	ss, err := s.mcp.Connect(ctx, &mcp.IOTransport{Reader: workerIn{pr, in}, Writer: workerOut{w}}, nil)
	if err != nil {
		return err
	}
	w.ss = ss
	go w.demux(in, pw)
	// As mcp.Server.Run.
	closed := make(chan error, 1)
	go func() { closed <- ss.Wait() }()
	select {
	case <-ctx.Done():
		ss.Close()
		<-closed
		return ctx.Err()
	case err := <-closed:
		return err
	}
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// workerIn is the SDK's side of in.
type workerIn struct {
	*io.PipeReader
	in io.Closer
}

func (r workerIn) Close() error {
	r.PipeReader.Close()
	return r.in.Close()
}

// workerConn is a worker's stdio: the SDK's session, and the forwarded
// calls answered beside it.
type workerConn struct {
	s      *Server
	ss     *mcp.ServerSession
	ctx    context.Context // ends with the connection: its calls end
	cancel context.CancelFunc

	wmu sync.Mutex // one message at a time on out
	out io.WriteCloser

	mu    sync.Mutex
	calls map[string]context.CancelFunc // forwarded calls running, by id

	// Calls run on goroutines kept for the next call (jobs; idle of them
	// waiting), whose stacks have grown to what a call needs: a new
	// goroutine per call spent 7% of the worker's CPU growing its stack.
	jobs chan func()
	idle atomic.Int32
}

// maxIdleRunners bounds the goroutines kept waiting for a call.
const maxIdleRunners = 8

// run runs job on a waiting runner, or a new one.
func (w *workerConn) run(job func()) {
	select {
	case w.jobs <- job:
	default:
		go w.runner(job)
	}
}

func (w *workerConn) runner(job func()) {
	for {
		job()
		if w.idle.Add(1) > maxIdleRunners {
			w.idle.Add(-1)
			return
		}
		select {
		case job = <-w.jobs:
			w.idle.Add(-1)
		case <-w.ctx.Done():
			w.idle.Add(-1)
			return
		}
	}
}

// workerOut is the SDK's side of out (it writes a message at a time).
type workerOut struct{ w *workerConn }

func (o workerOut) Write(p []byte) (int, error) { return o.w.write(p) }
func (o workerOut) Close() error                { return o.w.out.Close() }

func (w *workerConn) write(p []byte) (int, error) {
	w.wmu.Lock()
	defer w.wmu.Unlock()
	return w.out.Write(p)
}

// demux reads in a line at a time: a forwarded call it can serve runs
// beside the SDK, the cancellation of one ends it; every other line goes
// to the SDK (pw) as it came.
func (w *workerConn) demux(in io.Reader, pw *io.PipeWriter) {
	defer w.cancel()
	defer pw.Close()
	br := bufio.NewReaderSize(in, 64<<10)
	for {
		chunk, err := br.ReadSlice('\n')
		if bytes.HasPrefix(chunk, []byte(forwardedCall)) || bytes.HasPrefix(chunk, []byte(forwardedCancel)) {
			line := bytes.Clone(chunk)
			for err == bufio.ErrBufferFull && len(line) <= mcp.DefaultMaxLineLength {
				chunk, err = br.ReadSlice('\n')
				line = append(line, chunk...)
			}
			if err == nil && w.take(line) {
				continue
			}
			// Not one it can serve, or too long (the rest follows):
			// the SDK's.
			chunk = line
		}
		if PassLine(pw, br, chunk, err) != nil {
			return
		}
	}
}

// PassLine writes chunk, the start of a line br is reading (with err, what
// ReadSlice said of it), and the rest of that line, a piece at a time, to
// w. It returns the first write error, else the last read's (nil at the
// line's end).
func PassLine(w io.Writer, br *bufio.Reader, chunk []byte, err error) error {
	for {
		if _, werr := w.Write(chunk); werr != nil {
			return werr
		}
		if err != bufio.ErrBufferFull {
			return err
		}
		chunk, err = br.ReadSlice('\n')
	}
}

// forwarded is a forwarded call as the hop writes it.
type forwarded struct {
	JSONRPC string `json:"jsonrpc"`
	ID      string `json:"id"`
	Method  string `json:"method"`
	Params  *struct {
		Name      *string         `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
		Meta      *struct {
			ProgressToken *string `json:"progressToken"`
		} `json:"_meta"`
		// notifications/cancelled
		RequestID *string `json:"requestId"`
		Reason    *string `json:"reason"`
	} `json:"params"`
}

// take serves line (a forwarded call, or its cancellation, ending in a
// newline) when it can; false: the SDK's.
func (w *workerConn) take(line []byte) bool {
	var m forwarded
	rest, err := segjson.Parse(line, &m, fastFlags)
	if err != nil || len(bytes.TrimSpace(rest)) > 0 || m.JSONRPC != "2.0" || m.Params == nil {
		return false
	}
	p := m.Params
	if m.Method == "notifications/cancelled" {
		if m.ID != "" || p.RequestID == nil || p.Name != nil || p.Arguments != nil || p.Meta != nil {
			return false
		}
		w.mu.Lock()
		cancel := w.calls[*p.RequestID]
		w.mu.Unlock()
		if cancel == nil {
			return false // not one of ours: the SDK's, which knows it or not
		}
		cancel()
		return true
	}
	if m.Method != "tools/call" || p.Name == nil || p.RequestID != nil || p.Reason != nil || len(m.ID) <= len(ForwardedID) {
		return false
	}
	args := bytes.TrimSpace(p.Arguments)
	if len(args) > 0 && args[0] != '{' {
		return false
	}
	var tok any
	if p.Meta != nil {
		if p.Meta.ProgressToken == nil {
			return false
		}
		tok = *p.Meta.ProgressToken
	}
	ip := w.ss.InitializeParams()
	if ip == nil || ip.ProtocolVersion >= "2026-07-28" {
		return false // the SDK refuses a call before initialize
	}
	w.s.mu.Lock()
	tool, ok := w.s.fast[*p.Name]
	w.s.mu.Unlock()
	if !ok {
		return false
	}
	ctx, cancel := context.WithCancel(w.ctx)
	w.mu.Lock()
	if _, dup := w.calls[m.ID]; dup {
		w.mu.Unlock()
		cancel()
		return false // the SDK's to refuse
	}
	w.calls[m.ID] = cancel
	w.mu.Unlock()
	id, caps := m.ID, ip.Capabilities
	w.run(func() { w.call(ctx, cancel, id, caps, tok, tool, args) })
	return true
}

// call runs a forwarded call and writes its answer as the SDK's handler
// and connection would.
func (w *workerConn) call(ctx context.Context, cancel context.CancelFunc, id string, caps *mcp.ClientCapabilities, tok any, tool fastTool, args json.RawMessage) {
	res, err := w.s.streamCall(ctx, w.ss, caps, tok, tool.plugin, tool.tool, args)
	w.mu.Lock()
	delete(w.calls, id)
	w.mu.Unlock()
	cancel()
	data := encodeAnswer(id, res, err)
	if data != nil {
		_, _ = w.write(data)
	}
}

// encodeAnswer is the line the SDK writes for a tools/call's result or
// error (the SDK's callTool: content never null; jsonrpc2: the result
// encoded without HTML escaping, an error as its wire error).
func encodeAnswer(id string, res *mcp.CallToolResult, err error) []byte {
	jid, _ := jsonrpc.MakeID(id)
	resp := &jsonrpc.Response{ID: jid, Error: err}
	if err == nil {
		if res != nil && res.Content == nil {
			out := *res
			out.Content = []mcp.Content{}
			res = &out
		}
		buf := answerBufs.Get().(*bytes.Buffer)
		defer answerBufs.Put(buf)
		buf.Reset()
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false)
		if eerr := enc.Encode(res); eerr != nil {
			resp.Error = &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "encoding the result: " + eerr.Error()}
		} else {
			// {"jsonrpc":"2.0","id":ID,"result":RESULT}, as jsonrpc2
			// writes it (the result is compact already).
			idJSON := marshalNoEscape(id)
			result := bytes.TrimRight(buf.Bytes(), "\n")
			out := make([]byte, 0, len(result)+len(idJSON)+40)
			out = append(append(out, `{"jsonrpc":"2.0","id":`...), idJSON...)
			out = append(append(append(out, `,"result":`...), result...), "}\n"...)
			return out
		}
	}
	data, eerr := jsonrpc.EncodeMessage(resp)
	if eerr != nil {
		return nil
	}
	return append(data, '\n')
}

var answerBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}
