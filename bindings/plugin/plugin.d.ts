// The plugin API in the shape of the plugin SDK the spec comes from
// (`@hivemind-os/plugin-sdk`): definePlugin, the PluginContext every hook
// receives, auth declarations, tools, the loop and permissions. A global
// script: `definePlugin` and the types below need no import; `import {
// definePlugin, z } from "@hivemind-os/plugin-sdk"` (or "host:plugin")
// works too. Needs the declarations of `z` (zod.d.ts), SecretStore
// (secrets.d.ts), PluginStore (store.d.ts) and AbortSignal (TypeScript's DOM
// lib, or the host's standalone declarations). Kept in step with
// bindings/plugin/plugin.go.

/** `ctx.log` (host's older name; use ctx.logger): lines go to the host's log, tagged with the plugin id. Secret values are masked. */
interface PluginLog {
  debug(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
}

/** `ctx.logger`: a line to the host's log, `data` shown as key=value fields; secret values are masked. */
interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

/** Who sent an IncomingMessage. */
interface MessageSender {
  id: string;
  name: string;
  avatarUrl?: string;
}

/** A file attached to an IncomingMessage: a URL or base64 content. */
interface MessageAttachment {
  name: string;
  mimeType: string;
  url?: string;
  /** Base64-encoded content. */
  content?: string;
}

/** A message for the plugin's inbox (`host messages PLUGIN`). */
interface IncomingMessage {
  /** The dedup key: a message whose source is in the inbox already is dropped, also across restarts. */
  source: string;
  /** Channel or feed name, for routing and display. */
  channel: string;
  /** Human-readable content. */
  content: string;
  sender?: MessageSender;
  /** Structured data (JSON). */
  metadata?: Record<string, unknown>;
  classification?: "personal" | "work" | "automated" | "spam";
  threadId?: string;
  /** ISO 8601; the host records when it received the message too. */
  timestamp?: string;
  attachments?: MessageAttachment[];
}

/** What clicking a notification should do (host shows the target as text). */
interface NotificationAction {
  type: "open_session" | "open_settings" | "open_url";
  target: string;
}

/** `ctx.notify`: a desktop notification (freedesktop Notifications on Linux), else a line in host's output. Masked. */
interface NotificationPayload {
  title: string;
  body: string;
  action?: NotificationAction;
}

/** `ctx.updateStatus`: shown by `host run` and `host status`. */
interface PluginStatus {
  state: "connected" | "connecting" | "disconnected" | "error" | "syncing";
  message?: string;
  progress?: number;
}

/** `ctx.schedule`: handler runs every intervalSeconds, never two runs at once; a failure is logged and retried with backoff. */
interface ScheduleOptions {
  id: string;
  intervalSeconds: number;
  handler: () => Promise<void>;
}

/** `ctx.http`: fetch, with the plugin's permissions. */
interface HttpClient {
  fetch(url: string, init?: RequestInit): Promise<Response>;
}

/**
 * `ctx.dataDir`: the plugin's private directory (`<data dir>/plugins/<id>/data`).
 * Paths are relative to it; `..`, absolute paths and symbolic links that
 * leave it are refused (code ERR_DATADIR_ESCAPE).
 */
interface DataDirectory {
  /** The absolute path of a file in the directory ('' for the directory itself). */
  resolve(path: string): Promise<string>;
  readFile(path: string): Promise<string>;
  /** Creates missing parent directories. */
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  /** Entry names, sorted. */
  readDir(path: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  /** Creates the directory and its parents. */
  mkdir(path: string): Promise<void>;
  /** Removes a file, or a directory with everything in it. */
  remove(path: string): Promise<void>;
}

/** `ctx.host`: the host the plugin runs in. */
interface HostInfo {
  version: string;
  platform: "windows" | "macos" | "linux";
  capabilities: string[];
}

interface ConnectorInfo {
  id: string;
  displayName: string;
  provider: string;
  enabled: boolean;
  services: string[];
  status: "connected" | "disconnected" | "error";
}

interface PersonaInfo {
  id: string;
  name: string;
  description: string;
  isActive: boolean;
}

/** host has no connectors of its own: list() resolves to []. */
interface ConnectorDiscovery {
  list(): Promise<ConnectorInfo[]>;
}

/** host has no personas: list() resolves to []. */
interface PersonaDiscovery {
  list(): Promise<PersonaInfo[]>;
}

/** `ctx.store`: persistent JSON key/value data, scoped to the plugin; a missing key is null. */
type PersistentStore = PluginStore;

/**
 * What onActivate, onDeactivate, tools and the loop receive (the SDK's
 * PluginContext). `Config` is the parsed configSchema
 * (`z.infer<typeof configSchema>`); a bare `PluginContext` takes any config.
 */
interface PluginContext<Config = any> {
  /** The plugin id: `id` from the definition, else package.json's name, else the file's directory (plugin.ts, index.ts) or name. */
  readonly pluginId: string;
  /** The validated configuration, secret fields included. Frozen. */
  readonly config: Readonly<Config>;
  /** Aborted when the plugin stops (deactivation, reload, Ctrl-C); ctx.sleep rejects at once then. */
  readonly signal: AbortSignal;
  /** Adds a message to the plugin's inbox, unless one with its source is there. */
  emitMessage(msg: IncomingMessage): Promise<void>;
  /** emitMessage for many at once (one database transaction). */
  emitMessages(msgs: IncomingMessage[]): Promise<void>;
  /** Secrets in the OS keyring, scoped to this plugin. OAuth tokens are `oauth_access_token` and `oauth_refresh_token`. */
  readonly secrets: SecretStore;
  /** Persistent JSON key/value data, scoped to this plugin. */
  readonly store: PersistentStore;
  readonly logger: Logger;
  notify(notification: NotificationPayload): Promise<void>;
  /** Appends to the plugin's event log (`host events PLUGIN`). */
  emitEvent(eventType: string, payload: Record<string, unknown>): Promise<void>;
  updateStatus(status: PluginStatus): Promise<void>;
  /** Resolves after ms; rejects (with ctx.signal.reason, an AbortError) as soon as the plugin stops. */
  sleep(ms: number): Promise<void>;
  schedule(opts: ScheduleOptions): Promise<void>;
  unschedule(id: string): Promise<void>;
  readonly http: HttpClient;
  readonly dataDir: DataDirectory;
  readonly host: HostInfo;
  readonly connectors: ConnectorDiscovery;
  readonly personas: PersonaDiscovery;
  /** host's older name of pluginId. */
  readonly id: string;
  /** host's older logger (console-style arguments). */
  readonly log: PluginLog;
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
  /**
   * Runs a prompt on the caller's model (MCP sampling) and resolves to its
   * text answer. Secrets are masked in what is sent. Rejects with code
   * ERR_SAMPLE_UNSUPPORTED when the caller has no model to ask.
   */
  sample(request: {
    prompt?: string;
    messages?: { role: "user" | "assistant"; content: string }[];
    maxTokens?: number;
    systemPrompt?: string;
  }): Promise<{ text: string; model: string; stopReason?: string }>;
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

/** What a tool's execute resolves to. */
interface ToolResult {
  /** A string for simple results, an object or array for structured data. */
  content: string | Record<string, unknown> | Array<unknown>;
  /** The result is an error the caller should see (`host call` exits 1). */
  isError?: boolean;
  artifacts?: Artifact[];
}

/** A file attached to a ToolResult. */
interface Artifact {
  name: string;
  mimeType: string;
  /** Base64-encoded content. */
  content?: string;
  url?: string;
}

/** How a tool affects the world, for clients that ask before running it. */
interface ToolAnnotations {
  /** Whether the tool creates or modifies external state. */
  sideEffects?: boolean;
  /** 'always' needs the user's approval, 'suggest' suggests it. */
  approval?: "always" | "suggest" | "never";
  /** The tool changes nothing; overrides sideEffects when set. */
  readOnly?: boolean;
}

/**
 * The params a tool's execute receives: what its parameters schema parses
 * to when Params is a z type, else Params itself (the SDK's
 * `ToolDefinition<{ id: string }>`).
 */
type ToolParamsOf<Params> = Params extends z.ZodType<any, any> ? z.infer<Params> : Params;

/** The schema of a ToolDefinition's parameters: Params when it is a z type, else a z type parsing to Params. */
type ToolSchemaOf<Params> = [Params] extends [z.ZodType<any, any>] ? Params : z.ZodType<Params, any>;

/**
 * A tool callers can run (`host call`, MCP clients): params validated
 * against `parameters`. Generic as the SDK's: `ToolDefinition<{ id: string
 * }>` is a tool whose parameters parse to `{ id: string }`;
 * `ToolDefinition<typeof schema>` names the schema instead.
 */
interface ToolDefinition<Params = any, Config = any> {
  /** Unique within the plugin: 1-128 of a-z, A-Z, 0-9, '_', '-', '.'. */
  name: string;
  description: string;
  /** Any z type (usually a z.object({...}); z.record(...) and the like too); its parsed value is what execute receives. Its JSON Schema is the tool's input schema. */
  parameters: ToolSchemaOf<Params>;
  annotations?: ToolAnnotations;
  execute(params: ToolParamsOf<Params>, ctx: ToolCallContext<Config>): ToolResult | Promise<ToolResult>;
}

/** A tool as definePlugin reads it, Schema being the type of its parameters (so each tool's params follow its own schema). */
interface PluginToolDefinition<Schema = any, Config = any> {
  name: string;
  description: string;
  parameters: Schema & z.ZodType<any, any>;
  annotations?: ToolAnnotations;
  execute(params: ToolParamsOf<Schema>, ctx: ToolCallContext<Config>): ToolResult | Promise<ToolResult>;
}

/** The JSON a tool in host's older form receives when it declares no input schema. */
type PluginToolInput<Input> = Input extends z.ZodType<any, any> ? z.infer<Input> : { [key: string]: unknown };

/** host's older tool form (`tools: { name: { description, input, run } }`); use ToolDefinition. */
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

/** host's older loop form: run every `every`, one run at a time, retried with backoff after a failure. Use the SDK's loop function. */
interface PluginLoop<Config = any> {
  every: PluginInterval;
  run(ctx: PluginContext<Config>): void | Promise<void>;
}

/** The config type a configSchema parses to. */
type PluginConfigOf<Schema> = Schema extends z.ZodType<any, any> ? z.infer<Schema> : {};

/** The SDK's background loop: started after activation, stopped by aborting ctx.signal; restarted with backoff if it throws. */
type PluginLoopFunction<Config = any> = (ctx: PluginContext<Config>) => Promise<void>;

/**
 * What a plugin may use, when it declares any (else it is unrestricted):
 * `network:HOST` (also `network:HOST:PORT`, `network:*.example.com`),
 * `secrets:read`, `secrets:write`, `loop:background`, `filesystem:read`,
 * `filesystem:write`. Also read from package.json "hivemind".permissions.
 */
type PluginPermission =
  | `network:${string}`
  | "secrets:read"
  | "secrets:write"
  | "loop:background"
  | "filesystem:read"
  | "filesystem:write";

/** The argument of definePlugin. */
interface PluginDefinition<
  Schema extends z.ZodObject<any, any> = z.ZodObject<{}>,
  Tools extends readonly unknown[] = unknown[],
  Legacy extends { [name: string]: unknown } = {},
> {
  /** a-z, 0-9, '.', '_', '-'; default package.json's name, else the directory name of plugin.ts/index.ts, else the file name. */
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
  /** The SDK's tools array (host's older object form is still read). */
  tools?:
    | { [I in keyof Tools]: PluginToolDefinition<Tools[I], PluginConfigOf<Schema>> }
    | { [Name in keyof Legacy]: PluginTool<Legacy[Name], PluginConfigOf<Schema>> };
  loop?: PluginLoopFunction<PluginConfigOf<Schema>> | PluginLoop<PluginConfigOf<Schema>>;
  permissions?: PluginPermission[];
}

/**
 * Declares a plugin; `export default` its result. The type of `ctx.config`
 * follows configSchema, and each tool's params follow its parameters.
 */
declare function definePlugin<
  Schema extends z.ZodObject<any, any> = z.ZodObject<{}>,
  const Tools extends readonly unknown[] = unknown[],
  Legacy extends { [name: string]: unknown } = {},
>(definition: PluginDefinition<Schema, Tools, Legacy>): PluginDefinition<Schema, Tools, Legacy>;

declare module "host:plugin" {
  const hostDefinePlugin: typeof definePlugin;
  const hostFetch: typeof fetch;
  import hostZ = z;
  export { hostDefinePlugin as definePlugin, hostZ as z, hostFetch as fetch };
  export type PluginContext<Config = any> = globalThis.PluginContext<Config>;
  export type ToolDefinition<Params = any, Config = any> = globalThis.ToolDefinition<Params, Config>;
  export type ToolResult = globalThis.ToolResult;
  const hostModule: { definePlugin: typeof definePlugin; z: typeof z };
  export default hostModule;
}

/** The plugin SDK's module: host provides it (a copy in node_modules is never run). */
declare module "@hivemind-os/plugin-sdk" {
  const sdkDefinePlugin: typeof definePlugin;
  import sdkZ = z;
  export { sdkDefinePlugin as definePlugin, sdkZ as z };
  /** The SDK's PluginDefinition<TShape>: TShape is the configSchema's shape. */
  export type PluginDefinition<TShape extends z.ZodRawShape = any> = globalThis.PluginDefinition<z.ZodObject<TShape>, any, any>;
  export type PluginContext<Config = any> = globalThis.PluginContext<Config>;
  export type ToolDefinition<Params = any, Config = any> = globalThis.ToolDefinition<Params, Config>;
  export type ToolResult = globalThis.ToolResult;
  export type ToolAnnotations = globalThis.ToolAnnotations;
  export type Artifact = globalThis.Artifact;
  export type AuthConfig = globalThis.PluginAuth;
  export type OAuth2AuthConfig = globalThis.OAuth2Auth;
  export type TokenAuthConfig = globalThis.TokenAuth;
  export type TokenField = globalThis.TokenAuthField;
  export type IncomingMessage = globalThis.IncomingMessage;
  export type MessageSender = globalThis.MessageSender;
  export type MessageAttachment = globalThis.MessageAttachment;
  export type SecretStore = globalThis.SecretStore;
  export type PersistentStore = globalThis.PersistentStore;
  export type Logger = globalThis.Logger;
  export type NotificationPayload = globalThis.NotificationPayload;
  export type NotificationAction = globalThis.NotificationAction;
  export type PluginStatus = globalThis.PluginStatus;
  export type ScheduleOptions = globalThis.ScheduleOptions;
  export type HttpClient = globalThis.HttpClient;
  export type DataDirectory = globalThis.DataDirectory;
  export type HostInfo = globalThis.HostInfo;
  export type ConnectorDiscovery = globalThis.ConnectorDiscovery;
  export type PersonaDiscovery = globalThis.PersonaDiscovery;
  export type ConnectorInfo = globalThis.ConnectorInfo;
  export type PersonaInfo = globalThis.PersonaInfo;
  /** The SDK's own Node runtime: host runs plugins itself, so these throw. */
  export function startPluginRuntime(definition: unknown): never;
  export class JsonRpcTransport {
    constructor(...args: unknown[]);
  }
  export class JsonRpcTransportError extends Error {}
  const sdkModule: {
    definePlugin: typeof definePlugin;
    z: typeof z;
    serializeConfigSchema: typeof serializeConfigSchema;
    getFieldMeta: typeof getFieldMeta;
  };
  export default sdkModule;
}
