package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"host/bindings/oauth/oauthtest"
	"host/bindings/plugin"
	"host/bindings/secrets/keyringtest"

	"host/cmd/host/internal/demo"
	"host/internal/hosttest"
)

// TestMain lets testscript run the real host command in a child process;
// after the tests it says which were skipped for a missing prerequisite.
// Eight tests run at once (unless -parallel says otherwise), not one per
// CPU: nearly every test here waits on processes of its own (the host
// binary, Node, Chromium, a D-Bus session, Verdaccio).
func TestMain(m *testing.M) {
	testscript.Main(hosttest.Parallel(hosttest.Wrap(m), 8), map[string]func(){
		"host":        func() { os.Exit(int(mainExit())) },
		"fakebrowser": fakeBrowser,
		"teelog":      teeLog,
	})
}

// TestScripts runs testdata/script/*.txtar against the real host binary.
// Each script gets its own Secret Service (a private D-Bus session with
// gnome-keyring-daemon), an HTTPS stand-in for api.myservice.com trusted
// through SSL_CERT_FILE, and these variables:
//
//	PLUGINS       the repository's plugins/ directory
//	STANDIN_PORT  the stand-in's port on 127.0.0.1
//	CONNECT       the --connect-to value that sends api.myservice.com:443 there
//	VALID_TOKEN   the one token the stand-in accepts (a fake value)
//	HTTPBIN_CONNECT  the --connect-to flag sending httpbin.org:443 to a stand-in
func TestScripts(t *testing.T) {
	t.Parallel()
	plugins, err := filepath.Abs("../../plugins")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			if err := scriptKeyring(e); err != nil {
				return err
			}
			srv := demo.NewAPI(scriptToken)
			e.Defer(srv.Close)
			prov := oauthtest.New(oauthtest.Options{RequirePKCE: true})
			e.Defer(prov.Close)
			e.Values[providerKey{}] = prov
			gh := newGithubStandin()
			e.Defer(gh.Close)
			e.Setenv("GH_CONNECT", "--connect-to=api.github.com:443:"+gh.Addr())
			e.Setenv("GH_TOKEN", githubToken)
			hb := newHTTPBinStandin()
			e.Defer(hb.Close)
			e.Setenv("HTTPBIN_CONNECT", "--connect-to=httpbin.org:443:"+hb.Addr())
			certFile := filepath.Join(e.WorkDir, "standin-cert.pem")
			pems := append(append(append(srv.CertPEM(), prov.CertPEM()...), gh.CertPEM()...), hb.CertPEM()...)
			if err := os.WriteFile(certFile, pems, 0o600); err != nil {
				return err
			}
			e.Setenv("OAUTH_ADDR", prov.Addr())
			e.Setenv("OAUTH_CONNECT", "--connect-to=myservice.com:443:"+prov.Addr())
			e.Setenv("OAUTH_API_CONNECT", "--connect-to=api.myservice.com:443:"+prov.Addr())
			e.Setenv("BROWSER", "fakebrowser")
			e.Setenv("FAKEBROWSER_LOG", filepath.Join(e.WorkDir, "browser.log"))
			_, port, _ := net.SplitHostPort(srv.Addr())
			e.Setenv("SSL_CERT_FILE", certFile)
			e.Setenv("PLUGINS", plugins)
			e.Setenv("STANDIN_PORT", port)
			e.Setenv("CONNECT", "api.myservice.com:443:127.0.0.1:"+port)
			e.Setenv("VALID_TOKEN", scriptToken)
			e.Setenv("LEAK_TOKEN", leakToken)
			e.Setenv("HOST_DATA_DIR", filepath.Join(e.WorkDir, "data"))
			// The keyring part of the scripts' data dir (see keyns).
			e.Setenv("NS", plugin.DataDirNamespace(filepath.Join(e.WorkDir, "data")))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":         cmdExits,
			"nosecretfile":  cmdNoSecretFile,
			"filemode":      cmdFileMode,
			"noleak":        cmdNoLeak,
			"oauthprovider": cmdOAuthProvider,
			"oauthcount":    cmdOAuthCount,
			"waitlog":       cmdWaitLog,
			"oauthexpired":  cmdOAuthExpired,
			"busonly":       cmdBusOnly,
			"keyns":         cmdKeyNS,
			"waitfor":       cmdWaitFor,
			"listen":        cmdListen,
		},
	})
}

// cmdKeyNS sets VAR to the keyring namespace of data dir DIR, so a script
// can look at its items: `keyns NS2 $WORK/other` then
// `exec secret-tool lookup service host:ID$NS2 username ...`.
func cmdKeyNS(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: keyns VAR DIR")
	}
	ts.Setenv(args[0], plugin.DataDirNamespace(ts.MkAbs(args[1])))
}

// cmdListen takes a free loopback port for the rest of the script and
// sets VAR to its address (127.0.0.1:PORT): `listen TAKEN`, then
// `host serve --page $TAKEN` meets an address in use.
func cmdListen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: listen VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	ts.Defer(func() { ln.Close() })
	ts.Setenv(args[0], ln.Addr().String())
}

// leakToken is a fake secret whose encodings differ from it (/, +, space,
// non-ASCII), 30 bytes long.
const leakToken = "fake/leak+token=42 über-xyz"

