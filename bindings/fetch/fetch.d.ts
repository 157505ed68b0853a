// The fetch API the host gives plugins as globals: fetch, Headers, Request,
// Response, FormData, Blob, File.
//
// These names are the ones TypeScript's DOM lib (lib.dom.d.ts) declares.
// `host types` must include this file only when the project's tsconfig does
// not load lib "dom" (else: "Duplicate identifier"); with the DOM lib present
// its declarations cover everything here. Declares only what the host
// implements: no cache/credentials/mode options.
//
// AbortSignal comes from the abort binding's declarations, URLSearchParams
// and ReadableStream from the web binding's.

type HeadersInit = [string, string][] | Record<string, string> | Headers;

/** A request or response body. */
type BodyInit = string | ArrayBuffer | ArrayBufferView | Blob | FormData | URLSearchParams | ReadableStream<Uint8Array>;

declare class Headers implements Iterable<[string, string]> {
  constructor(init?: HeadersInit);
  /** Adds a value; a name may have several. Names are case-insensitive. */
  append(name: string, value: string): void;
  delete(name: string): void;
  /** All values of the header joined with ", ", or null. Case-insensitive. */
  get(name: string): string | null;
  /** Every Set-Cookie value, separately. */
  getSetCookie(): string[];
  has(name: string): boolean;
  set(name: string, value: string): void;
  forEach(callbackfn: (value: string, key: string, parent: Headers) => void, thisArg?: any): void;
  /** Lower-case names in sorted order; set-cookie values stay separate. */
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

interface BlobPropertyBag {
  type?: string;
}

interface FilePropertyBag extends BlobPropertyBag {
  lastModified?: number;
}

type BlobPart = string | ArrayBuffer | ArrayBufferView | Blob;

/** Immutable bytes with a MIME type. */
declare class Blob {
  constructor(blobParts?: BlobPart[], options?: BlobPropertyBag);
  readonly size: number;
  readonly type: string;
  slice(start?: number, end?: number, contentType?: string): Blob;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  /** The bytes as a stream (one chunk). */
  stream(): ReadableStream<Uint8Array>;
}

declare class File extends Blob {
  constructor(fileBits: BlobPart[], fileName: string, options?: FilePropertyBag);
  readonly name: string;
  readonly lastModified: number;
}

type FormDataEntryValue = File | string;

/** Form fields and files; as a body it is sent as multipart/form-data. */
declare class FormData implements Iterable<[string, FormDataEntryValue]> {
  constructor();
  append(name: string, value: string | Blob): void;
  append(name: string, value: Blob, fileName: string): void;
  delete(name: string): void;
  get(name: string): FormDataEntryValue | null;
  getAll(name: string): FormDataEntryValue[];
  has(name: string): boolean;
  set(name: string, value: string | Blob): void;
  set(name: string, value: Blob, fileName: string): void;
  forEach(callbackfn: (value: FormDataEntryValue, key: string, parent: FormData) => void, thisArg?: any): void;
  entries(): IterableIterator<[string, FormDataEntryValue]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<FormDataEntryValue>;
  [Symbol.iterator](): IterableIterator<[string, FormDataEntryValue]>;
}

/** What Request and Response share: one-shot body readers. */
interface Body {
  readonly bodyUsed: boolean;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  blob(): Promise<Blob>;
  /**
   * The body as FormData, for an application/x-www-form-urlencoded or
   * multipart/form-data Content-Type; any other body rejects with a
   * TypeError.
   */
  formData(): Promise<FormData>;
}

type RequestRedirect = "follow" | "manual" | "error";

interface RequestInit {
  /** Default "GET". */
  method?: string;
  headers?: HeadersInit;
  /** Not allowed with GET or HEAD. A ReadableStream is sent (chunked) as it is read and needs duplex: "half". */
  body?: BodyInit | null;
  /** "half": required with a ReadableStream body. */
  duplex?: "half";
  /**
   * "follow" (default, at most 20 redirects; Authorization is dropped when
   * a redirect leaves the origin), "manual" (the 3xx response is returned
   * with its status and Location header, as Node does) or "error" (a
   * redirect rejects with a TypeError).
   */
  redirect?: RequestRedirect;
  /** Aborting rejects fetch (or the body read) with the signal's reason. */
  signal?: AbortSignal | null;
}

declare class Request implements Body {
  constructor(input: string | { readonly href: string } | Request, init?: RequestInit);
  /** Absolute and normalized. */
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly redirect: RequestRedirect;
  readonly signal: AbortSignal;
  readonly duplex: "half";
  /** The body as a stream; null without one. */
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  blob(): Promise<Blob>;
  formData(): Promise<FormData>;
  clone(): Request;
}

interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

declare class Response implements Body {
  constructor(body?: BodyInit | null, init?: ResponseInit);
  /** True for a status in 200..299. */
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  /** Immutable on responses from fetch. */
  readonly headers: Headers;
  /** The final URL, after redirects. */
  readonly url: string;
  readonly redirected: boolean;
  readonly type: "basic" | "default" | "error";
  /**
   * The body as a stream; null without one. From fetch, each chunk is read
   * from the network only when the stream is pulled (server-sent events
   * arrive as they are sent), with no size cap and no deadline.
   */
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  blob(): Promise<Blob>;
  formData(): Promise<FormData>;
  clone(): Response;
  static json(data: any, init?: ResponseInit): Response;
  static error(): Response;
  static redirect(url: string | { readonly href: string }, status?: number): Response;
}

/** What fetch accepts as its first argument besides a URL or a Request. */
interface RequestLike {
  url: string;
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit | null;
}

/**
 * Sends an HTTP request. Resolves when the headers have arrived (small
 * bodies of known length are read first); the body, at most 32 MiB, is then
 * read by text(), json(), arrayBuffer(), bytes() or blob(), or streamed
 * from Response.body. Rejects with a TypeError ("fetch failed: ...") when
 * no response arrives: network error, TLS error, timeout (the runtime's
 * call timeout covers the whole exchange, a body read whole included); with
 * the signal's reason when init.signal aborts.
 */
declare function fetch(input: string | { readonly href: string } | Request | RequestLike, init?: RequestInit): Promise<Response>;

interface MessageEventInit<T = any> extends EventInit {
  data?: T;
  origin?: string;
  lastEventId?: string;
}
/** A WebSocket message: data is a string, or a Blob / ArrayBuffer (binaryType) for a binary one. */
interface MessageEvent<T = any> extends Event {
  readonly data: T;
  readonly origin: string;
  readonly lastEventId: string;
}
declare var MessageEvent: {
  readonly prototype: MessageEvent;
  new <T>(type: string, eventInitDict?: MessageEventInit<T>): MessageEvent<T>;
};

interface CloseEventInit extends EventInit {
  code?: number;
  reason?: string;
  wasClean?: boolean;
}
interface CloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}
declare var CloseEvent: {
  readonly prototype: CloseEvent;
  new (type: string, eventInitDict?: CloseEventInit): CloseEvent;
};

