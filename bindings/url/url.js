// URL and URLSearchParams as the WHATWG URL standard defines them. The
// parser and the URL record live in Go (native.url*); this file is the class
// surface, the live link between url.search and url.searchParams, and the
// application/x-www-form-urlencoded list.
(function (g, native) {
  'use strict';
  const INTERNAL = Symbol('internal');

  // toUSV replaces lone surrogates with U+FFFD, as WebIDL's USVString does.
  const SURROGATE = /[\uD800-\uDFFF]/;
  function toUSV(v) {
    const s = String(v);
    if (!SURROGATE.test(s)) return s;
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          out += s[i] + s[i + 1];
          i++;
          continue;
        }
      }
      out += c >= 0xd800 && c <= 0xdfff ? '\uFFFD' : s[i];
    }
    return out;
  }

  // invalidURL is Node's error for a URL that does not parse. The input
  // stays out of the message (it may carry a token) and sits in .input.
  function invalidURL(input, base) {
    const e = new TypeError('Invalid URL');
    e.code = 'ERR_INVALID_URL';
    e.input = input;
    if (base !== undefined) e.base = base;
    return e;
  }

  let attachParams; // (params, url) -> void, set in URLSearchParams' static block
  let resetParams; // (params, query string) -> void

  class URLSearchParams {
    #list = [];
    #url = null;

    constructor(init = '') {
      if (init === INTERNAL) return;
      if (init !== null && (typeof init === 'object' || typeof init === 'function')) {
        const iter = init[Symbol.iterator];
        if (iter !== undefined && iter !== null) {
          if (typeof iter !== 'function') throw new TypeError("Failed to construct 'URLSearchParams': The object's @@iterator is not callable.");
          for (const pair of init) {
            if (pair === null || (typeof pair !== 'object' && typeof pair !== 'function') || typeof pair[Symbol.iterator] !== 'function') {
              throw new TypeError("Failed to construct 'URLSearchParams': The provided value cannot be converted to a sequence.");
            }
            const kv = Array.from(pair);
            if (kv.length !== 2) {
              throw new TypeError("Failed to construct 'URLSearchParams': Sequence initializer must only contain pair elements");
            }
            this.#list.push([toUSV(kv[0]), toUSV(kv[1])]);
          }
        } else {
          for (const key of Reflect.ownKeys(init)) {
            if (typeof key !== 'string') continue;
            const desc = Reflect.getOwnPropertyDescriptor(init, key);
            if (desc === undefined || !desc.enumerable) continue;
            this.#list.push([toUSV(key), toUSV(init[key])]);
          }
        }
        return;
      }
      let s = toUSV(init);
      if (s.charCodeAt(0) === 0x3f) s = s.slice(1);
      this.#list = native.formParse(s);
    }

    static {
      attachParams = (p, url) => { p.#url = url; };
      resetParams = (p, query) => { p.#list = query === '' ? [] : native.formParse(query); };
    }

    #update() {
      if (this.#url !== null) urlSetQuery(this.#url, this.toString());
    }

    get size() { return this.#list.length; }

    append(name, value) {
      if (arguments.length < 2) throw argCount('append', 2, arguments.length);
      this.#list.push([toUSV(name), toUSV(value)]);
      this.#update();
    }

    delete(name, value) {
      if (arguments.length < 1) throw argCount('delete', 1, 0);
      name = toUSV(name);
      if (value === undefined) {
        this.#list = this.#list.filter((p) => p[0] !== name);
      } else {
        value = toUSV(value);
        this.#list = this.#list.filter((p) => p[0] !== name || p[1] !== value);
      }
      this.#update();
    }

    get(name) {
      if (arguments.length < 1) throw argCount('get', 1, 0);
      name = toUSV(name);
      const list = this.#list;
      for (let i = 0; i < list.length; i++) if (list[i][0] === name) return list[i][1];
      return null;
    }

    getAll(name) {
      if (arguments.length < 1) throw argCount('getAll', 1, 0);
      name = toUSV(name);
      const out = [];
      const list = this.#list;
      for (let i = 0; i < list.length; i++) if (list[i][0] === name) out.push(list[i][1]);
      return out;
    }

    has(name, value) {
      if (arguments.length < 1) throw argCount('has', 1, 0);
      name = toUSV(name);
      if (value === undefined) return this.#list.some((p) => p[0] === name);
      value = toUSV(value);
      return this.#list.some((p) => p[0] === name && p[1] === value);
    }

    set(name, value) {
      if (arguments.length < 2) throw argCount('set', 2, arguments.length);
      name = toUSV(name);
      value = toUSV(value);
      const i = this.#list.findIndex((p) => p[0] === name);
      if (i < 0) {
        this.#list.push([name, value]);
      } else {
        this.#list[i][1] = value;
        this.#list = this.#list.filter((p, j) => j <= i || p[0] !== name);
      }
      this.#update();
    }

    // sort orders by name in UTF-16 code units, keeping the order of equal
    // names (a stable sort, as the standard requires).
    sort() {
      const indexed = this.#list.map((p, i) => [p, i]);
      indexed.sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1]));
      this.#list = indexed.map((x) => x[0]);
      this.#update();
    }

    forEach(callback, thisArg) {
      if (typeof callback !== 'function') {
        throw new TypeError("Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not of type 'Function'.");
      }
      for (let i = 0; i < this.#list.length; i++) {
        const p = this.#list[i];
        callback.call(thisArg, p[1], p[0], this);
      }
    }

    *entries() {
      for (let i = 0; i < this.#list.length; i++) yield [this.#list[i][0], this.#list[i][1]];
    }

    *keys() {
      for (let i = 0; i < this.#list.length; i++) yield this.#list[i][0];
    }

    *values() {
      for (let i = 0; i < this.#list.length; i++) yield this.#list[i][1];
    }

    toString() {
      let out = '';
      const list = this.#list;
      for (let i = 0; i < list.length; i++) {
        if (i > 0) out += '&';
        out += native.formPair(list[i][0], list[i][1]);
      }
      return out;
    }
  }
  Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
    value: URLSearchParams.prototype.entries, writable: true, configurable: true,
  });
  Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams', configurable: true });

  function argCount(method, need, got) {
    return new TypeError(`Failed to execute '${method}' on 'URLSearchParams': ${need} argument${need > 1 ? 's' : ''} required, but only ${got} present.`);
  }

  let urlSetQuery; // (url, serialized query) -> void, set in URL's static block

  class URL {
    #h; // the Go URL record
    #params = null;

    // The constructor is hot (plugins build request URLs in loops): no
    // `arguments`, and Go does the USVString conversion of its inputs.
    constructor(url, base) {
      const input = String(url);
      let h;
      if (base === undefined) {
        h = native.urlParse(input, null);
      } else {
        const b = String(base);
        const bh = native.urlParse(b, null);
        if (bh === null) throw invalidURL(input, b);
        h = native.urlParse(input, bh);
        if (h === null) throw invalidURL(input, b);
      }
      if (h === null) throw invalidURL(input);
      this.#h = h;
    }

    static {
      urlSetQuery = (u, q) => native.urlSetQuery(u.#h, q);
    }

    static canParse(url, base) {
      if (arguments.length < 1) throw new TypeError("Failed to execute 'canParse' on 'URL': 1 argument required, but only 0 present.");
      return URL.parse(url, base) !== null;
    }

    static parse(url, base) {
      if (arguments.length < 1) throw new TypeError("Failed to execute 'parse' on 'URL': 1 argument required, but only 0 present.");
      try {
        return new URL(url, base);
      } catch {
        return null;
      }
    }

    static createObjectURL() {
      throw notSupported('URL.createObjectURL');
    }

    static revokeObjectURL() {
      throw notSupported('URL.revokeObjectURL');
    }

    get searchParams() {
      if (this.#params === null) {
        const p = new URLSearchParams(INTERNAL);
        resetParams(p, native.urlGet(this.#h, 'query'));
        attachParams(p, this);
        this.#params = p;
      }
      return this.#params;
    }

    #setter(name, value) {
      const queryChanged = native.urlSet(this.#h, name, String(value));
      if (queryChanged && this.#params !== null) resetParams(this.#params, native.urlGet(this.#h, 'query'));
    }

    get href() { return native.urlGet(this.#h, 'href'); }
    set href(v) {
      const s = String(v);
      if (!native.urlSetHref(this.#h, s)) throw invalidURL(s);
      if (this.#params !== null) resetParams(this.#params, native.urlGet(this.#h, 'query'));
    }
    get origin() { return native.urlGet(this.#h, 'origin'); }
    get protocol() { return native.urlGet(this.#h, 'protocol'); }
    set protocol(v) { this.#setter('protocol', v); }
    get username() { return native.urlGet(this.#h, 'username'); }
    set username(v) { this.#setter('username', v); }
    get password() { return native.urlGet(this.#h, 'password'); }
    set password(v) { this.#setter('password', v); }
    get host() { return native.urlGet(this.#h, 'host'); }
    set host(v) { this.#setter('host', v); }
    get hostname() { return native.urlGet(this.#h, 'hostname'); }
    set hostname(v) { this.#setter('hostname', v); }
    get port() { return native.urlGet(this.#h, 'port'); }
    set port(v) { this.#setter('port', v); }
    get pathname() { return native.urlGet(this.#h, 'pathname'); }
    set pathname(v) { this.#setter('pathname', v); }
    get search() { return native.urlGet(this.#h, 'search'); }
    set search(v) { this.#setter('search', v); }
    get hash() { return native.urlGet(this.#h, 'hash'); }
    set hash(v) { this.#setter('hash', v); }

    toString() { return native.urlGet(this.#h, 'href'); }
    toJSON() { return native.urlGet(this.#h, 'href'); }
  }
  Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });

  function notSupported(what) {
    return new DOMException(`${what} is not supported by host (there are no Blobs)`, 'NotSupportedError');
  }

  for (const [name, value] of [['URL', URL], ['URLSearchParams', URLSearchParams]]) {
    Object.defineProperty(g, name, { value, writable: true, configurable: true });
  }
  native.platformClasses.push(URL, URLSearchParams);
})
