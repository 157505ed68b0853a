// Package clients wires host into AI clients' MCP configuration files:
// where each client (Claude Desktop, Claude Code, Cursor, VS Code) keeps
// its file on macOS, Windows and Linux, and how host's entry is merged in
// and taken out again, keeping every other entry and key order, writing a
// backup before a change and nothing when nothing changes. It never
// prints; cmd/host words its results.
package clients

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// EntryName is host's entry in a client's servers object.
const EntryName = "host"

// Client is one AI client.
type Client struct {
	Name  string // as typed: claude-desktop, claude-code, cursor, vscode
	Title string // as shown: Claude Desktop
	// key is the object holding the servers: "mcpServers" or "servers".
	key string
	// path is the config file for an OS (Env.GOOS).
	path func(e Env) (string, error)
	// entry renders host's entry in the client's shape.
	entry func(Entry) (json.RawMessage, error)
}

// Env is where the paths are computed: GOOS, the home directory and the
// environment (APPDATA, XDG_CONFIG_HOME).
type Env struct {
	GOOS   string
	Home   string
	Getenv func(string) string
}

func (e Env) join(parts ...string) string {
	if e.GOOS == "windows" {
		return strings.Join(parts, `\`)
	}
	return strings.Join(parts, "/")
}

// appData is %APPDATA% (Windows), ~/Library/Application Support (macOS)
// or $XDG_CONFIG_HOME / ~/.config (elsewhere): where Electron apps keep
// their settings.
func (e Env) appData() (string, error) {
	switch e.GOOS {
	case "windows":
		if d := e.Getenv("APPDATA"); d != "" {
			return d, nil
		}
		if e.Home == "" {
			return "", errors.New("neither %APPDATA% nor the home directory is known")
		}
		return e.join(e.Home, "AppData", "Roaming"), nil
	case "darwin":
		return e.join(e.Home, "Library", "Application Support"), nil
	}
	if d := e.Getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	return e.join(e.Home, ".config"), nil
}

func (e Env) inHome(parts ...string) (string, error) {
	if e.Home == "" {
		return "", errors.New("the home directory is not known")
	}
	return e.join(append([]string{e.Home}, parts...)...), nil
}

// Entry is what host's entry says: a command to start (stdio) or a URL
// (Streamable HTTP).
type Entry struct {
	Command string
	Args    []string
	Env     map[string]string
	URL     string
	Headers map[string]string
}

func stdioOrHTTP(typed bool) func(Entry) (json.RawMessage, error) {
	return func(e Entry) (json.RawMessage, error) {
		m := &object{}
		put := func(k string, v any) {
			b, _ := json.Marshal(v)
			m.set(k, b)
		}
		if e.URL != "" {
			if typed {
				put("type", "http")
			}
			put("url", e.URL)
			if len(e.Headers) > 0 {
				put("headers", e.Headers)
			}
			return m.marshal(), nil
		}
		if typed {
			put("type", "stdio")
		}
		put("command", e.Command)
		put("args", orEmpty(e.Args))
		if len(e.Env) > 0 {
			put("env", e.Env)
		}
		return m.marshal(), nil
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// All are the clients host can wire, in the order `host client list`
// shows them.
var All = []*Client{
	{Name: "claude-desktop", Title: "Claude Desktop", key: "mcpServers",
		path: func(e Env) (string, error) {
			d, err := e.appData()
			return e.join(d, "Claude", "claude_desktop_config.json"), err
		},
		entry: func(en Entry) (json.RawMessage, error) {
			if en.URL != "" {
				return nil, errors.New("the config file of Claude Desktop takes only servers it starts itself: connect it without --http")
			}
			return stdioOrHTTP(false)(en)
		}},
	{Name: "claude-code", Title: "Claude Code", key: "mcpServers",
		path:  func(e Env) (string, error) { return e.inHome(".claude.json") },
		entry: stdioOrHTTP(true)},
	{Name: "cursor", Title: "Cursor", key: "mcpServers",
		path:  func(e Env) (string, error) { return e.inHome(".cursor", "mcp.json") },
		entry: stdioOrHTTP(false)},
	{Name: "vscode", Title: "VS Code", key: "servers",
		path: func(e Env) (string, error) {
			d, err := e.appData()
			return e.join(d, "Code", "User", "mcp.json"), err
		},
		entry: stdioOrHTTP(true)},
}

// Lookup finds a client by name.
func Lookup(name string) (*Client, error) {
	var names []string
	for _, c := range All {
		if c.Name == name {
			return c, nil
		}
		names = append(names, c.Name)
	}
	return nil, fmt.Errorf("unknown client %q; host knows %s", name, strings.Join(names, ", "))
}

// Path is the client's MCP config file in e.
func (c *Client) Path(e Env) (string, error) { return c.path(e) }

// Result is what Connect or Disconnect did.
type Result struct {
	Path    string
	Changed bool   // the file was written
	Backup  string // the copy of the file as it was, when there was one
	// CommentsDropped: the file had comments (JSONC), which rewriting it
	// could not keep; the backup has them.
	CommentsDropped bool
}

// BackupSuffix is appended to a config file's name for its backup.
const BackupSuffix = ".host-backup"

// Connect merges host's entry into the client's file at path, creating
// the file (and its folder) when missing. Other entries and keys stay as
// they were, in their order. When the entry is already there as e renders
// it, nothing is written.
func (c *Client) Connect(path string, e Entry) (Result, error) {
	want, err := c.entry(e)
	if err != nil {
		return Result{}, err
	}
	return c.change(path, func(servers *object) bool {
		if cur, ok := servers.get(EntryName); ok && sameJSON(cur, want) {
			return false
		}
		servers.set(EntryName, want)
		return true
	})
}

// Disconnect removes host's entry from the client's file at path; a
// missing file or entry changes nothing.
func (c *Client) Disconnect(path string) (Result, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return Result{Path: path}, nil
	}
	return c.change(path, func(servers *object) bool { return servers.delete(EntryName) })
}

// Status is how a client is wired.
type Status struct {
	Client    *Client
	Path      string
	Exists    bool            // the config file exists
	Connected bool            // it has host's entry
	Entry     json.RawMessage // that entry
	Err       error           // the file could not be read
}

// Status reads the client's file at path.
func (c *Client) Status(path string) Status {
	st := Status{Client: c, Path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st
	}
	st.Exists = true
	if err != nil {
		st.Err = err
		return st
	}
	doc, _, err := parse(data)
	if err != nil {
		st.Err = fmt.Errorf("%s: %w", path, err)
		return st
	}
	if raw, ok := doc.get(c.key); ok {
		servers, _, err := parse(raw)
		if err == nil {
			st.Entry, st.Connected = servers.get(EntryName)
		}
	}
	return st
}

func (c *Client) change(path string, edit func(*object) bool) (Result, error) {
	res := Result{Path: path}
	data, err := os.ReadFile(path)
	exists := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return res, err
	}
	doc := &object{}
	commented := false
	if exists && len(bytes.TrimSpace(data)) > 0 {
		if doc, commented, err = parse(data); err != nil {
			return res, fmt.Errorf("%s is not a JSON object host can edit (%v): fix it, or add host's entry by hand", path, err)
		}
	}
	servers := &object{}
	if raw, ok := doc.get(c.key); ok {
		if servers, _, err = parse(raw); err != nil {
			return res, fmt.Errorf("%s: %q is not an object: fix it, or add host's entry by hand", path, c.key)
		}
	}
	if !edit(servers) {
		return res, nil
	}
	doc.set(c.key, servers.marshal())
	out := doc.marshalIndent()
	mode := os.FileMode(0o600)
	if exists {
		if fi, err := os.Stat(path); err == nil {
			mode = fi.Mode().Perm()
		}
		res.Backup = path + BackupSuffix
		if err := os.WriteFile(res.Backup, data, mode); err != nil {
			return res, fmt.Errorf("writing the backup %s: %w", res.Backup, err)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return res, err
	}
	tmp := path + ".host-tmp"
	if err := os.WriteFile(tmp, out, mode); err != nil {
		return res, err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return res, err
	}
	res.Changed, res.CommentsDropped = true, commented
	return res, nil
}

func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// object is a JSON object that keeps its keys' order.
type object struct {
	keys []string
	vals map[string]json.RawMessage
}

func (o *object) get(k string) (json.RawMessage, bool) {
	v, ok := o.vals[k]
	return v, ok
}

func (o *object) set(k string, v json.RawMessage) {
	if o.vals == nil {
		o.vals = map[string]json.RawMessage{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *object) delete(k string) bool {
	if _, ok := o.vals[k]; !ok {
		return false
	}
	delete(o.vals, k)
	o.keys = slices.DeleteFunc(o.keys, func(s string) bool { return s == k })
	return true
}

func (o *object) marshal() json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(o.vals[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}

func (o *object) marshalIndent() []byte {
	var b bytes.Buffer
	_ = json.Indent(&b, o.marshal(), "", "  ")
	b.WriteByte('\n')
	return b.Bytes()
}

// parse reads a JSON object keeping its keys' order. JSONC (comments and
// trailing commas, as VS Code writes) is accepted; commented reports it.
func parse(data []byte) (o *object, commented bool, err error) {
	if !json.Valid(data) {
		clean := stripJSONC(data)
		if !json.Valid(clean) {
			var v any
			return nil, false, json.Unmarshal(data, &v)
		}
		data, commented = clean, true
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, false, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, false, errors.New("not a JSON object")
	}
	o = &object{vals: map[string]json.RawMessage{}}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, false, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, false, err
		}
		o.set(kt.(string), raw)
	}
	return o, commented, nil
}

// stripJSONC drops // and /* */ comments outside strings and commas
// before a closing bracket.
func stripJSONC(in []byte) []byte {
	var out []byte
	inStr := false
	for i := 0; i < len(in); i++ {
		c := in[i]
		if inStr {
			out = append(out, c)
			if c == '\\' && i+1 < len(in) {
				i++
				out = append(out, in[i])
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		switch {
		case c == '"':
			inStr = true
			out = append(out, c)
		case c == '/' && i+1 < len(in) && in[i+1] == '/':
			for i < len(in) && in[i] != '\n' {
				i++
			}
			if i < len(in) {
				out = append(out, '\n')
			}
		case c == '/' && i+1 < len(in) && in[i+1] == '*':
			i += 2
			for i+1 < len(in) && (in[i] != '*' || in[i+1] != '/') {
				i++
			}
			i++
		default:
			out = append(out, c)
		}
	}
	// Trailing commas.
	var res []byte
	inStr = false
	for i := 0; i < len(out); i++ {
		c := out[i]
		if inStr {
			res = append(res, c)
			if c == '\\' && i+1 < len(out) {
				i++
				res = append(res, out[i])
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		if c == '"' {
			inStr = true
		}
		if c == ',' {
			j := i + 1
			for j < len(out) && (out[j] == ' ' || out[j] == '\n' || out[j] == '\t' || out[j] == '\r') {
				j++
			}
			if j < len(out) && (out[j] == '}' || out[j] == ']') {
				continue
			}
		}
		res = append(res, c)
	}
	return res
}

// StdioEntry is host's entry for a client that starts it: the host
// binary's absolute path with `mcp` (the installed, enabled plugins), and
// in env what the client's process may lack:
//   - HOST_DATA_DIR, when dataDir is not the default one;
//   - on Linux, DBUS_SESSION_BUS_ADDRESS when the session bus is the
//     per-user one at /run/user/UID/bus (the same at every login): a
//     client started outside the desktop session (from a launcher, over
//     ssh, by a service manager) would otherwise reach no keyring. A bus
//     of one login only (dbus-launch's) is not written: it would be gone
//     by the next.
func StdioEntry(exe, dataDir string, e Env, uid int) Entry {
	en := Entry{Command: exe, Args: []string{"mcp"}, Env: map[string]string{}}
	if dataDir != "" {
		en.Env["HOST_DATA_DIR"] = dataDir
	}
	if e.GOOS == "linux" {
		stable := fmt.Sprintf("unix:path=/run/user/%d/bus", uid)
		cur := e.Getenv("DBUS_SESSION_BUS_ADDRESS")
		if cur == stable {
			en.Env["DBUS_SESSION_BUS_ADDRESS"] = stable
		} else if cur == "" {
			if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", uid)); err == nil {
				en.Env["DBUS_SESSION_BUS_ADDRESS"] = stable
			}
		}
	}
	if len(en.Env) == 0 {
		en.Env = nil
	}
	return en
}

// Accepts reports why the client cannot take entry e (an HTTP entry for
// Claude Desktop), or nil.
func (c *Client) Accepts(e Entry) error {
	_, err := c.entry(e)
	return err
}