interface WebSocketEventMap {
  close: CloseEvent;
  error: Event;
  message: MessageEvent;
  open: Event;
}
type BinaryType = "arraybuffer" | "blob";
/**
 * A WebSocket client. The handshake goes through fetch's HTTP client: wss
 * trusts the same roots, and --connect-to, proxies and the plugin's network
 * permissions apply; redirects are not followed. Messages arrive one at a
 * time (the next is read when the last one's listeners have run); sends go
 * out in order. Closed when the plugin is deactivated.
 */
interface WebSocket extends EventTarget {
  binaryType: BinaryType;
  /** Bytes queued by send() and not yet written. */
  readonly bufferedAmount: number;
  readonly extensions: string;
  readonly protocol: string;
  readonly readyState: number;
  readonly url: string;
  onclose: ((this: WebSocket, ev: CloseEvent) => any) | null;
  onerror: ((this: WebSocket, ev: Event) => any) | null;
  onmessage: ((this: WebSocket, ev: MessageEvent) => any) | null;
  onopen: ((this: WebSocket, ev: Event) => any) | null;
  /** code: 1000 or 3000..4999; reason: at most 123 UTF-8 bytes. */
  close(code?: number, reason?: string): void;
  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSING: 2;
  readonly CLOSED: 3;
  addEventListener<K extends keyof WebSocketEventMap>(type: K, listener: (this: WebSocket, ev: WebSocketEventMap[K]) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof WebSocketEventMap>(type: K, listener: (this: WebSocket, ev: WebSocketEventMap[K]) => any, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}
declare var WebSocket: {
  readonly prototype: WebSocket;
  new (url: string | { readonly href: string }, protocols?: string | string[]): WebSocket;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSING: 2;
  readonly CLOSED: 3;
};
