// The conformance suite's json-schema-2020-12 scenario lists a tool named
// json_schema_2020_12_tool: plugin "json", tool "schema_2020_12_tool".
import { definePlugin, z } from '@hivemind-os/plugin-sdk';

const address = z.object({ street: z.string(), city: z.string() });

export default definePlugin({
  id: 'json',
  tools: [
    {
      name: 'schema_2020_12_tool',
      description: 'Tool with JSON Schema 2020-12 features',
      parameters: z.object({ name: z.string(), address: address.optional() }).strict(),
      annotations: { readOnly: true },
      execute: async ({ name }) => ({ content: `hello ${name}` }),
    },
  ],
});
