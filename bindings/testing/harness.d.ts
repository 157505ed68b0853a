// The plugin SDK's testing module: createTestHarness runs a plugin's
// definition against a simulated host that records what the plugin does,
// as the SDK's own harness does. `host test` runs the tests that use it
// inside host's runtime. Kept in step with bindings/testing/harness.js.

declare module "@hivemind-os/plugin-sdk/testing" {
  export interface TestHarnessOptions {
    /** ctx.config as given (not validated, no defaults filled in). */
    config?: Record<string, unknown>;
    /** The secrets ctx.secrets starts with. */
    secrets?: Record<string, string>;
    /** ctx.host; default version "0.0.0-test", platform "linux", capabilities ["test"]. */
    hostInfo?: {
      version?: string;
      platform?: "windows" | "macos" | "linux";
      capabilities?: string[];
    };
  }

  export interface TestHarness {
    /** Parses args with the tool's parameters and runs it; rejects for an unknown tool or invalid args. */
    callTool(name: string, args?: Record<string, unknown>): Promise<ToolResult>;
    /** Runs the loop until it emitted messageCount messages (default 1), then aborts it; rejects after timeoutMs (default 5000). */
    runLoopUntil(opts?: { messageCount?: number; timeoutMs?: number }): Promise<void>;
    /** Runs onActivate. */
    activate(): Promise<void>;
    /** Runs onDeactivate. */
    deactivate(): Promise<void>;
    /** Checks a config object against configSchema. */
    validateConfig(config: unknown): { valid: boolean; errors?: Array<{ path: string; message: string }> };
    /** serializeConfigSchema(configSchema). */
    getConfigSchema(): import("@hivemind-os/plugin-sdk").SerializedConfigSchema;
    readonly messages: IncomingMessage[];
    readonly events: Array<{ type: string; payload: Record<string, unknown> }>;
    readonly notifications: NotificationPayload[];
    readonly statuses: PluginStatus[];
    readonly secretStore: Record<string, string>;
    readonly kvStore: Record<string, unknown>;
    readonly logs: Array<{ level: string; msg: string; data?: Record<string, unknown> }>;
    /** Clears the recorded messages, events, notifications, statuses, logs, the store and the data files (not the secrets). */
    reset(): void;
  }

  export function createTestHarness(definition: PluginDefinition<any, any, any>, options?: TestHarnessOptions): TestHarness;
}
