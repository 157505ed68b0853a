// The language built-ins goja lacks and esbuild does not lower, defined once
// per runtime before any plugin code runs (jsrt/engine.go). Each is what
// the standard says, as small as it can be; none is enumerable. Evaluates
// to function(globalThis). Intl and the toLocaleString methods that use it
// are bindings/intl's.
(function (g) {
  'use strict';
  const define = (o, props) => {
    for (const k of Reflect.ownKeys(props)) {
      if (!(k in o)) Object.defineProperty(o, k, { value: props[k], writable: true, configurable: true, enumerable: false });
    }
  };

  // The symbol esbuild's helpers fall back to, so lowered for-await loops
  // and library [Symbol.asyncIterator]() methods meet.
  if (!Symbol.asyncIterator) {
    Object.defineProperty(Symbol, 'asyncIterator', { value: Symbol.for('Symbol.asyncIterator') });
  }

  const groupBy = (items, cb, add) => {
    if (typeof cb !== 'function') throw new TypeError('groupBy: the callback is not a function');
    let i = 0;
    for (const item of items) add(cb(item, i++), item);
  };
  define(Object, {
    groupBy(items, cb) {
      const out = Object.create(null);
      groupBy(items, cb, (k, v) => {
        k = typeof k === 'symbol' ? k : String(k);
        (out[k] ||= []).push(v);
      });
      return out;
    },
  });
  define(Map, {
    groupBy(items, cb) {
      const out = new Map();
      groupBy(items, cb, (k, v) => {
        if (k === 0) k = 0; // -0 is 0
        const list = out.get(k);
        if (list) list.push(v); else out.set(k, [v]);
      });
      return out;
    },
  });
  define(Promise, {
    withResolvers() {
      let resolve, reject;
      const promise = new this((a, b) => { resolve = a; reject = b; });
      return { promise, resolve, reject };
    },
  });
  define(Array, {
    async fromAsync(items, mapFn, thisArg) {
      if (mapFn !== undefined && typeof mapFn !== 'function') throw new TypeError('Array.fromAsync: mapFn is not a function');
      const out = [];
      let i = 0;
      const add = async (v) => { v = await v; out.push(mapFn ? await mapFn.call(thisArg, v, i) : v); i++; };
      if (items == null) throw new TypeError('Array.fromAsync: ' + items + ' is not iterable');
      const asyncIt = items[Symbol.asyncIterator];
      if (asyncIt != null) {
        const it = asyncIt.call(items);
        for (let r = await it.next(); !r.done; r = await it.next()) {
          out.push(mapFn ? await mapFn.call(thisArg, r.value, i) : r.value); i++;
        }
      } else if (items[Symbol.iterator] != null) {
        for (const v of items) await add(v);
      } else {
        const o = Object(items);
        for (let k = 0; k < o.length; k++) await add(o[k]);
      }
      return out;
    },
  });
  const lone = (s, i) => {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) return false;
    if (c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      return !(d >= 0xdc00 && d <= 0xdfff);
    }
    const p = s.charCodeAt(i - 1);
    return !(i > 0 && p >= 0xd800 && p <= 0xdbff);
  };
  define(String.prototype, {
    isWellFormed() {
      const s = String(this);
      for (let i = 0; i < s.length; i++) if (lone(s, i)) return false;
      return true;
    },
    toWellFormed() {
      const s = String(this);
      let out = '';
      for (let i = 0; i < s.length; i++) out += lone(s, i) ? '\ufffd' : s[i];
      return out;
    },
  });
  define(Error, {
    captureStackTrace(obj, fn) {
      if (Object(obj) !== obj) throw new TypeError('Error.captureStackTrace: the target is not an object');
      let frames = String(new Error().stack).split('\n').slice(2);
      if (typeof fn === 'function' && fn.name) {
        const at = frames.findIndex((f) => f.includes('at ' + fn.name + ' '));
        if (at >= 0) frames = frames.slice(at + 1);
      }
      let head;
      try { head = Error.prototype.toString.call(obj); } catch { head = 'Error'; }
      Object.defineProperty(obj, 'stack', { value: [head, ...frames].join('\n'), writable: true, configurable: true });
    },
  });

})
