// TextEncoder, TextDecoder, atob and btoa (bindings/encoding), as TypeScript's DOM lib declares them.

interface TextEncoderEncodeIntoResult {
  /** UTF-16 code units of the source consumed. */
  read: number;
  /** Bytes written to the destination. */
  written: number;
}

/** Encodes strings as UTF-8 (lone surrogates become U+FFFD). */
interface TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array;
  /** Writes as many whole characters as fit into destination. */
  encodeInto(source: string, destination: Uint8Array): TextEncoderEncodeIntoResult;
}
declare var TextEncoder: {
  prototype: TextEncoder;
  new (): TextEncoder;
};

interface TextDecoderOptions {
  /** Throw a TypeError on malformed input instead of inserting U+FFFD. */
  fatal?: boolean;
  /** Keep a leading byte order mark instead of dropping it. */
  ignoreBOM?: boolean;
}

interface TextDecodeOptions {
  /** More input follows: keep an incomplete character for the next call. */
  stream?: boolean;
}

/** Decodes bytes: utf-8 (the default), utf-16le, utf-16be or windows-1252 (and their labels, e.g. "latin1"); other labels throw RangeError. */
interface TextDecoder {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string;
}
declare var TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: TextDecoderOptions): TextDecoder;
};

/** Decodes base64 (whitespace and missing padding allowed) to a string of code points 0-255; throws InvalidCharacterError on bad input. */
declare function atob(data: string): string;
/** Encodes a string of code points 0-255 as base64; throws InvalidCharacterError for larger ones (encode text with TextEncoder first). */
declare function btoa(data: string): string;
