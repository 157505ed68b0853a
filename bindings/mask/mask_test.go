package mask_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/dop251/goja"

	"host/bindings/mask"
)

const (
	fakeToken  = "fake-token-123"
	fakePass   = `fake p@ss/wörd "<&>" +1`
	fakeUnicod = "fake-秘密-🔑-ключ"
)

var pctHex = regexp.MustCompile(`%[0-9A-F]{2}`)

func newMasker(values ...string) *mask.Masker {
	m := mask.New()
	for _, v := range values {
		m.Add(v)
	}
	return m
}

func b64(enc *base64.Encoding, s string) string { return enc.EncodeToString([]byte(s)) }

func jsonString(s string, html bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s)
	return strings.TrimSpace(buf.String())
}

func TestMaskForms(t *testing.T) {
	m := newMasker(fakeToken, fakePass, fakeUnicod, "fake-püss-wörd")
	tests := []struct{ name, in, want string }{
		{"plain", "token is fake-token-123.", "token is ***."},
		{"twice", "fake-token-123 and fake-token-123", "*** and ***"},
		{"inside a word", "xfake-token-123y", "x***y"},
		{"bearer header", "Authorization: Bearer fake-token-123", "Authorization: Bearer ***"},
		{"header object", `{"Authorization":"Bearer fake-token-123"}`, `{"Authorization":"Bearer ***"}`},
		{"basic header", "Authorization: Basic " + b64(base64.StdEncoding, "user:"+fakePass), "Authorization: Basic ***"},
		{"basic header, token as user", "Authorization: Basic " + b64(base64.StdEncoding, fakeToken+":x-oauth-basic"), "Authorization: Basic ***"},
		{"base64 std", "v=" + b64(base64.StdEncoding, fakePass) + ";", "v=***;"},
		{"base64 raw url", "v=" + b64(base64.RawURLEncoding, fakePass) + ";", "v=***;"},
		{"base64 in a JWT-like token", "jwt a." + b64(base64.RawURLEncoding, `{"sub":"1","tok":"`+fakeToken+`"}`) + ".sig end", "jwt a.***.sig end"},
		{"base64 offset 1", "x " + b64(base64.StdEncoding, "a"+fakeToken) + " y", "x *** y"},
		{"base64 offset 2", "x " + b64(base64.StdEncoding, "ab"+fakeToken) + " y", "x *** y"},
		{"base64 offset 3", "x " + b64(base64.StdEncoding, "abc"+fakeToken) + " y", "x *** y"},
		{"btoa of Latin-1", "x " + b64(base64.StdEncoding, "pre fake-p\xfcss-w\xf6rd") + " y", "x *** y"},
		{"query escape", "GET /x?p=" + url.QueryEscape(fakePass) + "&a=1", "GET /x?p=***&a=1"},
		{"path escape", "GET /x/" + url.PathEscape(fakePass) + "/y", "GET /x/***/y"},
		{"lower hex", "q=" + pctHex.ReplaceAllStringFunc(url.QueryEscape(fakeUnicod), strings.ToLower), "q=***"},
		{"mixed-case hex in one value", "q=" + mixedPct(url.QueryEscape(fakeUnicod)) + "&x", "q=***&x"},
		{"hex", "bytes " + hex.EncodeToString([]byte(fakeToken)) + ".", "bytes ***."},
		{"hex upper inside longer hex", "0x00FF" + strings.ToUpper(hex.EncodeToString([]byte(fakeUnicod))) + "AB", "0x00FF***AB"},
		{"json go", "body " + jsonString(fakePass, true), `body "***"`},
		{"json go no html escape", "body " + jsonString(fakePass, false), `body "***"`},
		{"json ascii", `{"p":"fake-\u79d8\u5bc6-\ud83d\udd11-\u043a\u043b\u044e\u0447"}`, `{"p":"***"}`},
		{"json ascii upper", `{"p":"fake-\u79D8\u5BC6-\uD83D\uDD11-\u043A\u043B\u044E\u0447"}`, `{"p":"***"}`},
		{"json escaped slash", `{"p":"fake p@ss\/w\u00f6rd \"<&>\" +1"}`, `{"p":"***"}`},
		{"url of json", "q=" + url.QueryEscape(jsonString(fakePass, false)), "q=%22***%22"},
		{"no secret", "nothing to see here, fake-token-12", "nothing to see here, fake-token-12"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Mask(tt.in)
			if got != tt.want {
				t.Errorf("Mask(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if want := tt.in != tt.want; m.Contains(tt.in) != want {
				t.Errorf("Contains(%q) = %t, want %t", tt.in, !want, want)
			}
		})
	}
}

