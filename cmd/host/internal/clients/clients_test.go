package clients

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Each client's config file on each OS.
func TestPaths(t *testing.T) {
	envs := map[string]Env{
		"darwin": {GOOS: "darwin", Home: "/Users/ada", Getenv: func(string) string { return "" }},
		"linux":  {GOOS: "linux", Home: "/home/ada", Getenv: func(string) string { return "" }},
		"linux-xdg": {GOOS: "linux", Home: "/home/ada", Getenv: func(k string) string {
			return map[string]string{"XDG_CONFIG_HOME": "/home/ada/.xdg"}[k]
		}},
		"windows": {GOOS: "windows", Home: `C:\Users\ada`, Getenv: func(k string) string {
			return map[string]string{"APPDATA": `C:\Users\ada\AppData\Roaming`}[k]
		}},
	}
	want := map[string]map[string]string{
		"claude-desktop": {
			"darwin":    "/Users/ada/Library/Application Support/Claude/claude_desktop_config.json",
			"linux":     "/home/ada/.config/Claude/claude_desktop_config.json",
			"linux-xdg": "/home/ada/.xdg/Claude/claude_desktop_config.json",
			"windows":   `C:\Users\ada\AppData\Roaming\Claude\claude_desktop_config.json`,
		},
		"claude-code": {
			"darwin": "/Users/ada/.claude.json", "linux": "/home/ada/.claude.json", "linux-xdg": "/home/ada/.claude.json",
			"windows": `C:\Users\ada\.claude.json`,
		},
		"cursor": {
			"darwin": "/Users/ada/.cursor/mcp.json", "linux": "/home/ada/.cursor/mcp.json", "linux-xdg": "/home/ada/.cursor/mcp.json",
			"windows": `C:\Users\ada\.cursor\mcp.json`,
		},
		"vscode": {
			"darwin":    "/Users/ada/Library/Application Support/Code/User/mcp.json",
			"linux":     "/home/ada/.config/Code/User/mcp.json",
			"linux-xdg": "/home/ada/.xdg/Code/User/mcp.json",
			"windows":   `C:\Users\ada\AppData\Roaming\Code\User\mcp.json`,
		},
	}
	for _, c := range All {
		for osName, e := range envs {
			got, err := c.Path(e)
			if err != nil || got != want[c.Name][osName] {
				t.Errorf("%s on %s: %q, %v; want %q", c.Name, osName, got, err, want[c.Name][osName])
			}
		}
	}
}

// before is a config a user already has: other servers, other keys, in an
// order of their own.
var before = map[string]string{
	"claude-desktop": `{
  "globalShortcut": "Ctrl+Space",
  "mcpServers": {
    "filesystem": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]},
    "aaa-first": {"command": "/opt/aaa", "args": []}
  }
}
`,
	"claude-code": `{
  "numStartups": 12,
  "projects": {"/home/ada/src": {"allowedTools": []}},
  "mcpServers": {"github": {"type": "http", "url": "https://api.example.com/mcp"}},
  "theme": "dark"
}
`,
	"cursor": `{"mcpServers": {"zeta": {"url": "http://127.0.0.1:9000/sse"}}}`,
	"vscode": `{
  // VS Code writes comments
  "inputs": [],
  "servers": {
    "memory": {"type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]}, // trailing
  },
}
`,
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s\nwant:\n%s", name, got, want)
	}
}

