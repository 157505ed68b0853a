package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"host/bindings/fetch"
	"host/bindings/oauth/oauthtest"
	"host/bindings/secrets/keyringtest"
	"host/internal/hosttest"
)

type providerKey struct{}

func provider(ts *testscript.TestScript) *oauthtest.Provider {
	return ts.Value(providerKey{}).(*oauthtest.Provider)
}

// cmdOAuthProvider changes the stand-in provider's behaviour:
// `oauthprovider deny=true norotate=true expires_in=1 token_status=503`.
func cmdOAuthProvider(ts *testscript.TestScript, neg bool, args []string) {
	p := provider(ts)
	for _, a := range args {
		k, v, _ := strings.Cut(a, "=")
		if k == "revoke" {
			p.RevokeAll()
			continue
		}
		p.Update(func(o *oauthtest.Options) {
			switch k {
			case "deny":
				o.Deny = v == "true"
			case "norotate":
				o.NoRotate = v == "true"
			case "expires_in":
				o.ExpiresIn, _ = strconv.Atoi(v)
			case "token_status":
				o.TokenStatus, _ = strconv.Atoi(v)
			case "device_unavailable":
				o.DeviceUnavailable, _ = strconv.Atoi(v)
			default:
				ts.Fatalf("oauthprovider: unknown option %q", k)
			}
		})
	}
}

// cmdOAuthCount checks a request counter: `oauthcount refresh 1`.
func cmdOAuthCount(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: oauthcount exchange|refresh|authorize N")
	}
	p := provider(ts)
	want, _ := strconv.Atoi(args[1])
	got := map[string]int{"exchange": p.ExchangeCount(), "refresh": p.RefreshCount(), "authorize": p.AuthorizeCount()}[args[0]]
	if (got == want) == neg {
		ts.Fatalf("%s count is %d, want %d", args[0], got, want)
	}
}

// cmdOAuthExpired waits until every access token the stand-in issued has
// expired, by the lifetime the stand-in gave them (expires_in): the next
// host run must refresh. `oauthexpired`.
func cmdOAuthExpired(ts *testscript.TestScript, neg bool, args []string) {
	exp := provider(ts).Expiry()
	if exp.IsZero() {
		ts.Fatalf("oauthexpired: the stand-in issued no token that expires (set oauthprovider expires_in=N)")
	}
	// A few ms more: host dates a token from when the answer reached it.
	time.Sleep(time.Until(exp) + 20*time.Millisecond)
}

// teeLog is the scripts' teelog command: it runs a command, passing its
// stdout and stderr through and appending both to FILE as they come, and
// forwards Ctrl-C and SIGTERM to it. A script waits for a line of a
// background command with it instead of sleeping:
// `exec teelog $WORK/watch.log host run --watch ... &`, then
// `waitlog $WORK/watch.log 'is active'`.
func teeLog() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: teelog FILE command [args...]")
		os.Exit(2)
	}
	f, err := os.OpenFile(os.Args[1], os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "teelog:", err)
		os.Exit(2)
	}
	defer f.Close()
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin = os.Stdin
	cmd.Stdout = io.MultiWriter(os.Stdout, f)
	cmd.Stderr = io.MultiWriter(os.Stderr, f)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "teelog:", err)
		os.Exit(2)
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err = cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
		os.Exit(0)
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		os.Exit(ee.ExitCode())
	default:
		fmt.Fprintln(os.Stderr, "teelog:", err)
		os.Exit(1)
	}
}

// cmdWaitLog waits until FILE (written by teelog) has COUNT lines (default
// 1) matching REGEXP: `waitlog $WORK/watch.log 'still running' 2`. It
// fails after a minute, a bound for a hang, not an expectation of speed.
func cmdWaitLog(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: waitlog FILE REGEXP [COUNT]")
	}
	want := 1
	if len(args) == 3 {
		var err error
		if want, err = strconv.Atoi(args[2]); err != nil {
			ts.Fatalf("waitlog: bad count %q", args[2])
		}
	}
	waitFile(ts, "waitlog", args[0], args[1], want)
}

