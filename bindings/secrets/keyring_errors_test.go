package secrets_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"host/bindings/secrets"
	"host/bindings/secrets/keyringtest"
	"host/jsrt"
)

// Each error case runs in a child process (this test binary, running
// TestHelperKeyringGet) so its session-bus setting is not shadowed by the
// connection go-keyring already holds in this process.
func TestKeyringUnavailable(t *testing.T) {
	var muteDials atomic.Int64 // connections the mute bus accepted
	tests := []struct {
		name     string
		env      func(t *testing.T) []string
		kind     error
		code     string
		contains []string
		after    func(t *testing.T)
	}{
		{
			name: "no session bus",
			env: func(t *testing.T) []string {
				if u, err := user.Current(); err == nil {
					if _, err := os.Stat(filepath.Join("/run/user", u.Uid, "bus")); err == nil {
						t.Skip("godbus would find the real session bus at /run/user/<uid>/bus")
					}
				}
				// An empty PATH: no dbus-launch even where dbus-x11 is installed.
				return []string{"DBUS_SESSION_BUS_ADDRESS=", "PATH=" + t.TempDir()}
			},
			kind:     secrets.ErrNoSessionBus,
			code:     "ERR_SECRET_NO_SESSION_BUS",
			contains: []string{"no D-Bus session bus", "DBUS_SESSION_BUS_ADDRESS is not set"},
		},
		{
			name: "bus address points nowhere",
			env: func(t *testing.T) []string {
				return []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "no-such-bus")}
			},
			kind:     secrets.ErrNoSessionBus,
			code:     "ERR_SECRET_NO_SESSION_BUS",
			contains: []string{"no D-Bus session bus", "cannot connect to the bus in DBUS_SESSION_BUS_ADDRESS", "no-such-bus"},
		},
		{
			name: "bus that never answers",
			env: func(t *testing.T) []string {
				sock := filepath.Join(t.TempDir(), "mute-bus")
				ln, err := net.Listen("unix", sock)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { ln.Close() })
				go func() { // accept and never answer
					var held []net.Conn
					for {
						c, err := ln.Accept()
						if err != nil {
							for _, c := range held {
								c.Close()
							}
							return
						}
						held = append(held, c)
						muteDials.Add(1)
					}
				}()
				return []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + sock, "SECRETS_HELPER_TIMEOUT=1s"}
			},
			kind:     secrets.ErrNoSessionBus,
			code:     "ERR_SECRET_NO_SESSION_BUS",
			contains: []string{"no answer within 1s", "accepts connections but never answers", "mute-bus"},
			// The helper's Set, after its Get found the bus mute, fails at
			// once with the same finding: it never dials the bus (the Get
			// dialled it for the call and once more to check it).
			after: func(t *testing.T) {
				if n := muteDials.Load(); n > 2 {
					t.Errorf("the mute bus was dialled %d times, at most 2 (the Set after the Get dialled it again)", n)
				}
			},
		},
		{
			name: "bus without Secret Service",
			env: func(t *testing.T) []string {
				return keyringtest.StartBusOnly(t).Env()
			},
			kind:     secrets.ErrNoSecretService,
			code:     "ERR_SECRET_NO_SECRET_SERVICE",
			contains: []string{"no Secret Service on the D-Bus session bus", "org.freedesktop.secrets"},
		},
		{
			name: "Secret Service never answers",
			env: func(t *testing.T) []string {
				s := keyringtest.StartBusOnly(t)
				hangingSecretService(t, s.Address)
				return append(s.Env(), "SECRETS_HELPER_TIMEOUT=300ms")
			},
			kind:     secrets.ErrTimeout,
			code:     "ERR_SECRET_TIMEOUT",
			contains: []string{"did not answer in time", "within 300ms", "unlock prompt"},
		},
		{
			name: "keyring started locked, no prompter",
			env: func(t *testing.T) []string {
				return append(keyringtest.StartLocked(t).Env(), "SECRETS_HELPER_TIMEOUT=5s")
			},
			kind:     secrets.ErrLocked,
			code:     "ERR_SECRET_LOCKED",
			contains: []string{"keyring is locked", "failed to unlock"},
		},
		{
			name: "keyring locked after login",
			env: func(t *testing.T) []string {
				s := keyringtest.Start(t)
				lockLogin(t, s.Address)
				return append(s.Env(), "SECRETS_HELPER_TIMEOUT=5s")
			},
			kind:     secrets.ErrLocked,
			code:     "ERR_SECRET_LOCKED",
			contains: []string{"keyring is locked"},
		},
		{
			name: "unlock prompt nobody answers",
			env: func(t *testing.T) []string {
				s := keyringtest.StartLocked(t)
				stop, err := s.SilentPrompter()
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(stop)
				return append(s.Env(), "SECRETS_HELPER_TIMEOUT=1s")
			},
			kind:     secrets.ErrTimeout,
			code:     "ERR_SECRET_TIMEOUT",
			contains: []string{"did not answer in time", "within 1s", "unlock prompt"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tt.env(t)
			res := runHelper(t, env)
			t.Logf("error: %s\nhint: %s\nset error: %s", res["error"], res["hint"], res["seterror"])
			if res["is"] != fmt.Sprint(tt.kind) {
				t.Errorf("error kind = %q, want %q (error: %s)", res["is"], tt.kind, res["error"])
			}
			if res["code"] != tt.code {
				t.Errorf("code = %q, want %q", res["code"], tt.code)
			}
			for _, s := range tt.contains {
				if !strings.Contains(res["error"], s) {
					t.Errorf("error %q does not mention %q", res["error"], s)
				}
			}
			if res["hint"] == "" {
				t.Errorf("no hint for %q", res["error"])
			}
			if res["unavailable"] != "true" {
				t.Errorf("errors.Is(err, ErrUnavailable) = false for %q", res["error"])
			}
			if res["setunavailable"] != "true" || res["setis"] != fmt.Sprint(tt.kind) || strings.Contains(res["seterror"], helperValue) {
				t.Errorf("Set error = %q, want the same kind of error, without the value", res["seterror"])
			}
			if tt.after != nil {
				tt.after(t)
			}
		})
	}
}

