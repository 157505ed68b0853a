// TextEncoder and TextDecoder as the Encoding standard defines them. The
// encoders and decoders are Go (native.encode, native.decode...); this file
// is the class surface and its argument checks.
(function (g, native) {
  'use strict';

  function isBufferSource(v) {
    return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
  }

  class TextEncoder {
    get encoding() { return 'utf-8'; }

    encode(input = '') {
      return new Uint8Array(native.encode(String(input)));
    }

    encodeInto(source, destination) {
      if (!(destination instanceof Uint8Array)) {
        throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
      }
      return native.encodeInto(String(source), destination);
    }
  }
  Object.defineProperty(TextEncoder.prototype, Symbol.toStringTag, { value: 'TextEncoder', configurable: true });

  class TextDecoder {
    #d;
    #encoding;
    #fatal;
    #ignoreBOM;

    constructor(label = 'utf-8', options = undefined) {
      if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') {
        throw new TypeError("Failed to construct 'TextDecoder': The provided value is not of type 'TextDecoderOptions'.");
      }
      const fatal = options != null && !!options.fatal;
      const ignoreBOM = options != null && !!options.ignoreBOM;
      const r = native.decoderNew(String(label), fatal, ignoreBOM);
      this.#d = r[0];
      this.#encoding = r[1];
      this.#fatal = fatal;
      this.#ignoreBOM = ignoreBOM;
    }

    get encoding() { return this.#encoding; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }

    decode(input = undefined, options = undefined) {
      if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') {
        throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type 'TextDecodeOptions'.");
      }
      const stream = options != null && !!options.stream;
      if (input === undefined || input === null) return native.decode(this.#d, null, stream);
      if (!isBufferSource(input)) {
        throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
      }
      return native.decode(this.#d, input, stream);
    }
  }
  Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, { value: 'TextDecoder', configurable: true });

  for (const [name, value] of [['TextEncoder', TextEncoder], ['TextDecoder', TextDecoder]]) {
    Object.defineProperty(g, name, { value, writable: true, configurable: true });
  }
  native.platformClasses.push(TextEncoder, TextDecoder);
})
