// The config schemas TestAgainstSDK serializes with the SDK's own code (on
// zod 3.23) and with host's: sdkCases(z) returns [name, schema, field] where
// field, when given, is also passed to getFieldMeta. zod 3's API only, as
// SDK plugins write it. A plain script: Node evaluates it too.
function sdkCases(z) {
  const testPlugin = z.object({
    apiKey: z.string().secret().label('API Key').helpText('Test API key (any value accepted)').section('Authentication'),
    endpoint: z.string().default('https://httpbin.org').label('API Endpoint').section('Connection'),
    pollInterval: z.number().min(1).max(3600).default(30).label('Poll Interval (seconds)').section('Sync'),
    failOnActivate: z.boolean().default(false).label('Simulate activation failure').helpText('When true, onActivate will throw an error').section('Testing'),
  });
  const token = z.string().secret().label('Personal Access Token').helpText('Create at github.com/settings/tokens.').section('Authentication');
  return [
    ['test plugin', testPlugin, testPlugin.shape.apiKey],
    ['github issues (hints last)', z.object({
      token,
      repo: z.string().label('Repository Name').placeholder('hivemind').section('Repository'),
      pollInterval: z.number().min(30).max(3600).default(120).label('Poll Interval (seconds)').helpText('How often').section('Background Sync'),
      watchLabels: z.array(z.string()).default([]).label('Watch Labels').section('Background Sync'),
    }), token],
    ['bare bounds', z.object({
      n: z.number().min(2).max(9), p: z.number().positive(), g: z.number().gt(1).lt(5), i: z.number().int().nonnegative(),
      s: z.string().min(3).max(10), e: z.string().email(), len: z.string().length(4),
    })],
    ['wrapped keep type and default, lose bounds', z.object({
      o: z.number().min(2).optional(), d: z.number().max(3).default(1), nl: z.number().nullable(), nd: z.string().nullable().default('x'),
      on: z.boolean().optional().nullable(),
    })],
    ['enums', z.object({
      e: z.enum(['a', 'b']), r: z.enum(['x', 'y', 'z']).default('y').label('Pick').radio(), oe: z.enum(['1', '2']).optional(),
    })],
    ['arrays', z.object({
      a: z.array(z.number().max(3)), s: z.array(z.string().min(1)).min(1), d: z.array(z.string()).default(['q']), o: z.array(z.boolean()).optional(),
      nested: z.array(z.array(z.number())),
    })],
    ['other kinds are strings', z.object({
      obj: z.object({ x: z.string() }), u: z.union([z.string(), z.number()]), l: z.literal(3), rec: z.record(z.string(), z.number()),
      refined: z.number().refine((n) => n > 1), transformed: z.string().transform((s) => s.length), any: z.any(), unk: z.unknown(),
      coerced: z.coerce.number(),
    })],
    ['descriptions', z.object({
      d: z.string().describe('what it is'), l: z.string().label('Label only'), ld: z.string().describe('first').label('then a label'),
      s: z.string().secret(), h: z.string().helpText('help').section('S'),
    })],
    ['not an object', z.string()],
  ];
}

// Where host's result differs from the SDK's on purpose (bindings/sdk's
// package doc): a hint set before a wrapper or .describe() is kept by host.
function sdkDivergentCases(z) {
  return [
    ['hint before optional', z.object({ t: z.string().secret().label('T').optional() })],
    ['hint before describe', z.object({ owner: z.string().label('Repository Owner').placeholder('hivemind-os').describe('GitHub username or organization').section('Repository') })],
  ];
}
