package setup

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"host/bindings/console"
	"host/bindings/mask"
	"host/bindings/oauth/oauthtest"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/bindings/store"
)

// api stands in for a plugin's service: GET /me answers 200 for the token
// "fake-good", 401 for others; /down answers 503.
type api struct {
	*httptest.Server
	calls atomic.Int32
}

func newAPI(t *testing.T) *api {
	a := &api{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.calls.Add(1)
		switch {
		case r.URL.Path == "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
		case r.Header.Get("Authorization") == "Bearer fake-good":
			w.WriteHeader(http.StatusOK)
		default:
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(a.Close)
	return a
}

type env struct {
	t       *testing.T
	h       *plugin.Host
	backend *secrets.Memory
	api     *api
}

func newEnv(t *testing.T) *env {
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := secrets.NewMemory()
	a := newAPI(t)
	h := &plugin.Host{DataDir: filepath.Join(dir, "data"), Secrets: b, Store: db, HTTP: a.Client(),
		Masker: mask.New(), WorkDir: dir, Timeout: 2 * time.Second}
	return &env{t: t, h: h, backend: b, api: a}
}

// plugin writes a token plugin whose onActivate body is body (JS; `url`
// is the stand-in's base URL, `token` ctx.config.token).
func (e *env) plugin(name, id, body string) string {
	src := `export default definePlugin({
  id: '` + id + `',
  configSchema: z.object({
    token: z.string().secret().label('API Token').section('Authentication'),
    workspace: z.string().min(3).default('acme'),
  }),
  auth: { type: 'token', fields: [{ key: 'token', label: 'API Token', helpUrl: 'https://example.test/tokens' }] },
  onActivate: async (ctx) => {
    const url = '` + e.api.URL + `';
    const token = ctx.config.token;
` + body + `
  },
});
`
	path := filepath.Join(e.h.WorkDir, name, "plugin.ts")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return path
}

const checkToken = `
    const res = await fetch(url + '/me', { headers: { Authorization: 'Bearer ' + token } });
    if (!res.ok) throw new Error('Invalid API token');`

func (e *env) saveToken(id, v string) {
	sc, _ := secrets.NewScoped(e.backend, id)
	if err := sc.SetConfig(context.Background(), "token", v); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) savedToken(id string) string {
	sc, _ := secrets.NewScoped(e.backend, id)
	v, _ := sc.GetConfig(context.Background(), "token")
	return v
}

// drive runs a session, answering each Ask's token question from answers
// in turn; it returns the asks seen and the end.
func drive(t *testing.T, o Options, answers ...string) (asks []*Ask, done *Done, fail *Failure) {
	t.Helper()
	ctx := context.Background()
	s := New(o)
	defer s.Close()
	for range 20 {
		st, err := s.Next(ctx)
		if err != nil {
			if !errors.As(err, &fail) {
				t.Fatalf("Next: %v is not a *Failure", err)
			}
			return asks, nil, fail
		}
		switch st := st.(type) {
		case *Ask:
			asks = append(asks, st)
			if len(answers) == 0 {
				t.Fatalf("asked %+v with no answer left", st.Questions)
			}
			a := map[string]string{}
			for _, q := range st.Questions {
				a[q.Key] = answers[0]
			}
			answers = answers[1:]
			if err := s.Answer(a); err != nil {
				t.Fatalf("Answer: %v", err)
			}
		case *Done:
			t.Cleanup(func() { _ = st.Plugin.Deactivate(context.Background()) })
			return asks, st, nil
		default:
			t.Fatalf("unexpected step %T", st)
		}
	}
	t.Fatal("no end after 20 steps")
	return
}

var posRE = regexp.MustCompile(`plugin\.ts:\d+:\d+`)

// TestActivationFailures: every way onActivate fails, with a good token
// saved or a token asked for, in a terminal or not: only a refusal asks
// again; a bug is reported once with its position; nothing that failed is
// saved.
func TestActivationFailures(t *testing.T) {
	for _, tc := range []struct {
		name        string
		body        string
		saved       string // token saved before the run
		interactive bool
		answers     []string
		wantKind    Kind // "" for Done
		wantAsks    int
		wantPos     bool
		wantMsg     string
		wantSaved   string // the token saved after the run
	}{
		{name: "good token saved", body: checkToken, saved: "fake-good", interactive: true, wantSaved: "fake-good"},
		{name: "asked, good", body: checkToken, interactive: true, answers: []string{"fake-good"}, wantAsks: 1, wantSaved: "fake-good"},
		{name: "refused, then good", body: checkToken, interactive: true, answers: []string{"fake-bad", "fake-good"}, wantAsks: 2, wantSaved: "fake-good"},
		{name: "refused three times", body: checkToken, interactive: true, answers: []string{"fake-1", "fake-2", "fake-3"}, wantKind: Refused, wantAsks: 3, wantPos: true, wantMsg: "Invalid API token"},
		{name: "saved token refused, asked again", body: checkToken, saved: "fake-old", interactive: true, answers: []string{"fake-good"}, wantAsks: 1, wantSaved: "fake-good"},
		{name: "refused without a terminal", body: checkToken, saved: "fake-old", wantKind: Refused, wantMsg: "Invalid API token", wantPos: true, wantSaved: "fake-old"},
		{name: "local check refuses", body: `if (!token.startsWith('fake-good')) throw new Error('tokens start with fake-good');`, interactive: true, answers: []string{"nope", "fake-good"}, wantAsks: 2, wantSaved: "fake-good"},
		{name: "thrown string refuses", body: `throw 'no';`, saved: "fake-good", wantKind: Refused, wantMsg: "no", wantSaved: "fake-good"},
		{name: "TypeError with a good token saved", body: checkToken + `
    const u = undefined; u.x();`, saved: "fake-good", interactive: true, wantKind: Bug, wantPos: true, wantSaved: "fake-good"},
		{name: "TypeError before any request", body: `null.f();`, interactive: true, answers: []string{"fake-good"}, wantKind: Bug, wantAsks: 1, wantPos: true},
		{name: "ReferenceError", body: `nosuch();`, saved: "fake-good", interactive: true, wantKind: Bug, wantPos: true, wantSaved: "fake-good"},
		{name: "TypeError after a 401", body: `await fetch(url + '/me'); ({}).x.y;`, saved: "fake-good", interactive: true, wantKind: Bug, wantPos: true, wantSaved: "fake-good"},
		{name: "service down (503)", body: `const r = await fetch(url + '/down'); if (!r.ok) throw new Error('Invalid API token');`, saved: "fake-good", interactive: true, wantKind: HostFailed, wantSaved: "fake-good"},
		{name: "network failure let through", body: `await fetch('http://127.0.0.1:1/me');`, saved: "fake-good", interactive: true, wantKind: HostFailed, wantSaved: "fake-good"},
		{name: "network failure wrapped", body: `try { await fetch('http://127.0.0.1:1/me'); } catch (e) { throw new Error('Invalid API token'); }`, interactive: true, answers: []string{"fake-good"}, wantKind: HostFailed, wantAsks: 1},
		{name: "never settles", body: `await new Promise(() => {});`, saved: "fake-good", interactive: true, wantKind: Bug, wantSaved: "fake-good"},
		{name: "runaway loop", body: `for (;;) {}`, saved: "fake-good", interactive: true, wantKind: Bug, wantPos: true, wantSaved: "fake-good"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			path := e.plugin("p", "p", tc.body)
			if tc.saved != "" {
				e.saveToken("p", tc.saved)
			}
			asks, done, fail := drive(t, Options{Host: e.h, Path: path, Interactive: tc.interactive}, tc.answers...)
			if len(asks) != tc.wantAsks {
				t.Errorf("asked %d times, want %d", len(asks), tc.wantAsks)
			}
			switch {
			case tc.wantKind == "" && fail != nil:
				t.Fatalf("failed: %v (%s)", fail, fail.Kind)
			case tc.wantKind != "" && fail == nil:
				t.Fatalf("done, want a %s failure", tc.wantKind)
			case fail != nil && fail.Kind != tc.wantKind:
				t.Fatalf("failure kind %s, want %s: %v", fail.Kind, tc.wantKind, fail)
			}
			if done != nil && !done.Plugin.Active() {
				t.Error("done but not active")
			}
			if fail != nil {
				if tc.wantPos && !posRE.MatchString(fail.Pos) {
					t.Errorf("position %q, want plugin.ts:line:col (%v)", fail.Pos, fail)
				}
				if tc.wantPos && !posRE.MatchString(fail.Error()) {
					t.Errorf("error %q does not show the position", fail)
				}
				if tc.wantMsg != "" && fail.Message != tc.wantMsg {
					t.Errorf("message %q, want %q", fail.Message, tc.wantMsg)
				}
			}
			for i, a := range asks {
				want := i + 1
				if tc.saved != "" {
					want++ // the saved token was the first try
				}
				if a.Try != want {
					t.Errorf("ask %d: try %d", i, a.Try)
				}
				if i > 0 && a.Refusal == "" && tc.wantKind != HostFailed {
					t.Errorf("ask %d has no refusal message", i)
				}
				if len(a.Questions) != 1 || a.Questions[0].Key != "token" || !a.Questions[0].Secret || a.Questions[0].HelpURL == "" {
					t.Errorf("ask %d: questions %+v", i, a.Questions)
				}
			}
			if got := e.savedToken("p"); got != tc.wantSaved {
				t.Errorf("saved token %q, want %q", got, tc.wantSaved)
			}
		})
	}
}

// TestInvalidAndMissing: invalid values are asked again with the issues
// (a terminal) or end the session (none); missing fields without a
// terminal are a Missing failure listing them.
func TestInvalidAndMissing(t *testing.T) {
	e := newEnv(t)
	path := e.plugin("p", "p", "")
	e.saveToken("p", "fake-good")
	in := plugin.Inputs{Set: map[string]string{"workspace": "ab"}}
	_, _, fail := drive(t, Options{Host: e.h, Path: path, Inputs: in})
	if fail == nil || fail.Kind != Invalid || !strings.Contains(fail.Error(), "workspace") {
		t.Fatalf("got %v, want an Invalid failure naming workspace", fail)
	}

	// In a terminal the field is asked with the issue.
	s := New(Options{Host: e.h, Path: path, Inputs: in, Interactive: true})
	defer s.Close()
	st, err := s.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ask, ok := st.(*Ask)
	if !ok || len(ask.Questions) != 1 || ask.Questions[0].Key != "workspace" || len(ask.Questions[0].Issues) == 0 {
		t.Fatalf("step %+v, want an Ask for workspace with its issue", st)
	}
	if err := s.Answer(map[string]string{"workspace": "x"}); err == nil {
		t.Fatal("a too short answer was accepted")
	}
	if err := s.Answer(map[string]string{"workspace": "acme2"}); err != nil {
		t.Fatal(err)
	}
	st, err = s.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := st.(*Done); !ok {
		t.Fatalf("step %T, want Done", st)
	} else {
		_ = d.Plugin.Deactivate(context.Background())
	}

	e2 := newEnv(t)
	path2 := e2.plugin("q", "q", checkToken)
	_, _, fail = drive(t, Options{Host: e2.h, Path: path2})
	var me *MissingError
	if fail == nil || fail.Kind != Missing || !errors.As(fail, &me) || len(me.Fields) != 1 || me.Fields[0].Key != "token" {
		t.Fatalf("got %v, want Missing with the token field", fail)
	}
}

// TestIDChecks: every load checks the claim and the id: a plugin whose id
// changes between loads (a retry after a refusal) is refused before it can
// read or overwrite the other id's secrets; so is a reload to another id.
func TestIDChecks(t *testing.T) {
	e := newEnv(t)
	victim := e.plugin("victim", "victim", checkToken)
	e.saveToken("victim", "fake-good")
	if _, done, fail := drive(t, Options{Host: e.h, Path: victim}); fail != nil {
		t.Fatal(fail)
	} else {
		_ = done.Plugin.Deactivate(context.Background())
	}

	// The attacker's file declares "mine"; after its token is refused it
	// is rewritten (before the reload) to declare "victim".
	evil := e.plugin("evil", "mine", `
    console.log('token seen: ' + token);
    throw new Error('Invalid API token');`)
	loads := 0
	load := func(ctx context.Context, h *plugin.Host, path string) (*plugin.Plugin, error) {
		loads++
		if loads == 2 {
			e.plugin("evil", "victim", `throw new Error('stolen ' + token);`)
		}
		return plugin.Load(ctx, h, path)
	}
	_, _, fail := drive(t, Options{Host: e.h, Path: evil, Interactive: true, Load: load}, "fake-attacker", "fake-overwrite")
	var ic *IDChangedError
	if fail == nil || fail.Kind != Claimed || !errors.As(fail, &ic) || ic.Was != "mine" || ic.Now != "victim" {
		t.Fatalf("got %v, want the id change refused", fail)
	}
	if got := e.savedToken("victim"); got != "fake-good" {
		t.Errorf("victim's token is now %q", got)
	}

	// Another file claiming the victim's id from the start: refused.
	evil2 := e.plugin("evil2", "victim", `throw new Error('x');`)
	_, _, fail = drive(t, Options{Host: e.h, Path: evil2})
	var ce *plugin.IDClaimedError
	if fail == nil || fail.Kind != Claimed || !errors.As(fail, &ce) {
		t.Fatalf("got %v, want IDClaimedError", fail)
	}

	// A reload under --watch to another id: refused.
	mine := e.plugin("watched", "watched-2", ``)
	_, _, fail = drive(t, Options{Host: e.h, Path: mine, ExpectID: "watched"})
	if fail == nil || !errors.As(fail, &ic) || ic.Was != "watched" {
		t.Fatalf("got %v, want the reload's id change refused", fail)
	}
}

// TestCancelled: a ctx that ends during onActivate is Cancelled, not a
// refusal.
func TestCancelled(t *testing.T) {
	e := newEnv(t)
	path := e.plugin("p", "p", `console.log('waiting forever'); await new Promise(() => {});`)
	e.saveToken("p", "fake-good")
	// Cancelled once onActivate runs (not on a timer, which a busy machine
	// can let run out while the secret is still being read); the deadline
	// only ends a regression.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	e.h.Log = func(en console.Entry) {
		if en.Message == "waiting forever" {
			cancel()
		}
	}
	s := New(Options{Host: e.h, Path: path, Interactive: true})
	defer s.Close()
	_, err := s.Next(ctx)
	var f *Failure
	if !errors.As(err, &f) || f.Kind != Cancelled {
		t.Fatalf("got %v, want Cancelled", err)
	}
}

