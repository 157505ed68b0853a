package url

import (
	"testing"

	"host/bindings/internal/jstest"
)

func TestURLClass(t *testing.T) {
	jstest.RunCases(t, []jstest.Case{
		{Name: "relative with base",
			Src:  `return new URL("../c?x=1#h", "https://api.example.com/a/b/").href`,
			Want: `"https://api.example.com/a/c?x=1#h"`},
		{Name: "getters",
			Src: `const u = new URL("https://me:pw@Example.com:8443/p/q?a=1#f");
				return [u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash]`,
			Want: `["https://me:pw@example.com:8443/p/q?a=1#f","https://example.com:8443","https:","me","pw","example.com:8443","example.com","8443","/p/q","?a=1","#f"]`},
		{Name: "default port dropped",
			Src:  `return [new URL("https://x:443/").href, new URL("http://x:80").port, new URL("http://x:8080").port]`,
			Want: `["https://x/","","8080"]`},
		{Name: "spaces percent-encoded in path and query",
			Src:  `return new URL("https://x/a b/c?q=d e&f").href`,
			Want: `"https://x/a%20b/c?q=d%20e&f"`},
		{Name: "IPv6 host",
			Src:  `const u = new URL("http://[2001:DB8:0:0::1]:8080/"); return [u.host, u.hostname, u.port]`,
			Want: `["[2001:db8::1]:8080","[2001:db8::1]","8080"]`},
		{Name: "non-BMP characters in path",
			Src:  `return new URL("https://x/😀𝄞").pathname`,
			Want: `"/%F0%9F%98%80%F0%9D%84%9E"`},
		{Name: "setters",
			Src: `const u = new URL("https://example.com/a");
				u.protocol = "http"; u.hostname = "other.test"; u.port = "8080"; u.pathname = "/b c";
				u.search = "x=1"; u.hash = "top"; u.username = "me"; u.password = "p@ss";
				return u.href`,
			Want: `"http://me:p%40ss@other.test:8080/b%20c?x=1#top"`},
		{Name: "host setter with port, invalid values ignored",
			Src: `const u = new URL("https://example.com/");
				u.host = "h.test:9000"; const a = u.href; u.port = "99999"; u.host = "bad host"; u.protocol = "not a scheme";
				return [a, u.href]`,
			Want: `["https://h.test:9000/","https://h.test:9000/"]`},
		{Name: "searchParams mutation reflected in href",
			Src: `const u = new URL("https://x/p?a=1#frag");
				u.searchParams.append("b", "two words");
				u.searchParams.set("a", "é&=");
				const a = u.href;
				u.searchParams.delete("a"); u.searchParams.delete("b");
				return [a, u.href, u.search]`,
			Want: `["https://x/p?a=%C3%A9%26%3D&b=two+words#frag","https://x/p#frag",""]`},
		{Name: "search setter reflected in searchParams",
			Src: `const u = new URL("https://x/?a=1"); const p = u.searchParams;
				u.search = "?b=2&b=3"; const a = p.getAll("b");
				u.href = "https://y/?c=4"; const same = u.searchParams === p;
				return [a, p.get("c"), same, p.size]`,
			Want: `[["2","3"],"4",true,1]`},
		{Name: "toString and toJSON",
			Src:  `const u = new URL("https://x/y"); return [String(u), JSON.stringify({u}), u.toJSON(), Object.prototype.toString.call(u)]`,
			Want: `["https://x/y","{\"u\":\"https://x/y\"}","https://x/y","[object URL]"]`},
		{Name: "canParse and parse",
			Src:  `return [URL.canParse("https://x"), URL.canParse("nope"), URL.canParse("/p", "https://x"), URL.parse("nope"), URL.parse("/p", "https://x").href]`,
			Want: `[true,false,true,null,"https://x/p"]`},
		{Name: "invalid URL is a TypeError without the input in the message",
			Src:  `try { new URL("/relative?token=fake-token-123") } catch (e) { return [e instanceof TypeError, e.message, e.code, e.input] }`,
			Want: `[true,"Invalid URL","ERR_INVALID_URL","/relative?token=fake-token-123"]`},
		{Name: "invalid base",
			Src:  `try { new URL("/p", "not a base") } catch (e) { return [e.name, e.message] }`,
			Want: `["TypeError","Invalid URL"]`},
		{Name: "invalid href assignment throws and keeps the URL",
			Src:  `const u = new URL("https://x/"); try { u.href = "::" } catch (e) { return [e.name, u.href] }`,
			Want: `["TypeError","https://x/"]`},
		{Name: "URL objects and fetch-style String()",
			Src:  `const u = new URL("https://x/"); u.searchParams.set("q", "a+b"); return ` + "`${u}`",
			Want: `"https://x/?q=a%2Bb"`},
		{Name: "createObjectURL says it is absent",
			Src: `URL.createObjectURL({})`,
			Err: "NotSupportedError: URL.createObjectURL is not supported by host"},
	}, installs...)
}

