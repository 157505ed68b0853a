package serve

// A group worker (`host serve --group a,b`): several plugins in one worker
// process, each over an MCP connection of its own, multiplexed over the
// worker's stdin and stdout.
//
// Every line on either pipe is a frame, "<channel> <payload>\n": channel
// 0 carries GroupControl messages (JSON), any other channel one plugin
// instance's MCP messages, one per line, as the SDK writes them. The
// supervisor opens a channel for a plugin file (Open); the worker starts
// an instance of it on that channel (its own session, plugin, store,
// secrets namespace and config values: nothing of one channel reaches
// another), hands it its config values when the supervisor sends them
// (Config), and ends it when the supervisor closes the channel (Close),
// answering Closed once it has deactivated. An instance's channel is its
// MCP connection: a reload starts a new channel beside the old one in the
// same process.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// GroupFlag is the worker's flag that makes it a group worker; its value
// names the group (for its messages).
const GroupFlag = "group"

// GroupControl is one control message (channel 0) of a group worker.
type GroupControl struct {
	// Open: start an instance of the plugin file Path on this channel
	// (supervisor -> worker).
	Open int    `json:"open,omitempty"`
	Path string `json:"path,omitempty"`
	// Config: the config values of the instance on this channel, once its
	// plugin has said its id (supervisor -> worker; see ConfigFDFlag).
	Config int           `json:"config,omitempty"`
	Values *ConfigValues `json:"values,omitempty"`
	// Close: deactivate and end the instance on this channel (supervisor
	// -> worker).
	Close int `json:"close,omitempty"`
	// Closed: the instance on this channel has ended (worker ->
	// supervisor); nothing more comes on it.
	Closed int `json:"closed,omitempty"`
}

// muxMaxLine bounds one frame, as the SDK bounds a line.
const muxMaxLine = mcp.DefaultMaxLineLength + 32

// Mux writes and reads the frames of a group worker's pipe. Its methods
// are safe for concurrent use.
type Mux struct {
	wmu sync.Mutex
	w   io.Writer

	mu        sync.Mutex
	chans     map[int]*Queue
	ended     bool // Run has returned: every channel is closed
	maxQueued int  // what one channel may hold unread
}

// muxMaxQueued bounds what one channel holds unread (a few of the longest
// lines): past it, the plugin on that channel writes faster than its
// reader takes, and Run ends rather than let one plugin grow the serve
// without bound.
const muxMaxQueued = 4 * muxMaxLine

// QueueFullError is why Run ended when a channel held more than Limit
// bytes unread.
type QueueFullError struct{ Channel, Limit int }

func (e *QueueFullError) Error() string {
	return fmt.Sprintf("channel %d: more than %d MiB waiting unread", e.Channel, e.Limit>>20)
}

// NewMux writes its frames to w.
func NewMux(w io.Writer) *Mux { return &Mux{w: w, chans: map[int]*Queue{}, maxQueued: muxMaxQueued} }

// send writes one frame: channel ch, the line (without its newline).
func (m *Mux) send(ch int, line []byte) error {
	buf := make([]byte, 0, len(line)+12)
	buf = strconv.AppendInt(buf, int64(ch), 10)
	buf = append(append(append(buf, ' '), line...), '\n')
	m.wmu.Lock()
	defer m.wmu.Unlock()
	_, err := m.w.Write(buf)
	return err
}

// Control sends one control message.
func (m *Mux) Control(c GroupControl) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return m.send(0, b)
}

// Channel is the reader of channel ch's lines (registered before its
// first frame can arrive); a channel already closed, or a Mux whose Run
// has ended, gives one at its end.
func (m *Mux) Channel(ch int) *Queue {
	m.mu.Lock()
	defer m.mu.Unlock()
	q := &Queue{limit: m.maxQueued}
	if m.ended {
		q.Close()
		return q
	}
	m.chans[ch] = q
	return q
}

// CloseChannel ends channel ch's reader (after the lines it holds).
func (m *Mux) CloseChannel(ch int) {
	m.mu.Lock()
	q := m.chans[ch]
	delete(m.chans, ch)
	m.mu.Unlock()
	if q != nil {
		q.Close()
	}
}

// Writer is channel ch's writer: each line written to it goes out as a
// frame. Closing it does nothing (Close or Closed ends a channel).
func (m *Mux) Writer(ch int) io.WriteCloser { return &muxWriter{m: m, ch: ch} }

type muxWriter struct {
	m       *Mux
	ch      int
	mu      sync.Mutex
	partial []byte // a line not yet ended
}

func (w *muxWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.partial = append(w.partial, p...)
			break
		}
		line := p[:i]
		if len(w.partial) > 0 {
			line = append(w.partial, line...)
			w.partial = nil
		}
		if err := w.m.send(w.ch, line); err != nil {
			return 0, err
		}
		p = p[i+1:]
	}
	return n, nil
}

func (w *muxWriter) Close() error { return nil }

// Run reads frames from r until it ends, handing each channel's lines to
// its reader and each control message to control (on Run's goroutine, in
// order); a frame for a channel not open is dropped. At the end every
// channel's reader ends. A frame that is not one (no channel number, a
// line above the bound) ends Run with an error.
func (m *Mux) Run(r io.Reader, control func(GroupControl)) error {
	defer func() {
		m.mu.Lock()
		m.ended = true
		chans := m.chans
		m.chans = map[int]*Queue{}
		m.mu.Unlock()
		for _, q := range chans {
			q.Close()
		}
	}()
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := readLine(br, muxMaxLine)
		if err != nil {
			if err == io.EOF && len(line) == 0 {
				return nil
			}
			return err
		}
		sp := bytes.IndexByte(line, ' ')
		if sp <= 0 {
			return fmt.Errorf("a group worker's line is not a frame: %.40q", line)
		}
		ch, err := strconv.Atoi(string(line[:sp]))
		if err != nil || ch < 0 {
			return fmt.Errorf("a group worker's line is not a frame: %.40q", line)
		}
		payload := line[sp+1:]
		if ch == 0 {
			var c GroupControl
			if err := json.Unmarshal(payload, &c); err != nil {
				return fmt.Errorf("a group worker's control message: %w", err)
			}
			control(c)
			continue
		}
		m.mu.Lock()
		q := m.chans[ch]
		m.mu.Unlock()
		if q != nil && !q.put(payload) {
			return &QueueFullError{Channel: ch, Limit: q.limit}
		}
	}
}

// Queue is one channel's lines as a reader (each line ended by a
// newline). Its buffer grows as needed, so that one instance that reads
// slowly does not hold up the others' lines.
type Queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	buf    []byte
	closed bool
	limit  int // bytes it may hold unread (0: no bound)
}

func (q *Queue) init() {
	if q.cond == nil {
		q.cond = sync.NewCond(&q.mu)
	}
}

// put adds line; false when that would pass the queue's limit (nothing
// is added).
func (q *Queue) put(line []byte) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.init()
	if q.closed {
		return true
	}
	if q.limit > 0 && len(q.buf)+len(line)+1 > q.limit {
		return false
	}
	q.buf = append(append(q.buf, line...), '\n')
	q.cond.Broadcast()
	return true
}

// Read reads what the channel has, waiting for a line; io.EOF once the
// channel is closed and drained.
func (q *Queue) Read(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.init()
	for len(q.buf) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, q.buf)
	q.buf = q.buf[n:]
	if len(q.buf) == 0 {
		q.buf = nil // let a large line's buffer go
	}
	return n, nil
}

// Close ends the channel: Read returns io.EOF once it is drained.
func (q *Queue) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.init()
	q.closed = true
	q.cond.Broadcast()
	return nil
}
