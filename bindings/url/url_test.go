package url

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestParseURL checks the parser against cases in the style of the web
// platform tests (expected values as browsers and Node produce them).
func TestParseURL(t *testing.T) {
	cases := []struct {
		input, base string
		href        string // "" means the parse must fail
		host, path  string // checked when not empty
	}{
		// relative resolution (RFC 3986 section 5.4 examples, WHATWG results)
		{"g", "http://a/b/c/d;p?q", "http://a/b/c/g", "", ""},
		{"./g", "http://a/b/c/d;p?q", "http://a/b/c/g", "", ""},
		{"g/", "http://a/b/c/d;p?q", "http://a/b/c/g/", "", ""},
		{"/g", "http://a/b/c/d;p?q", "http://a/g", "", ""},
		{"//g", "http://a/b/c/d;p?q", "http://g/", "", ""},
		{"?y", "http://a/b/c/d;p?q", "http://a/b/c/d;p?y", "", ""},
		{"g?y", "http://a/b/c/d;p?q", "http://a/b/c/g?y", "", ""},
		{"#s", "http://a/b/c/d;p?q", "http://a/b/c/d;p?q#s", "", ""},
		{"", "http://a/b/c/d;p?q", "http://a/b/c/d;p?q", "", ""},
		{"..", "http://a/b/c/d;p?q", "http://a/b/", "", ""},
		{"../../../g", "http://a/b/c/d;p?q", "http://a/g", "", ""},
		{"/./g", "http://a/b/c/d;p?q", "http://a/g", "", ""},
		{"g;x=1/../y", "http://a/b/c/d;p?q", "http://a/b/c/y", "", ""},
		{"http:g", "http://a/b/c/d;p?q", "http://a/b/c/g", "", ""},
		{"\\\\x\\hello", "http://example.org/foo/bar", "http://x/hello", "", ""},
		{"https://other/", "http://a/b", "https://other/", "", ""},
		{"/v1/items?limit=10", "https://api.example.com/base/", "https://api.example.com/v1/items?limit=10", "", ""},
		{"v1/items", "https://api.example.com/base/", "https://api.example.com/base/v1/items", "", ""},
		// default ports dropped, others kept, leading zeros removed
		{"http://example.com:80/", "", "http://example.com/", "example.com", ""},
		{"https://example.com:443/", "", "https://example.com/", "example.com", ""},
		{"https://example.com:80/", "", "https://example.com:80/", "example.com:80", ""},
		{"ws://example.com:80/", "", "ws://example.com/", "", ""},
		{"wss://example.com:443/", "", "wss://example.com/", "", ""},
		{"ftp://example.com:21/", "", "ftp://example.com/", "", ""},
		{"http://f:00000000000000000000080/c", "", "http://f/c", "", ""},
		{"sc://h:80/", "", "sc://h:80/", "", ""},
		{"http://f:65536/", "", "", "", ""},
		{"http://f:b/", "", "", "", ""},
		// percent-encoding: path, query (special and not), fragment, userinfo
		{"http://f/ b ? d # e ", "", "http://f/%20b%20?%20d%20#%20e", "", "/%20b%20"},
		{"https://x/a b?c d&e='f'#g h", "", "https://x/a%20b?c%20d&e=%27f%27#g%20h", "", ""},
		{"sc://x/a b?c d&e='f'", "", "sc://x/a%20b?c%20d&e='f'", "", ""},
		{"https://x/\"<>`{}|^?\"<>`{}|^#\"<>`{}|^", "", "https://x/%22%3C%3E%60%7B%7D|^?%22%3C%3E`{}|^#%22%3C%3E%60{}|^", "", ""},
		{"https://x/ä€😀?ä#ä", "", "https://x/%C3%A4%E2%82%AC%F0%9F%98%80?%C3%A4#%C3%A4", "", ""},
		{"https://us er:pa:ss@x/", "", "https://us%20er:pa%3Ass@x/", "", ""},
		{"https://x/%2e%2E/a/%2e/b", "", "https://x/a/b", "", ""},
		{"https://x/a%2fb", "", "https://x/a%2fb", "", ""},
		// whitespace and control characters
		{"  \t https://x/\n a\tb\r\n ", "", "https://x/%20ab", "", ""},
		// hosts: case, IPv4 forms, IPv6, IDNA, forbidden code points
		{"HTTPS://EXAMPLE.COM/A", "", "https://example.com/A", "", ""},
		{"http://192.168.0.1/", "", "http://192.168.0.1/", "192.168.0.1", ""},
		{"http://0x7f.1/", "", "http://127.0.0.1/", "127.0.0.1", ""},
		{"http://0300.0250.0.1/", "", "http://192.168.0.1/", "", ""},
		{"http://3232235521/", "", "http://192.168.0.1/", "", ""},
		{"http://1.2.3.256/", "", "", "", ""},
		{"http://1.2.3.4.5/", "", "", "", ""},
		{"http://foo.09/", "", "", "", ""},
		{"http://[2001:db8::1]:8080/", "", "http://[2001:db8::1]:8080/", "[2001:db8::1]:8080", ""},
		{"http://[2001:0DB8:0:0:0:0:0:1]/", "", "http://[2001:db8::1]/", "", ""},
		{"http://[::ffff:192.168.0.1]/", "", "http://[::ffff:c0a8:1]/", "", ""},
		{"http://[1:0:0:2:0:0:0:3]/", "", "http://[1:0:0:2::3]/", "", ""},
		{"http://[::1]/", "", "http://[::1]/", "", ""},
		{"http://[::]/", "", "http://[::]/", "", ""},
		{"http://[1::2::3]/", "", "", "", ""},
		{"http://[::1/", "", "", "", ""},
		{"http://[1:2:3:4:5:6:7:8:9]/", "", "", "", ""},
		{"https://münchen.example/", "", "https://xn--mnchen-3ya.example/", "", ""},
		{"https://faß.ExAmPlE/", "", "https://xn--fa-hia.example/", "", ""},
		{"https://Ｇｏ.com/", "", "https://go.com/", "", ""},
		{"https://www.foo。bar.com/", "", "https://www.foo.bar.com/", "", ""},
		{"https://xn--mnchen-3ya.example/", "", "https://xn--mnchen-3ya.example/", "", ""},
		{"http://xn--a.com/", "", "", "", ""},
		{"http://%41.com/", "", "http://a.com/", "", ""},
		{"http://a b/", "", "", "", ""},
		{"http://a<b/", "", "", "", ""},
		{"http://a%25b/", "", "", "", ""},
		{"http://user@/", "", "", "", ""},
		{"http:///", "", "", "", ""},
		{"sc://ñ/x", "", "sc://%C3%B1/x", "%C3%B1", ""},
		{"sc://a b/", "", "", "", ""},
		// schemes without a host, opaque paths, file URLs
		{"mailto:someone@example.com", "", "mailto:someone@example.com", "", "someone@example.com"},
		{"data:text/plain,hello world", "", "data:text/plain,hello world", "", ""},
		{"urn:isbn:0451450523", "", "urn:isbn:0451450523", "", ""},
		{"javascript:alert(1)", "", "javascript:alert(1)", "", ""},
		{"file:///C:/dir/../x.txt", "", "file:///C:/x.txt", "", ""},
		{"file:C|/x", "", "file:///C:/x", "", ""},
		{"file://localhost/etc/hosts", "", "file:///etc/hosts", "", ""},
		{"file://server/share/f", "", "file://server/share/f", "server", ""},
		{"x", "file:///C:/dir/f", "file:///C:/dir/x", "", ""},
		{"..", "file:///C:/", "file:///C:/", "", ""},
		{"non-spec:/.//p", "", "non-spec:/.//p", "", "//p"},
		// failures
		{"", "", "", "", ""},
		{"/path", "", "", "", ""},
		{"//host/path", "", "", "", ""},
		{"a:b", "", "a:b", "", ""},
		{"?x", "mailto:me@x", "", "", ""},
		{"#x", "mailto:me@x", "mailto:me@x#x", "", ""},
		{"http://", "", "", "", ""},
		{"https://x:y", "", "", "", ""},
	}
	for _, c := range cases {
		var base *urlRecord
		if c.base != "" {
			var err error
			if base, err = parseURL(c.base, nil); err != nil {
				t.Fatalf("base %q: %v", c.base, err)
			}
		}
		u, err := parseURL(c.input, base)
		if c.href == "" {
			if err == nil {
				t.Errorf("parse(%q, %q) = %q, want failure", c.input, c.base, u.serialize(false))
			}
			continue
		}
		if err != nil {
			t.Errorf("parse(%q, %q) failed, want %q", c.input, c.base, c.href)
			continue
		}
		if got := u.get("href"); got != c.href {
			t.Errorf("parse(%q, %q).href = %q, want %q", c.input, c.base, got, c.href)
		}
		if got := u.get("host"); c.host != "" && got != c.host {
			t.Errorf("parse(%q).host = %q, want %q", c.input, got, c.host)
		}
		if got := u.get("pathname"); c.path != "" && got != c.path {
			t.Errorf("parse(%q).pathname = %q, want %q", c.input, got, c.path)
		}
	}
}

