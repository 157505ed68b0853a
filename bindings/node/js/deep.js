// Deep equality as Node's assert.deepStrictEqual (strict) and
// assert.deepEqual (loose) define it, shared by util and assert.
'use strict';
const tag = (v) => Object.prototype.toString.call(v);
const ownKeys = (o) => Reflect.ownKeys(o).filter((k) => Object.prototype.propertyIsEnumerable.call(o, k));

function equal(a, b, strict, memo) {
  if (strict ? Object.is(a, b) : a == b || (a !== a && b !== b)) return true; // eslint-disable-line eqeqeq
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return !strict && (typeof a !== 'object' || a === null) && (typeof b !== 'object' || b === null) ? a == b : false; // eslint-disable-line eqeqeq
  }
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const t = tag(a);
  if (t !== tag(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Date) {
    if (a.getTime() !== b.getTime()) return false;
  } else if (a instanceof RegExp) {
    if (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (a instanceof Error) {
    if (a.message !== b.message || a.name !== b.name) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  } else if (a instanceof ArrayBuffer) {
    return equal(new Uint8Array(a), new Uint8Array(b), strict, memo);
  } else if (t === '[object Number]' || t === '[object String]' || t === '[object Boolean]' || t === '[object BigInt]' || t === '[object Symbol]') {
    if (!Object.is(a.valueOf(), b.valueOf())) return false;
  }
  memo = memo || { a: new Map(), b: new Map() };
  if (memo.a.has(a) && memo.b.has(b)) return memo.a.get(a) === memo.b.get(b);
  const id = memo.a.size;
  memo.a.set(a, id);
  memo.b.set(b, id);
  try {
    if (a instanceof Map) {
      if (a.size !== b.size) return false;
      outer: for (const [k, v] of a) {
        if (b.has(k)) {
          if (!equal(v, b.get(k), strict, memo)) return false;
          continue;
        }
        for (const [k2, v2] of b) if (equal(k, k2, strict, memo) && equal(v, v2, strict, memo)) continue outer;
        return false;
      }
    } else if (a instanceof Set) {
      if (a.size !== b.size) return false;
      outer: for (const v of a) {
        if (b.has(v)) continue;
        for (const v2 of b) if (equal(v, v2, strict, memo)) continue outer;
        return false;
      }
    }
    const isView = ArrayBuffer.isView(a);
    const ka = ownKeys(a).filter((k) => !(isView && /^\d+$/.test(String(k))));
    const kb = ownKeys(b).filter((k) => !(isView && /^\d+$/.test(String(k))));
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
      if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false;
      if (!equal(a[k], b[k], strict, memo)) return false;
    }
    return true;
  } finally {
    memo.a.delete(a);
    memo.b.delete(b);
  }
}
module.exports = {
  isDeepStrictEqual: (a, b) => equal(a, b, true),
  isDeepEqual: (a, b) => equal(a, b, false),
};
