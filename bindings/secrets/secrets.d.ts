/**
 * A plugin's secrets, kept in the OS keyring (macOS Keychain, Windows
 * Credential Manager, Linux Secret Service), or in an encrypted file when
 * the user opts in. Scoped to the plugin: one plugin cannot read another's
 * secrets. Values of any length store (long ones are split across keyring
 * items). Values never reach config files, the store or logs; the host
 * masks them (values of 4 characters or more, also base64-, URL- or
 * JSON-encoded) in everything the plugin prints.
 *
 * Every method returns a Promise. Invalid arguments reject with a TypeError;
 * an unreachable keyring rejects with an Error whose `code` says why
 * (ERR_SECRET_NO_SESSION_BUS, ERR_SECRET_NO_SECRET_SERVICE,
 * ERR_SECRET_TIMEOUT, ERR_SECRET_LOCKED, ERR_SECRET_STORE_FAILED; with the
 * file backend ERR_SECRET_WRONG_PASSPHRASE, ERR_SECRET_FILE_DAMAGED) and
 * whose `hint` says what the user can do.
 */
interface SecretStore {
  /** The stored value, or `null` when `key` has none (as the plugin SDK has it). */
  get(key: string): Promise<string | null>;
  /** Stores `value` under `key`, replacing any previous value. */
  set(key: string, value: string): Promise<void>;
  /** Whether `key` has a value. */
  has(key: string): Promise<boolean>;
  /** Removes `key`; resolves also when it had no value. */
  delete(key: string): Promise<void>;
}
