// The fetch API the host gives plugins as globals: fetch, Headers, Response.
//
// These names are the ones TypeScript's DOM lib (lib.dom.d.ts) declares.
// `host types` must include this file only when the project's tsconfig does
// not load lib "dom" (else: "Duplicate identifier"); with the DOM lib present
// its declarations cover everything here. Declares only what the host
// implements: no Request class, FormData, Blob, body streams or AbortSignal
// yet, and `redirect` is 'follow' only.

type HeadersInit = [string, string][] | Record<string, string> | Headers;

/** A request or response body: text, or bytes. */
type BodyInit = string | ArrayBuffer | ArrayBufferView;

declare class Headers implements Iterable<[string, string]> {
  constructor(init?: HeadersInit);
  append(name: string, value: string): void;
  delete(name: string): void;
  /** All values of the header joined with ", ", or null. Case-insensitive. */
  get(name: string): string | null;
  getSetCookie(): string[];
  has(name: string): boolean;
  set(name: string, value: string): void;
  forEach(callbackfn: (value: string, key: string, parent: Headers) => void, thisArg?: any): void;
  /** Lower-case names in sorted order. */
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

declare class Response {
  constructor(body?: BodyInit | null, init?: ResponseInit);
  /** True for a status in 200..299. */
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** The final URL, after redirects. */
  readonly url: string;
  readonly redirected: boolean;
  readonly type: "basic" | "default";
  readonly bodyUsed: boolean;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  clone(): Response;
  static json(data: any, init?: ResponseInit): Response;
}

interface RequestInit {
  /** Default "GET". */
  method?: string;
  headers?: HeadersInit;
  /** Not allowed with GET or HEAD. */
  body?: BodyInit | null;
  redirect?: "follow";
}

/** What fetch accepts as its first argument besides a URL string. */
interface RequestLike {
  url: string;
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit | null;
}

/**
 * Sends an HTTP request. Resolves when the response (body included, at
 * most 32 MiB) has arrived; rejects with a TypeError ("fetch failed: ...")
 * when no response arrives: network error, TLS error, timeout.
 */
declare function fetch(input: string | { readonly href: string } | RequestLike, init?: RequestInit): Promise<Response>;
