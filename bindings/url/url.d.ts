// URL and URLSearchParams (bindings/url), as TypeScript's DOM lib declares them.

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