func TestMaskShortValuesIgnored(t *testing.T) {
	m := newMasker("abc", "", "42")
	if m.Len() != 0 {
		t.Fatalf("Len = %d after adding values shorter than %d bytes", m.Len(), mask.MinLen)
	}
	if got := m.Mask("abc 42"); got != "abc 42" {
		t.Fatalf("Mask = %q", got)
	}
	m.Add("abcd")
	if got := m.Mask("abc abcd"); got != "abc ***" {
		t.Fatalf("Mask = %q after adding a 4-byte value", got)
	}
}

func TestMaskNilAndEmpty(t *testing.T) {
	var nilM *mask.Masker
	nilM.Add(fakeToken)
	if nilM.Mask(fakeToken) != fakeToken || nilM.Contains(fakeToken) || nilM.Len() != 0 {
		t.Fatal("a nil Masker must mask nothing")
	}
	if got := mask.New().Mask(fakeToken); got != fakeToken {
		t.Fatalf("empty Masker: %q", got)
	}
}

func TestMaskTrimmedAndMultiLine(t *testing.T) {
	pem := "-----BEGIN FAKE KEY-----\nZmFrZS1rZXktbGluZS0x\nZmFrZS1rZXktbGluZS0y\n-----END FAKE KEY-----\n"
	m := newMasker("  fake-padded-token\n", pem)
	if got := m.Mask("token=fake-padded-token"); got != "token=***" {
		t.Errorf("trimmed value: %q", got)
	}
	// Output split into lines (a logger prefixing each line) still hides
	// every line of the key.
	var lines []string
	for l := range strings.Lines(pem) {
		lines = append(lines, m.Mask("[plugin] "+l))
	}
	got := strings.Join(lines, "")
	for l := range strings.Lines(pem) {
		if strings.Contains(got, strings.TrimSpace(l)) {
			t.Errorf("line %q of a multi-line secret survived:\n%s", strings.TrimSpace(l), got)
		}
	}
}

// A secret containing the mask itself cannot reappear where a replacement
// joins its neighbours.
func TestMaskRepeatsUntilClean(t *testing.T) {
	m := newMasker("a***")
	if got := m.Mask("aaaa***"); strings.Contains(got, "a***") {
		t.Fatalf("Mask = %q still contains the secret", got)
	}
}

// Long base64 runs full of matches cost one pass, not one pass per match.
func TestMaskLongBase64Run(t *testing.T) {
	m := newMasker(fakeToken)
	run := b64(base64.StdEncoding, strings.Repeat(fakeToken, 100_000)) // 1.9 MB
	if got := m.Mask("x " + run + " y"); got != "x *** y" {
		t.Fatalf("Mask = %.40q...", got)
	}
}

// Encodings produced by a real JS engine, as a plugin would produce them.
func TestMaskJSEncodings(t *testing.T) {
	secretsList := []string{fakeToken, fakePass, fakeUnicod, "fake\ttab\nnewline\u2028sep\u0001ctl"}
	m := newMasker(secretsList...)
	vm := goja.New()
	exprs := []string{
		"JSON.stringify({token: s})",
		"JSON.stringify({headers: {Authorization: 'Bearer ' + s}})",
		"JSON.stringify(JSON.stringify({nested: s}))",
		"encodeURIComponent(s)",
		"encodeURI('https://x.test/?q=' + s)",
		"'https://x.test/?q=' + encodeURIComponent(JSON.stringify({q: s}))",
		"String(new Error('request failed with ' + s))",
		"`Authorization: Bearer ${s}`",
	}
	for _, s := range secretsList {
		if err := vm.Set("s", s); err != nil {
			t.Fatal(err)
		}
		for _, e := range exprs {
			v, err := vm.RunString(e)
			if err != nil {
				t.Fatalf("%s: %v", e, err)
			}
			in := v.String()
			got := m.Mask(in)
			if strings.Contains(got, s) || !m.Contains(in) || strings.Contains(got, strings.TrimPrefix(strings.TrimSuffix(jsonString(s, false), `"`), `"`)) {
				t.Errorf("secret #%d through %s survived: %q", len(s), e, got)
			}
		}
	}
}

// The Authorization header a real HTTP client sends, as a server would log
// it.
func TestMaskAuthorizationHeaderFromHTTP(t *testing.T) {
	m := newMasker(fakePass, fakeToken)
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("Authorization"), r.URL.String())
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/p?"+url.Values{"token": {fakeToken}, "pass": {fakePass}}.Encode(), nil)
	req.SetBasicAuth("fake-user", fakePass)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, s := range seen {
		if got := m.Mask(s); strings.Contains(got, fakeToken) || strings.Contains(got, url.QueryEscape(fakePass)) ||
			strings.Contains(got, b64(base64.StdEncoding, "fake-user:"+fakePass)) {
			t.Errorf("secret survived in %q", got)
		}
	}
}

