// The web platform globals of bindings/web: URL, URLSearchParams,
// TextEncoder, TextDecoder, atob, btoa, structuredClone, DOMException,
// crypto, and the streams (ReadableStream, WritableStream, TransformStream,
// TextEncoderStream, TextDecoderStream). The names and shapes are those of TypeScript's DOM lib
// (lib.dom.d.ts), so code written for browsers type-checks unchanged.
// `host types` must leave this file out when the plugin's tsconfig loads
// lib "dom": the DOM lib declares all of these already, and declaring them
// twice is an error. Timers, queueMicrotask, console and AbortController
// are declared in bindings/types/standalone.d.ts.

type BufferSource = ArrayBufferView | ArrayBuffer;
type AllowSharedBufferSource = ArrayBuffer | ArrayBufferView;

/** The error the web globals throw where browsers throw one: InvalidCharacterError (atob, btoa), DataCloneError (structuredClone), QuotaExceededError and TypeMismatchError (getRandomValues), NotSupportedError, SyntaxError, DataError, InvalidAccessError (crypto.subtle). */
interface DOMException extends Error {
  readonly name: string;
  readonly message: string;
  /** The legacy numeric code of the name (e.g. 5 for InvalidCharacterError), or 0. */
  readonly code: number;
}
declare var DOMException: {
  prototype: DOMException;
  new (message?: string, name?: string): DOMException;
  readonly INDEX_SIZE_ERR: 1;
  readonly NOT_FOUND_ERR: 8;
  readonly NOT_SUPPORTED_ERR: 9;
  readonly INVALID_STATE_ERR: 11;
  readonly SYNTAX_ERR: 12;
  readonly INVALID_ACCESS_ERR: 15;
  readonly TYPE_MISMATCH_ERR: 17;
  readonly ABORT_ERR: 20;
  readonly QUOTA_EXCEEDED_ERR: 22;
  readonly TIMEOUT_ERR: 23;
  readonly DATA_CLONE_ERR: 25;
};

/** A URL parsed as browsers do (the WHATWG URL standard). An invalid URL throws a TypeError "Invalid URL" (code ERR_INVALID_URL). */
interface URL {
  hash: string;
  host: string;
  hostname: string;
  href: string;
  toString(): string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  /** Live: changing it changes `search` and `href`, and the other way round. */
  readonly searchParams: URLSearchParams;
  username: string;
  toJSON(): string;
}
declare var URL: {
  prototype: URL;
  new (url: string | URL, base?: string | URL): URL;
  /** Whether `new URL(url, base)` would succeed. */
  canParse(url: string | URL, base?: string | URL): boolean;
  /** `new URL(url, base)`, or null where that would throw. */
  parse(url: string | URL, base?: string | URL): URL | null;
  /** Not supported by host (there are no Blobs): throws NotSupportedError. */
  createObjectURL(obj: unknown): string;
  /** Not supported by host (there are no Blobs): throws NotSupportedError. */
  revokeObjectURL(url: string): void;
};

/** A query string as name-value pairs, application/x-www-form-urlencoded when serialized (spaces as "+"). */
interface URLSearchParams {
  readonly size: number;
  append(name: string, value: string): void;
  /** Removes every pair with this name (and this value, when given). */
  delete(name: string, value?: string): void;
  /** The first value for name, or null. */
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string, value?: string): boolean;
  /** Sets the first pair with this name and removes the others (or appends one). */
  set(name: string, value: string): void;
  /** Sorts by name (stable, by UTF-16 code units). */
  sort(): void;
  toString(): string;
  forEach(callbackfn: (value: string, key: string, parent: URLSearchParams) => void, thisArg?: any): void;
  [Symbol.iterator](): IterableIterator<[string, string]>;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
}
declare var URLSearchParams: {
  prototype: URLSearchParams;
  new (init?: string[][] | Record<string, string> | string | URLSearchParams | Iterable<[string, string]>): URLSearchParams;
};

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

