//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"host/cmd/host/internal/browsertest"
	"host/cmd/host/internal/pkgstore/registrytest"
)

func init() { packagesPage = testPackagesPage }

// pageTokenSource is an installed plugin that needs a token before it
// activates.
const pageTokenSource = `import { definePlugin, z } from '@hivemind-os/plugin-sdk';
export default definePlugin({
  configSchema: z.object({ token: z.string().secret().label('API token') }),
  tools: [
    { name: 'whoami', description: 'Says who you are', parameters: z.object({}), annotations: { readOnly: true },
      execute: async () => ({ content: 'you' }) },
    { name: 'wipe', description: 'Deletes everything', parameters: z.object({}),
      annotations: { sideEffects: true, approval: 'always' }, execute: async () => ({ content: 'wiped' }) },
  ],
  onActivate: async (ctx) => { if (ctx.config.token !== 'fake-token-page') throw new Error('that token was refused'); },
});
`

// testPackagesPage: the serve's setup page, in a real Chromium, lists the
// plugins installed from a real registry (Verdaccio) with Update, Disable
// and Remove, each a POST of the page's own form (CSRF token, same
// origin), each doing what `host update/disable/remove` do, in the running
// serve too: an update that asks for more shows the new permissions and
// needs consent; Disable stops the plugin; Remove asks, then removes it
// with its data. An installed plugin's first setup shows its install
// consent (permissions, tools and their marks) before the form. A forged
// POST (no CSRF token) changes nothing.
func testPackagesPage(t *testing.T) {
	reg, _ := fixtureRegistry(t)
	reg.PublishAll(registryT{t}, []registrytest.Package{
		registrytest.PluginPackage(registrytest.PluginOpts{Name: "hostfix-pagetoken", Version: "1.0.0", Source: pageTokenSource,
			Permissions: []string{"network:api.example.com", "secrets:read"}}),
		registrytest.PluginPackage(registrytest.PluginOpts{Name: "hostfix-pagegrow", Version: "1.0.0", Permissions: []string{"network:api.github.com"}}),
	})
	bin, _, env := hostBinary(t, nil)
	data := filepath.Join(t.TempDir(), "data")
	env = append(env, "NPM_CONFIG_USERCONFIG="+reg.NPMRC(), "HOST_DATA_DIR="+data, "HOME="+t.TempDir())
	for _, spec := range []string{"@hostfix/greeter", "hostfix-pagegrow", "hostfix-pagetoken"} {
		hostRun(t, bin, env, "install", "--yes", spec)
	}
	reg.Publish(registryT{t}, registrytest.PluginPackage(registrytest.PluginOpts{Name: "hostfix-pagegrow", Version: "1.1.0", Permissions: []string{"network:*"}}))

	ctx := browsertest.Start(t, browsertest.Options{Timeout: 3 * time.Minute})

	// host setup ID --browser of an installed plugin not yet set up: its
	// consent first, then its form.
	one := exec.Command(bin, "setup", "hostfix-pagetoken", "--browser", "--no-browser")
	one.Env = env
	oneErr, err := one.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := one.Start(); err != nil {
		t.Fatal(err)
	}
	oneLink := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(oneErr)
		for sc.Scan() {
			if l := pageLink.FindString(sc.Text()); l != "" {
				oneLink <- l
			}
		}
	}()
	select {
	case l := <-oneLink:
		browsertest.Do(t, ctx, chromedp.Navigate(l), chromedp.WaitVisible(chromedp.CSS(`#consent[data-consent="hostfix-pagetoken"]`)))
		if got := browsertest.Text(t, ctx, "#consent"); !strings.Contains(got, "network: api.example.com") {
			t.Errorf("host setup --browser's consent: %q", got)
		}
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#consent-yes")), chromedp.WaitVisible(chromedp.CSS("#setup-form")))
	case <-time.After(time.Minute):
		t.Error("host setup hostfix-pagetoken --browser printed no link")
	}
	_ = one.Process.Kill()
	_ = one.Wait()

	s := startServeIn(t, bin, env, data)
	s.waitLines("hostfix.greeter: active", 1, time.Minute)
	s.waitLines("hostfix-pagegrow: active", 1, time.Minute)
	s.waitLines("hostfix-pagetoken: needs setup", 1, time.Minute)
	link := pageLink.FindString(s.output())
	if link == "" {
		t.Fatalf("no setup page link:\n%s", s.output())
	}
	installed := func() map[string]map[string]any {
		t.Helper()
		out, err := s.host("list", "--json")
		if err != nil {
			t.Fatalf("host list --json: %v\n%s", err, out)
		}
		var list []map[string]any
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			t.Fatalf("host list --json: %v\n%s", err, out)
		}
		m := map[string]map[string]any{}
		for _, r := range list {
			m[r["id"].(string)] = r
		}
		return m
	}

	row := func(id string) string { return `[data-installed="` + id + `"]` }
	browsertest.Do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#installed")))
	for _, id := range []string{"hostfix.greeter", "hostfix-pagegrow", "hostfix-pagetoken"} {
		got := browsertest.Text(t, ctx, row(id))
		for _, want := range []string{"enabled", "Update", "Disable", "Remove"} {
			if !strings.Contains(got, want) {
				t.Errorf("the row of %s lacks %q: %q", id, want, got)
			}
		}
	}
	if got := browsertest.Text(t, ctx, row("hostfix.greeter")); !strings.Contains(got, "network: api.github.com") || !strings.Contains(got, "@hostfix/greeter 1.0.0") {
		t.Errorf("greeter's row: %q", got)
	}

	// A forged POST (no CSRF token) is refused and changes nothing.
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch(location.pathname.replace(/\/$/, '') + '/packages/hostfix.greeter/remove', {method: 'POST', body: new URLSearchParams({answer: 'yes'})}).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil || status != 403 {
		t.Errorf("a POST without the CSRF token: %d %v", status, err)
	}
	if _, ok := installed()["hostfix.greeter"]; !ok {
		t.Fatal("the forged POST removed greeter")
	}

	// Update: 1.1.0 asks for any host: consent with the diff first.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(row("hostfix-pagegrow")+` [data-action="update"]`)), chromedp.WaitVisible(chromedp.CSS(`#consent[data-update="hostfix-pagegrow"]`)))
	browsertest.Screenshot(t, ctx, "packages-update-consent")
	if got := browsertest.Text(t, ctx, "#consent [data-field=added]"); !strings.Contains(got, "+ network: any host") {
		t.Errorf("the update's new permissions: %q", got)
	}
	if v := installed()["hostfix-pagegrow"]["version"]; v != "1.0.0" {
		t.Errorf("updated before the consent: %v", v)
	}
	// Declined: nothing changes, nothing stays staged.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#update-no")), chromedp.WaitVisible(chromedp.Search(`//*[@id="pkg-result"][contains(., "you declined")]`)))
	if staged, _ := filepath.Glob(filepath.Join(data, "packages", ".staging-*")); len(staged) != 0 || installed()["hostfix-pagegrow"]["version"] != "1.0.0" {
		t.Errorf("after declining: staged %v, version %v", staged, installed()["hostfix-pagegrow"]["version"])
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(row("hostfix-pagegrow")+` [data-action="update"]`)), chromedp.WaitVisible(chromedp.CSS(`#consent[data-update="hostfix-pagegrow"]`)))
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#update-yes")), chromedp.WaitVisible(chromedp.Search(`//*[@id="pkg-result"][contains(., "Updated")]`)))
	if got := browsertest.Text(t, ctx, "#pkg-result"); !strings.Contains(got, "Updated hostfix-pagegrow from 1.0.0 to 1.1.0") {
		t.Errorf("the update's result: %q", got)
	}
	if v := installed()["hostfix-pagegrow"]["version"]; v != "1.1.0" {
		t.Errorf("host list after the update: %v", v)
	}
	if out, err := s.host("call", "hostfix-pagegrow", "greet", `{"name":"Ada"}`); err != nil || !strings.Contains(out, "hello Ada from hostfix-pagegrow@1.1.0") {
		t.Errorf("the serve runs the old version: %v %s", err, out)
	}

	// Disable: the store says so and the serve stops it.
	// (The page after each action is a new one: wait for what it says,
	// not for an element the previous page had too.)
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(row("hostfix.greeter")+` [data-action="disable"]`)),
		chromedp.WaitVisible(chromedp.Search(`//li[@data-installed="hostfix.greeter"]//span[@data-field="enabled"][.="disabled"]`)))
	if got := browsertest.Text(t, ctx, "#pkg-result"); !strings.Contains(got, "hostfix.greeter is disabled") {
		t.Errorf("Disable's result: %q", got)
	}
	if en := installed()["hostfix.greeter"]["enabled"]; en != false {
		t.Errorf("host list: greeter enabled = %v", en)
	}
	s.waitLines("hostfix.greeter: stopped", 1, 30*time.Second)
	if out, err := s.host("call", "hostfix.greeter", "greet", `{"name":"Ada"}`); err == nil {
		t.Errorf("a disabled plugin answered: %s", out)
	}

	// Remove: asked first, then gone with its folder.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(row("hostfix.greeter")+` [data-action="remove"]`)), chromedp.WaitVisible(chromedp.CSS(`#confirm[data-remove="hostfix.greeter"]`)))
	if _, ok := installed()["hostfix.greeter"]; !ok {
		t.Fatal("removed before the confirmation")
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#remove-yes")), chromedp.WaitVisible(chromedp.Search(`//*[@id="pkg-result"][contains(., "Removed")]`)))
	if got := browsertest.Text(t, ctx, "#pkg-result"); !strings.Contains(got, "Removed hostfix.greeter") {
		t.Errorf("the removal's result: %q", got)
	}
	browsertest.Screenshot(t, ctx, "packages-after-remove")
	if _, ok := installed()["hostfix.greeter"]; ok {
		t.Error("host list still has greeter")
	}
	if _, err := os.Stat(filepath.Join(data, "packages", "hostfix.greeter")); !os.IsNotExist(err) {
		t.Errorf("greeter's folder: %v", err)
	}

	// The first setup of an installed plugin: its consent first.
	browsertest.Do(t, ctx, chromedp.Navigate(strings.SplitN(link, "?", 2)[0]+"setup/hostfix-pagetoken"), chromedp.WaitVisible(chromedp.CSS(`#consent[data-consent="hostfix-pagetoken"]`)))
	browsertest.Screenshot(t, ctx, "packages-first-setup-consent")
	got := browsertest.Text(t, ctx, "#consent")
	for _, want := range []string{"hostfix-pagetoken 1.0.0", "network: api.example.com", "reads its secrets", "wipe: Deletes everything (changes things, asks you before each run)", "whoami: Says who you are (read-only)"} {
		if !strings.Contains(got, want) {
			t.Errorf("the consent lacks %q:\n%s", want, got)
		}
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#setup-form').length`)); n != 0 {
		t.Error("the setup form shows beside the consent")
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#consent-yes")), chromedp.WaitVisible(chromedp.CSS("#setup-form")),
		chromedp.SendKeys(chromedp.CSS("#f-token"), "fake-token-page"), chromedp.Click(chromedp.CSS("#setup-form button.primary")),
		chromedp.WaitVisible(chromedp.CSS("#result.ok")))
	s.waitLines("hostfix-pagetoken: active", 1, 30*time.Second)
	// Set up: its page no longer shows the consent.
	browsertest.Do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#setup-form")))
	if strings.Contains(s.output(), "fake-token-page") {
		t.Error("the token is in the serve's output")
	}

	// Without a serve, host setup --browser serves a page of the installed
	// plugins, with the same actions.
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	<-s.done
	all := exec.Command(bin, "setup", "--browser", "--no-browser")
	all.Env = env
	allErr, err := all.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := all.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = all.Process.Kill(); _ = all.Wait() }()
	allLink := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(allErr)
		for sc.Scan() {
			if l := pageLink.FindString(sc.Text()); l != "" {
				allLink <- l
			}
		}
	}()
	select {
	case l := <-allLink:
		browsertest.Do(t, ctx, chromedp.Navigate(l), chromedp.WaitVisible(chromedp.CSS(row("hostfix-pagegrow"))))
	case <-time.After(time.Minute):
		t.Fatal("host setup --browser without a serve printed no link")
	}
	if got := browsertest.Text(t, ctx, `[data-plugin="hostfix-pagetoken"] [data-field="state"]`); got != "ready" {
		t.Errorf("pagetoken's card without a serve: %q", got)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(row("hostfix-pagegrow")+` [data-action="disable"]`)),
		chromedp.WaitVisible(chromedp.Search(`//li[@data-installed="hostfix-pagegrow"]//span[@data-field="enabled"][.="disabled"]`)))
	if en := installed()["hostfix-pagegrow"]["enabled"]; en != false {
		t.Errorf("host list after Disable without a serve: enabled = %v", en)
	}
}
