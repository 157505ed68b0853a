// node:crypto: the pure parts libraries use (createHash, createHmac,
// randomBytes, randomUUID, randomInt, timingSafeEqual, getRandomValues,
// webcrypto) with Go's crypto; the rest of Node's crypto API is there and
// throws when called, as the other stubs do.
'use strict';
const { Buffer } = require('buffer');
const crypto = require('host-node-internal:stub')('crypto', native.stubShape('crypto'));

const algorithms = { md5: 'md5', sha1: 'sha1', 'sha-1': 'sha1', sha224: 'sha224', sha256: 'sha256', 'sha-256': 'sha256', sha384: 'sha384', 'sha-384': 'sha384', sha512: 'sha512', 'sha-512': 'sha512' };
const algorithm = (name) => {
  const a = algorithms[String(name).toLowerCase()];
  if (!a) {
    const err = new Error('Digest method not supported: ' + name);
    err.code = 'ERR_CRYPTO_INVALID_DIGEST';
    throw err;
  }
  return a;
};
const bytes = (data, enc) => {
  if (typeof data === 'string') return Buffer.from(data, enc);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const err = new TypeError('The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView.');
  err.code = 'ERR_INVALID_ARG_TYPE';
  throw err;
};
class Hash {
  constructor(alg, key) {
    this._alg = algorithm(alg);
    this._key = key === undefined ? null : bytes(key);
    this._chunks = [];
    this._done = false;
  }
  update(data, enc) {
    if (this._done) throw Object.assign(new Error('Digest already called'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
    this._chunks.push(Buffer.from(bytes(data, enc)));
    return this;
  }
  digest(enc) {
    if (this._done) throw Object.assign(new Error('Digest already called'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
    this._done = true;
    const out = Buffer.from(native.digest(this._alg, this._key, Buffer.concat(this._chunks)));
    return enc === undefined || enc === 'buffer' ? out : out.toString(enc);
  }
  copy() {
    const h = new Hash(this._alg, this._key === null ? undefined : this._key);
    h._chunks = this._chunks.slice();
    return h;
  }
}
const random = (n) => {
  if (typeof n !== 'number' || n < 0 || n > 2 ** 31 - 1) throw new RangeError('The value of "size" is out of range. Received ' + n);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i += 65536) globalThis.crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
  return b;
};
Object.assign(crypto, {
  createHash: (alg) => new Hash(alg),
  createHmac: (alg, key) => new Hash(alg, key),
  getHashes: () => Object.keys(algorithms).filter((k) => !k.includes('-')),
  hash: (alg, data, enc = 'hex') => new Hash(alg).update(data).digest(enc),
  randomBytes(n, cb) {
    const b = random(n);
    if (typeof cb === 'function') { queueMicrotask(() => cb(null, b)); return undefined; }
    return b;
  },
  randomFillSync(buf, offset = 0, size) {
    const view = new Uint8Array(buf.buffer || buf, (buf.byteOffset || 0) + offset, size === undefined ? (buf.byteLength - offset) : size);
    globalThis.crypto.getRandomValues(view);
    return buf;
  },
  randomInt(min, max, cb) {
    if (max === undefined || typeof max === 'function') { cb = max; max = min; min = 0; }
    const range = max - min;
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || range <= 0) throw new RangeError('The value of "max" is out of range. It must be greater than the value of "min" (' + min + '). Received ' + max);
    const limit = Math.floor(2 ** 48 / range) * range;
    let x;
    do { const b = random(6); x = b.readUIntBE(0, 6); } while (x >= limit);
    const v = min + (x % range);
    if (typeof cb === 'function') { queueMicrotask(() => cb(null, v)); return undefined; }
    return v;
  },
  randomUUID: () => globalThis.crypto.randomUUID(),
  getRandomValues: (a) => globalThis.crypto.getRandomValues(a),
  timingSafeEqual(a, b) {
    const x = bytes(a);
    const y = bytes(b);
    if (x.length !== y.length) throw Object.assign(new RangeError('Input buffers must have the same byte length'), { code: 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH' });
    let d = 0;
    for (let i = 0; i < x.length; i++) d |= x[i] ^ y[i];
    return d === 0;
  },
  get webcrypto() { return globalThis.crypto; },
  get subtle() { return globalThis.crypto.subtle; },
  Hash,
  Hmac: Hash,
});
module.exports = crypto;