// Connect on a temporary HOME for each client: the golden file, other
// entries kept in order, a backup of the file as it was, a second connect
// writes nothing; disconnect takes only host's entry out.
func TestConnectGolden(t *testing.T) {
	entry := Entry{Command: "/opt/host/bin/host", Args: []string{"mcp"}, Env: map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}}
	for _, c := range All {
		for _, fresh := range []bool{false, true} {
			name := c.Name
			if fresh {
				name += "-new"
			}
			t.Run(name, func(t *testing.T) {
				home := t.TempDir()
				path, err := c.Path(Env{GOOS: "linux", Home: home, Getenv: func(string) string { return "" }})
				if err != nil {
					t.Fatal(err)
				}
				if !fresh {
					os.MkdirAll(filepath.Dir(path), 0o700)
					os.WriteFile(path, []byte(before[c.Name]), 0o640)
				}
				res, err := c.Connect(path, entry)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := os.ReadFile(path)
				golden(t, name+".json", got)
				if !res.Changed {
					t.Error("first connect: not changed")
				}
				if fresh {
					if res.Backup != "" {
						t.Errorf("backup of no file: %s", res.Backup)
					}
				} else {
					b, err := os.ReadFile(res.Backup)
					if err != nil || string(b) != before[c.Name] {
						t.Errorf("backup %s: %q %v", res.Backup, b, err)
					}
					if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
						t.Errorf("mode %v, want the file's own 0640", fi.Mode().Perm())
					}
					if res.CommentsDropped != (c.Name == "vscode") {
						t.Errorf("CommentsDropped = %v", res.CommentsDropped)
					}
				}
				fi1, _ := os.Stat(path)
				res, err = c.Connect(path, entry)
				if err != nil || res.Changed {
					t.Errorf("second connect: %+v %v", res, err)
				}
				again, _ := os.ReadFile(path)
				fi2, _ := os.Stat(path)
				if !bytes.Equal(got, again) || !fi1.ModTime().Equal(fi2.ModTime()) {
					t.Error("second connect rewrote the file")
				}
				if st := c.Status(path); !st.Connected || st.Err != nil {
					t.Errorf("status: %+v", st)
				}
				if _, err := c.Disconnect(path); err != nil {
					t.Fatal(err)
				}
				out, _ := os.ReadFile(path)
				golden(t, name+".disconnected.json", out)
				if st := c.Status(path); st.Connected {
					t.Errorf("status after disconnect: %+v", st)
				}
			})
		}
	}
}

func TestConnectHTTP(t *testing.T) {
	e := Entry{URL: "http://127.0.0.1:7331/mcp", Headers: map[string]string{"Authorization": "Bearer fake-token"}}
	for _, c := range All {
		path := filepath.Join(t.TempDir(), "c.json")
		_, err := c.Connect(path, e)
		if c.Name == "claude-desktop" {
			if err == nil {
				t.Error("claude-desktop took an http entry")
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		golden(t, c.Name+"-http.json", got)
	}
}

func TestBrokenFileUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(path, []byte(`{"mcpServers": [`), 0o600)
	if _, err := All[0].Connect(path, Entry{Command: "/x"}); err == nil {
		t.Fatal("a broken file was edited")
	}
	if b, _ := os.ReadFile(path); string(b) != `{"mcpServers": [` {
		t.Errorf("file changed: %s", b)
	}
}

func TestStdioEntry(t *testing.T) {
	get := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	e := StdioEntry("/bin/host", "", Env{GOOS: "linux", Getenv: get(map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"})}, 1000)
	if e.Env["DBUS_SESSION_BUS_ADDRESS"] != "unix:path=/run/user/1000/bus" || e.Command != "/bin/host" || e.Args[0] != "mcp" {
		t.Errorf("stable bus: %+v", e)
	}
	e = StdioEntry("/bin/host", "/data", Env{GOOS: "linux", Getenv: get(map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:abstract=/tmp/dbus-XYZ,guid=1"})}, 4242)
	if _, ok := e.Env["DBUS_SESSION_BUS_ADDRESS"]; ok || e.Env["HOST_DATA_DIR"] != "/data" {
		t.Errorf("per-login bus written: %+v", e)
	}
	e = StdioEntry("/bin/host", "", Env{GOOS: "darwin", Getenv: get(nil)}, 501)
	if e.Env != nil {
		t.Errorf("macOS: %+v", e)
	}
}
