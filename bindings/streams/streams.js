// The WHATWG Streams globals: ReadableStream, WritableStream,
// TransformStream, their readers, writers and controllers, and the
// queuing strategies, from the standard's reference implementation as
// web-streams-polyfill packages it (third_party/web-streams-polyfill,
// evaluated just after this function, which receives its exports as S);
// plus TextEncoderStream and TextDecoderStream (the Encoding standard) on
// TransformStream. Async iteration (for await over a ReadableStream) uses
// Symbol.asyncIterator, or Symbol.for('Symbol.asyncIterator') where the
// engine has none, the key esbuild's for-await helper looks for.
(function (g, native, S) {
  'use strict';
  const define = (name, value) => Object.defineProperty(g, name, { value, writable: true, configurable: true });
  for (const name of [
    'ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest',
    'ReadableStreamDefaultController', 'ReadableByteStreamController',
    'WritableStream', 'WritableStreamDefaultWriter', 'WritableStreamDefaultController',
    'TransformStream', 'TransformStreamDefaultController',
    'ByteLengthQueuingStrategy', 'CountQueuingStrategy',
  ]) define(name, S[name]);

  const isBufferSource = (c) => c instanceof ArrayBuffer || ArrayBuffer.isView(c);

  class TextEncoderStream {
    #stream;
    constructor() {
      const encoder = new g.TextEncoder();
      let high = ''; // a lead surrogate that ended the last chunk
      this.#stream = new S.TransformStream({
        transform(chunk, c) {
          let s = high + String(chunk);
          high = '';
          const last = s.charCodeAt(s.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) {
            high = s[s.length - 1];
            s = s.slice(0, -1);
          }
          if (s !== '') c.enqueue(encoder.encode(s));
        },
        flush(c) {
          if (high !== '') c.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]));
        },
      });
    }
    get encoding() { return 'utf-8'; }
    get readable() { return this.#stream.readable; }
    get writable() { return this.#stream.writable; }
    get [Symbol.toStringTag]() { return 'TextEncoderStream'; }
  }

  class TextDecoderStream {
    #stream;
    #decoder;
    constructor(label = 'utf-8', options = undefined) {
      const decoder = (this.#decoder = new g.TextDecoder(label, options));
      this.#stream = new S.TransformStream({
        transform(chunk, c) {
          if (!isBufferSource(chunk)) {
            throw new TypeError('TextDecoderStream: chunks must be ArrayBuffers or typed arrays (bytes), not ' + typeof chunk);
          }
          const s = decoder.decode(chunk, { stream: true });
          if (s !== '') c.enqueue(s);
        },
        flush(c) {
          const s = decoder.decode();
          if (s !== '') c.enqueue(s);
        },
      });
    }
    get encoding() { return this.#decoder.encoding; }
    get fatal() { return this.#decoder.fatal; }
    get ignoreBOM() { return this.#decoder.ignoreBOM; }
    get readable() { return this.#stream.readable; }
    get writable() { return this.#stream.writable; }
    get [Symbol.toStringTag]() { return 'TextDecoderStream'; }
  }

  define('TextEncoderStream', TextEncoderStream);
  define('TextDecoderStream', TextDecoderStream);
})