func TestMaskWriter(t *testing.T) {
	m := newMasker(fakeToken)
	var out bytes.Buffer
	w := m.Writer(&out)
	// The token arrives in pieces across writes.
	for _, p := range []string{"line one fake-to", "ken-123 end\nline two fa", "ke-token-1", "23"} {
		if n, err := w.Write([]byte(p)); err != nil || n != len(p) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if got := out.String(); got != "line one *** end\n" {
		t.Fatalf("before Flush: %q", got)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "line one *** end\nline two ***" {
		t.Fatalf("after Flush: %q", got)
	}
}

func TestMaskWriterLongLine(t *testing.T) {
	m := newMasker(fakeToken)
	var out bytes.Buffer
	w := m.Writer(&out)
	filler := strings.Repeat("x", 40<<10)
	// 200 KiB without a newline, a token every 40 KiB at varying offsets,
	// written in odd-sized pieces.
	var in strings.Builder
	for i := range 5 {
		in.WriteString(filler[:len(filler)-i*7])
		in.WriteString(fakeToken)
	}
	s := in.String()
	for len(s) > 0 {
		n := min(len(s), 4093)
		if _, err := w.Write([]byte(s[:n])); err != nil {
			t.Fatal(err)
		}
		s = s[n:]
	}
	if out.Len() == 0 {
		t.Error("nothing written before Flush although the line passed 64 KiB")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); strings.Contains(got, fakeToken) || strings.Count(got, "***") != 5 {
		t.Fatalf("long line: %d masks, token present %t", strings.Count(got, "***"), strings.Contains(got, fakeToken))
	}
}

func TestMaskConcurrent(t *testing.T) {
	m := mask.New()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := range 50 {
				m.Add(fmt.Sprintf("fake-secret-%d-%d", i, j))
			}
		}()
		go func() {
			defer wg.Done()
			for range 200 {
				_ = m.Mask("some output fake-secret-1-1 more")
			}
		}()
	}
	wg.Wait()
	if got := m.Mask("x fake-secret-7-49 y"); got != "x *** y" {
		t.Fatalf("Mask after concurrent Adds = %q", got)
	}
}

// FuzzMask checks that a secret never survives Mask in any supported
// encoding, wherever it sits in the text, and that Mask never panics.
func FuzzMask(f *testing.F) {
	f.Add(fakeToken, "before ", " after", "user")
	f.Add(fakePass, "", "", "")
	f.Add(fakeUnicod, "x", "=", "u:")
	f.Add("a***", "aa", "**", "")
	f.Add("abcd", "YWJj", "ZA==", "ab")
	f.Fuzz(func(t *testing.T, secret, prefix, suffix, user string) {
		m := newMasker(secret)
		if len(secret) < mask.MinLen {
			if got := m.Mask(prefix + secret + suffix); got != prefix+secret+suffix {
				t.Fatalf("a short value was masked: %q", got)
			}
			return
		}
		forms := map[string]string{
			"raw":         secret,
			"std":         b64(base64.StdEncoding, secret),
			"rawstd":      b64(base64.RawStdEncoding, secret),
			"url":         b64(base64.URLEncoding, secret),
			"rawurl":      b64(base64.RawURLEncoding, secret),
			"query":       url.QueryEscape(secret),
			"path":        url.PathEscape(secret),
			"query lower": pctHex.ReplaceAllStringFunc(url.QueryEscape(secret), strings.ToLower),
			"json":        jsonString(secret, true),
			"json nohtml": jsonString(secret, false),
			"bearer":      "Authorization: Bearer " + secret,
			"hex":         hex.EncodeToString([]byte(secret)),
			"HEX":         strings.ToUpper(hex.EncodeToString([]byte(secret))),
		}
		if l, ok := latin1Bytes(secret); ok {
			forms["btoa"] = b64(base64.StdEncoding, l)
		}
		if utf8.ValidString(secret) && !strings.ContainsFunc(secret, func(r rune) bool {
			return unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
		}) {
			forms["zero-width"] = interleave(secret, "\u200B")
		}
		for name, form := range forms {
			got := m.Mask(prefix + form + suffix)
			if strings.Contains(got, form) {
				t.Errorf("%s form survived: Mask(%q) = %q", name, prefix+form+suffix, got)
			}
			if !m.Contains(prefix + form + suffix) {
				t.Errorf("%s form: Contains = false", name)
			}
		}
		// Inside a longer base64 string: no base64 run left in the output
		// decodes to bytes containing the secret.
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			basic := "Basic " + enc.EncodeToString([]byte(user+":"+secret))
			got := m.Mask(prefix + basic + suffix)
			if leak := base64Leak(got, secret); leak != "" {
				t.Errorf("base64 of %q:secret survived as %q in %q", user, leak, got)
			}
		}
		if got := m.Mask(prefix + suffix); utf8.ValidString(prefix+suffix) && !utf8.ValidString(got) {
			t.Errorf("Mask broke valid UTF-8: %q -> %q", prefix+suffix, got)
		}
	})
}