// runHelper runs TestHelperKeyringGet in a child process with env added
// and returns the key=value lines it printed.
func runHelper(t *testing.T, env []string) map[string]string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperKeyringGet$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), "SECRETS_HELPER=1"), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("helper: %v\n%s", err, out.String())
	}
	res := map[string]string{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && strings.HasPrefix(k, "helper.") {
			res[strings.TrimPrefix(k, "helper.")] = v
		}
	}
	return res
}

// TestHelperKeyringGet is not a test: runHelper runs it in a child process.
func TestHelperKeyringGet(t *testing.T) {
	if os.Getenv("SECRETS_HELPER") == "" {
		t.Skip("helper process for TestKeyringUnavailable")
	}
	k := secrets.NewKeyring()
	if d, err := time.ParseDuration(os.Getenv("SECRETS_HELPER_TIMEOUT")); err == nil {
		k.Timeout = d
	}
	_, err := k.Get(context.Background(), "host:keyring-test", "token")
	if err == nil {
		t.Fatal("Get succeeded")
	}
	var ue *secrets.UnavailableError
	is := "other"
	if errors.As(err, &ue) {
		is = fmt.Sprint(ue.Kind)
	}
	var c jsrt.Coder
	code := ""
	if errors.As(err, &c) {
		code = c.Code()
	}
	fmt.Printf("helper.error=%s\nhelper.is=%s\nhelper.code=%s\nhelper.hint=%s\nhelper.unavailable=%t\n",
		err, is, code, jsrt.Hint(err), errors.Is(err, secrets.ErrUnavailable))
	// A failed Set must not echo the value it was given.
	err = k.Set(context.Background(), "host:keyring-test", "token", helperValue)
	is = "other"
	if errors.As(err, &ue) {
		is = fmt.Sprint(ue.Kind)
	}
	fmt.Printf("helper.seterror=%s\nhelper.setunavailable=%t\nhelper.setis=%s\n", err, errors.Is(err, secrets.ErrUnavailable), is)
}

const helperValue = "fake-value-must-not-leak-42"

// hangingSecretService owns org.freedesktop.secrets on the bus at addr and
// never answers a property read, like a keyring stuck on an unlock prompt.
func hangingSecretService(t *testing.T, addr string) {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	t.Cleanup(func() {
		close(release)
		conn.Close()
	})
	if err := conn.Export(hangingProps{release}, "/org/freedesktop/secrets", "org.freedesktop.DBus.Properties"); err != nil {
		t.Fatal(err)
	}
	if err := conn.Export(hangingService{release}, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service"); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName("org.freedesktop.secrets", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("RequestName = %v, %v", reply, err)
	}
}

type hangingService struct{ release chan struct{} }

func (h hangingService) OpenSession(algorithm string, input dbus.Variant) (dbus.Variant, dbus.ObjectPath, *dbus.Error) {
	<-h.release
	return dbus.MakeVariant(""), "/", nil
}

type hangingProps struct{ release chan struct{} }

func (h hangingProps) Get(iface, prop string) (dbus.Variant, *dbus.Error) {
	<-h.release
	return dbus.MakeVariant(""), nil
}

// lockLogin locks the login collection of the Secret Service at addr.
func lockLogin(t *testing.T, addr string) {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err = conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{"/org/freedesktop/secrets/collection/login"}).
		Store(&locked, &prompt)
	if err != nil || len(locked) != 1 {
		t.Fatalf("Lock = %v, prompt %v, %v", locked, prompt, err)
	}
}
