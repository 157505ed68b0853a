// The plugin API: definePlugin, the PluginContext every hook receives, auth
// declarations, tools and the loop. A global script: `definePlugin` and the
// types below need no import; `import { definePlugin, z } from "host:plugin"`
// works too. Needs the declarations of `z` (zod.d.ts), SecretStore
// (secrets.d.ts), PluginStore (store.d.ts) and AbortSignal (TypeScript's DOM
// lib, or the host's standalone declarations). Kept in step with
// bindings/plugin/plugin.go.

/** `ctx.log`: lines go to the host's log, tagged with the plugin id. Secret values are masked. */
interface PluginLog {
  debug(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
}

/**
 * What onActivate, onDeactivate, tools and the loop receive. `Config` is
 * the parsed configSchema (`z.infer<typeof configSchema>`); a bare
 * `PluginContext` takes any config.
 */
interface PluginContext<Config = any> {
  /** The plugin id: `id` from the definition, else the file's directory (plugin.ts, index.ts) or name. */
  readonly id: string;
  /** The validated configuration, secret fields included. Frozen. */
  readonly config: Readonly<Config>;
  /** Secrets in the OS keyring, scoped to this plugin. OAuth tokens are `oauth_access_token` and `oauth_refresh_token`. */
  readonly secrets: SecretStore;
  /** Persistent JSON key/value data, scoped to this plugin. */
  readonly store: PluginStore;
  readonly log: PluginLog;
  /** Aborted when the plugin is deactivated (stop, reload); pass it to fetch and long waits. */
  readonly signal: AbortSignal;
}

/** The answer to `ctx.elicit`: what the user did, and the fields when they accepted. */
interface ElicitAnswer<Content> {
  action: "accept" | "decline" | "cancel";
  content?: Content;
}

/**
 * A tool's `ctx` during one call: the PluginContext plus what belongs to
 * the call (through MCP: cancellation, progress and elicitation).
 */
interface ToolCallContext<Config = any> extends PluginContext<Config> {
  /** Aborted when the caller cancels this call (an MCP client's cancellation) or the plugin stops. */
  readonly signal: AbortSignal;
  /** Reports how far the call is (MCP progress); does nothing when the caller did not ask for progress. */
  progress(p: number | { progress: number; total?: number; message?: string }): void;
  /**
   * Asks the user a question through the caller (MCP form elicitation).
   * The fields are strings, numbers, booleans and enums, never secrets (a
   * `.secret()` field is refused: secrets belong in configSchema, asked on
   * host's own setup page). Rejects with code ERR_ELICIT_UNSUPPORTED when the
   * caller cannot ask.
   */
  elicit<S extends z.ZodObject<any, any>>(question: { message: string; schema: S }): Promise<ElicitAnswer<z.infer<S>>>;
  /** The same with MCP's requestedSchema as plain JSON Schema (e.g. titled choices, which z cannot say). */
  elicit(question: { message: string; schema: { type: "object"; properties: { [key: string]: unknown }; required?: string[] } }): Promise<ElicitAnswer<{ [key: string]: unknown }>>;
}

/** One config field that holds a token, with help for the user who must create it. */
interface TokenAuthField<Key extends string = string> {
  /** The configSchema field, usually a `.secret()` string. */
  key: Key;
  /** The title of the question; default the field's `.label()`. */
  label?: string;
  /** Where the user creates the token. */
  helpUrl?: string;
  helpText?: string;
}

/** The user pastes a token (API key) that the host stores as a secret config field. */
interface TokenAuth<Key extends string = string> {
  type: "token";
  fields: TokenAuthField<Key>[];
}

/**
 * The host runs the OAuth2 login (authorization code with PKCE, a loopback
 * redirect on 127.0.0.1, the system browser; or the device flow) and stores
 * the tokens as the secrets `oauth_access_token` and `oauth_refresh_token`.
 */
interface OAuth2Auth {
  type: "oauth2";
  authorizationUrl: string;
  tokenUrl: string;
  scopes?: string[];
  /** PKCE (S256); default true. */
  pkce?: boolean;
  /** Optional: a `clientId` config field is used when this is not set. */
  clientId?: string;
  /** Enables the device flow (for machines without a browser). */
  deviceAuthorizationUrl?: string;
  /** A fixed port for the loopback redirect, when the provider needs a registered one; default any free port. */
  redirectPort?: number;
}

type PluginAuth<Key extends string = string> = TokenAuth<Key> | OAuth2Auth;

/** The JSON a tool receives when it declares no input schema. */
type PluginToolInput<Input> = Input extends z.ZodType<any, any> ? z.infer<Input> : { [key: string]: unknown };

/** A tool callers can run (`host call`): input validated against `input`, result returned as JSON. */
interface PluginTool<Input = unknown, Config = any> {
  description: string;
  /** A z.object({...}) the input must match; its parsed value is what run receives. */
  input?: Input & z.ZodObject<any, any>;
  run(input: PluginToolInput<Input>, ctx: ToolCallContext<Config>): unknown;
}

/** A unit of a PluginInterval string. */
type PluginIntervalUnit = "ms" | "s" | "m" | "h";

/**
 * How often the loop runs: milliseconds (at least 10), or a duration
 * string: "500ms", "30s", "1.5m", "1h30m".
 */
type PluginInterval =
  | number
  | `${number}${PluginIntervalUnit}`
  | `${number}${PluginIntervalUnit}${number}${PluginIntervalUnit}`
  | `${number}${PluginIntervalUnit}${number}${PluginIntervalUnit}${number}${PluginIntervalUnit}`;

/** Background work run every `every`, one run at a time, retried with backoff after a failure. */
interface PluginLoop<Config = any> {
  every: PluginInterval;
  run(ctx: PluginContext<Config>): void | Promise<void>;
}

/** The config type a configSchema parses to. */
type PluginConfigOf<Schema> = Schema extends z.ZodType<any, any> ? z.infer<Schema> : {};

/** The argument of definePlugin. */
interface PluginDefinition<
  Schema extends z.ZodObject<any, any> = z.ZodObject<{}>,
  Tools extends { [name: string]: unknown } = {},
> {
  /** a-z, 0-9, '.', '_', '-'; default the directory name of plugin.ts/index.ts, else the file name. */
  id?: string;
  name?: string;
  version?: string;
  description?: string;
  /** The configuration the host asks the user for; `.secret()` fields live in the OS keyring. */
  configSchema?: Schema;
  auth?: PluginAuth<Extract<keyof PluginConfigOf<Schema>, string>>;
  /** Called with the validated config; throw (or reject) to refuse it. */
  onActivate?(ctx: PluginContext<PluginConfigOf<Schema>>): void | Promise<void>;
  /** Called before the plugin stops or is replaced by a reload; ctx.signal is already aborted. */
  onDeactivate?(ctx: PluginContext<PluginConfigOf<Schema>>): void | Promise<void>;
  tools?: { [Name in keyof Tools]: PluginTool<Tools[Name], PluginConfigOf<Schema>> };
  loop?: PluginLoop<PluginConfigOf<Schema>>;
}

/**
 * Declares a plugin; `export default` its result. The type of `ctx.config`
 * follows configSchema, and each tool's `input` follows its input schema.
 */
declare function definePlugin<
  Schema extends z.ZodObject<any, any> = z.ZodObject<{}>,
  Tools extends { [name: string]: unknown } = {},
>(definition: PluginDefinition<Schema, Tools>): PluginDefinition<Schema, Tools>;

declare module "host:plugin" {
  const hostDefinePlugin: typeof definePlugin;
  const hostFetch: typeof fetch;
  import hostZ = z;
  export { hostDefinePlugin as definePlugin, hostZ as z, hostFetch as fetch };
  export type PluginContext<Config = any> = globalThis.PluginContext<Config>;
  const hostModule: { definePlugin: typeof definePlugin; z: typeof z };
  export default hostModule;
}