interface StructuredSerializeOptions {
  /** ArrayBuffers to move into the clone; the originals are detached. */
  transfer?: any[];
}
/** A deep copy: plain objects, arrays, Date, RegExp, Map, Set, ArrayBuffer and views, errors and CryptoKey, with cycles kept. Functions, symbols and platform objects throw DataCloneError. */
declare function structuredClone<T = any>(value: T, options?: StructuredSerializeOptions): T;

type KeyFormat = "jwk" | "pkcs8" | "raw" | "spki";
type KeyType = "private" | "public" | "secret";
type KeyUsage = "decrypt" | "deriveBits" | "deriveKey" | "encrypt" | "sign" | "unwrapKey" | "verify" | "wrapKey";
type HashAlgorithmIdentifier = AlgorithmIdentifier;
type AlgorithmIdentifier = Algorithm | string;

interface Algorithm {
  name: string;
}

interface KeyAlgorithm {
  name: string;
}

interface HmacKeyAlgorithm extends KeyAlgorithm {
  hash: KeyAlgorithm;
  length: number;
}

interface HmacImportParams extends Algorithm {
  /** "SHA-1", "SHA-256", "SHA-384" or "SHA-512" (or { name }). */
  hash: HashAlgorithmIdentifier;
  /** The key length in bits; must match the key data. */
  length?: number;
}
interface HmacKeyGenParams extends Algorithm {
  hash: HashAlgorithmIdentifier;
  /** Default: the hash's block size. */
  length?: number;
}
interface RsaHashedImportParams extends Algorithm {
  hash: HashAlgorithmIdentifier;
}
interface RsaHashedKeyGenParams extends Algorithm {
  /** 2048 to 4096 bits. */
  modulusLength: number;
  /** host generates 65537 only: new Uint8Array([1, 0, 1]). */
  publicExponent: Uint8Array;
  hash: HashAlgorithmIdentifier;
}
interface RsaHashedKeyAlgorithm extends KeyAlgorithm {
  modulusLength: number;
  publicExponent: Uint8Array;
  hash: KeyAlgorithm;
}
interface RsaPssParams extends Algorithm {
  /** Salt length in bytes (usually the hash's length). */
  saltLength: number;
}
interface RsaOaepParams extends Algorithm {
  label?: BufferSource;
}
type NamedCurve = "P-256" | "P-384" | string;
interface EcKeyImportParams extends Algorithm {
  namedCurve: NamedCurve;
}
interface EcKeyGenParams extends Algorithm {
  namedCurve: NamedCurve;
}
interface EcKeyAlgorithm extends KeyAlgorithm {
  namedCurve: NamedCurve;
}
interface EcdsaParams extends Algorithm {
  hash: HashAlgorithmIdentifier;
}
interface EcdhKeyDeriveParams extends Algorithm {
  public: CryptoKey;
}
interface AesKeyGenParams extends Algorithm {
  length: number;
}
interface AesKeyAlgorithm extends KeyAlgorithm {
  length: number;
}
interface AesDerivedKeyParams extends Algorithm {
  length: number;
}
interface AesGcmParams extends Algorithm {
  iv: BufferSource;
  additionalData?: BufferSource;
  /** Default 128. */
  tagLength?: number;
}
interface HkdfParams extends Algorithm {
  hash: HashAlgorithmIdentifier;
  salt: BufferSource;
  info: BufferSource;
}
interface Pbkdf2Params extends Algorithm {
  hash: HashAlgorithmIdentifier;
  salt: BufferSource;
  iterations: number;
}
interface JsonWebKey {
  alg?: string;
  crv?: string;
  d?: string;
  dp?: string;
  dq?: string;
  e?: string;
  ext?: boolean;
  k?: string;
  key_ops?: string[];
  kty?: string;
  n?: string;
  p?: string;
  q?: string;
  qi?: string;
  use?: string;
  x?: string;
  y?: string;
}

/** A key held by the host; its material leaves only through exportKey of an extractable key. */
interface CryptoKey {
  readonly algorithm: KeyAlgorithm;
  readonly extractable: boolean;
  readonly type: KeyType;
  readonly usages: KeyUsage[];
}
declare var CryptoKey: {
  prototype: CryptoKey;
};
interface CryptoKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

