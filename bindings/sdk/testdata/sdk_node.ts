// Runs cases.js on the plugin SDK's own schema code (sdk-schema.ts, its
// src/schema.ts) with zod 3: node sdk_node.ts (Node 22 strips the types;
// zod resolves from ./node_modules). Prints JSON for TestAgainstSDK.
import { readFileSync } from 'node:fs';
import { z, serializeConfigSchema, getFieldMeta } from './sdk-schema.ts';

const src = readFileSync(new URL('./cases.js', import.meta.url), 'utf8');
const { sdkCases, sdkDivergentCases } = new Function(src + '\nreturn { sdkCases, sdkDivergentCases };')();
const run = (cases: any[]) => cases.map(([name, schema, field]) => ({
  name,
  schema: serializeConfigSchema(schema),
  meta: field ? getFieldMeta(field) : null,
}));
console.log(JSON.stringify({ cases: run(sdkCases(z)), divergent: run(sdkDivergentCases(z)) }));
