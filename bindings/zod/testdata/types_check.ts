// Type-level checks for zod.d.ts: `tsc --noEmit --strict zod.d.ts testdata/types_check.ts`
// must pass; zod_test.go also runs this file on the real binding.
// Each Expect<Equal<...>> fails to compile when an inferred type is wrong.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const configSchema = z.object({
  token: z.string().secret().label('API Token').section('Authentication'),
  baseUrl: z.string().url().default('https://api.example.com'),
  retries: z.number().int().min(0).optional(),
  region: z.enum(['eu', 'us']),
  tags: z.array(z.string()).nonempty(),
  mode: z.literal('fast'),
  note: z.string().nullable(),
  nested: z.object({ on: z.boolean() }).partial(),
});
type Config = z.infer<typeof configSchema>;
type _c = Expect<
  Equal<
    Config,
    {
      token: string;
      baseUrl: string;
      region: 'eu' | 'us';
      tags: [string, ...string[]];
      mode: 'fast';
      note: string | null;
      nested: { on?: boolean | undefined };
      retries?: number | undefined;
    }
  >
>;
type ConfigIn = z.input<typeof configSchema>;
type _i = Expect<Equal<ConfigIn['baseUrl'], string | undefined>>;

const a = z.string();
const b = a.min(3, 'too short').max(10, { message: 'too long' }).regex(/^[a-z]+$/);
const s: string = b.parse('abc');
const r = configSchema.safeParse({});
if (!r.success) {
  const msgs: string[] = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  void msgs;
} else {
  const t: string = r.data.token;
  void t;
}
try {
  configSchema.parse({});
} catch (e) {
  if (e instanceof z.ZodError) {
    const f: { [k: string]: string[] } = e.flatten().fieldErrors;
    void f;
  }
}
const picked = configSchema.pick({ token: true }).extend({ x: z.number().default(1) });
type _p = Expect<Equal<z.infer<typeof picked>, { token: string; x: number }>>;
const omitted = configSchema.omit({ tags: true, nested: true, note: true, mode: true, region: true, retries: true, baseUrl: true });
type _o = Expect<Equal<z.infer<typeof omitted>, { token: string }>>;
const keys = configSchema.keyof();
type _k = Expect<Equal<z.infer<typeof keys>, keyof Config>>;
const e = z.enum(['a', 'b']);
const ea: 'a' = e.enum.a;
const opts: readonly ['a', 'b'] = e.options;
const tokenField: z.ZodString = configSchema.shape.token;
const desc: string | undefined = z.number().describe('n').description;
const p: Promise<number> = z.number().parseAsync(1);
const d = z.string().optional().default('x');
type _d = Expect<Equal<z.infer<typeof d>, string>>;
const lit = z.literal(3);
type _l = Expect<Equal<z.infer<typeof lit>, 3>>;
const pass = z.object({ a: z.string() }).passthrough();
const pv: unknown = pass.parse({ a: 'x', anything: 1 }).anything;
void [s, ea, opts, tokenField, desc, p, pv];
// Wrong uses the types reject (never called: they throw at run time).
export function rejected() {
  // @ts-expect-error min is a string/number/array check, not boolean
  z.boolean().min(1);
  // @ts-expect-error z.enum needs at least one value
  z.enum([]);
}

// SDK UI extensions.
const uiSchema = z.object({
  region: z.enum(["eu", "us"]).radio().helpText("Where your data lives").placeholder("eu").label("Region"),
});
const uiRegion: "eu" | "us" = uiSchema.parse({ region: "eu" }).region;
void uiRegion;

// zod 4 API: composites, formats, refinements, transforms.
const apiSchema = z.object({
  meta: z.record(z.unknown()),
  tags: z.record(z.string(), z.number()).optional(),
  id: z.union([z.string().uuid(), z.number().int()]),
  when: z.iso.datetime({ offset: true }).nullish(),
  email: z.email(),
  pair: z.tuple([z.string(), z.number()]),
  kind: z.literal(["a", "b"]),
  shape: z.discriminatedUnion("type", [
    z.object({ type: z.literal("circle"), r: z.number().positive() }),
    z.object({ type: z.literal("square"), side: z.number().multipleOf(0.5) }),
  ]),
  port: z.coerce.number().int().min(1).max(65535).default(8080),
  name: z.string().trim().toLowerCase().startsWith("x").refine((s) => s.length > 1, "too short"),
  size: z.string().transform((s) => s.length).pipe(z.number().max(10)),
  mode: z.enum(["r", "w", "rw"]).exclude(["rw"]).catch("r"),
  extra: z.null().or(z.string()),
});
type Api = z.infer<typeof apiSchema>;
type _api = [
  Expect<Equal<Api["meta"], Record<string, unknown>>>,
  Expect<Equal<Api["tags"], Record<string, number> | undefined>>,
  Expect<Equal<Api["id"], string | number>>,
  Expect<Equal<Api["when"], string | null | undefined>>,
  Expect<Equal<Api["email"], string>>,
  Expect<Equal<Api["pair"], [string, number]>>,
  Expect<Equal<Api["kind"], "a" | "b">>,
  Expect<Equal<Api["port"], number>>,
  Expect<Equal<Api["name"], string>>,
  Expect<Equal<Api["size"], number>>,
  Expect<Equal<Api["mode"], "r" | "w">>,
  Expect<Equal<Api["extra"], string | null>>,
];
const shapeOut: { type: "circle"; r: number } | { type: "square"; side: number } = null as unknown as Api["shape"];
const shapeIn: Api["shape"] = shapeOut;
void shapeIn;
const apiLoose = z.looseObject({ a: z.string() }).partial({ a: true }).required();
void apiLoose;
const apiJSON: { [key: string]: unknown } = z.toJSONSchema(apiSchema, { io: "input" });
void apiJSON;