func TestURLSearchParams(t *testing.T) {
	jstest.RunCases(t, []jstest.Case{
		{Name: "from string",
			Src:  `return [...new URLSearchParams("?a=1&b=x+y&a=%E2%82%AC&c&=v&&d=%zz")]`,
			Want: `[["a","1"],["b","x y"],["a","€"],["c",""],["","v"],["d","%zz"]]`},
		{Name: "from object",
			Src:  `return new URLSearchParams({ grant_type: "refresh_token", n: 2, "a b": "c&d" }).toString()`,
			Want: `"grant_type=refresh_token&n=2&a+b=c%26d"`},
		{Name: "from pairs and from another",
			Src:  `const p = new URLSearchParams([["x", "1"], ["y", "2"], ["x", "3"]]); return [p.getAll("x"), new URLSearchParams(p).toString()]`,
			Want: `[["1","3"],"x=1&y=2&x=3"]`},
		{Name: "bad pair",
			Src: `new URLSearchParams([["a", "b", "c"]])`,
			Err: "TypeError"},
		{Name: "methods",
			Src: `const p = new URLSearchParams("a=1&b=2&a=3");
				const r = [p.get("a"), p.get("zz"), p.has("b"), p.has("a", "3"), p.has("a", "9"), p.size];
				p.set("a", "9"); r.push(p.toString());
				p.append("c", "4"); p.delete("b"); r.push(p.toString());
				p.delete("c", "nope"); r.push(p.toString());
				return r`,
			Want: `["1",null,true,true,false,3,"a=9&b=2","a=9&c=4","a=9&c=4"]`},
		{Name: "sort is stable by UTF-16 code units",
			Src:  `const p = new URLSearchParams("z=1&b=2&a=3&b=1&\uFB03=4&😀=5"); p.sort(); return p.toString()`,
			Want: `"a=3&b=2&b=1&z=1&%F0%9F%98%80=5&%EF%AC%83=4"`},
		{Name: "serialization escapes",
			Src:  `const p = new URLSearchParams(); p.append("k", "!'()*~-._ é&=+/?#%"); return p.toString()`,
			Want: `"k=%21%27%28%29*%7E-._+%C3%A9%26%3D%2B%2F%3F%23%25"`},
		{Name: "lone surrogates become U+FFFD",
			Src:  `const p = new URLSearchParams(); p.append("a", "\uD800x"); return [p.get("a") === "\uFFFDx", p.toString()]`,
			Want: `[true,"a=%EF%BF%BDx"]`},
		{Name: "iteration",
			Src: `const p = new URLSearchParams("a=1&b=2"); const out = [];
				for (const [k, v] of p) out.push(k + v);
				p.forEach((v, k) => out.push(k + ":" + v));
				return [out, [...p.keys()], [...p.values()], [...p.entries()]]`,
			Want: `[["a1","b2","a:1","b:2"],["a","b"],["1","2"],[["a","1"],["b","2"]]]`},
		{Name: "fetch-style body",
			Src:  `return [String(new URLSearchParams({ q: "a b" })), Object.prototype.toString.call(new URLSearchParams())]`,
			Want: `["q=a+b","[object URLSearchParams]"]`},
	}, installs...)
}