func TestURLGetters(t *testing.T) {
	u, err := parseURL("https://user:pa%20ss@Example.COM:8443/a/b?x=1&y=%20#frag", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"href":     "https://user:pa%20ss@example.com:8443/a/b?x=1&y=%20#frag",
		"origin":   "https://example.com:8443",
		"protocol": "https:",
		"username": "user",
		"password": "pa%20ss",
		"host":     "example.com:8443",
		"hostname": "example.com",
		"port":     "8443",
		"pathname": "/a/b",
		"search":   "?x=1&y=%20",
		"hash":     "#frag",
	}
	for k, v := range want {
		if got := u.get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	for _, c := range []struct{ in, origin string }{
		{"file:///x", "null"},
		{"mailto:a@b", "null"},
		{"blob:https://a.example:444/uuid", "https://a.example:444"},
		{"blob:file:///x", "null"},
		{"http://[::1]:80/", "http://[::1]"},
	} {
		u, err := parseURL(c.in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := u.origin(); got != c.origin {
			t.Errorf("origin(%q) = %q, want %q", c.in, got, c.origin)
		}
	}
}

// TestURLSetters checks the URL API's setters, including the values they
// ignore (a setter never fails: an invalid value leaves the URL as it was).
func TestURLSetters(t *testing.T) {
	cases := []struct{ href, setter, value, want string }{
		{"http://x/", "protocol", "https", "https://x/"},
		{"http://x:443/", "protocol", "https:", "https://x/"},
		{"http://x/", "protocol", "sc", "http://x/"},
		{"sc://x/", "protocol", "http", "sc://x/"},
		{"http://x/", "protocol", "a b", "http://x/"},
		{"http://me@x/", "protocol", "file", "http://me@x/"},
		{"http://x/", "username", "a b@c", "http://a%20b%40c@x/"},
		{"http://x/", "password", "p:w", "http://:p%3Aw@x/"},
		{"http://u:p@x/", "username", "", "http://:p@x/"},
		{"file:///x", "username", "me", "file:///x"},
		{"mailto:a@b", "username", "me", "mailto:a@b"},
		{"http://x:1/p", "host", "y.test:2", "http://y.test:2/p"},
		{"http://x:1/p", "host", "y.test", "http://y.test:1/p"},
		{"http://x/p", "host", "", "http://x/p"},
		{"http://x/p", "host", "a b", "http://x/p"},
		{"http://x/p", "host", "[::1]:8080", "http://[::1]:8080/p"},
		{"sc://x/p", "host", "", "sc:///p"},
		{"mailto:a@b", "host", "x", "mailto:a@b"},
		{"http://x:1/p", "hostname", "y.test", "http://y.test:1/p"},
		{"http://x:1/p", "hostname", "y.test:2", "http://x:1/p"},
		{"http://x/", "port", "8080", "http://x:8080/"},
		{"http://x:8080/", "port", "80", "http://x/"},
		{"http://x:8080/", "port", "", "http://x/"},
		{"http://x/", "port", "8080abc", "http://x:8080/"},
		{"http://x/", "port", "abc", "http://x/"},
		{"http://x/", "port", "65536", "http://x/"},
		{"file:///p", "port", "1", "file:///p"},
		{"http://x/a", "pathname", "b c/../d", "http://x/d"},
		{"http://x/a", "pathname", "?#", "http://x/%3F%23"},
		{"sc://x/a", "pathname", "b", "sc://x/b"},
		{"mailto:a@b", "pathname", "c", "mailto:a@b"},
		{"http://x/?a", "search", "b c", "http://x/?b%20c"},
		{"http://x/?a", "search", "?'", "http://x/?%27"},
		{"sc://x/?a", "search", "'", "sc://x/?'"},
		{"http://x/?a#f", "search", "", "http://x/#f"},
		{"http://x/?a", "search", "#", "http://x/?%23"},
		{"http://x/", "hash", "a b", "http://x/#a%20b"},
		{"http://x/#a", "hash", "", "http://x/"},
		{"http://x/", "hash", "##", "http://x/##"},
		{"sc:opaque  ?q", "search", "", "sc:opaque"},
		{"sc:opaque  #f", "hash", "", "sc:opaque"},
	}
	for _, c := range cases {
		u, err := parseURL(c.href, nil)
		if err != nil {
			t.Fatalf("%q: %v", c.href, err)
		}
		u.set(c.setter, c.value)
		if got := u.serialize(false); got != c.want {
			t.Errorf("%q.%s = %q: got %q, want %q", c.href, c.setter, c.value, got, c.want)
		}
	}
}

// TestDomainToASCII: UTS #46 with the URL standard's options
// (non-transitional, no STD3 rules, no hyphen or DNS length checks, bidi
// and joiner rules on).
func TestDomainToASCII(t *testing.T) {
	long := strings.Repeat("a", 70)
	for _, c := range []struct{ in, want string }{
		{"bücher.example", "xn--bcher-kva.example"},
		{"BÜCHER.EXAMPLE", "xn--bcher-kva.example"},
		{"faß.de", "xn--fa-hia.de"}, // non-transitional: ß stays ß
		{"例え。テスト", "xn--r8jz45g.xn--zckzah"},
		{"ｅｘａｍｐｌｅ．ｃｏｍ", "example.com"},
		{"😀.example", "xn--e28h.example"},
		{"r3---sn-apo3qvuoxuxbt-j5pe.example", "r3---sn-apo3qvuoxuxbt-j5pe.example"}, // CheckHyphens false
		{"-lead.example", "-lead.example"},
		{"a_b.example", "a_b.example"},         // UseSTD3ASCIIRules false
		{long + ".example", long + ".example"}, // VerifyDnsLength false
		{"xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"a\u00adb.example", "ab.example"},  // soft hyphen mapped away
		{"xn--ab", ""},                      // not valid Punycode
		{"xn--bcher-kva\u0301.example", ""}, // mark after an A-label's decoding: invalid
		{"\u0627a.example", ""},             // bidi rule: a left-to-right letter in a right-to-left label
		{"a\u200db.example", ""},            // joiner rule: ZWJ not after a virama
		{"\ufffd.example", ""},
		{"", ""},
	} {
		in := jsonUnquote(t, c.in)
		got, ok := domainToASCII(in)
		if c.want == "" {
			if ok {
				t.Errorf("domainToASCII(%q) = %q, want failure", in, got)
			}
			continue
		}
		if !ok || got != c.want {
			t.Errorf("domainToASCII(%q) = %q, %v; want %q", in, got, ok, c.want)
		}
	}
}

func jsonUnquote(t *testing.T, s string) string {
	t.Helper()
	var out string
	if err := json.Unmarshal([]byte(`"`+s+`"`), &out); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return out
}

func TestFormParse(t *testing.T) {
	got := ParseForm("a=1&&b=x+y&c&=v&d=%41%zz%&e=%C3%A9%FF&f==")
	want := [][2]string{{"a", "1"}, {"b", "x y"}, {"c", ""}, {"", "v"}, {"d", "A%zz%"}, {"e", "é\uFFFD"}, {"f", "="}}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("pair %d = %q, want %q", i, got[i], want[i])
		}
	}
}
