// The conformance suite's json-schema-2020-12 scenario lists a tool named
// json_schema_2020_12_tool: plugin "json", tool "schema_2020_12_tool". Its
// inputSchema has the scenario's shape: the address once under $defs
// (.meta({ id }), with its $anchor), a repeated object shared there too,
// and the composition and conditional keywords zod cannot express, given
// through .meta() as zod 4 copies them.
import { definePlugin, z } from '@hivemind-os/plugin-sdk';

const address = z.object({ street: z.string(), city: z.string() }).meta({ id: 'address', $anchor: 'addressDef' });
const hours = z.object({ from: z.string(), to: z.string() });

export default definePlugin({
  id: 'json',
  tools: [
    {
      name: 'schema_2020_12_tool',
      description: 'Tool with JSON Schema 2020-12 features',
      parameters: z
        .object({
          name: z.string(),
          address: address.optional(),
          contactMethod: z.enum(['phone', 'email']).optional(),
          phone: z.string().optional(),
          email: z.string().optional(),
          weekdays: hours.optional(),
          weekend: hours.optional(),
        })
        .strict()
        .meta({
          allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
          if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
          then: { required: ['phone'] },
          else: { required: ['email'] },
        }),
      annotations: { readOnly: true },
      execute: async ({ name }) => ({ content: `hello ${name}` }),
    },
  ],
});
