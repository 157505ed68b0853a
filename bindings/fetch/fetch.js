// The JS half of the fetch binding: Headers, Request, Response, FormData,
// Blob, File and fetch as the WHATWG fetch standard (and undici, Node's
// fetch) shape them. It is evaluated once per runtime as a function of
// `native`, the Go half (see binding.go and body.go), and returns
// { globals, makeResponse }; nothing else leaks into the global scope.
//
// Bytes live in Go: a body is a native handle (immutable bytes, or a
// response body Go is still reading) that JS only passes around.
(function (native) {
  "use strict";

  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const TRIM = /^[\t\n\r ]+|[\t\n\r ]+$/g;
  const BAD_VALUE = /[\0\r\n]|[^\0-\xff]/;
  const INTERNAL = Symbol("internal");

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
      throw new TypeError(`Headers.${op}: invalid value for header "${name}" (it contains a NUL, CR, LF or a character above U+00FF).`);
    }
    return value;
  }

  function isIterable(o) {
    return o != null && typeof o[Symbol.iterator] === "function";
  }

  function isObject(o) {
    return o !== null && (typeof o === "object" || typeof o === "function");
  }

  // ---------------------------------------------------------------- Headers

  let headersFromFlat; // (flat [name, value, ...] lower-case, guard) -> Headers
  let headersPairs; // Headers -> flat [name, value, ...]
  let immutableCopy; // Headers -> an immutable copy

  class Headers {
    // lower-case name -> [values], in insertion order of names.
    #map = new Map();
    #immutable = false;

    constructor(init) {
      if (init === undefined || init === null) return;
      if (!isObject(init)) {
        throw new TypeError("Headers: init must be an object, an array of [name, value] pairs or a Headers.");
      }
      if (init instanceof Headers) {
        for (const [name, list] of init.#map) this.#map.set(name, list.slice());
        return;
      }
      if (isIterable(init)) {
        for (const pair of init) {
          if (!isIterable(pair) || typeof pair === "string") {
            throw new TypeError("Headers: each header must be a [name, value] pair.");
          }
          const kv = Array.isArray(pair) ? pair : Array.from(pair);
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

    #check(op) {
      if (this.#immutable) {
        throw new TypeError(`Headers.${op}: these headers are immutable (they belong to a response from fetch).`);
      }
    }

    append(name, value) {
      this.#check("append");
      const n = headerName(name, "append");
      const v = headerValue(value, name, "append");
      const list = this.#map.get(n);
      if (list) list.push(v);
      else this.#map.set(n, [v]);
    }

    set(name, value) {
      this.#check("set");
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
      this.#check("delete");
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

    static {
      immutableCopy = (h) => {
        const c = new Headers(h);
        c.#immutable = true;
        return c;
      };
      headersFromFlat = (flat, immutable) => {
        const h = new Headers();
        const map = h.#map;
        for (let i = 0; i < flat.length; i += 2) {
          const list = map.get(flat[i]);
          if (list) list.push(flat[i + 1]);
          else map.set(flat[i], [flat[i + 1]]);
        }
        h.#immutable = immutable;
        return h;
      };
      // What goes on the wire: one line per name with the values combined,
      // as browsers send them (servers often read only the first line),
      // except set-cookie.
      headersPairs = (h) => {
        const out = [];
        for (const [name, list] of h.#map) {
          if (list.length === 1) out.push(name, list[0]);
          else if (name === "set-cookie") for (const v of list) out.push(name, v);
          else out.push(name, list.join(", "));
        }
        return out;
      };
    }
  }


  // ------------------------------------------------------------ Blob, File

  let blobHandle; // Blob -> native handle
  let blobFromHandle; // (handle, type) -> Blob

  function blobType(t) {
    t = t === undefined ? "" : String(t);
    return /^[\x20-\x7e]*$/.test(t) ? t.toLowerCase() : "";
  }

  function bytesPart(p) {
    if (p instanceof Blob) return blobHandle(p);
    if (p instanceof ArrayBuffer) return p;
    if (ArrayBuffer.isView(p)) return new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
    return String(p);
  }

  class Blob {
    #handle;
    #type;

    constructor(parts, options) {
      if (parts === INTERNAL) {
        this.#handle = options.handle;
        this.#type = options.type;
        return;
      }
      if (parts === undefined) parts = [];
      if (!isIterable(parts) || typeof parts === "string") {
        throw new TypeError("Blob: the first argument must be an array of strings, ArrayBuffers, typed arrays or Blobs.");
      }
      const list = [];
      for (const p of parts) list.push(bytesPart(p));
      this.#handle = native.concat(list);
      this.#type = blobType(options?.type);
    }

    get size() { return native.size(this.#handle); }
    get type() { return this.#type; }
    get [Symbol.toStringTag]() { return "Blob"; }

    slice(start, end, contentType) {
      const size = native.size(this.#handle);
      const clamp = (v, d) => {
        if (v === undefined) return d;
        v = Math.trunc(Number(v)) || 0;
        return v < 0 ? Math.max(size + v, 0) : Math.min(v, size);
      };
      const from = clamp(start, 0);
      const to = Math.max(clamp(end, size), from);
      return new Blob(INTERNAL, { handle: native.slice(this.#handle, from, to), type: blobType(contentType) });
    }

    async text() { return native.text(this.#handle); }
    async arrayBuffer() { return native.arrayBuffer(this.#handle); }
    stream() { return new Body(this.#handle).stream; }
    async bytes() { return new Uint8Array(native.arrayBuffer(this.#handle)); }

    static {
      blobHandle = (b) => b.#handle;
      blobFromHandle = (handle, type) => new Blob(INTERNAL, { handle, type: blobType(type) });
    }
  }

  class File extends Blob {
    #name;
    #lastModified;

    constructor(parts, name, options) {
      if (arguments.length < 2) {
        throw new TypeError("File: 2 arguments required (bits and a file name).");
      }
      super(parts, options);
      this.#name = String(name);
      const lm = options?.lastModified;
      this.#lastModified = lm === undefined ? Date.now() : Math.trunc(Number(lm)) || 0;
    }

    get name() { return this.#name; }
    get lastModified() { return this.#lastModified; }
    get [Symbol.toStringTag]() { return "File"; }
  }

  // --------------------------------------------------------------- FormData

  let formEntries; // FormData -> [[name, string | File], ...]

  function formValue(value, filename, op, nargs) {
    if (value instanceof Blob) {
      if (filename !== undefined) {
        return new File([value], filename, { type: value.type, lastModified: value instanceof File ? value.lastModified : undefined });
      }
      if (value instanceof File) return value;
      return new File([value], "blob", { type: value.type });
    }
    if (nargs > 2) {
      throw new TypeError(`FormData.${op}: a file name is only allowed with a Blob or File value.`);
    }
    return String(value);
  }

  class FormData {
    #entries = [];

    constructor(form) {
      if (form !== undefined) {
        throw new TypeError("FormData: the host has no HTML forms; create an empty FormData and append() to it.");
      }
    }

    append(name, value, filename) {
      this.#entries.push([String(name), formValue(value, filename, "append", arguments.length)]);
    }

    set(name, value, filename) {
      name = String(name);
      const entry = [name, formValue(value, filename, "set", arguments.length)];
      const i = this.#entries.findIndex((e) => e[0] === name);
      if (i < 0) {
        this.#entries.push(entry);
        return;
      }
      this.#entries[i] = entry;
      this.#entries = this.#entries.filter((e, j) => j <= i || e[0] !== name);
    }

    get(name) {
      name = String(name);
      const e = this.#entries.find((e) => e[0] === name);
      return e ? e[1] : null;
    }

    getAll(name) {
      name = String(name);
      return this.#entries.filter((e) => e[0] === name).map((e) => e[1]);
    }

    has(name) {
      name = String(name);
      return this.#entries.some((e) => e[0] === name);
    }

    delete(name) {
      name = String(name);
      this.#entries = this.#entries.filter((e) => e[0] !== name);
    }

    forEach(callback, thisArg) {
      if (typeof callback !== "function") {
        throw new TypeError("FormData.forEach: callback is not a function.");
      }
      for (const [name, value] of this.#entries.slice()) callback.call(thisArg, value, name, this);
    }

    *entries() {
      for (const [name, value] of this.#entries.slice()) yield [name, value];
    }

    *keys() {
      for (const [name] of this.#entries.slice()) yield name;
    }

    *values() {
      for (const [, value] of this.#entries.slice()) yield value;
    }

    [Symbol.iterator]() {
      return this.entries();
    }

    get [Symbol.toStringTag]() {
      return "FormData";
    }

    static {
      formEntries = (f) => f.#entries;
    }
  }

  // ----------------------------------------------------------------- bodies

  // Streams (bindings/web) load on first use: touch ReadableStream only for
  // an object, so a string or bytes body never loads them.
  function isReadableStream(body) {
    return isObject(body) && typeof body.getReader === "function" && body instanceof globalThis.ReadableStream;
  }

  // collect reads a stream of Uint8Array chunks to its end -> a handle.
  async function collect(stream) {
    const reader = stream.getReader();
    const chunks = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) {
        throw new TypeError("Body: a body stream must give Uint8Array chunks, not " + (value === null ? "null" : typeof value) + ".");
      }
      chunks.push(value);
    }
    return native.concat(chunks);
  }

  // pump writes a request body stream into the request's pipe, each chunk
  // once the request has taken the last one.
  async function pump(stream, pipe) {
    let reader;
    try {
      reader = stream.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!(value instanceof Uint8Array)) {
          throw new TypeError("fetch: a request body stream must give Uint8Array chunks, not " + (value === null ? "null" : typeof value) + ".");
        }
        await native.pipeWrite(pipe, value);
      }
      native.pipeClose(pipe, null);
    } catch (e) {
      native.pipeClose(pipe, String(e?.message ?? e));
      reader?.cancel(e).catch(() => {});
    }
  }

  function isURLSearchParams(body) {
    const USP = globalThis.URLSearchParams;
    if (typeof USP === "function" && body instanceof USP) return true;
    return Object.prototype.toString.call(body) === "[object URLSearchParams]";
  }

  // extractBody turns a BodyInit into [handle, default content type].
  function extractBody(body) {
    if (body === undefined || body === null) return [null, null];
    if (isReadableStream(body)) {
      if (body.locked) throw new TypeError("fetch: the body stream is locked (a reader holds it); pass an unread stream.");
      return [null, null, body];
    }
    if (typeof body === "string") {
      return [native.body(body), "text/plain;charset=UTF-8"];
    }
    if (body instanceof ArrayBuffer) {
      return [native.body(body), null];
    }
    if (ArrayBuffer.isView(body)) {
      return [native.body(new Uint8Array(body.buffer, body.byteOffset, body.byteLength)), null];
    }
    if (body instanceof Blob) {
      return [blobHandle(body), body.type === "" ? null : body.type];
    }
    if (body instanceof FormData) {
      const list = [];
      for (const [name, value] of formEntries(body)) {
        if (typeof value === "string") list.push([name, value]);
        else list.push([name, blobHandle(value), value.name, value.type]);
      }
      const [handle, boundary] = native.multipart(list);
      return [handle, "multipart/form-data; boundary=" + boundary];
    }
    if (isURLSearchParams(body)) {
      return [native.body(body.toString()), "application/x-www-form-urlencoded;charset=UTF-8"];
    }
    // Anything else is stringified, as the standard's USVString conversion
    // does.
    return [native.body(String(body)), "text/plain;charset=UTF-8"];
  }

  // Body is a request's or response's body: the handle (null for no body),
  // whether it was read, and for fetch responses the request's signal and
  // the function that stops listening to it.
  class Body {
    #handle;
    #used = false;
    #signal = null;
    #release = null;
    #stream = null; // the body as a ReadableStream: given, or made by .body

    constructor(handle, stream = null) {
      this.#handle = handle;
      this.#stream = stream;
    }

    get handle() { return this.#handle; }
    get used() { return this.#used || (this.#stream !== null && this.#stream.locked); }
    // streamed is the body's stream if it has one yet (a Request body given as
    // a stream is sent through a pipe).
    get streamed() { return this.#stream; }

    // stream is the .body getter: null for no body, else one ReadableStream.
    // A network body not read yet is pulled from Go chunk by chunk, each
    // chunk read only when JS asks for it; other bodies are one chunk.
    get stream() {
      if (this.#stream !== null || this.#handle === null) return this.#stream;
      const h = this.#handle;
      const RS = globalThis.ReadableStream;
      if (native.streamable(h)) {
        const signal = this.#signal;
        this.#stream = new RS({
          pull: (c) => {
            this.#used = true;
            return Promise.resolve(native.read(h)).then(
              (chunks) => {
                if (chunks !== null) {
                  for (const b of chunks) c.enqueue(new Uint8Array(b));
                  return;
                }
                this.#stopListening();
                c.close();
              },
              (e) => {
                this.#stopListening();
                throw signal !== null && signal.aborted ? signal.reason : e;
              },
            );
          },
          cancel: () => {
            this.#used = true;
            this.#stopListening();
            native.cancel(h);
          },
        }, { highWaterMark: 0 }); // Go reads ahead (streamAhead), not the stream
      } else {
        this.#stream = new RS({
          pull: (c) => {
            this.#used = true;
            const n = native.size(h);
            if (n > 0) c.enqueue(new Uint8Array(native.arrayBuffer(h)));
            c.close();
          },
          cancel: () => { this.#used = true; },
        }, { highWaterMark: 0 });
      }
      return this.#stream;
    }

    // take marks the body used without reading it (a Request's body moved
    // into another Request or a fetch).
    take() {
      if (this.#handle !== null) this.#used = true;
    }

    attach(signal, release) {
      this.#signal = signal;
      this.#release = release;
    }

    // copy is clone()'s body: the same bytes, or a tee of the stream (a
    // network body still to arrive is streamed for both).
    copy() {
      const c = new Body(this.#handle);
      c.#signal = this.#signal;
      c.#release = this.#release;
      if (this.#stream !== null || (this.#handle !== null && native.streamable(this.#handle))) {
        [this.#stream, c.#stream] = this.stream.tee();
      }
      return c;
    }

    // read waits until the body is complete and converts it; an aborted
    // request's body rejects with the signal's reason, as in browsers. A
    // complete body without a signal (the common case) converts at once.
    read(convert) {
      if (this.used) {
        return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
      }
      if (this.#stream !== null) {
        this.#used = true;
        return collect(this.#stream).then(convert);
      }
      const h = this.#handle;
      if (h !== null) this.#used = true;
      if (h === null || native.ready(h)) {
        const signal = this.#signal;
        if (signal !== null) {
          this.#stopListening();
          if (signal.aborted) return Promise.reject(signal.reason);
        }
        try {
          return Promise.resolve(convert(h));
        } catch (e) {
          return Promise.reject(e);
        }
      }
      return this.#readLater(h, convert);
    }

    async #readLater(h, convert) {
      const signal = this.#signal;
      try {
        await native.wait(h);
        if (signal !== null && signal.aborted) throw signal.reason;
        return convert(h);
      } catch (e) {
        if (signal !== null && signal.aborted) throw signal.reason;
        throw e;
      } finally {
        this.#stopListening();
      }
    }

    #stopListening() {
      if (this.#release !== null) {
        this.#release();
        this.#release = null;
      }
    }
  }

  const toText = (h) => (h === null ? "" : native.text(h));
  // json() is JSON.parse of text(): a 100 KB API response parses in a few
  // ms, and a parser of host's own paid for no gain a user sees.
  const toJSON = (h) => JSON.parse(h === null ? "" : native.text(h));
  const toArrayBuffer = (h) => (h === null ? new ArrayBuffer(0) : native.arrayBuffer(h));

  // toFormData reads a body as FormData: urlencoded or multipart, as the
  // body's Content-Type says (parsed in Go); anything else is a TypeError.
  const toFormData = (type, who) => (h) => {
    const form = new FormData();
    for (const e of native.parseForm(h, type ?? "", who)) {
      if (e.length === 2) form.append(e[0], e[1]);
      else form.append(e[0], new File([blobFromHandle(e[1], e[3])], e[2], { type: e[3] }));
    }
    return form;
  };

  // ---------------------------------------------------------------- Request

  const METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];
  const REDIRECTS = ["follow", "manual", "error"];

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

  function checkSignal(s, who) {
    if (s === undefined || s === null) return null;
    if (!isObject(s) || typeof s.addEventListener !== "function" || !("aborted" in s)) {
      throw new TypeError(`${who}: signal must be an AbortSignal (from an AbortController or AbortSignal.timeout()).`);
    }
    return s;
  }

  let requestParts; // Request -> its internal state, for fetch

  // prepare resolves fetch's or Request's (input, init) into what a request
  // is made of: [url, method, headers (init or null), handle, type (the
  // body's default content type), redirect, signal] (an array: cheaper than
  // an object in goja). A Request input with a
  // body is marked used (the body moves). fetch leaves a string URL to the Go
  // side to check; Request checks it here.
  function prepare(input, init, who) {
    let url;
    let method = "GET";
    let headers = null;
    let handle = null;
    let type = null;
    let redirect = "follow";
    let signal = null;
    let source = null;
    let stream = null;
    if (typeof input === "string") {
      url = who === "fetch" ? input : native.url(input);
    } else if (input instanceof Request) {
      source = requestParts(input);
      if (source.body.used) {
        throw new TypeError(`${who}: cannot use a Request whose body has already been read.`);
      }
      url = source.url;
      method = source.method;
      headers = source.headers;
      handle = source.body.handle;
      stream = source.body.streamed;
      redirect = source.redirect;
      signal = source.signal;
    } else if (isObject(input) && typeof input.url === "string" && !("href" in input)) {
      // A Request-like plain object.
      url = native.url(input.url);
      if (input.method !== undefined) method = normalizeMethod(input.method);
      if (input.headers !== undefined) headers = input.headers;
      if (input.body !== undefined) [handle, type, stream = null] = extractBody(input.body);
    } else {
      url = native.url(String(input));
    }
    if (init !== undefined && init !== null) {
      if (!isObject(init)) {
        throw new TypeError(`${who}: the second argument must be an options object.`);
      }
      if (init.method !== undefined) method = normalizeMethod(init.method);
      if (init.headers !== undefined) headers = init.headers;
      if (init.body !== undefined) {
        [handle, type, stream = null] = extractBody(init.body);
        source = null; // the input's body is not used
        if (stream !== null && init.duplex !== "half") {
          throw new TypeError(`${who}: a ReadableStream body needs duplex: 'half' in the options (the request is sent as the stream is read).`);
        }
      }
      if (init.redirect !== undefined) {
        redirect = String(init.redirect);
        if (!REDIRECTS.includes(redirect)) {
          throw new TypeError(`${who}: redirect must be 'follow', 'manual' or 'error', not '${redirect}'.`);
        }
      }
      if (init.signal !== undefined) signal = checkSignal(init.signal, who);
    }
    if ((handle !== null || stream !== null) && (method === "GET" || method === "HEAD")) {
      throw new TypeError("Request with GET/HEAD method cannot have body.");
    }
    if (source !== null) source.body.take();
    return [url, method, headers, handle, type, redirect, signal, stream];
  }

  // requestHeaders builds a request's Headers, adding the body's content
  // type unless one was given.
  function requestHeaders(init, type) {
    const h = new Headers(init);
    if (type !== null && !h.has("content-type")) h.set("content-type", type);
    return h;
  }

  class Request {
    #p;

    constructor(input, init) {
      if (input === INTERNAL) {
        this.#p = init;
        return;
      }
      if (arguments.length === 0) {
        throw new TypeError("Request: 1 argument required (a URL or a Request).");
      }
      const p = prepare(input, init, "Request");
      this.#p = { url: p[0], method: p[1], headers: requestHeaders(p[2], p[4]), body: new Body(p[3], p[7]), redirect: p[5], signal: p[6] };
    }

    get url() { return this.#p.url; }
    get method() { return this.#p.method; }
    get headers() { return this.#p.headers; }
    get redirect() { return this.#p.redirect; }
    get signal() {
      // Every Request has a signal; one that never aborts when none was given.
      if (this.#p.signal === null && typeof globalThis.AbortController === "function") {
        this.#p.signal = new globalThis.AbortController().signal;
      }
      return this.#p.signal;
    }
    get body() { return this.#p.body.stream; }
    get bodyUsed() { return this.#p.body.used; }
    get duplex() { return "half"; }
    get [Symbol.toStringTag]() { return "Request"; }

    text() { return this.#p.body.read(toText); }
    json() { return this.#p.body.read(toJSON); }
    arrayBuffer() { return this.#p.body.read(toArrayBuffer); }
    async bytes() { return new Uint8Array(await this.#p.body.read(toArrayBuffer)); }
    blob() {
      const type = this.#p.headers.get("content-type") ?? "";
      return this.#p.body.read((h) => blobFromHandle(h ?? native.concat([]), type));
    }
    formData() { return this.#p.body.read(toFormData(this.#p.headers.get("content-type"), "Request")); }

    clone() {
      if (this.#p.body.used) {
        throw new TypeError("Request.clone: Body has already been consumed.");
      }
      return new Request(INTERNAL, { ...this.#p, headers: new Headers(this.#p.headers), body: this.#p.body.copy() });
    }

    static {
      requestParts = (r) => r.#p;
    }
  }

  // --------------------------------------------------------------- Response

  const NULL_BODY = [101, 103, 204, 205, 304];
  const REDIRECT_STATUS = [301, 302, 303, 307, 308];

  let makeResponse; // Go builds fetch results with this
  let attachSignal; // (Response, signal, release) for fetch with a signal

  class Response {
    #status = 200;
    #statusText = "";
    #headers = null;
    #url = "";
    #redirected = false;
    #type = "default";
    #body;

    constructor(body = null, init = undefined) {
      if (body === INTERNAL) {
        this.#body = new Body(init); // init is the handle
        return;
      }
      if (init !== undefined && init !== null && !isObject(init)) {
        throw new TypeError("Response: the second argument must be an options object.");
      }
      init = init ?? {};
      const status = init.status === undefined ? 200 : Number(init.status);
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        throw new RangeError(`Response: status ${init.status} is not in the range 200 to 599.`);
      }
      this.#status = status;
      this.#statusText = init.statusText === undefined ? "" : String(init.statusText);
      this.#headers = new Headers(init.headers);
      const [handle, type, stream = null] = extractBody(body);
      if ((handle !== null || stream !== null) && NULL_BODY.includes(status)) {
        throw new TypeError(`Response: a response with status ${status} cannot have a body.`);
      }
      this.#body = new Body(handle, stream);
      if (type !== null && !this.#headers.has("content-type")) {
        this.#headers.set("content-type", type);
      }
    }

    get ok() { return this.#status >= 200 && this.#status <= 299; }
    get status() { return this.#status; }
    get statusText() { return this.#statusText; }
    get headers() {
      if (this.#headers === null) {
        // A response from fetch: its headers stay in Go until asked for.
        this.#headers = headersFromFlat(native.headers(this.#body.handle), true);
      }
      return this.#headers;
    }
    get url() { return this.#url; }
    get redirected() { return this.#redirected; }
    get type() { return this.#type; }
    // A null body status (204, 304, ...) has no body to stream.
    get body() { return NULL_BODY.includes(this.#status) ? null : this.#body.stream; }
    get bodyUsed() { return this.#body.used; }
    get [Symbol.toStringTag]() { return "Response"; }

    text() { return this.#body.read(toText); }
    json() { return this.#body.read(toJSON); }
    arrayBuffer() { return this.#body.read(toArrayBuffer); }
    async bytes() { return new Uint8Array(await this.#body.read(toArrayBuffer)); }
    blob() {
      const type = this.headers.get("content-type") ?? "";
      return this.#body.read((h) => blobFromHandle(h ?? native.concat([]), type));
    }
    formData() { return this.#body.read(toFormData(this.headers.get("content-type"), "Response")); }

    clone() {
      if (this.#body.used) {
        throw new TypeError("Response.clone: Body has already been consumed.");
      }
      const c = new Response(INTERNAL, null);
      c.#status = this.#status;
      c.#statusText = this.#statusText;
      const h = this.headers;
      c.#headers = this.#type === "default" ? new Headers(h) : immutableCopy(h);
      c.#url = this.#url;
      c.#redirected = this.#redirected;
      c.#type = this.#type;
      c.#body = this.#body.copy();
      return c;
    }

    static json(data, init = undefined) {
      const text = JSON.stringify(data);
      if (text === undefined) {
        throw new TypeError("Response.json: the value cannot be converted to JSON.");
      }
      const headers = new Headers(init?.headers);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return new Response(text, { ...init, headers });
    }

    static error() {
      const r = new Response(INTERNAL, null);
      r.#status = 0;
      r.#headers = headersFromFlat([], true);
      r.#type = "error";
      return r;
    }

    static redirect(url, status = 302) {
      url = native.url(String(url));
      status = Number(status);
      if (!REDIRECT_STATUS.includes(status)) {
        throw new RangeError(`Response.redirect: ${status} is not a redirect status (301, 302, 303, 307 or 308).`);
      }
      const r = new Response(INTERNAL, null);
      r.#status = status;
      r.#headers = headersFromFlat(["location", url], true);
      return r;
    }

    static {
      makeResponse = (status, statusText, url, redirected, handle) => {
        const r = new Response(INTERNAL, handle);
        r.#status = status;
        r.#statusText = statusText;
        r.#url = url;
        r.#redirected = redirected;
        r.#type = "basic";
        return r;
      };
      // The signal still decides whether the body may be read; its listener
      // (which cancels the Go request) is needed only while Go reads.
      attachSignal = (r, signal, release) => {
        const h = r.#body.handle;
        if (h === null || native.ready(h)) {
          release();
          release = null;
        }
        r.#body.attach(signal, release);
      };
    }
  }

  // ------------------------------------------------------------------ fetch

  const REDIRECT_MODE = { follow: 0, manual: 1, error: 2 };

  function start(input, init) {
    const p = prepare(input, init, "fetch");
    const url = p[0], method = p[1], type = p[4], signal = p[6], stream = p[7];
    // A stream body is written into a pipe the request reads as it sends.
    const handle = stream !== null ? native.pipe() : p[3];
    let pairs;
    if (p[2] !== null) pairs = headersPairs(requestHeaders(p[2], type));
    else if (type !== null) pairs = ["content-type", type];
    else pairs = null;
    const mode = REDIRECT_MODE[p[5]];
    if (signal === null) {
      const sent = native.fetch(url, method, pairs, handle, mode, null);
      if (stream !== null) pump(stream, handle);
      return sent;
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    const token = native.token();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        native.abort(token);
        reject(signal.reason);
      };
      const release = () => signal.removeEventListener("abort", onAbort);
      let sent;
      try {
        sent = native.fetch(url, method, pairs, handle, mode, token);
      } catch (e) {
        reject(e);
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      if (stream !== null) pump(stream, handle);
      sent.then(
        (res) => {
          if (signal.aborted) return; // already rejected
          attachSignal(res, signal, release);
          resolve(res);
        },
        (err) => {
          release();
          reject(signal.aborted ? signal.reason : err);
        },
      );
    });
  }

  function fetch(input, init) {
    if (arguments.length === 0) {
      return Promise.reject(new TypeError("fetch: 1 argument required (a URL or a Request)."));
    }
    try {
      return start(input, init);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  return {
    globals: { fetch, Headers, Request, Response, FormData, Blob, File },
    makeResponse,
  };
})