// scriptToken is the token the scripts' stand-in accepts: a fake value.
const scriptToken = "fake-valid-token-1234"

func cutEnv(kv string) (string, string, bool) {
	for i := 0; i < len(kv); i++ {
		if kv[i] == '=' {
			return kv[:i], kv[i+1:], true
		}
	}
	return kv, "", false
}

// cmdExits runs a command and checks its exit code: `exits 2 host run ...`.
// Its output is then checked with stdout/stderr like exec's.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Logf("stdout:\n%s", ts.ReadFile("stdout"))
		ts.Logf("stderr:\n%s", ts.ReadFile("stderr"))
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// cmdNoSecretFile fails when any file under DIR contains VALUE:
// `nosecretfile $WORK/data $VALID_TOKEN`.
func cmdNoSecretFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: nosecretfile DIR VALUE")
	}
	value := []byte(args[1])
	eachFile(ts, args[0], func(path string, data []byte) {
		if bytes.Contains(data, value) {
			ts.Fatalf("%s contains the secret", path)
		}
	})
}

// eachFile calls fn with every file under dir and fails when there is
// none (then nothing was checked).
func eachFile(ts *testscript.TestScript, dir string, fn func(path string, data []byte)) {
	n := 0
	err := filepath.WalkDir(ts.MkAbs(dir), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		fn(path, data)
		return nil
	})
	if err != nil {
		ts.Fatalf("%v", err)
	}
	if n == 0 {
		ts.Fatalf("no files under %s: nothing checked", dir)
	}
}

// cmdFileMode checks a file's permission bits: `filemode 0600 FILE`.
func cmdFileMode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: filemode MODE FILE")
	}
	want, err := strconv.ParseUint(args[0], 8, 32)
	if err != nil {
		ts.Fatalf("bad mode %q", args[0])
	}
	fi, err := os.Stat(ts.MkAbs(args[1]))
	if err != nil {
		ts.Fatalf("%v", err)
	}
	if got := fi.Mode().Perm(); (uint64(got) == want) == neg {
		ts.Fatalf("%s has mode %#o, want %#o", args[1], got, want)
	}
}

// secretForms is value as it may appear when encoded.
func secretForms(value string) []string {
	j, _ := json.Marshal(value)
	forms := []string{value,
		base64.StdEncoding.EncodeToString([]byte(value)),
		base64.RawURLEncoding.EncodeToString([]byte(value)),
		url.QueryEscape(value), url.PathEscape(value),
		strings.Trim(string(j), `"`), hex.EncodeToString([]byte(value))}
	return forms
}

// cmdNoLeak fails when the last command's stdout or stderr, or any file
// under DIR, contains VALUE in any encoding: `noleak VALUE DIR`.
func cmdNoLeak(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: noleak VALUE DIR")
	}
	forms := secretForms(args[0])
	check := func(where, text string) {
		for _, f := range forms {
			if strings.Contains(text, f) {
				ts.Fatalf("%s contains the secret (as %q)", where, f)
			}
		}
	}
	check("stdout", ts.ReadFile("stdout"))
	check("stderr", ts.ReadFile("stderr"))
	eachFile(ts, args[1], func(path string, data []byte) { check(path, string(data)) })
}

// scriptKeyring starts a private Secret Service for a script (closed at
// its end) and points the script's environment at it. Without the daemons
// it skips the script, or fails it under CI (hosttest.Require, as
// needKeyring does for a test).
func scriptKeyring(e *testscript.Env) error {
	sess, err := keyringtest.New(keyringtest.Options{})
	if errors.Is(err, keyringtest.ErrMissing) {
		hosttest.Require(e.T(), err.Error())
	}
	if err != nil {
		return err
	}
	e.Defer(func() { _ = sess.Close() })
	for _, kv := range sess.Env() {
		k, v, _ := cutEnv(kv)
		e.Setenv(k, v)
	}
	return nil
}

// needKeyring starts a private Secret Service for a test that runs the host
// binary; it skips without the daemons unless CI=true.
func needKeyring(tb testing.TB) *keyringtest.Session {
	tb.Helper()
	sess, err := keyringtest.New(keyringtest.Options{})
	if errors.Is(err, keyringtest.ErrMissing) {
		hosttest.Require(tb, err.Error())
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = sess.Close() })
	return sess
}

// hostBinary prepares a test that runs the real host binary against a
// private Secret Service and TLS stand-ins: the binary (TestMain puts it on
// PATH), the keyring session, and an environment that trusts certPEM.
func hostBinary(tb testing.TB, certPEM []byte) (bin string, sess *keyringtest.Session, env []string) {
	tb.Helper()
	bin, err := exec.LookPath("host")
	if err != nil {
		tb.Fatal("the host command is not on PATH (TestMain puts it there):", err)
	}
	sess = needKeyring(tb)
	cert := filepath.Join(tb.TempDir(), "cert.pem")
	if err := os.WriteFile(cert, certPEM, 0o600); err != nil {
		tb.Fatal(err)
	}
	return bin, sess, append(append(os.Environ(), sess.Env()...), "SSL_CERT_FILE="+cert)
}
