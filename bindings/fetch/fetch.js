// The JS half of the fetch binding: Headers, Response and fetch as the
// WHATWG fetch standard (and undici) shape them. It is evaluated once per
// runtime as a function of `native`, the Go half (see binding.go), and
// returns the globals; nothing else leaks into the global scope.
(function (native) {
  "use strict";

  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const TRIM = /^[\t\n\r ]+|[\t\n\r ]+$/g;
  const BAD_VALUE = /[\0\r\n]/;

  function headerName(name, op) {
    name = String(name);
    if (!TOKEN.test(name)) {
      throw new TypeError(`Headers.${op}: "${name}" is an invalid header name.`);
    }
    return name.toLowerCase();
  }

  // Values are never echoed in errors: they may be credentials.
  function headerValue(value, name, op) {
    value = String(value).replace(TRIM, "");
    if (BAD_VALUE.test(value)) {
      throw new TypeError(`Headers.${op}: invalid value for header "${name}" (it contains a NUL, CR or LF).`);
    }
    return value;
  }

  function isIterable(o) {
    return o != null && typeof o[Symbol.iterator] === "function";
  }

  class Headers {
    // lower-case name -> [values], in insertion order of names.
    #map = new Map();

    constructor(init) {
      if (init === undefined || init === null) return;
      if (typeof init !== "object" && typeof init !== "function") {
        throw new TypeError("Headers: init must be an object, an array of [name, value] pairs or a Headers.");
      }
      if (isIterable(init)) {
        for (const pair of init) {
          if (!isIterable(pair) || typeof pair === "string") {
            throw new TypeError("Headers: each header must be a [name, value] pair.");
          }
          const kv = Array.from(pair);
          if (kv.length !== 2) {
            throw new TypeError("Headers: each header must be a [name, value] pair.");
          }
          this.append(kv[0], kv[1]);
        }
        return;
      }
      for (const key of Object.keys(init)) {
        this.append(key, init[key]);
      }
    }

    append(name, value) {
      const n = headerName(name, "append");
      const v = headerValue(value, name, "append");
      const list = this.#map.get(n);
      if (list) list.push(v);
      else this.#map.set(n, [v]);
    }

    set(name, value) {
      const n = headerName(name, "set");
      this.#map.set(n, [headerValue(value, name, "set")]);
    }

    get(name) {
      const list = this.#map.get(headerName(name, "get"));
      return list ? list.join(", ") : null;
    }

    getSetCookie() {
      return (this.#map.get("set-cookie") || []).slice();
    }

    has(name) {
      return this.#map.has(headerName(name, "has"));
    }

    delete(name) {
      this.#map.delete(headerName(name, "delete"));
    }

    // The sorted, combined list the standard iterates; set-cookie values
    // stay separate.
    #sorted() {
      const out = [];
      for (const name of Array.from(this.#map.keys()).sort()) {
        const list = this.#map.get(name);
        if (name === "set-cookie") {
          for (const v of list) out.push([name, v]);
        } else {
          out.push([name, list.join(", ")]);
        }
      }
      return out;
    }

    forEach(callback, thisArg) {
      if (typeof callback !== "function") {
        throw new TypeError("Headers.forEach: callback is not a function.");
      }
      for (const [name, value] of this.#sorted()) {
        callback.call(thisArg, value, name, this);
      }
    }

    *entries() {
      yield* this.#sorted();
    }

    *keys() {
      for (const [name] of this.#sorted()) yield name;
    }

    *values() {
      for (const [, value] of this.#sorted()) yield value;
    }

    [Symbol.iterator]() {
      return this.entries();
    }

    get [Symbol.toStringTag]() {
      return "Headers";
    }

    // Pairs for the Go side, names as given in lower case.
    static pairs(h) {
      const out = [];
      for (const [name, list] of h.#map) {
        for (const v of list) out.push([name, v]);
      }
      return out;
    }
  }

  const headersPairs = Headers.pairs;
  delete Headers.pairs;

  // A body is stored as a native handle: bytes held by Go, decoded on demand.
  // Returns [handle, default content type].
  function extractBody(body) {
    if (body === undefined || body === null) return [null, null];
    if (typeof body === "string") {
      return [native.body(body), "text/plain;charset=UTF-8"];
    }
    if (body instanceof ArrayBuffer) {
      return [native.body(body), null];
    }
    if (ArrayBuffer.isView(body)) {
      return [native.body(new Uint8Array(body.buffer, body.byteOffset, body.byteLength)), null];
    }
    if (typeof URLSearchParams !== "undefined" && body instanceof URLSearchParams) {
      return [native.body(body.toString()), "application/x-www-form-urlencoded;charset=UTF-8"];
    }
    // Later: FormData, Blob, ReadableStream. Anything else is stringified,
    // as the standard's USVString conversion does.
    return [native.body(String(body)), "text/plain;charset=UTF-8"];
  }

  const INTERNAL = Symbol("internal");

  class Response {
    #status = 200;
    #statusText = "";
    #headers;
    #url = "";
    #redirected = false;
    #type = "default";
    #body = null;
    #used = false;

    constructor(body = null, init = {}) {
      if (body === INTERNAL) {
        // Built by fetch from the Go result.
        this.#status = init.status;
        this.#statusText = init.statusText;
        this.#headers = new Headers(init.headers);
        this.#url = init.url;
        this.#redirected = init.redirected;
        this.#type = "basic";
        this.#body = init.body;
        return;
      }
      init = init ?? {};
      const status = init.status === undefined ? 200 : Number(init.status);
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        throw new RangeError(`Response: status ${init.status} is not in the range 200 to 599.`);
      }
      this.#status = status;
      this.#statusText = init.statusText === undefined ? "" : String(init.statusText);
      this.#headers = new Headers(init.headers);
      const [handle, type] = extractBody(body);
      if (handle !== null && [101, 204, 205, 304].includes(status)) {
        throw new TypeError(`Response: a response with status ${status} cannot have a body.`);
      }
      this.#body = handle;
      if (type !== null && !this.#headers.has("content-type")) {
        this.#headers.set("content-type", type);
      }
    }

    get ok() { return this.#status >= 200 && this.#status <= 299; }
    get status() { return this.#status; }
    get statusText() { return this.#statusText; }
    get headers() { return this.#headers; }
    get url() { return this.#url; }
    get redirected() { return this.#redirected; }
    get type() { return this.#type; }
    get bodyUsed() { return this.#used; }
    get [Symbol.toStringTag]() { return "Response"; }

    #consume() {
      if (this.#used) {
        throw new TypeError("Body is unusable: Body has already been read");
      }
      if (this.#body === null) return null;
      this.#used = true;
      return this.#body;
    }

    async text() {
      const body = this.#consume();
      return body === null ? "" : native.text(body);
    }

    async json() {
      const body = this.#consume();
      return JSON.parse(body === null ? "" : native.text(body));
    }

    async arrayBuffer() {
      const body = this.#consume();
      return body === null ? new ArrayBuffer(0) : native.arrayBuffer(body);
    }

    clone() {
      if (this.#used) {
        throw new TypeError("Response.clone: Body has already been consumed.");
      }
      const copy = new Response(INTERNAL, {
        status: this.#status,
        statusText: this.#statusText,
        headers: this.#headers,
        url: this.#url,
        redirected: this.#redirected,
        body: this.#body,
      });
      copy.#type = this.#type;
      return copy;
    }

    static json(data, init = {}) {
      const text = JSON.stringify(data);
      if (text === undefined) {
        throw new TypeError("Response.json: the value cannot be converted to JSON.");
      }
      const headers = new Headers(init?.headers);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return new Response(text, { ...init, headers });
    }
  }

  const METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];

  function normalizeMethod(m) {
    m = String(m);
    if (!TOKEN.test(m)) throw new TypeError(`'${m}' is not a valid HTTP method.`);
    const upper = m.toUpperCase();
    if (upper === "CONNECT" || upper === "TRACE" || upper === "TRACK") {
      throw new TypeError(`'${m}' HTTP method is unsupported.`);
    }
    // PATCH is case-sensitive in the standard, like undici; we are lenient.
    return METHODS.includes(upper) ? upper : m;
  }

  async function fetch(input, init) {
    init = init ?? {};
    if (typeof init !== "object") {
      throw new TypeError("fetch: the second argument must be an options object.");
    }
    let url;
    let method = "GET";
    let headers;
    let body;
    if (input !== null && typeof input === "object" && typeof input.url === "string" && !("href" in input)) {
      // A Request-like object (a Request class comes later).
      url = input.url;
      if (input.method !== undefined) method = input.method;
      headers = input.headers;
      body = input.body;
    } else {
      url = String(input);
    }
    if (init.method !== undefined) method = init.method;
    if (init.headers !== undefined) headers = init.headers;
    if (init.body !== undefined) body = init.body;
    method = normalizeMethod(method);
    if (init.redirect !== undefined && init.redirect !== "follow") {
      // Hook: redirect 'manual' and 'error'.
      throw new TypeError(`fetch: redirect: '${init.redirect}' is not supported yet; only 'follow'.`);
    }
    // Hook: init.signal (AbortSignal) once the runtime has AbortController.
    const h = new Headers(headers);
    const [handle, type] = extractBody(body);
    if (handle !== null && (method === "GET" || method === "HEAD")) {
      throw new TypeError("Request with GET/HEAD method cannot have body.");
    }
    if (type !== null && !h.has("content-type")) h.set("content-type", type);
    const r = await native.fetch(url, method, headersPairs(h), handle);
    return new Response(INTERNAL, r);
  }

  return { fetch, Headers, Response };
})
