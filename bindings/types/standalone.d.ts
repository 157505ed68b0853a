// Globals every plugin runtime has that TypeScript's DOM lib would declare:
// console (bindings/console), timers and queueMicrotask (jsrt). Only in the standalone
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
