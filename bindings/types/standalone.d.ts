// Globals every plugin runtime has that TypeScript's DOM lib would declare:
// console (bindings/console), timers and queueMicrotask (jsrt),
// AbortController and AbortSignal (bindings/abort). Only in the standalone
// form (`host types --no-dom`, for a tsconfig with lib: ["es2022"]); with
// the DOM lib these would be duplicate declarations.

/** Where console output goes: the host's log, tagged with the plugin id, secret values masked. */
interface Console {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  trace(...data: unknown[]): void;
}
declare var console: Console;

/** Runs handler once after `timeout` ms; stopped when the plugin is deactivated. */
declare function setTimeout(handler: (...args: any[]) => void, timeout?: number, ...args: any[]): number;
/** Runs handler every `timeout` ms (at least 1); stopped when the plugin is deactivated. */
declare function setInterval(handler: (...args: any[]) => void, timeout?: number, ...args: any[]): number;
declare function clearTimeout(id: number | undefined): void;
declare function clearInterval(id: number | undefined): void;
declare function queueMicrotask(callback: () => void): void;

/** What abort listeners receive. */
interface AbortSignalEvent {
  readonly type: "abort";
  readonly target: AbortSignal;
}

/** Tells a fetch, a timer or a loop run to stop; `ctx.signal` aborts when the plugin is deactivated. */
interface AbortSignal {
  readonly aborted: boolean;
  /** Why it aborted: the abort(reason) argument, else an Error named "AbortError" ("TimeoutError" for AbortSignal.timeout). */
  readonly reason: any;
  onabort: ((this: AbortSignal, ev: AbortSignalEvent) => any) | null;
  /** Throws `reason` when aborted. */
  throwIfAborted(): void;
  addEventListener(type: "abort", listener: (this: AbortSignal, ev: AbortSignalEvent) => any, options?: boolean | { once?: boolean }): void;
  removeEventListener(type: "abort", listener: (this: AbortSignal, ev: AbortSignalEvent) => any): void;
}
declare var AbortSignal: {
  readonly prototype: AbortSignal;
  /** A signal that is already aborted. */
  abort(reason?: any): AbortSignal;
  /** A signal that aborts with a "TimeoutError" after `milliseconds`. */
  timeout(milliseconds: number): AbortSignal;
  /** A signal that aborts when any of `signals` does. */
  any(signals: Iterable<AbortSignal>): AbortSignal;
};

interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: any): void;
}
declare var AbortController: {
  readonly prototype: AbortController;
  new (): AbortController;
};