// waitFile waits (a minute at most) until file holds want matches of
// pattern, a multi-line regexp; the script fails otherwise, showing what
// the file holds. cmd names the script command for its messages.
func waitFile(ts *testscript.TestScript, cmd, file, pattern string, want int) {
	re, err := regexp.Compile("(?m)" + pattern)
	if err != nil {
		ts.Fatalf("%s: %v", cmd, err)
	}
	path := ts.MkAbs(file)
	var data []byte
	if err := hosttest.Wait(time.Minute, fmt.Sprintf("%d line(s) matching %q in %s", want, pattern, file), func() bool {
		data, _ = os.ReadFile(path)
		return len(re.FindAllIndex(data, -1)) >= want
	}, func() string { return "it holds:\n" + string(data) }); err != nil {
		ts.Fatalf("%s: %v", cmd, err)
	}
}

// fakeBrowser is the BROWSER the scripts give host: it plays the user who
// clicks "Allow" by requesting the URL and following the provider's
// redirect to the loopback callback, and appends what happened to
// $FAKEBROWSER_LOG. FAKEBROWSER_MODE: "" (approve), "tamper" (first a
// callback with a wrong state, then the real one), "twice" (the callback
// twice at once), "ignore" (never visits).
func fakeBrowser() {
	logf := func(format string, args ...any) {
		f, err := os.OpenFile(os.Getenv("FAKEBROWSER_LOG"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintf(f, format+"\n", args...)
			f.Close()
		}
	}
	if len(os.Args) < 2 {
		logf("no URL")
		os.Exit(2)
	}
	mode := os.Getenv("FAKEBROWSER_MODE")
	if gate := os.Getenv("FAKEBROWSER_WAIT_FOR"); gate != "" {
		// The user takes their time: wait until the test says go.
		if err := hosttest.Wait(time.Minute, "the test's go-ahead "+gate, func() bool {
			_, err := os.Stat(gate)
			return err == nil
		}, func() string { return "no such file" }); err != nil {
			logf("%v", err)
		}
	}
	if mode == "ignore" {
		logf("ignored the login page")
		return
	}
	client := fetch.NewClient(fetch.ClientOptions{ConnectTo: []fetch.ConnectTo{
		{Host: "myservice.com", Port: "443", ToHost: "127.0.0.1", ToPort: portOf(os.Getenv("OAUTH_ADDR"))}}})
	// Ask the provider where it sends the browser, without following.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Get(os.Args[1])
	if err != nil {
		logf("authorize failed: %v", err)
		os.Exit(1)
	}
	resp.Body.Close()
	callback := resp.Header.Get("Location")
	logf("authorize: %d", resp.StatusCode)
	if callback == "" {
		os.Exit(1)
	}
	visit := func(u string) int {
		r, err := http.Get(u)
		if err != nil {
			logf("callback failed: %v", err)
			return 0
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		logf("callback: %d %s", r.StatusCode, firstLine(string(body)))
		return r.StatusCode
	}
	if mode == "tamper" {
		u, _ := url.Parse(callback)
		q := u.Query()
		q.Set("state", "forged-state")
		u.RawQuery = q.Encode()
		visit(u.String())
	}
	if mode == "twice" {
		// A double click: both callbacks at once. One is taken; the other
		// is answered 410 if it reaches the listener before host closes it
		// after the code exchange, else its connection is refused.
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() { visit(callback) })
		}
		wg.Wait()
		return
	}
	visit(callback)
}

func firstLine(s string) string {
	if i := strings.Index(s, "<title>"); i >= 0 {
		s = s[i+7:]
		if j := strings.Index(s, "</title>"); j >= 0 {
			return s[:j]
		}
	}
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// cmdBusOnly starts a private D-Bus session without a Secret Service and
// points the script at it: `busonly`.
func cmdBusOnly(ts *testscript.TestScript, neg bool, args []string) {
	s, err := keyringtest.New(keyringtest.Options{NoSecretService: true})
	if err != nil {
		ts.Fatalf("busonly: %v", err)
	}
	ts.Defer(func() { _ = s.Close() })
	for _, kv := range s.Env() {
		k, v, _ := cutEnv(kv)
		ts.Setenv(k, v)
	}
}
