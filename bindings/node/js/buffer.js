// node:buffer: Buffer (Go-backed, from goja_nodejs, with the methods it
// lacks added by buffer_global.js), and the rest of the module's surface.
'use strict';
const Buffer = native.Buffer();
module.exports = {
  Buffer,
  SlowBuffer: Buffer,
  kMaxLength: 2 ** 32,
  kStringMaxLength: 2 ** 29 - 24,
  constants: { MAX_LENGTH: 2 ** 32, MAX_STRING_LENGTH: 2 ** 29 - 24 },
  INSPECT_MAX_BYTES: 50,
  get Blob() { return globalThis.Blob; },
  get File() { return globalThis.File; },
  atob: (s) => globalThis.atob(s),
  btoa: (s) => globalThis.btoa(s),
  isUtf8: (b) => { try { new TextDecoder('utf-8', { fatal: true }).decode(b); return true; } catch { return false; } },
  isAscii: (b) => new Uint8Array(b.buffer || b, b.byteOffset || 0, b.byteLength).every((x) => x < 0x80),
  transcode: (buf, from, to) => Buffer.from(Buffer.from(buf).toString(from), to),
};