// TestNestedSecrets: a .secret() below the top level (a nested object's
// field, an array of secrets) makes the whole top-level field a secret: it
// is asked as one, kept in the secret backend (JSON), read back on the next
// run, masked in what the plugin prints, and never in config.json.
func TestNestedSecrets(t *testing.T) {
	e := newEnv(t)
	var logged []string
	e.h.Log = func(en console.Entry) { logged = append(logged, en.Message) }
	src := `export default definePlugin({
  id: 'nested',
  configSchema: z.object({
    creds: z.object({ user: z.string(), pass: z.string().secret() }),
    keys: z.array(z.string().secret()),
    port: z.number().secret(),
    region: z.string().default('eu'),
  }),
  onActivate: async (ctx) => {
    const c = ctx.config;
    console.log('pass is ' + c.creds.pass + ', key is ' + c.keys[1]);
    if (c.creds.user !== 'ann' || c.creds.pass !== 'fake-pass-1' || c.keys.join() !== 'fake-key-a,fake-key-b' || c.port !== 8443) {
      throw new Error('wrong config');
    }
  },
});
`
	path := filepath.Join(e.h.WorkDir, "nested", "plugin.ts")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}

	// Asked in a terminal: the three are secret questions.
	s := New(Options{Host: e.h, Path: path, Interactive: true})
	st, err := s.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ask, ok := st.(*Ask)
	if !ok || len(ask.Questions) != 3 {
		t.Fatalf("step %+v, want an Ask for creds, keys and port", st)
	}
	for _, q := range ask.Questions {
		if !q.Secret {
			t.Errorf("question %s is not secret", q.Key)
		}
	}
	s.Close()

	in := plugin.Inputs{Set: map[string]string{
		"creds": `{"user":"ann","pass":"fake-pass-1"}`, "keys": "fake-key-a,fake-key-b", "port": "8443"}}
	if _, done, fail := drive(t, Options{Host: e.h, Path: path, Inputs: in}); fail != nil {
		t.Fatal(fail)
	} else if len(done.Saved) != 3 {
		t.Errorf("saved %+v, want the three secret fields", done.Saved)
	}
	data, err := os.ReadFile(filepath.Join(e.h.DataDir, "plugins", "nested", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"fake-pass-1", "fake-key", "8443", "ann", "creds"} {
		if strings.Contains(string(data), leak) {
			t.Errorf("config.json holds %q: %s", leak, data)
		}
	}
	sc, _ := secrets.NewScoped(e.backend, "nested")
	if v, err := sc.GetConfig(context.Background(), "creds"); err != nil || !strings.Contains(v, "fake-pass-1") {
		t.Errorf("creds in the backend: %q, %v", v, err)
	}
	// Next run: read back from the backend, nothing supplied.
	if _, _, fail := drive(t, Options{Host: e.h, Path: path}); fail != nil {
		t.Fatalf("second run: %v", fail)
	}
	for _, l := range logged {
		if strings.Contains(l, "fake-pass-1") || strings.Contains(l, "fake-key-b") {
			t.Errorf("a nested secret was printed: %q", l)
		}
	}
	if len(logged) != 2 {
		t.Errorf("logged %q, want two lines", logged)
	}
}

