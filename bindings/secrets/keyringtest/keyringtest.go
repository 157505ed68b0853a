// Package keyringtest starts a real Secret Service for tests: a private
// dbus-daemon session bus in a temp dir with gnome-keyring-daemon on it,
// its login keyring unlocked with a fake password, so tests exercise the
// same code path as a desktop session without touching the real user's
// keyring. It also reads items back with secret-tool, as a user would.
//
// go-keyring (through godbus.SessionBus) shares one session-bus connection
// per process and reads DBUS_SESSION_BUS_ADDRESS when it connects. For
// in-process keyring use, start one Session per test binary (New in
// TestMain, then Need in each test) or call Start in tests that run one
// after another; for child processes pass Env.
package keyringtest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"host/internal/hosttest"
)

// ErrMissing reports that a required program is not installed. Start and
// Need skip the test on it, unless the environment has CI=true.
var ErrMissing = errors.New("keyringtest: required program not installed")

// ErrNotFound is returned by Lookup when secret-tool finds no item.
var ErrNotFound = errors.New("keyringtest: no such item")

// Password unlocks the test session's login keyring. It is fake on purpose.
const Password = "fake-keyring-password"

// startTimeout bounds waiting for each daemon to come up.
const startTimeout = 20 * time.Second

// Options select what New starts.
type Options struct {
	// NoSecretService starts only the bus, so clients meet a session bus
	// where nobody provides org.freedesktop.secrets (D-Bus activation is
	// off in the private bus, so nothing starts one on demand).
	NoSecretService bool
	// Locked starts gnome-keyring-daemon the way a desktop without a
	// password-based login does: its login keyring exists (created with
	// Password by a first daemon, then stopped) but is locked, and every
	// access asks for an unlock prompt. With no prompter on the bus the
	// daemon dismisses the prompt at once; see SilentPrompter.
	Locked bool
}

// Session is a running private session bus, with a Secret Service unless
// Options.NoSecretService. Close stops it. Methods are safe for concurrent
// use.
type Session struct {
	// Address is the bus address, the value for DBUS_SESSION_BUS_ADDRESS.
	Address string
	// Dir is the temp dir holding the bus socket, HOME and XDG_RUNTIME_DIR
	// of the daemons; removed by Close.
	Dir string

	procs     []*proc
	closeOnce sync.Once
	closeErr  error
}

type proc struct {
	name   string
	cmd    *exec.Cmd
	done   chan struct{}
	stderr *syncBuffer
}

// Start starts a Session for test tb: it skips tb when dbus-daemon,
// gnome-keyring-daemon or secret-tool is missing (fails instead under
// CI=true), sets the session's Env in the test process with tb.Setenv (so
// tb must not be parallel), and stops the daemons in tb.Cleanup.
func Start(tb testing.TB) *Session {
	tb.Helper()
	return setup(tb, Options{})
}

// StartBusOnly is Start with Options{NoSecretService: true}.
func StartBusOnly(tb testing.TB) *Session {
	tb.Helper()
	return setup(tb, Options{NoSecretService: true})
}

func setup(tb testing.TB, opts Options) *Session {
	tb.Helper()
	s, err := New(opts)
	Need(tb, s, err)
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("keyringtest: %v", err)
		}
	})
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		tb.Setenv(k, v)
	}
	return s
}

// Need checks the result of a New done earlier: when err is ErrMissing it
// skips tb, or fails it under CI (hosttest.Require); it fails tb on any
// other error, and returns s.
func Need(tb testing.TB, s *Session, err error) *Session {
	tb.Helper()
	if err == nil {
		return s
	}
	if errors.Is(err, ErrMissing) {
		hosttest.Require(tb, err.Error())
	}
	tb.Fatalf("%v", err)
	return nil
}

// The one Session a test binary shares (see Shared).
var shared struct {
	once sync.Once
	s    *Session
	err  error
}

// Shared returns the test binary's shared Session, starting it on first use
// and pointing this process at it (DBUS_SESSION_BUS_ADDRESS): go-keyring
// keeps one session-bus connection per process, so in-process keyring tests
// must all use the same bus. It skips tb like Need. Call CloseShared from
// TestMain after m.Run.
func Shared(tb testing.TB) *Session {
	tb.Helper()
	shared.once.Do(func() {
		shared.s, shared.err = New(Options{})
		if shared.err == nil {
			shared.err = os.Setenv("DBUS_SESSION_BUS_ADDRESS", shared.s.Address)
		}
	})
	return Need(tb, shared.s, shared.err)
}

// CloseShared stops the shared Session, if Shared started one.
func CloseShared() {
	if shared.s != nil {
		_ = shared.s.Close()
	}
}

// StartEnv starts a Session with a Secret Service for use from TestMain or a
// testscript Setup: env holds the variables child processes need, stop ends
// the daemons. err matches ErrMissing when a program is not installed.
func StartEnv() (env []string, stop func(), err error) {
	s, err := New(Options{})
	if err != nil {
		return nil, func() {}, err
	}
	return s.Env(), func() { _ = s.Close() }, nil
}

