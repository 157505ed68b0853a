// WebSocket, MessageEvent and CloseEvent as the WHATWG WebSockets and HTML
// standards define them, over a Go connection (websocket.go): the same HTTP
// client as fetch dials it, so wss trusts the same roots and --connect-to,
// proxies and the plugin's network permissions apply. Messages are read one
// at a time as JS handles them; sends go out in order. Evaluated on first
// use of one of its globals, as a function of (globalThis, native).
(function (g, native) {
  'use strict';
  const DOMException = g.DOMException;
  const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;

  class MessageEvent extends g.Event {
    #data;
    #origin;
    #lastEventId;
    constructor(type, init) {
      super(type, init);
      this.#data = init?.data ?? null;
      this.#origin = init?.origin === undefined ? '' : String(init.origin);
      this.#lastEventId = init?.lastEventId === undefined ? '' : String(init.lastEventId);
    }
    get data() { return this.#data; }
    get origin() { return this.#origin; }
    get lastEventId() { return this.#lastEventId; }
    get source() { return null; }
    get ports() { return []; }
    get [Symbol.toStringTag]() { return 'MessageEvent'; }
  }

  class CloseEvent extends g.Event {
    #wasClean;
    #code;
    #reason;
    constructor(type, init) {
      super(type, init);
      this.#wasClean = !!init?.wasClean;
      this.#code = init?.code === undefined ? 0 : Number(init.code) & 0xffff;
      this.#reason = init?.reason === undefined ? '' : String(init.reason);
    }
    get wasClean() { return this.#wasClean; }
    get code() { return this.#code; }
    get reason() { return this.#reason; }
    get [Symbol.toStringTag]() { return 'CloseEvent'; }
  }

  const utf8Length = (s) => new TextEncoder().encode(s).length;

  function parseURL(url) {
    let u;
    try {
      u = new URL(String(url));
    } catch {
      throw new DOMException(`Failed to construct 'WebSocket': The URL '${String(url)}' is invalid.`, 'SyntaxError');
    }
    if (u.protocol === 'http:') u.protocol = 'ws:';
    else if (u.protocol === 'https:') u.protocol = 'wss:';
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') {
      throw new DOMException(`Failed to construct 'WebSocket': The URL's scheme must be either 'http', 'https', 'ws', or 'wss'. '${u.protocol}' is not allowed.`, 'SyntaxError');
    }
    if (u.hash !== '') {
      throw new DOMException(`Failed to construct 'WebSocket': The URL contains a fragment identifier ('${u.hash}'). Fragment identifiers are not allowed in WebSocket URLs.`, 'SyntaxError');
    }
    return u.href;
  }

  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

  function protocolList(protocols) {
    if (protocols === undefined) return [];
    const list = typeof protocols === 'string' ? [protocols] : Array.from(protocols, String);
    const seen = new Set();
    for (const p of list) {
      if (!TOKEN.test(p) || seen.has(p)) {
        throw new DOMException(`Failed to construct 'WebSocket': The subprotocol '${p}' is invalid${seen.has(p) ? ' (listed twice)' : ''}.`, 'SyntaxError');
      }
      seen.add(p);
    }
    return list;
  }

  const HANDLERS = ['open', 'message', 'error', 'close'];

  class WebSocket extends g.EventTarget {
    #url;
    #state = CONNECTING;
    #protocol = '';
    #extensions = '';
    #binaryType = 'blob';
    #buffered = 0;
    #h = null; // the Go connection once open
    #closeAsked = null; // [code, reason] from close() while connecting
    #queue = Promise.resolve(); // sends (and the close) in order, one at a time

    constructor(url, protocols = undefined) {
      super();
      if (arguments.length === 0) throw new TypeError("Failed to construct 'WebSocket': 1 argument required, but only 0 present.");
      this.#url = parseURL(url);
      const list = protocolList(protocols);
      native.wsDial(this.#url, list).then(
        ([h, protocol, extensions]) => {
          this.#h = h;
          if (this.#closeAsked !== null) {
            this.#enqueue(() => native.wsClose(h, ...this.#closeAsked));
            this.#pump();
            return;
          }
          this.#state = OPEN;
          this.#protocol = protocol;
          this.#extensions = extensions;
          this.dispatchEvent(new g.Event('open'));
          this.#pump();
        },
        (err) => this.#fail(err, 1006, ''),
      );
    }

    get url() { return this.#url; }
    get readyState() { return this.#state; }
    get bufferedAmount() { return this.#buffered; }
    get protocol() { return this.#protocol; }
    get extensions() { return this.#extensions; }
    get binaryType() { return this.#binaryType; }
    set binaryType(v) {
      if (v === 'blob' || v === 'arraybuffer') this.#binaryType = v;
    }

    send(data) {
      if (this.#state === CONNECTING) {
        throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
      }
      // The bytes are taken now (a later change to the buffer is not
      // sent); a Blob's are read first.
      let payload, size;
      if (typeof data === 'string') {
        payload = data;
        size = utf8Length(data);
      } else if (data instanceof ArrayBuffer) {
        payload = new Uint8Array(data.slice(0));
        size = data.byteLength;
      } else if (ArrayBuffer.isView(data)) {
        payload = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
        size = data.byteLength;
      } else if (typeof g.Blob === 'function' && data instanceof g.Blob) {
        payload = data;
        size = data.size;
      } else {
        payload = String(data);
        size = utf8Length(payload);
      }
      if (this.#state !== OPEN) return; // CLOSING or CLOSED: dropped, as browsers do
      this.#buffered += size;
      const h = this.#h;
      this.#enqueue(async () => {
        try {
          if (payload instanceof g.Blob) payload = new Uint8Array(await payload.arrayBuffer());
          await native.wsSend(h, payload);
        } finally {
          this.#buffered -= size;
        }
      });
    }

    // enqueue runs op after the sends before it; a failed send is reported
    // by the read side (the connection ends), not here.
    #enqueue(op) {
      this.#queue = this.#queue.then(op).catch(() => {});
    }

    close(code = undefined, reason = undefined) {
      if (code !== undefined) {
        code = Number(code) & 0xffff;
        if (code !== 1000 && (code < 3000 || code > 4999)) {
          throw new DOMException(`Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`, 'InvalidAccessError');
        }
      }
      reason = reason === undefined ? '' : String(reason);
      if (utf8Length(reason) > 123) {
        throw new DOMException("Failed to execute 'close' on 'WebSocket': The close reason must not be greater than 123 UTF-8 bytes.", 'SyntaxError');
      }
      if (this.#state === CLOSING || this.#state === CLOSED) return;
      const args = [code === undefined ? 1000 : code, reason];
      this.#state = CLOSING;
      if (this.#h === null) this.#closeAsked = args;
      else {
        const h = this.#h;
        this.#enqueue(() => native.wsClose(h, ...args));
      }
    }

    // pump reads the next message when the last one has been handled.
    #pump() {
      native.wsRead(this.#h).then(
        (m) => {
          if (m[0] === 'close') {
            this.#closed(m[1], m[2], true);
            return;
          }
          let data = m[1];
          if (m[0] === 'binary' && this.#binaryType === 'blob') data = new g.Blob([data]);
          this.dispatchEvent(new MessageEvent('message', { data, origin: new URL(this.#url).origin }));
          this.#pump();
        },
        (err) => this.#fail(err, 1006, ''),
      );
    }

    #fail(err, code, reason) {
      if (this.#state === CLOSED) return;
      const ev = new g.Event('error');
      Object.defineProperty(ev, 'message', { value: String(err?.message ?? err) });
      Object.defineProperty(ev, 'error', { value: err });
      this.dispatchEvent(ev);
      this.#closed(code, reason, false);
    }

    #closed(code, reason, wasClean) {
      if (this.#state === CLOSED) return;
      this.#state = CLOSED;
      this.dispatchEvent(new CloseEvent('close', { code, reason, wasClean }));
    }

    get [Symbol.toStringTag]() { return 'WebSocket'; }
  }
  // Event handler attributes: a listener is added when first set, so it
  // runs in that place among the others.
  const handlers = new WeakMap();
  for (const name of HANDLERS) {
    Object.defineProperty(WebSocket.prototype, 'on' + name, {
      get() { return handlers.get(this)?.[name] ?? null; },
      set(fn) {
        let hs = handlers.get(this);
        if (hs === undefined) handlers.set(this, (hs = Object.create(null)));
        const had = name in hs;
        hs[name] = typeof fn === 'function' || (fn !== null && typeof fn === 'object') ? fn : null;
        if (!had) {
          this.addEventListener(name, (ev) => {
            const h = hs[name];
            if (typeof h === 'function') h.call(this, ev);
          });
        }
      },
      configurable: true,
      enumerable: true,
    });
  }
  for (const [k, v] of Object.entries({ CONNECTING, OPEN, CLOSING, CLOSED })) {
    Object.defineProperty(WebSocket, k, { value: v, enumerable: true });
    Object.defineProperty(WebSocket.prototype, k, { value: v, enumerable: true });
  }

  for (const [name, value] of Object.entries({ WebSocket, MessageEvent, CloseEvent })) {
    Object.defineProperty(g, name, { value, writable: true, configurable: true });
  }
})
