package url

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// wptCase is one test of the web-platform-tests' urltestdata.json: input
// parsed against base (null: none); failure, or the expected attributes.
type wptCase struct {
	Input    string  `json:"input"`
	Base     *string `json:"base"`
	Failure  bool    `json:"failure"`
	Href     string  `json:"href"`
	Origin   *string `json:"origin"`
	Protocol string  `json:"protocol"`
	Username string  `json:"username"`
	Password string  `json:"password"`
	Host     string  `json:"host"`
	Hostname string  `json:"hostname"`
	Port     string  `json:"port"`
	Pathname string  `json:"pathname"`
	Search   string  `json:"search"`
	Hash     string  `json:"hash"`
}

// wptKey names a case in the expected-failures file.
func (c wptCase) key() string {
	base := "null"
	if c.Base != nil {
		base = *c.Base
	}
	return fmt.Sprintf("%q against %q", c.Input, base)
}

// TestWPTURL runs the URL standard's own tests (testdata/wpt, a copy of
// WPT's url/resources/urltestdata.json; SOURCE.txt says which) on the
// parser, as `new URL(input, base)` does. Every case passes or is listed in
// testdata/wpt/expected-failures.json with the reason; a listed case that
// passes fails the test too, so the list stays true.
func TestWPTURL(t *testing.T) {
	raw, err := os.ReadFile("testdata/wpt/urltestdata.json")
	if err != nil {
		t.Fatal(err)
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		t.Fatal(err)
	}
	expected := map[string]string{}
	// expected-failures.json: [{"Case": "\"input\" against \"base\"", "Reason": "..."}]
	if b, err := os.ReadFile("testdata/wpt/expected-failures.json"); err == nil {
		var list []struct{ Case, Reason string }
		if err := json.Unmarshal(b, &list); err != nil {
			t.Fatalf("expected-failures.json: %v", err)
		}
		for _, e := range list {
			expected[e.Case] = e.Reason
		}
	}
	ran, passed := 0, 0
	seen := map[string]bool{}
	for _, e := range entries {
		var c wptCase
		if json.Unmarshal(e, &c) != nil {
			continue // a comment string
		}
		ran++
		k := c.key()
		seen[k] = true
		problem := c.check()
		reason, listed := expected[k]
		switch {
		case problem == "" && listed:
			t.Errorf("%s passes now; remove it from expected-failures.json (%s)", k, reason)
		case problem != "" && !listed:
			t.Errorf("%s: %s", k, problem)
		case problem == "":
			passed++
		}
	}
	for k := range expected {
		if !seen[k] {
			t.Errorf("expected-failures.json lists %s, which urltestdata.json does not have", k)
		}
	}
	t.Logf("WPT urltestdata: %d cases, %d pass, %d expected failures", ran, passed, len(expected))
}

// check parses the case and returns what differs ("" when it passes).
func (c wptCase) check() string {
	var base *urlRecord
	if c.Base != nil {
		b, err := parseURL(*c.Base, nil)
		if err != nil {
			if c.Failure {
				return ""
			}
			return "base does not parse"
		}
		base = b
	}
	u, err := parseURL(c.Input, base)
	if c.Failure {
		if err == nil {
			return "parses as " + u.serialize(false) + ", want failure"
		}
		return ""
	}
	if err != nil {
		return "fails, want " + c.Href
	}
	var diffs []string
	want := map[string]string{
		"href": c.Href, "protocol": c.Protocol, "username": c.Username, "password": c.Password,
		"host": c.Host, "hostname": c.Hostname, "port": c.Port, "pathname": c.Pathname,
		"search": c.Search, "hash": c.Hash,
	}
	if c.Origin != nil {
		want["origin"] = *c.Origin
	}
	for _, name := range []string{"href", "origin", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"} {
		w, ok := want[name]
		if !ok {
			continue
		}
		if got := u.get(name); got != w {
			diffs = append(diffs, fmt.Sprintf("%s = %q, want %q", name, got, w))
		}
	}
	return strings.Join(diffs, "; ")
}

// TestWPTURLClass runs the same cases through the URL class a plugin uses
// (url.js over the Go parser): new URL(input, base) and every attribute,
// as WPT's url-constructor test does, and searchParams. Every case must
// pass: none is expected to fail.
func TestWPTURLClass(t *testing.T) {
	raw, err := os.ReadFile("testdata/wpt/urltestdata.json")
	if err != nil {
		t.Fatal(err)
	}
	rt := newRuntime(t)
	got, err := run(t, rt, `const cases = `+string(raw)+`;
		const failures = [];
		const attrs = ["href", "origin", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"];
		for (const c of cases) {
			if (typeof c === "string") continue;
			const key = JSON.stringify(c.input) + " against " + JSON.stringify(c.base === null ? "null" : c.base);
			let u;
			try {
				u = c.base === null ? new URL(c.input) : new URL(c.input, c.base);
			} catch (e) {
				if (!c.failure) failures.push(key + ": throws " + e);
				continue;
			}
			if (c.failure) { failures.push(key + ": parses as " + u.href + ", want failure"); continue; }
			for (const a of attrs) {
				if (a in c && u[a] !== c[a]) failures.push(key + ": " + a + " = " + JSON.stringify(u[a]) + ", want " + JSON.stringify(c[a]));
			}
			if ("searchParams" in c && u.searchParams.toString() !== c.searchParams) failures.push(key + ": searchParams = " + u.searchParams);
		}
		return failures;`)
	if err != nil {
		t.Fatal(err)
	}
	var failures []string
	if err := json.Unmarshal([]byte(got), &failures); err != nil {
		t.Fatal(err)
	}
	for _, f := range failures {
		t.Error(f)
	}
}