// latin1Bytes is what JS btoa encodes: one byte per UTF-16 unit, all
// below 0x100.
func latin1Bytes(s string) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	var b []byte
	for _, r := range s {
		if r > 0xFF {
			return "", false
		}
		b = append(b, byte(r))
	}
	return string(b), len(b) >= mask.MinLen
}

// base64Leak returns a run of base64 characters in s that decodes, at some
// alignment and in either alphabet, to bytes containing secret.
func base64Leak(s, secret string) string {
	isB64 := func(r rune) bool {
		return 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || strings.ContainsRune("+/-_", r)
	}
	for run := range strings.FieldsFuncSeq(s, func(r rune) bool { return !isB64(r) }) {
		for off := range 4 {
			if off >= len(run) {
				break
			}
			r := run[off:]
			if len(r)%4 == 1 {
				r = r[:len(r)-1]
			}
			for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
				if b, err := enc.DecodeString(r); err == nil && bytes.Contains(b, []byte(secret)) {
					return run
				}
			}
		}
	}
	return ""
}

func BenchmarkMask(b *testing.B) {
	// 20 distinct token-like values, as OAuth tokens and API keys are.
	fakes := make([]string, 20)
	for i := range fakes {
		sum := sha256.Sum256([]byte{byte(i)})
		fakes[i] = base64.RawURLEncoding.EncodeToString(sum[:])[:16+i]
	}
	m := mask.New()
	for _, f := range fakes[:19] {
		m.Add(f)
	}
	m.Add(fakePass)
	line := "2025-01-01T00:00:00Z [my-plugin] info: fetched 42 items from https://api.example.test/v1/items?page=2 in 120ms\n"
	b.Run("no secret 100B", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			_ = m.Mask(line)
		}
	})
	withSecret := line[:50] + fakes[7] + line[50:]
	b.Run("one secret", func(b *testing.B) {
		b.SetBytes(int64(len(withSecret)))
		for b.Loop() {
			_ = m.Mask(withSecret)
		}
	})
	// A pretty-printed API response: many line breaks, some non-ASCII,
	// no secret; what console.log of a fetched object prints.
	var doc strings.Builder
	for i := 0; doc.Len() < 4096; i++ {
		fmt.Fprintf(&doc, "  {\n    \"id\": %d,\n    \"title\": \"Café item №%d\",\n    \"url\": \"https://api.example.test/v1/items/%d\"\n  },\n", i, i, i)
	}
	pretty := doc.String()
	b.Run("no secret 4KiB lines", func(b *testing.B) {
		b.SetBytes(int64(len(pretty)))
		for b.Loop() {
			_ = m.Mask(pretty)
		}
	})
	b.Run("Add 20", func(b *testing.B) {
		for b.Loop() {
			m := mask.New()
			for _, f := range fakes {
				m.Add(f)
			}
		}
	})
}

// mixedPct lower-cases the hex digits of every other percent escape in s.
func mixedPct(s string) string {
	n := 0
	return pctHex.ReplaceAllStringFunc(s, func(e string) string {
		n++
		if n%2 == 0 {
			return strings.ToLower(e)
		}
		return e
	})
}