// zod 3's API.
const z3Schema = z.object({
  when: z.date().min(new Date(0)),
  big: z.bigint().positive(),
  counts: z.map(z.string(), z.number()),
  tags: z.set(z.string()).nonempty(),
  both: z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })),
  also: z.object({ a: z.string() }).and(z.object({ c: z.boolean() })),
  trimmed: z.preprocess((v) => String(v).trim(), z.string()),
  odd: z.custom<number>((v) => typeof v === 'number' && v % 2 === 1),
  stamp: z.instanceof(Date),
  later: z.promise(z.string()),
  ip: z.string().ip({ version: 'v4' }).emoji().duration(),
});
type Z3 = z.infer<typeof z3Schema>;
type _z3 = Expect<Equal<Z3['when'], Date>>;
type _z3b = Expect<Equal<Z3['big'], bigint>>;
type _z3m = Expect<Equal<Z3['counts'], Map<string, number>>>;
type _z3s = Expect<Equal<Z3['tags'], Set<string>>>;
type _z3i = Expect<Equal<Z3['both'], { a: string } & { b: number }>>;
type _z3o = Expect<Equal<Z3['odd'], number>>;
type _z3d = Expect<Equal<Z3['stamp'], Date>>;
type _z3p = Expect<Equal<Z3['later'], Promise<string>>>;
interface Tree {
  name: string;
  kids: Tree[];
}
const tree: z.ZodType<Tree> = z.lazy(() => z.object({ name: z.string(), kids: z.array(tree) }));
tree.parse({ name: 'a', kids: [] });
const add = z.function().args(z.number(), z.number()).returns(z.number()).implement((a, b) => a + b);
const three: number = add(1, 2);
const deep = z.object({ a: z.object({ b: z.string() }) }).deepPartial();
const dp: { a?: { b?: string } } = deep.parse({});
const err = z.object({ a: z.string() }).safeParse({}).error;
if (err) {
  const f = err.format();
  const msgs: string[] = f._errors;
}
z.setErrorMap((issue, ctx) => ({ message: issue.code === 'invalid_type' ? 'bad type' : ctx.defaultError }));
z.setErrorMap((_issue, ctx) => ({ message: ctx.defaultError }));
const someSchema: object = z.string();
if (someSchema instanceof z.ZodString) {
  someSchema.min(1);
}
const tn: z.ZodFirstPartyTypeKind = z.string()._def.typeName;
if (tn !== z.ZodFirstPartyTypeKind.ZodString || three !== 3 || dp.a !== undefined) throw new Error('zod 3 API');
// zod 4's getter-based recursion: the types follow the getter, no annotation.
const Category = z.object({
  name: z.string(),
  get subcategories() {
    return z.array(Category);
  },
});
type Category = z.infer<typeof Category>;
type _gc = Expect<Equal<Category['subcategories'][number]['subcategories'][number]['name'], string>>;
const Person = z.object({
  name: z.string(),
  get friend() {
    return Person.optional();
  },
  get boss() {
    return Person.nullable();
  },
});
type Person = z.infer<typeof Person>;
type _gp = Expect<Equal<Person['friend'], Person | undefined>>;
type _gb = Expect<Equal<Person['boss'], Person | null>>;
const Post = z.object({
  title: z.string(),
  get author() {
    return User.optional();
  },
});
const User = z.object({
  email: z.string(),
  get posts() {
    return z.array(Post);
  },
});
type User = z.infer<typeof User>;
const user: User = { email: 'a@example.com', posts: [{ title: 't', author: { email: 'b@example.com', posts: [] } }] };
const parsedUser: User = User.parse(user);
const CategoryTagged = Category.extend({ tag: z.string().optional() });
type _ge = Expect<Equal<z.infer<typeof CategoryTagged>['tag'], string | undefined>>;
const cat: Category = Category.parse({ name: 'a', subcategories: [{ name: 'b', subcategories: [] }] });
if (cat.subcategories[0].name !== 'b' || parsedUser.posts[0].author?.email !== 'b@example.com' || Person.safeParse({ name: 'x', boss: null }).success !== true)
  throw new Error('getter recursion');
