// The plugin SDK's schema utilities, exported by "@hivemind-os/plugin-sdk"
// beside definePlugin and z (this block merges with the module's
// declaration in plugin.d.ts). Kept in step with bindings/sdk/sdk.go.

declare module "@hivemind-os/plugin-sdk" {
  /** A config field's setup hints, as .label(), .helpText(), .section(), .secret(), .radio() and .placeholder() set them. */
  export interface HivemindFieldMeta {
    label?: string;
    helpText?: string;
    section?: string;
    secret?: boolean;
    radio?: boolean;
    placeholder?: string;
  }

  /** A configSchema as the SDK's host reads it to draw its form. */
  export interface SerializedConfigSchema {
    type: "object";
    properties: Record<string, SerializedFieldSchema>;
    required: string[];
  }

  /** One field of a SerializedConfigSchema. */
  export interface SerializedFieldSchema {
    /** "string", "number", "boolean" or "array" ("string" for every other kind, as the SDK). */
    type: string;
    description?: string;
    default?: unknown;
    enum?: unknown[];
    minimum?: number;
    maximum?: number;
    items?: SerializedFieldSchema;
    hivemind?: HivemindFieldMeta;
  }

  /** The SDK's serialization of a z.object configSchema (anything else gives no properties). */
  export function serializeConfigSchema(schema: z.ZodTypeAny): SerializedConfigSchema;

  /** The setup hints of a field ({} when it has none). */
  export function getFieldMeta(schema: z.ZodTypeAny): HivemindFieldMeta;
}