// A secret that holds a percent escape itself matches with the escape's
// hex in either case, and only that: other letters keep their case.
func TestMaskSecretWithPercentEscape(t *testing.T) {
	m := newMasker("x%2fy-fake-token")
	for in, want := range map[string]string{
		"a x%2fy-fake-token b": "a *** b",
		"a x%2Fy-fake-token b": "a *** b",
		"a X%2FY-FAKE-TOKEN b": "a X%2FY-FAKE-TOKEN b",
	} {
		if got := m.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// interleave puts sep between the characters of s.
func interleave(s, sep string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wrap breaks s into lines of width characters, as MIME (76) and PEM (64)
// encoders do.
func wrap(s string, width int, nl string) string {
	var lines []string
	for len(s) > width {
		lines = append(lines, s[:width])
		s = s[width:]
	}
	return strings.Join(append(lines, s), nl)
}

// A secret with zero-width characters between its letters looks the same
// in a terminal: it is masked like the secret itself.
func TestMaskZeroWidth(t *testing.T) {
	const emoji = "fake-\U0001F469\u200D\U0001F4BB-key" // a ZWJ sequence inside the secret
	m := newMasker(fakeToken, fakePass, emoji)
	tests := []struct{ name, in, want string }{
		{"zero-width space between letters", "x " + interleave(fakeToken, "\u200B") + " y", "x *** y"},
		{"joiners and word joiner", "x " + interleave(fakeToken, "\u200C\u200D\u2060") + " y", "x *** y"},
		{"soft hyphens, a BOM before", "x \uFEFF" + interleave(fakePass, "\u00AD") + " y", "x \uFEFF*** y"},
		{"bidi marks", "x " + interleave(fakeToken, "\u200E\u202A\u2066") + " y", "x *** y"},
		{"variation selector", "x fake-\uFE0Ftoken-123 y", "x *** y"},
		{"in JSON", `{"t":"` + interleave(fakeToken, "\u200B") + `"}`, `{"t":"***"}`},
		{"a secret with a ZWJ, as is", "x " + emoji + " y", "x *** y"},
		{"a secret with a ZWJ, without it", "x fake-\U0001F469\U0001F4BB-key y", "x *** y"},
		{"zero-width elsewhere kept", "a\u200Bb " + fakeToken + " c\u200Bd", "a\u200Bb *** c\u200Bd"},
		{"no secret", "fake-tok\u200Ben-12", "fake-tok\u200Ben-12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.Mask(tt.in); got != tt.want {
				t.Errorf("Mask(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if want := tt.in != tt.want; m.Contains(tt.in) != want {
				t.Errorf("Contains(%q) = %t, want %t", tt.in, !want, want)
			}
		})
	}
}

// Base64 wrapped at any width (76 for MIME, 64 for PEM, or any other) is
// matched across its line breaks; the whole wrapped token is masked.
func TestMaskWrappedBase64(t *testing.T) {
	m := newMasker(fakePass)
	for _, pre := range []string{"", "a", "ab", "abc", strings.Repeat("x", 70)} {
		doc := b64(base64.StdEncoding, pre+`{"client_secret":"`+fakePass+`","note":"`+strings.Repeat("padding ", 12)+`"}`)
		for _, c := range []struct {
			width int
			nl    string
		}{{76, "\n"}, {76, "\r\n"}, {64, "\n"}, {40, "\n"}, {39, "\n"}, {33, "\r\n"}, {16, "\n"}, {10, "\n"}, {4, "\n"}} {
			in := "payload:\n" + wrap(doc, c.width, c.nl) + c.nl + "end" + c.nl
			want := "payload:\n***" + c.nl + "end" + c.nl
			if got := m.Mask(in); got != want {
				t.Errorf("prefix %q, %d columns, %q:\n got %q\nwant %q", pre, c.width, c.nl, got, want)
			}
			if !m.Contains(in) {
				t.Errorf("prefix %q, %d columns: Contains = false", pre, c.width)
			}
		}
	}
	// At one to three columns, padding on lines of its own and a short
	// word after the block may stay or go with it; the secret goes.
	for _, w := range []int{1, 2, 3} {
		doc := b64(base64.StdEncoding, "a"+fakePass)
		in := "payload:\n" + wrap(doc, w, "\n") + "\nend\n"
		if got := m.Mask(in); !strings.HasPrefix(got, "payload:\n***\n") || !m.Contains(in) {
			t.Errorf("%d columns: %q", w, got)
		}
	}
	// The secret alone, wrapped in two lines.
	for _, w := range []int{5, 8, 12} {
		in := "key:\n" + wrap(b64(base64.StdEncoding, fakePass), w, "\n") + "\nok\n"
		if got, want := m.Mask(in), "key:\n***\nok\n"; got != want {
			t.Errorf("%d columns: got %q, want %q", w, got, want)
		}
	}
	// Short lines of prose are not joined: nothing but the secret goes.
	in := "Authorization: Basic " + b64(base64.StdEncoding, "user:"+fakePass) + "\nContent-Type: text/plain\nok\n"
	if got, want := m.Mask(in), "Authorization: Basic ***\nContent-Type: text/plain\nok\n"; got != want {
		t.Errorf("header lines:\n got %q\nwant %q", got, want)
	}
}
