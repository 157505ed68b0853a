// node:string_decoder: decodes Buffers to strings across chunk boundaries
// (a character split between two writes comes out whole).
'use strict';
const { Buffer } = require('buffer');

const normalize = (enc) => {
  const e = String(enc === undefined || enc === null ? 'utf8' : enc).toLowerCase();
  switch (e) {
    case 'utf8': case 'utf-8': return 'utf8';
    case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return 'utf16le';
    case 'latin1': case 'binary': return 'latin1';
    case 'base64': case 'base64url': case 'ascii': case 'hex': return e;
    default: {
      const err = new TypeError('Unknown encoding: ' + enc);
      err.code = 'ERR_UNKNOWN_ENCODING';
      throw err;
    }
  }
};
class StringDecoder {
  constructor(encoding) {
    this.encoding = normalize(encoding);
    this.pending = Buffer.alloc(0);
    if (this.encoding === 'utf8') this.utf8 = new TextDecoder('utf-8', { fatal: false });
  }
  write(buf) {
    if (typeof buf === 'string') return buf;
    buf = Buffer.from(buf.buffer ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : buf);
    if (this.utf8) return this.utf8.decode(buf, { stream: true });
    const all = this.pending.length ? Buffer.concat([this.pending, buf]) : buf;
    const unit = this.encoding === 'utf16le' ? 2 : this.encoding === 'base64' || this.encoding === 'base64url' ? 3 : 1;
    const keep = all.length % unit;
    this.pending = Buffer.from(all.subarray(all.length - keep));
    return Buffer.from(all.subarray(0, all.length - keep)).toString(this.encoding);
  }
  end(buf) {
    let out = buf === undefined ? '' : this.write(buf);
    if (this.utf8) out += this.utf8.decode();
    else if (this.pending.length) out += this.pending.toString(this.encoding);
    this.pending = Buffer.alloc(0);
    return out;
  }
}
module.exports = { StringDecoder };
