package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"host/bindings/fetch"
	"host/bindings/secrets"

	"host/cmd/host/internal/cmd/run"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/demo"
)

// fakePrompter answers questions from a script and records what was shown.
type fakePrompter struct {
	answers  []string
	asked    []Question
	sections []string
	said     []string
}

func (f *fakePrompter) Section(title string) { f.sections = append(f.sections, title) }
func (f *fakePrompter) Say(format string, args ...any) {
	f.said = append(f.said, fmt.Sprintf(format, args...))
}
func (f *fakePrompter) Ask(q Question) (string, error) {
	f.asked = append(f.asked, q)
	if len(f.answers) == 0 {
		return "", io.EOF
	}
	a := f.answers[0]
	f.answers = f.answers[1:]
	return a, nil
}

// wizardEnv runs `host run --once` in-process with a prompter, the memory
// secret backend (this test is about the conversation; the keyring is
// covered by the scripts) and the stand-in.
type wizardEnv struct {
	t       *testing.T
	dir     string
	backend *secrets.Memory
	srv     *demo.API
}

func newWizardEnv(t *testing.T) *wizardEnv {
	t.Helper()
	w := &wizardEnv{t: t, dir: t.TempDir(), backend: secrets.NewMemory(), srv: demo.NewAPI(scriptToken)}
	t.Cleanup(w.srv.Close)
	return w
}

func (w *wizardEnv) run(path string, pr Prompter, env map[string]string) (ExitCode, string) {
	var out, errb bytes.Buffer
	io := &IO{In: strings.NewReader(""), Out: &out, Err: &errb, Prompter: pr,
		Getwd: func() (string, error) { return w.dir, nil },
		LookupEnv: func(k string) (string, bool) {
			v, ok := env[k]
			return v, ok
		}}
	client := fetch.NewClient(fetch.ClientOptions{
		ConnectTo: []fetch.ConnectTo{{Host: "api.myservice.com", Port: "443", ToHost: "127.0.0.1", ToPort: portOf(w.srv.Addr())}},
		RootCAs:   w.srv.Pool(),
	})
	o := &run.RunOptions{Path: path, Once: true, Plugin: cmdutil.PluginFlags{DataDir: filepath.Join(w.dir, "data")}}
	code := cmdutil.Report(io, runWith(context.Background(), io, w.backend, client, o))
	return code, errb.String()
}

// savedToken is the token-auth token in the backend, "" when none.
func (w *wizardEnv) savedToken() string {
	sc, _ := secrets.NewScoped(w.backend, "token-auth")
	v, _ := sc.GetConfig(context.Background(), "token")
	return v
}