// TestOAuthLoginStep: an oauth2 plugin's session yields a Login with the
// authorization URL; the browser's visit closes Finished; the next Next
// saves the tokens and activates (Done.LoggedIn). A second session asks
// nothing and logs in with nothing.
func TestOAuthLoginStep(t *testing.T) {
	e := newEnv(t)
	prov := oauthtest.New(oauthtest.Options{RequirePKCE: true})
	defer prov.Close()
	e.h.HTTP = prov.Client()
	path := filepath.Join(e.h.WorkDir, "oauth2", "plugin.ts")
	src, err := os.ReadFile("../../plugins/oauth2/plugin.ts")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, src, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := New(Options{Host: e.h, Path: path})
	defer s.Close()
	st, err := s.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	login, ok := st.(*Login)
	if !ok || !strings.HasPrefix(login.URL, "https://myservice.com/oauth/authorize?") || login.Device != nil {
		t.Fatalf("step %+v, want a browser Login", st)
	}
	select {
	case <-login.Finished:
		t.Fatal("finished before the browser came back")
	default:
	}
	go func() { _ = prov.Browser(login.URL) }()
	select {
	case <-login.Finished:
	case <-time.After(20 * time.Second):
		t.Fatal("the login did not finish")
	}
	st, err = s.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	done, ok := st.(*Done)
	if !ok || done.LoggedIn == nil || strings.Join(done.LoggedIn.Scopes, " ") != "read write" {
		t.Fatalf("step %+v, want Done with the token", st)
	}
	_ = done.Plugin.Deactivate(ctx)
	if _, d2, fail := drive(t, Options{Host: e.h, Path: path}); fail != nil || d2.LoggedIn != nil {
		t.Fatalf("second session: %v, logged in again: %v", fail, d2 != nil && d2.LoggedIn != nil)
	}
	if prov.ExchangeCount() != 1 {
		t.Errorf("%d code exchanges, want 1", prov.ExchangeCount())
	}
}

