// AbortController and AbortSignal as browsers have them (the subset plugins
// use): aborted, reason, throwIfAborted, onabort, add/removeEventListener,
// AbortSignal.abort(reason), AbortSignal.timeout(ms), AbortSignal.any(list).
(function (g) {
  'use strict';
  const makeError = (name, message) => {
    const e = new Error(message);
    e.name = name;
    return e;
  };
  const internal = Symbol('abort-internal');
  class AbortSignal {
    constructor(key) {
      if (key !== internal) throw new TypeError('Illegal constructor');
      this._aborted = false;
      this._reason = undefined;
      this._listeners = [];
      this.onabort = null;
    }
    get aborted() { return this._aborted; }
    get reason() { return this._reason; }
    throwIfAborted() { if (this._aborted) throw this._reason; }
    addEventListener(type, fn, opts) {
      if (type !== 'abort' || typeof fn !== 'function') return;
      const once = typeof opts === 'object' && opts !== null && !!opts.once;
      this._listeners.push({ fn, once });
    }
    removeEventListener(type, fn) {
      if (type !== 'abort') return;
      this._listeners = this._listeners.filter((l) => l.fn !== fn);
    }
    dispatchEvent(ev) {
      const list = this._listeners.slice();
      this._listeners = this._listeners.filter((l) => !l.once);
      if (typeof this.onabort === 'function') {
        try { this.onabort.call(this, ev); } catch (e) { queueMicrotask(() => { throw e; }); }
      }
      for (const l of list) {
        try { l.fn.call(this, ev); } catch (e) { queueMicrotask(() => { throw e; }); }
      }
      return true;
    }
    static abort(reason) {
      const s = new AbortSignal(internal);
      s._abort(reason);
      return s;
    }
    static timeout(ms) {
      const s = new AbortSignal(internal);
      setTimeout(() => s._abort(makeError('TimeoutError', 'The operation was aborted due to timeout')), ms);
      return s;
    }
    static any(signals) {
      const s = new AbortSignal(internal);
      for (const x of signals) {
        if (x.aborted) { s._abort(x.reason); return s; }
      }
      for (const x of signals) x.addEventListener('abort', () => s._abort(x.reason), { once: true });
      return s;
    }
    _abort(reason) {
      if (this._aborted) return;
      this._aborted = true;
      this._reason = reason === undefined ? makeError('AbortError', 'This operation was aborted') : reason;
      this.dispatchEvent({ type: 'abort', target: this });
    }
  }
  class AbortController {
    constructor() { this._signal = new AbortSignal(internal); }
    get signal() { return this._signal; }
    abort(reason) { this._signal._abort(reason); }
  }
  Object.defineProperty(g, 'AbortSignal', { value: AbortSignal, writable: true, configurable: true });
  Object.defineProperty(g, 'AbortController', { value: AbortController, writable: true, configurable: true });
})(globalThis);
