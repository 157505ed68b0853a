// AbortController and AbortSignal as the DOM standard defines them, on
// EventTarget (events.js): aborted, reason, throwIfAborted, onabort, the
// 'abort' event, AbortSignal.abort(reason), AbortSignal.timeout(ms) and
// AbortSignal.any(signals). The default reasons are DOMExceptions named
// AbortError and TimeoutError once the web globals are installed.
(function (g) {
  'use strict';
  const makeError = (name, message) => {
    if (typeof g.DOMException === 'function') return new g.DOMException(message, name);
    const e = new Error(message);
    e.name = name;
    return e;
  };
  const internal = Symbol('abort-internal');
  let abortSignal; // (AbortSignal, reason): AbortController's way in
  const handlers = new WeakMap(); // AbortSignal -> its onabort value
  class AbortSignal extends g.EventTarget {
    #aborted = false;
    #reason = undefined;
    constructor(key) {
      if (key !== internal) throw new TypeError('Illegal constructor');
      super();
    }
    get aborted() { return this.#aborted; }
    get reason() { return this.#reason; }
    throwIfAborted() { if (this.#aborted) throw this.#reason; }
    // An event handler attribute: its listener is added when first set, so
    // it runs in that place among the other listeners.
    get onabort() { return handlers.get(this) ?? null; }
    set onabort(fn) {
      const had = handlers.has(this);
      handlers.set(this, typeof fn === 'function' || (fn !== null && typeof fn === 'object') ? fn : null);
      if (!had) {
        this.addEventListener('abort', (ev) => {
          const h = handlers.get(this);
          if (typeof h === 'function') return h.call(this, ev);
        });
      }
    }
    static abort(reason) {
      const s = new AbortSignal(internal);
      s.#abort(reason);
      return s;
    }
    static timeout(ms) {
      const s = new AbortSignal(internal);
      setTimeout(() => s.#abort(makeError('TimeoutError', 'The operation was aborted due to timeout')), ms);
      return s;
    }
    static any(signals) {
      const s = new AbortSignal(internal);
      for (const x of signals) {
        if (x.aborted) { s.#abort(x.reason); return s; }
      }
      for (const x of signals) x.addEventListener('abort', () => s.#abort(x.reason), { once: true });
      return s;
    }
    #abort(reason) {
      if (this.#aborted) return;
      this.#aborted = true;
      this.#reason = reason === undefined ? makeError('AbortError', 'This operation was aborted') : reason;
      this.dispatchEvent(new g.Event('abort'));
    }
    get [Symbol.toStringTag]() { return 'AbortSignal'; }
    static {
      abortSignal = (s, reason) => s.#abort(reason);
    }
  }
  class AbortController {
    #signal = new AbortSignal(internal);
    get signal() { return this.#signal; }
    abort(reason) { abortSignal(this.#signal, reason); }
    get [Symbol.toStringTag]() { return 'AbortController'; }
  }
  Object.defineProperty(g, 'AbortSignal', { value: AbortSignal, writable: true, configurable: true });
  Object.defineProperty(g, 'AbortController', { value: AbortController, writable: true, configurable: true });
})(globalThis);