func tokenPlugin(t *testing.T) string {
	p, err := filepath.Abs("../../plugins/token-auth/plugin.ts")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWizardAsksForTokenWithHelp(t *testing.T) {
	t.Parallel()
	w := newWizardEnv(t)
	pr := &fakePrompter{answers: []string{scriptToken}}
	code, stderr := w.run(tokenPlugin(t), pr, nil)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if len(pr.asked) != 1 {
		t.Fatalf("asked %d questions, want 1: %+v", len(pr.asked), pr.asked)
	}
	q := pr.asked[0]
	want := Question{Title: "API Token", Key: "token", HelpText: "Create a token with read/write permissions",
		HelpURL: "https://myservice.com/settings/tokens", Secret: true}
	if fmt.Sprint(q) != fmt.Sprint(want) {
		t.Errorf("question = %+v\nwant       %+v", q, want)
	}
	if len(pr.sections) != 1 || !strings.Contains(pr.sections[0], "Authentication") {
		t.Errorf("sections = %q, want the field's section Authentication", pr.sections)
	}
	sc, _ := secrets.NewScoped(w.backend, "token-auth")
	if v, err := sc.GetConfig(context.Background(), "token"); err != nil || v != scriptToken {
		t.Errorf("saved token = %q, %v", v, err)
	}
	if strings.Contains(stderr, scriptToken) {
		t.Errorf("the token appears in the output: %s", stderr)
	}

	// Next time: nothing asked.
	pr2 := &fakePrompter{}
	if code, stderr := w.run(tokenPlugin(t), pr2, nil); code != ExitOK || len(pr2.asked) != 0 {
		t.Fatalf("second run: exit %d, asked %d: %s", code, len(pr2.asked), stderr)
	}
}

func TestWizardRetriesRefusedTokenThreeTimes(t *testing.T) {
	t.Parallel()
	w := newWizardEnv(t)
	pr := &fakePrompter{answers: []string{"fake-wrong-1", "fake-wrong-2", scriptToken}}
	code, stderr := w.run(tokenPlugin(t), pr, nil)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if len(pr.asked) != 3 {
		t.Fatalf("asked %d times, want 3", len(pr.asked))
	}
	refused := 0
	for _, s := range pr.said {
		if strings.Contains(s, "Invalid API token") {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("showed the plugin's refusal %d times, want 2: %q", refused, pr.said)
	}
	if w.srv.MeCalls() != 3 {
		t.Errorf("GET /me called %d times, want 3", w.srv.MeCalls())
	}

	// Three wrong answers: exit 1 with the message, nothing saved.
	w2 := newWizardEnv(t)
	pr2 := &fakePrompter{answers: []string{"fake-wrong-1", "fake-wrong-2", "fake-wrong-3", scriptToken}}
	code, stderr = w2.run(tokenPlugin(t), pr2, nil)
	if code != ExitFailure || !strings.Contains(stderr, "Invalid API token") {
		t.Fatalf("exit %d, stderr %q; want 1 with the plugin's message", code, stderr)
	}
	if len(pr2.asked) != 3 {
		t.Errorf("asked %d times, want 3", len(pr2.asked))
	}
	if w2.savedToken() != "" {
		t.Errorf("a token was saved after three refusals")
	}
	if _, err := os.Stat(filepath.Join(w2.dir, "data", "plugins", "token-auth", "config.json")); err == nil {
		t.Errorf("config.json written after three refusals")
	}
}

func TestWizardGroupsBySectionWithDefaults(t *testing.T) {
	t.Parallel()
	w := newWizardEnv(t)
	path := filepath.Join(w.dir, "sections", "plugin.ts")
	writeFile(t, path, `
export default definePlugin({
  configSchema: z.object({
    token: z.string().secret().label('API Token').section('Authentication'),
    workspace: z.string().min(3).label('Workspace').section('Settings'),
    region: z.enum(['eu', 'us']).default('eu').section('Settings'),
    retries: z.number().int().min(1).section('Tuning'),
    note: z.string().optional(),
  }),
  auth: { type: 'token', fields: [{ key: 'token', label: 'API Token' }] },
  onActivate: async (ctx) => {
    if (ctx.config.region !== 'eu' || ctx.config.retries !== 4 || ctx.config.workspace !== 'acme') {
      throw new Error('bad config ' + JSON.stringify({ ...ctx.config, token: undefined }));
    }
  },
});
`)
	// "ab" is too short for workspace: the wizard says why and asks again;
	// "x" is not a number.
	pr := &fakePrompter{answers: []string{"fake-token", "ab", "acme", "x", "4"}}
	code, stderr := w.run(path, pr, nil)
	if code != ExitOK {
		t.Fatalf("exit %d: %s (said %q)", code, stderr, pr.said)
	}
	if got := strings.Join(pr.sections, "|"); got != "sections: Authentication|sections: Settings|sections: Tuning" {
		t.Errorf("sections = %q", got)
	}
	var keys []string
	for _, q := range pr.asked {
		keys = append(keys, q.Key)
	}
	if got := strings.Join(keys, ","); got != "token,workspace,workspace,retries,retries" {
		t.Errorf("asked %s", got)
	}
	if len(pr.said) != 3 || !strings.Contains(pr.said[0], "region: eu (default") || !strings.Contains(pr.said[1], "at least 3") {
		t.Errorf("said %q", pr.said)
	}
	data, err := os.ReadFile(filepath.Join(w.dir, "data", "plugins", "sections", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if s := string(data); !strings.Contains(s, `"workspace": "acme"`) || !strings.Contains(s, `"retries": 4`) || strings.Contains(s, "fake-token") || strings.Contains(s, "region") {
		t.Errorf("config.json = %s", s)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

var _ Prompter = (*fakePrompter)(nil)

// TestWizardDoesNotReaskOnNetworkErrors: when onActivate fails because the
// service cannot be reached, asking for the token again would not help.
func TestWizardDoesNotReaskOnNetworkErrors(t *testing.T) {
	t.Parallel()
	w := newWizardEnv(t)
	w.srv.Close() // the service is down
	pr := &fakePrompter{answers: []string{scriptToken, scriptToken}}
	code, stderr := w.run(tokenPlugin(t), pr, nil)
	if code != ExitFailure || !strings.Contains(stderr, "fetch failed") {
		t.Fatalf("exit %d, stderr %q; want 1 with the network error", code, stderr)
	}
	if len(pr.asked) != 1 {
		t.Errorf("asked %d times, want 1", len(pr.asked))
	}
	if w.savedToken() != "" {
		t.Errorf("saved a secret that was never checked")
	}
}