// New starts a private dbus-daemon and, unless opts.NoSecretService,
// gnome-keyring-daemon on it with an unlocked login keyring. It returns when
// org.freedesktop.secrets has an owner on the bus. It does not change the
// calling process's environment. On error nothing is left running.
func New(opts Options) (s *Session, err error) {
	need := []string{"dbus-daemon"}
	if !opts.NoSecretService {
		need = append(need, "gnome-keyring-daemon", "secret-tool")
	}
	for _, prog := range need {
		if _, err := exec.LookPath(prog); err != nil {
			return nil, fmt.Errorf("%w: %s not found in $PATH; install the Debian packages dbus-daemon gnome-keyring libsecret-tools", ErrMissing, prog)
		}
	}
	dir, err := tempDir()
	if err != nil {
		return nil, fmt.Errorf("keyringtest: %w", err)
	}
	s = &Session{Dir: dir}
	defer func() {
		if err != nil {
			_ = s.Close()
			s = nil
		}
	}()
	for _, d := range []string{"home", "run"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("keyringtest: %w", err)
		}
	}
	if err := s.startBus(); err != nil {
		return nil, err
	}
	if opts.NoSecretService {
		return s, nil
	}
	if err := s.startKeyring(true); err != nil {
		return nil, err
	}
	if opts.Locked {
		if err := s.restartLocked(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// StartLocked is Start with Options{Locked: true}.
func StartLocked(tb testing.TB) *Session {
	tb.Helper()
	return setup(tb, Options{Locked: true})
}

// restartLocked makes sure the login keyring is on disk, stops the daemon
// and starts a new one without --unlock.
func (s *Session) restartLocked() error {
	if err := s.Store("keyringtest", "locked-setup", "fake-setup-value"); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "home", ".local", "share", "keyrings", "login.keyring")); err != nil {
		return fmt.Errorf("keyringtest: the first daemon wrote no login keyring: %w", err)
	}
	p := s.procs[len(s.procs)-1]
	if err := p.stop(); err != nil {
		return err
	}
	if err := s.waitOwner(nil, false); err != nil {
		return err
	}
	return s.startKeyring(false)
}

// tempDir makes a short temp dir: a unix socket path must fit in 108 bytes.
func tempDir() (string, error) {
	dir, err := os.MkdirTemp("", "keyringtest-")
	if err == nil && len(dir) > 80 {
		_ = os.RemoveAll(dir)
		dir, err = os.MkdirTemp("/tmp", "keyringtest-")
	}
	return dir, err
}

const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

func (s *Session) startBus() error {
	conf := filepath.Join(s.Dir, "bus.conf")
	// No <servicedir>: D-Bus activation must not start a second keyring.
	if err := os.WriteFile(conf, fmt.Appendf(nil, busConfig, xmlEscape(filepath.Join(s.Dir, "bus"))), 0o600); err != nil {
		return fmt.Errorf("keyringtest: %w", err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	cmd.Env = s.daemonEnv("")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("keyringtest: %w", err)
	}
	p, err := s.start("dbus-daemon", cmd)
	if err != nil {
		return err
	}
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(out).ReadString('\n')
		line <- strings.TrimSpace(l)
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case l := <-line:
		if l == "" {
			return p.failed("exited without printing its address")
		}
		s.Address = l
		return nil
	case <-time.After(startTimeout):
		return p.failed(fmt.Sprintf("printed no address within %s", startTimeout))
	}
}

func (s *Session) startKeyring(unlock bool) error {
	args := []string{"--components=secrets", "--foreground"}
	if unlock {
		args = append([]string{"--unlock"}, args...)
	}
	cmd := exec.Command("gnome-keyring-daemon", args...)
	cmd.Env = s.daemonEnv(s.Address)
	if unlock {
		cmd.Stdin = strings.NewReader(Password)
	}
	p, err := s.start("gnome-keyring-daemon", cmd)
	if err != nil {
		return err
	}
	return s.waitOwner(p, true)
}

// waitOwner waits until org.freedesktop.secrets has an owner on the bus
// (want true) or none (want false); p, when not nil, is the daemon that
// should become the owner.
func (s *Session) waitOwner(p *proc, want bool) error {
	conn, err := dbus.Connect(s.Address)
	if err != nil {
		return fmt.Errorf("keyringtest: connecting to the private bus %s: %w", s.Address, err)
	}
	defer conn.Close()
	deadline := time.Now().Add(startTimeout)
	for {
		var has bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&has)
		if err != nil {
			return fmt.Errorf("keyringtest: NameHasOwner: %w", err)
		}
		if has == want {
			return nil
		}
		var done chan struct{}
		if p != nil {
			done = p.done
		}
		select {
		case <-done:
			return p.failed("exited before owning org.freedesktop.secrets")
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			if p != nil {
				return p.failed(fmt.Sprintf("did not own org.freedesktop.secrets within %s", startTimeout))
			}
			return fmt.Errorf("keyringtest: org.freedesktop.secrets still owned %s after stopping its daemon", startTimeout)
		}
	}
}

