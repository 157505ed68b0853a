// node:querystring: parse and stringify as Node does (+ is a space, a
// repeated key becomes an array, escape leaves A-Z a-z 0-9 - _ . ! ~ * ' ( )).
'use strict';
const escape = (s) => encodeURIComponent(s);
const unescape = (s) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16)));
  }
};
const str = (v) => {
  switch (typeof v) {
    case 'string': return v;
    case 'number': return Number.isFinite(v) ? String(v) : '';
    case 'bigint': return String(v);
    case 'boolean': return v ? 'true' : 'false';
    default: return '';
  }
};
const qs = {
  escape,
  unescape,
  unescapeBuffer: (s) => new TextEncoder().encode(unescape(String(s))),
  parse(s, sep = '&', eq = '=', options = {}) {
    const out = Object.create(null);
    if (typeof s !== 'string' || s.length === 0) return out;
    const max = options.maxKeys === undefined ? 1000 : options.maxKeys;
    const dec = typeof options.decodeURIComponent === 'function' ? options.decodeURIComponent : qs.unescape;
    let parts = s.split(sep || '&');
    if (max > 0) parts = parts.slice(0, max);
    for (const part of parts) {
      if (part === '') continue;
      const i = part.indexOf(eq || '=');
      const rawK = i >= 0 ? part.slice(0, i) : part;
      const rawV = i >= 0 ? part.slice(i + (eq || '=').length) : '';
      const k = dec(rawK.replace(/\+/g, ' '));
      const v = dec(rawV.replace(/\+/g, ' '));
      if (!(k in out)) out[k] = v;
      else if (Array.isArray(out[k])) out[k].push(v);
      else out[k] = [out[k], v];
    }
    return out;
  },
  stringify(obj, sep = '&', eq = '=', options = {}) {
    if (obj === null || typeof obj !== 'object') return '';
    const enc = typeof options.encodeURIComponent === 'function' ? options.encodeURIComponent : qs.escape;
    const out = [];
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      const key = enc(str(k)) + eq;
      if (Array.isArray(v)) for (const x of v) out.push(key + enc(str(x)));
      else out.push(key + enc(str(v)));
    }
    return out.join(sep);
  },
};
qs.decode = qs.parse;
qs.encode = qs.stringify;
module.exports = qs;
