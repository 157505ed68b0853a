/**
 * A plugin's own persistent key/value data (`ctx.store`): plain JSON values
 * kept in the host's database file, scoped to the plugin (one plugin cannot
 * see another's keys), shared safely by every host process on the machine.
 * Not for secrets: use `ctx.secrets` for tokens and passwords.
 *
 * Values go through JSON exactly as `JSON.stringify` / `JSON.parse` would:
 * a Date comes back as an ISO string, `undefined` object members vanish,
 * a Map becomes `{}`. A value's JSON may be at most 1 MiB, nesting arrays
 * and objects at most 1000 levels deep; a key is a non-empty string of at
 * most 512 bytes (UTF-8).
 *
 * Every method returns a Promise. Invalid arguments (a non-string or empty
 * key, a value JSON cannot hold: undefined, a function, a symbol, a BigInt,
 * a cyclic object, a value nested too deep: ERR_STORE_VALUE_TOO_DEEP)
 * reject with a TypeError. Other failures reject with an
 * Error whose `code` says why (ERR_STORE_VALUE_TOO_LARGE, ERR_STORE_BUSY,
 * ERR_STORE_READ_ONLY, ERR_STORE_DISK_FULL, ERR_STORE_CORRUPT,
 * ERR_STORE_CLOSED) and whose `hint` says what the user can do.
 */
interface PluginStore {
  /**
   * The value stored under `key`, or `null` when there is none (as the plugin SDK has it).
   * `T` is not checked at run time: it states what the plugin stored.
   */
  get<T = unknown>(key: string): Promise<T | null>;
  /**
   * Stores `value` under `key`, replacing any previous value. Resolves once
   * the write is durable.
   */
  set(key: string, value: unknown): Promise<void>;
  /** Removes `key`; resolves also when it had no value. */
  delete(key: string): Promise<void>;
  /** The plugin's keys, sorted by Unicode code point. */
  keys(): Promise<string[]>;
}
