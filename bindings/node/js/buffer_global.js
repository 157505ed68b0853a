// Completes goja_nodejs' Buffer with the Node.js methods libraries use that
// it lacks. Evaluates to function(Buffer); run once per runtime, when a
// plugin first touches Buffer.
(function (Buffer) {
  'use strict';
  const encodings = ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'ascii', 'latin1', 'binary', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le'];
  const define = (o, props) => {
    for (const k of Object.keys(props)) if (!Object.prototype.hasOwnProperty.call(o, k)) Object.defineProperty(o, k, { value: props[k], writable: true, configurable: true });
  };
  Object.defineProperty(Buffer, 'name', { value: 'Buffer', configurable: true });
  const origFrom = Buffer.from;
  Object.defineProperty(Buffer, 'from', {
    value: function from(v, enc, len) {
      if (typeof v === 'string' && typeof enc === 'string' && enc.toLowerCase() === 'base64url') {
        return origFrom.call(this, v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      }
      return arguments.length > 2 ? origFrom.call(this, v, enc, len) : arguments.length > 1 ? origFrom.call(this, v, enc) : origFrom.call(this, v);
    },
    writable: true,
    configurable: true,
  });
  const wrap = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
  define(Buffer, {
    isBuffer: (b) => b instanceof Buffer,
    isEncoding: (e) => typeof e === 'string' && encodings.includes(e.toLowerCase()),
    byteLength(s, enc) {
      if (typeof s !== 'string') {
        if (ArrayBuffer.isView(s) || s instanceof ArrayBuffer) return s.byteLength;
        throw new TypeError('The "string" argument must be of type string or an instance of Buffer or ArrayBuffer.');
      }
      return Buffer.from(s, enc).length;
    },
    allocUnsafe: (n) => Buffer.alloc(n),
    allocUnsafeSlow: (n) => Buffer.alloc(n),
    compare: (a, b) => a.compare(b),
  });
  const proto = Buffer.prototype;
  define(proto, {
    toJSON() { return { type: 'Buffer', data: Array.from(this) }; },
    slice(start, end) { return wrap(Uint8Array.prototype.subarray.call(this, start, end)); },
    subarray(start, end) { return wrap(Uint8Array.prototype.subarray.call(this, start, end)); },
    compare(target, tStart = 0, tEnd = target.length, sStart = 0, sEnd = this.length) {
      const a = this.subarray(sStart, sEnd);
      const b = target.subarray(tStart, tEnd);
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
      return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
    },
    copy(target, tStart = 0, sStart = 0, sEnd = this.length) {
      const src = Uint8Array.prototype.subarray.call(this, sStart, sEnd);
      const n = Math.min(src.length, target.length - tStart);
      target.set(src.subarray(0, n), tStart);
      return n;
    },
    indexOf(v, from, enc) { return search(this, v, from, enc, false); },
    lastIndexOf(v, from, enc) { return search(this, v, from, enc, true); },
    includes(v, from, enc) { return search(this, v, from, enc, false) !== -1; },
    toLocaleString(enc, s, e) { return this.toString(enc, s, e); },
    swap16() { for (let i = 0; i + 1 < this.length; i += 2) { const t = this[i]; this[i] = this[i + 1]; this[i + 1] = t; } return this; },
  });
  const origToString = proto.toString;
  Object.defineProperty(proto, 'toString', {
    value(enc, start, end) {
      if (typeof enc === 'string' && enc.toLowerCase() === 'base64url') {
        return origToString.call(this, 'base64', start, end).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      }
      return origToString.call(this, enc, start, end);
    },
    writable: true,
    configurable: true,
  });
  const origFill = Uint8Array.prototype.fill;
  Object.defineProperty(proto, 'fill', {
    value(v, start = 0, end = this.length, enc) {
      if (typeof start === 'string') { enc = start; start = 0; end = this.length; }
      if (typeof v === 'string') {
        const bytes = Buffer.from(v, enc);
        if (bytes.length === 0) return origFill.call(this, 0, start, end);
        for (let i = start, j = 0; i < end; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
        return this;
      }
      return origFill.call(this, v, start, end);
    },
    writable: true,
    configurable: true,
  });
  function search(buf, v, from, enc, last) {
    if (typeof from === 'string') { enc = from; from = undefined; }
    const needle = typeof v === 'number' ? [v & 255] : typeof v === 'string' ? Buffer.from(v, enc) : v;
    const n = needle.length;
    let i = from === undefined ? (last ? buf.length - n : 0) : from < 0 ? buf.length + from : from;
    for (; last ? i >= 0 : i <= buf.length - n; last ? i-- : i++) {
      let j = 0;
      while (j < n && buf[i + j] === needle[j]) j++;
      if (j === n) return i;
    }
    return -1;
  }
  return Buffer;
})