// TestDateQuestion: a z.date() field is asked as ISO text (its default
// shown so), an answer that is no date is refused with the form to type,
// and a date answer activates the plugin with a Date.
func TestDateQuestion(t *testing.T) {
	e := newEnv(t)
	path := filepath.Join(e.h.WorkDir, "d", "plugin.ts")
	src := `export default definePlugin({
  configSchema: z.object({
    since: z.date(),
    until: z.date().default(new Date('2030-06-01T12:00:00Z')),
  }),
  onActivate: async (ctx) => {
    if (!(ctx.config.since instanceof Date) || ctx.config.since.toISOString() !== '2024-05-01T10:30:00.000Z') throw new Error('since is ' + ctx.config.since);
  },
});
`
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	s := New(Options{Host: e.h, Path: path, Interactive: true})
	defer s.Close()
	st, err := s.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ask, ok := st.(*Ask)
	if !ok || len(ask.Questions) != 1 || ask.Questions[0].Key != "since" {
		t.Fatalf("step %+v, want an Ask for since", st)
	}
	if len(ask.Defaulted) != 1 || ask.Defaulted[0].Default != "2030-06-01T12:00:00.000Z" {
		t.Fatalf("defaulted %+v, want until shown as 2030-06-01T12:00:00.000Z", ask.Defaulted)
	}
	if err := s.Answer(map[string]string{"since": "next tuesday"}); err == nil || !strings.Contains(err.Error(), "2024-05-01T10:00:00Z") {
		t.Fatalf("Answer(next tuesday) = %v, want the form to type", err)
	}
	if err := s.Answer(map[string]string{"since": "2024-05-01T12:30:00+02:00"}); err != nil {
		t.Fatal(err)
	}
	st, err = s.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d, ok := st.(*Done)
	if !ok {
		t.Fatalf("step %T, want Done", st)
	}
	_ = d.Plugin.Deactivate(context.Background())
}
