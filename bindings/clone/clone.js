// structuredClone as the HTML standard's structured serialize/deserialize
// defines it for what lives in a plugin: primitives, plain objects, arrays,
// Date, RegExp, Map, Set, ArrayBuffer and its views, Error, DOMException,
// CryptoKey and the primitive wrappers, with cycles and shared references
// kept. Functions, symbols, WeakMap/WeakSet/WeakRef, Promise and the host's
// platform objects throw DataCloneError. ArrayBuffers in options.transfer are
// moved: the clone gets their bytes and the originals are detached.
(function (g, native) {
  'use strict';
  const DOMException = native.DOMException;
  const platformClasses = native.platformClasses;
  const OTHER_PLATFORM = ['AbortController', 'AbortSignal', 'Headers', 'Request', 'Response', 'FormData', 'Blob', 'File', 'ReadableStream', 'Crypto', 'SubtleCrypto'];
  const ERRORS = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'];
  const ObjectProto = Object.prototype;
  const ArrayProto = Array.prototype;

  const dataCloneError = (what) => new DOMException(`${what} could not be cloned.`, 'DataCloneError');

  function describe(v) {
    if (typeof v === 'function') return `${v.toString().split('\n')[0].slice(0, 60)}`;
    if (typeof v === 'symbol') return v.toString();
    const tag = Object.prototype.toString.call(v).slice(8, -1);
    return `#<${tag}>`;
  }

  function isPlatformObject(v) {
    for (let i = 0; i < platformClasses.length; i++) if (v instanceof platformClasses[i]) return true;
    for (let i = 0; i < OTHER_PLATFORM.length; i++) {
      const C = g[OTHER_PLATFORM[i]];
      if (typeof C === 'function' && v instanceof C) return true;
    }
    return false;
  }

  function structuredClone(value, options = undefined) {
    if (arguments.length < 1) {
      throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
    }
    const memory = new Map();
    const transfer = [];
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object') {
        throw new TypeError("Failed to execute 'structuredClone': The provided value is not of type 'StructuredSerializeOptions'.");
      }
      if (options.transfer !== undefined) {
        for (const t of options.transfer) {
          if (!(t instanceof ArrayBuffer)) {
            throw dataCloneError(`${describe(t)} is not transferable by host (only ArrayBuffer is) and`);
          }
          if (memory.has(t)) throw new DOMException('An ArrayBuffer is listed twice in options.transfer.', 'DataCloneError');
          if (native.detached(t)) throw new DOMException('An ArrayBuffer is detached and could not be cloned.', 'DataCloneError');
          memory.set(t, t.slice(0));
          transfer.push(t);
        }
      }
    }
    const out = clone(value, memory);
    for (const t of transfer) native.detach(t);
    return out;
  }

  function copyProps(src, dst, memory) {
    const keys = Object.keys(src);
    for (let i = 0; i < keys.length; i++) dst[keys[i]] = clone(src[keys[i]], memory);
    return dst;
  }

  function clone(v, memory) {
    const t = typeof v;
    if (t === 'symbol') throw dataCloneError(describe(v));
    if (t === 'function') throw dataCloneError(describe(v));
    if (t !== 'object' || v === null) return v;
    const seen = memory.get(v);
    if (seen !== undefined) return seen;

    const proto = Object.getPrototypeOf(v);
    let out;
    if (proto === ObjectProto || proto === null) {
      out = {};
      memory.set(v, out);
      return copyProps(v, out, memory);
    }
    if (proto === ArrayProto || Array.isArray(v)) {
      out = new Array(v.length);
      memory.set(v, out);
      return copyProps(v, out, memory);
    }
    if (v instanceof Date) {
      out = new Date(v.getTime());
    } else if (v instanceof RegExp) {
      out = new RegExp(v.source, v.flags);
    } else if (v instanceof ArrayBuffer) {
      if (native.detached(v)) throw new DOMException('An ArrayBuffer is detached and could not be cloned.', 'DataCloneError');
      out = v.slice(0);
    } else if (ArrayBuffer.isView(v)) {
      const buf = clone(v.buffer, memory);
      if (v instanceof DataView) {
        out = new DataView(buf, v.byteOffset, v.byteLength);
      } else {
        // %TypedArray%.prototype[@@toStringTag] names the view's type.
        out = new g[v[Symbol.toStringTag]](buf, v.byteOffset, v.length);
      }
    } else if (v instanceof Map) {
      out = new Map();
      memory.set(v, out);
      for (const [k, val] of v) out.set(clone(k, memory), clone(val, memory));
      return out;
    } else if (v instanceof Set) {
      out = new Set();
      memory.set(v, out);
      for (const k of v) out.add(clone(k, memory));
      return out;
    } else if (v instanceof Boolean || v instanceof Number || v instanceof String || v instanceof BigInt) {
      out = Object(v.valueOf());
    } else if (v instanceof DOMException) {
      out = new DOMException(v.message, v.name);
      if (typeof v.stack === 'string') Object.defineProperty(out, 'stack', { value: v.stack, writable: true, configurable: true });
    } else if (v instanceof Error) {
      const name = v.name;
      const C = ERRORS.includes(name) ? g[name] : Error;
      out = new C();
      memory.set(v, out);
      const msg = Object.getOwnPropertyDescriptor(v, 'message');
      if (msg !== undefined) Object.defineProperty(out, 'message', { value: String(v.message), writable: true, configurable: true });
      if (typeof v.stack === 'string') Object.defineProperty(out, 'stack', { value: v.stack, writable: true, configurable: true });
      if (Object.prototype.hasOwnProperty.call(v, 'cause')) {
        Object.defineProperty(out, 'cause', { value: clone(v.cause, memory), writable: true, configurable: true });
      }
      return out;
    } else if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || (typeof WeakRef === 'function' && v instanceof WeakRef)) {
      throw dataCloneError(describe(v));
    } else if (native.cloneCryptoKey !== undefined && (out = native.cloneCryptoKey(v)) !== undefined) {
      // a CryptoKey: a new key object over the same secret
    } else if (isPlatformObject(v)) {
      throw dataCloneError(describe(v));
    } else {
      // Any other object (a class instance) becomes a plain object with its
      // own enumerable properties, as browsers do.
      out = {};
      memory.set(v, out);
      return copyProps(v, out, memory);
    }
    memory.set(v, out);
    return out;
  }

  Object.defineProperty(g, 'structuredClone', { value: structuredClone, writable: true, enumerable: true, configurable: true });
})