type SignAlgorithm = AlgorithmIdentifier | RsaPssParams | EcdsaParams;
type CipherAlgorithm = AlgorithmIdentifier | AesGcmParams | RsaOaepParams;
type DeriveAlgorithm = AlgorithmIdentifier | EcdhKeyDeriveParams | HkdfParams | Pbkdf2Params;
type ImportAlgorithm = AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams | HmacImportParams;

/**
 * Web Crypto as host implements it: digest (SHA-1, SHA-256, SHA-384,
 * SHA-512); HMAC, RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA (P-256, P-384) and
 * Ed25519 sign/verify; AES-GCM and RSA-OAEP encrypt/decrypt; ECDH, HKDF and
 * PBKDF2 deriveBits/deriveKey; keys in raw, spki, pkcs8 and jwk. Anything
 * else rejects with a NotSupportedError that says what host has.
 */
interface SubtleCrypto {
  digest(algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer>;
  importKey(format: "jwk", keyData: JsonWebKey, algorithm: ImportAlgorithm, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKey>;
  importKey(format: Exclude<KeyFormat, "jwk">, keyData: BufferSource, algorithm: ImportAlgorithm, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKey>;
  exportKey(format: "jwk", key: CryptoKey): Promise<JsonWebKey>;
  exportKey(format: Exclude<KeyFormat, "jwk">, key: CryptoKey): Promise<ArrayBuffer>;
  generateKey(algorithm: "Ed25519" | { name: "Ed25519" }, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKeyPair>;
  generateKey(algorithm: RsaHashedKeyGenParams | EcKeyGenParams, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKeyPair>;
  generateKey(algorithm: AesKeyGenParams | HmacKeyGenParams, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKey>;
  generateKey(algorithm: AlgorithmIdentifier, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKeyPair | CryptoKey>;
  /** ECDSA signatures are r and s concatenated (IEEE P1363), as JWS wants them. */
  sign(algorithm: SignAlgorithm, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
  /** HMAC compares in constant time. */
  verify(algorithm: SignAlgorithm, key: CryptoKey, signature: BufferSource, data: BufferSource): Promise<boolean>;
  encrypt(algorithm: CipherAlgorithm, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
  decrypt(algorithm: CipherAlgorithm, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
  deriveBits(algorithm: DeriveAlgorithm, baseKey: CryptoKey, length?: number | null): Promise<ArrayBuffer>;
  deriveKey(algorithm: DeriveAlgorithm, baseKey: CryptoKey, derivedKeyType: AesDerivedKeyParams | HmacImportParams | AlgorithmIdentifier, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKey>;
  /** Exports key (a JWK as its JSON text) and encrypts it with wrappingKey. */
  wrapKey(format: KeyFormat, key: CryptoKey, wrappingKey: CryptoKey, wrapAlgorithm: CipherAlgorithm): Promise<ArrayBuffer>;
  unwrapKey(format: KeyFormat, wrappedKey: BufferSource, unwrappingKey: CryptoKey, unwrapAlgorithm: CipherAlgorithm, unwrappedKeyAlgorithm: ImportAlgorithm, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKey>;
}
declare var SubtleCrypto: {
  prototype: SubtleCrypto;
};

interface Crypto {
  readonly subtle: SubtleCrypto;
  /** Fills an integer typed array with random bytes from the OS (at most 65536 bytes, else QuotaExceededError) and returns it. */
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
  /** A random version 4 UUID. */
  randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
}
declare var Crypto: {
  prototype: Crypto;
};
declare var crypto: Crypto;

// Streams (the WHATWG Streams standard).

interface QueuingStrategySize<T = any> {
  (chunk: T): number;
}
interface QueuingStrategy<T = any> {
  highWaterMark?: number;
  size?: QueuingStrategySize<T>;
}
interface QueuingStrategyInit {
  highWaterMark: number;
}
interface ByteLengthQueuingStrategy extends QueuingStrategy<ArrayBufferView> {
  readonly highWaterMark: number;
  readonly size: QueuingStrategySize<ArrayBufferView>;
}
declare var ByteLengthQueuingStrategy: {
  readonly prototype: ByteLengthQueuingStrategy;
  new (init: QueuingStrategyInit): ByteLengthQueuingStrategy;
};
interface CountQueuingStrategy extends QueuingStrategy {
  readonly highWaterMark: number;
  readonly size: QueuingStrategySize;
}
declare var CountQueuingStrategy: {
  readonly prototype: CountQueuingStrategy;
  new (init: QueuingStrategyInit): CountQueuingStrategy;
};

interface ReadableStreamDefaultController<R = any> {
  /** How much the queue wants before it is full (highWaterMark minus what is queued). */
  readonly desiredSize: number | null;
  close(): void;
  enqueue(chunk?: R): void;
  error(e?: any): void;
}
interface ReadableByteStreamController {
  readonly byobRequest: ReadableStreamBYOBRequest | null;
  readonly desiredSize: number | null;
  close(): void;
  enqueue(chunk: ArrayBufferView): void;
  error(e?: any): void;
}
interface ReadableStreamBYOBRequest {
  readonly view: ArrayBufferView | null;
  respond(bytesWritten: number): void;
  respondWithNewView(view: ArrayBufferView): void;
}
interface UnderlyingDefaultSource<R = any> {
  start?(controller: ReadableStreamDefaultController<R>): any;
  /** Called when the queue wants more (backpressure: not while it is full). */
  pull?(controller: ReadableStreamDefaultController<R>): void | PromiseLike<void>;
  cancel?(reason?: any): void | PromiseLike<void>;
  type?: undefined;
}
interface UnderlyingByteSource {
  type: "bytes";
  autoAllocateChunkSize?: number;
  start?(controller: ReadableByteStreamController): any;
  pull?(controller: ReadableByteStreamController): void | PromiseLike<void>;
  cancel?(reason?: any): void | PromiseLike<void>;
}
type ReadableStreamReadResult<T> = { done: false; value: T } | { done: true; value?: undefined };
interface ReadableStreamDefaultReader<R = any> {
  readonly closed: Promise<undefined>;
  read(): Promise<ReadableStreamReadResult<R>>;
  releaseLock(): void;
  cancel(reason?: any): Promise<void>;
}
declare var ReadableStreamDefaultReader: {
  readonly prototype: ReadableStreamDefaultReader;
  new <R = any>(stream: ReadableStream<R>): ReadableStreamDefaultReader<R>;
};
interface ReadableStreamBYOBReader {
  readonly closed: Promise<undefined>;
  read<T extends ArrayBufferView>(view: T): Promise<ReadableStreamReadResult<T>>;
  releaseLock(): void;
  cancel(reason?: any): Promise<void>;
}
declare var ReadableStreamBYOBReader: {
  readonly prototype: ReadableStreamBYOBReader;
  new (stream: ReadableStream<Uint8Array>): ReadableStreamBYOBReader;
};
interface StreamPipeOptions {
  preventAbort?: boolean;
  preventCancel?: boolean;
  preventClose?: boolean;
  signal?: AbortSignal;
}
interface ReadableWritablePair<R = any, W = any> {
  readable: ReadableStream<R>;
  writable: WritableStream<W>;
}
interface ReadableStreamIteratorOptions {
  preventCancel?: boolean;
}
/** A source of chunks; `for await (const chunk of stream)` reads it. */
interface ReadableStream<R = any> {
  readonly locked: boolean;
  cancel(reason?: any): Promise<void>;
  getReader(options: { mode: "byob" }): ReadableStreamBYOBReader;
  getReader(): ReadableStreamDefaultReader<R>;
  pipeThrough<T>(transform: ReadableWritablePair<T, R>, options?: StreamPipeOptions): ReadableStream<T>;
  pipeTo(destination: WritableStream<R>, options?: StreamPipeOptions): Promise<void>;
  tee(): [ReadableStream<R>, ReadableStream<R>];
  values(options?: ReadableStreamIteratorOptions): AsyncIterableIterator<R>;
  [Symbol.asyncIterator](options?: ReadableStreamIteratorOptions): AsyncIterableIterator<R>;
}
declare var ReadableStream: {
  readonly prototype: ReadableStream;
  new (underlyingSource: UnderlyingByteSource, strategy?: { highWaterMark?: number }): ReadableStream<Uint8Array>;
  new <R = any>(underlyingSource?: UnderlyingDefaultSource<R>, strategy?: QueuingStrategy<R>): ReadableStream<R>;
  /** A stream of the values of an iterable or async iterable. */
  from<R>(asyncIterable: Iterable<R> | AsyncIterable<R>): ReadableStream<R>;
};
declare var ReadableStreamDefaultController: { readonly prototype: ReadableStreamDefaultController };
declare var ReadableByteStreamController: { readonly prototype: ReadableByteStreamController };
declare var ReadableStreamBYOBRequest: { readonly prototype: ReadableStreamBYOBRequest };

interface WritableStreamDefaultController {
  readonly signal: AbortSignal;
  error(e?: any): void;
}
declare var WritableStreamDefaultController: { readonly prototype: WritableStreamDefaultController };
interface UnderlyingSink<W = any> {
  start?(controller: WritableStreamDefaultController): any;
  write?(chunk: W, controller: WritableStreamDefaultController): void | PromiseLike<void>;
  close?(): void | PromiseLike<void>;
  abort?(reason?: any): void | PromiseLike<void>;
  type?: undefined;
}
interface WritableStreamDefaultWriter<W = any> {
  readonly closed: Promise<undefined>;
  /** How much the stream wants before it is full; a write past it still queues (await ready first). */
  readonly desiredSize: number | null;
  readonly ready: Promise<undefined>;
  abort(reason?: any): Promise<void>;
  close(): Promise<void>;
  releaseLock(): void;
  write(chunk?: W): Promise<void>;
}
declare var WritableStreamDefaultWriter: {
  readonly prototype: WritableStreamDefaultWriter;
  new <W = any>(stream: WritableStream<W>): WritableStreamDefaultWriter<W>;
};
/** A destination of chunks. */
interface WritableStream<W = any> {
  readonly locked: boolean;
  abort(reason?: any): Promise<void>;
  close(): Promise<void>;
  getWriter(): WritableStreamDefaultWriter<W>;
}
declare var WritableStream: {
  readonly prototype: WritableStream;
  new <W = any>(underlyingSink?: UnderlyingSink<W>, strategy?: QueuingStrategy<W>): WritableStream<W>;
};

interface TransformStreamDefaultController<O = any> {
  readonly desiredSize: number | null;
  enqueue(chunk?: O): void;
  error(reason?: any): void;
  terminate(): void;
}
declare var TransformStreamDefaultController: { readonly prototype: TransformStreamDefaultController };
interface Transformer<I = any, O = any> {
  start?(controller: TransformStreamDefaultController<O>): any;
  transform?(chunk: I, controller: TransformStreamDefaultController<O>): void | PromiseLike<void>;
  flush?(controller: TransformStreamDefaultController<O>): void | PromiseLike<void>;
  cancel?(reason?: any): void | PromiseLike<void>;
  readableType?: undefined;
  writableType?: undefined;
}
/** A writable side and a readable side, chunks transformed in between. */
interface TransformStream<I = any, O = any> {
  readonly readable: ReadableStream<O>;
  readonly writable: WritableStream<I>;
}
declare var TransformStream: {
  readonly prototype: TransformStream;
  new <I = any, O = any>(transformer?: Transformer<I, O>, writableStrategy?: QueuingStrategy<I>, readableStrategy?: QueuingStrategy<O>): TransformStream<I, O>;
};

/** Strings in, UTF-8 bytes out. */
interface TextEncoderStream extends ReadableWritablePair<Uint8Array, string> {
  readonly encoding: string;
}
declare var TextEncoderStream: {
  readonly prototype: TextEncoderStream;
  new (): TextEncoderStream;
};
/** Bytes in, text out; a character split across chunks is kept whole. */
interface TextDecoderStream extends ReadableWritablePair<string, BufferSource> {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
}
declare var TextDecoderStream: {
  readonly prototype: TextDecoderStream;
  new (label?: string, options?: TextDecoderOptions): TextDecoderStream;
};
