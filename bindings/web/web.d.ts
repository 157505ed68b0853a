// DOMException and the buffer types of the web platform globals
// (bindings/web); the web API packages' own .d.ts files (bindings/url,
// encoding, clone, crypto, streams) declare the rest. The names and shapes
// are those of TypeScript's DOM lib (lib.dom.d.ts), so code written for
// browsers type-checks unchanged. `host types` must leave these files out
// when the plugin's tsconfig loads lib "dom": the DOM lib declares all of
// them already, and declaring them twice is an error. Timers, queueMicrotask, console and AbortController
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