// SilentPrompter owns the name gnome-keyring-daemon asks to show its
// unlock prompts (org.gnome.keyring.SystemPrompter) and accepts every
// request without ever answering, like a prompt on a screen nobody looks
// at: a client needing an unlock then waits for ever. The returned stop
// releases the name; it also ends with the session.
func (s *Session) SilentPrompter() (stop func(), err error) {
	conn, err := dbus.Connect(s.Address)
	if err != nil {
		return nil, fmt.Errorf("keyringtest: %w", err)
	}
	const iface = "org.gnome.keyring.internal.Prompter"
	if err := conn.Export(silentPrompter{}, "/org/gnome/keyring/Prompter", iface); err != nil {
		conn.Close()
		return nil, fmt.Errorf("keyringtest: %w", err)
	}
	reply, err := conn.RequestName("org.gnome.keyring.SystemPrompter", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		conn.Close()
		return nil, fmt.Errorf("keyringtest: owning org.gnome.keyring.SystemPrompter: %v, %w", reply, err)
	}
	return func() { _ = conn.Close() }, nil
}

// silentPrompter implements gcr's prompter interface and never calls the
// prompt's callback back.
type silentPrompter struct{}

func (silentPrompter) BeginPrompting(callback dbus.ObjectPath) *dbus.Error { return nil }

func (silentPrompter) PerformPrompt(callback dbus.ObjectPath, typ string, props map[string]dbus.Variant, exchange string) *dbus.Error {
	return nil
}

func (silentPrompter) StopPrompting(callback dbus.ObjectPath) *dbus.Error { return nil }

// daemonEnv is a minimal environment pointing HOME and the XDG dirs into
// the session dir, so nothing touches the real user's files or bus.
func (s *Session) daemonEnv(bus string) []string {
	home := filepath.Join(s.Dir, "home")
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_RUNTIME_DIR=" + filepath.Join(s.Dir, "run"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"LANG=C.UTF-8",
	}
	if bus != "" {
		env = append(env, "DBUS_SESSION_BUS_ADDRESS="+bus)
	}
	return env
}

func (s *Session) start(name string, cmd *exec.Cmd) (*proc, error) {
	p := &proc{name: name, cmd: cmd, done: make(chan struct{}), stderr: &syncBuffer{}}
	cmd.Stderr = p.stderr
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("keyringtest: starting %s: %w", name, err)
	}
	go func() {
		_ = cmd.Wait()
		close(p.done)
	}()
	s.procs = append(s.procs, p)
	return p, nil
}

func (p *proc) failed(what string) error {
	msg := strings.TrimSpace(p.stderr.String())
	if msg != "" {
		msg = "; its stderr:\n" + msg
	}
	return fmt.Errorf("keyringtest: %s %s%s", p.name, what, msg)
}

// stop ends the process: SIGTERM, then SIGKILL if it has not exited after 5s.
func (p *proc) stop() error {
	select {
	case <-p.done:
		return nil
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(5 * time.Second):
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
		return nil
	case <-time.After(5 * time.Second):
		return fmt.Errorf("keyringtest: %s (pid %d) did not exit", p.name, p.cmd.Process.Pid)
	}
}

// Env returns the variables a client needs to reach this session:
// DBUS_SESSION_BUS_ADDRESS.
func (s *Session) Env() []string {
	return []string{"DBUS_SESSION_BUS_ADDRESS=" + s.Address}
}

// Close stops the daemons (keyring first, then the bus) and removes Dir.
// Safe to call more than once.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		var errs []error
		for i := len(s.procs) - 1; i >= 0; i-- {
			errs = append(errs, s.procs[i].stop())
		}
		if s.Dir != "" {
			errs = append(errs, os.RemoveAll(s.Dir))
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// Lookup returns the secret stored with attributes service and username,
// as `secret-tool lookup service S username U` prints it, or ErrNotFound.
func (s *Session) Lookup(service, user string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("secret-tool", "lookup", "service", service, "username", user)
	cmd.Env = s.daemonEnv(s.Address)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) && stdout.Len() == 0 && strings.TrimSpace(stderr.String()) == "" {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("keyringtest: secret-tool lookup: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// Store stores value with attributes service and username, as
// `secret-tool store` does, replacing an item with the same attributes.
func (s *Session) Store(service, user, value string) error {
	var stderr bytes.Buffer
	cmd := exec.Command("secret-tool", "store", "--label=keyringtest", "service", service, "username", user)
	cmd.Env = s.daemonEnv(s.Address)
	cmd.Stdin = strings.NewReader(value)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("keyringtest: secret-tool store: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

var xmlEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
