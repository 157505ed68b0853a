// Cases run on both zod 3.23 itself (node, TestAgainstZod3) and host's zod
// 3 namespace (the z of "@hivemind-os/plugin-sdk"). Each: a schema and
// inputs, compared on success, the parsed data and every issue's code, path
// and message; or a probe, a function whose result is compared. Plain JS,
// no imports: `cases3(z)` returns the list.
function cases3(z) {
  const obj = z.object({ a: z.string(), n: z.number().optional(), d: z.boolean().default(false) });
  const Category = z.lazy(() => z.object({ name: z.string(), subcategories: z.array(Category) }));
  class Thing {}
  return [
    // primitives and the checks zod 3 and 4 share
    { name: "string", schema: z.string(), inputs: ["x", 1, null, undefined, ""] },
    { name: "number", schema: z.number(), inputs: [1, 1.5, "1", NaN, Infinity, -Infinity, null] },
    { name: "int", schema: z.number().int(), inputs: [2, 2.5, 9007199254740991, 9007199254740992, 1e21] },
    { name: "boolean", schema: z.boolean(), inputs: [true, "true", 0] },
    { name: "null", schema: z.null(), inputs: [null, undefined, 0] },
    { name: "any", schema: z.any(), inputs: [1, "x", null, { a: [1] }] },
    { name: "min max", schema: z.string().min(2).max(4), inputs: ["a", "ab", "abcd", "abcde"] },
    { name: "length", schema: z.string().length(3), inputs: ["abc", "ab", "😀a"] },
    { name: "email", schema: z.string().email(), inputs: ["me@example.com", "a.b+c@ex-ample.co.uk", "a@b", "a..b@example.com", ".a@example.com", "me@example", "x", "ü@example.com"] },
    { name: "url", schema: z.string().url(), inputs: ["https://example.com/x?y=1", "mailto:someone@example.com", "example.com", " https://example.com ", "foo:bar"] },
    { name: "uuid", schema: z.string().uuid(), inputs: ["123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-02d3-a456-426614174000", "nope"] },
    { name: "datetime", schema: z.string().datetime(), inputs: ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123Z", "2024-01-02T03:04:05+02:00", "2024-01-02"] },
    { name: "datetime offset", schema: z.string().datetime({ offset: true }), inputs: ["2024-01-02T03:04:05+02:00", "2024-01-02T03:04:05Z"] },
    { name: "regex", schema: z.string().regex(/^[a-z]+$/, "letters"), inputs: ["abc", "ab1"] },
    { name: "startsWith", schema: z.string().startsWith("ab").endsWith("yz").includes("m"), inputs: ["abmyz", "abxyz", "xabmyz"] },
    { name: "trim lower", schema: z.string().trim().toLowerCase().min(2), inputs: ["  AB  ", " a "] },
    { name: "cuid nanoid", schema: z.object({ c: z.string().cuid(), n: z.string().nanoid() }), inputs: [{ c: "cjld2cjxh0000qzrmn831i7rn", n: "V1StGXR8_Z5jdHi6B-myT" }, { c: "x", n: "short" }] },
    { name: "base64", schema: z.string().base64(), inputs: ["aGVsbG8=", "aGVsbG8", ""] },
    { name: "gt lt", schema: z.number().gt(0).lt(10), inputs: [0, 5, 10] },
    { name: "positive etc", schema: z.object({ p: z.number().positive(), n: z.number().nonnegative(), m: z.number().negative(), q: z.number().nonpositive() }), inputs: [{ p: 1, n: 0, m: -1, q: 0 }, { p: 0, n: -1, m: 0, q: 1 }] },
    { name: "multipleOf", schema: z.number().multipleOf(5), inputs: [10, 12] },
    { name: "finite", schema: z.number().finite(), inputs: [1, Infinity] },
    { name: "enum", schema: z.enum(["a", "b"]), inputs: ["a", "c", 1] },
    { name: "nativeEnum", schema: z.nativeEnum({ Up: "UP", Down: "DOWN" }), inputs: ["UP", "Up"] },
    { name: "literal", schema: z.literal("x"), inputs: ["x", "y"] },
    // modifiers: zod 3's .default() parses its value
    { name: "optional", schema: z.string().optional(), inputs: [undefined, null, "x"] },
    { name: "nullable", schema: z.string().nullable(), inputs: [null, undefined, "x"] },
    { name: "nullish", schema: z.string().nullish(), inputs: [null, undefined, 1] },
    { name: "default", schema: z.number().default(5), inputs: [undefined, 3, null] },
    { name: "default validated", schema: z.number().min(5).default(3), inputs: [undefined, 6] },
    { name: "default nested", schema: z.object({ a: z.number().default(1) }).default({}), inputs: [undefined, {}] },
    { name: "default fn", schema: z.array(z.string()).default(() => ["x"]), inputs: [undefined, ["y"]] },
    { name: "catch", schema: z.number().catch(42), inputs: [1, "x"] },
    { name: "describe", schema: z.string().describe("A name"), inputs: ["x"] },
    // objects, arrays, tuples, records, unions
    { name: "object", schema: obj, inputs: [{ a: "x" }, { a: "x", n: 1, d: true, extra: 1 }, { n: "1" }, [], null] },
    { name: "strict", schema: obj.strict(), inputs: [{ a: "x", z: 1 }, { a: "x" }] },
    { name: "passthrough", schema: obj.passthrough(), inputs: [{ a: "x", z: [1, { y: 2 }] }] },
    { name: "partial required", schema: obj.partial().required({ a: true }), inputs: [{}, { a: "x" }] },
    { name: "extend merge pick omit", schema: obj.extend({ b: z.string() }).merge(z.object({ m: z.number() })).omit({ n: true }).pick({ a: true, b: true, m: true }), inputs: [{ a: "x", b: "y", m: 1 }, { a: 1 }] },
    { name: "array", schema: z.array(z.number()).min(1).max(2), inputs: [[], [1], [1, 2, 3], [1, "x"], {}] },
    { name: "nonempty", schema: z.array(z.string()).nonempty(), inputs: [[], ["a"]] },
    { name: "tuple", schema: z.tuple([z.string(), z.number()]), inputs: [["a", 1], ["a"], ["a", 1, 2], [1, "a"]] },
    { name: "tuple rest", schema: z.tuple([z.string()]).rest(z.number()), inputs: [["a"], ["a", 1, 2], ["a", "b"]] },
    { name: "tuple optional", schema: z.tuple([z.string(), z.number().optional()]), inputs: [["a"], ["a", 1]] },
    { name: "record", schema: z.record(z.number()), inputs: [{ a: 1, b: 2 }, { a: "x" }, {}, []] },
    { name: "record enum keys", schema: z.record(z.enum(["x", "y"]), z.number()), inputs: [{ x: 1, y: 2 }, { x: 1 }, { x: 1, z: 3 }] },
    { name: "union", schema: z.union([z.string(), z.number()]), inputs: ["a", 1, true] },
    { name: "union checks", schema: z.union([z.string().min(3), z.number()]), inputs: ["ab", "abc"] },
    { name: "discriminatedUnion", schema: z.discriminatedUnion("type", [
        z.object({ type: z.literal("a"), a: z.string() }),
        z.object({ type: z.literal("b"), b: z.number() }),
      ]), inputs: [{ type: "a", a: "x" }, { type: "b", b: "x" }, { type: "c" }] },
    { name: "refine", schema: z.string().refine((s) => s.length > 2, "too short"), inputs: ["abc", "a", 1] },
    { name: "superRefine", schema: z.array(z.number()).superRefine((a, ctx) => { if (a.length > 1 && a[0] > a[1]) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "order", path: [1] }); }), inputs: [[1, 2], [2, 1]] },
    { name: "transform pipe", schema: z.string().transform((s) => Number(s)).pipe(z.number().int()), inputs: ["5", "5.5"] },
    { name: "coerce", schema: z.object({ n: z.coerce.number(), s: z.coerce.string(), b: z.coerce.boolean() }), inputs: [{ n: "12", s: 1, b: "" }, { n: "x", s: null, b: 1 }] },
    { name: "union objects", schema: z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]), inputs: [{ a: "x" }, { b: 1 }, { c: 1 }, { a: 1 }, { b: "x" }] },
    { name: "union dirty order", schema: z.union([z.object({ b: z.number() }), z.object({ a: z.string().min(3) }), z.object({ a: z.string().max(1) })]), inputs: [{ a: "xy" }, { a: 1 }] },
    { name: "union refine", schema: z.union([z.string().refine((s) => s.length > 3, "long"), z.number()]), inputs: ["ab", true] },
    { name: "union strict", schema: z.union([z.object({ a: z.string() }).strict(), z.object({ b: z.string() })]), inputs: [{ a: "x", c: 1 }] },
    { name: "union nested checks", schema: z.union([z.object({ a: z.string().min(3) }), z.object({ b: z.number() })]), inputs: [{ a: "xy" }] },
    { name: "discriminatedUnion missing", schema: z.discriminatedUnion("t", [z.object({ t: z.literal("a") }), z.object({ t: z.literal("b"), n: z.number() })]), inputs: [{}, { t: "b" }, null] },
    { name: "datetime precision", schema: z.string().datetime({ precision: 3 }), inputs: ["2024-01-02T03:04:05.123Z", "2024-01-02T03:04:05Z"] },
    { name: "date string", schema: z.string().date(), inputs: ["2024-02-29", "2023-02-29"] },
    { name: "time string", schema: z.string().time(), inputs: ["03:04:05", "24:00:00"] },
    { name: "catchall", schema: z.object({ a: z.string() }).catchall(z.number()), inputs: [{ a: "x", b: 1 }, { a: "x", b: "y" }] },
    { name: "nullable default", schema: z.number().nullable().default(null), inputs: [undefined, null, 2] },
    { name: "literal number", schema: z.literal(2), inputs: [2, "2"] },
    { name: "array of optional", schema: z.array(z.string().optional()), inputs: [["a", undefined]] },
    { name: "string nonempty", schema: z.string().nonempty(), inputs: ["", "x"] },
    { name: "record key check", schema: z.record(z.string().min(2), z.number()), inputs: [{ ab: 1 }, { a: 1 }] },
    { name: "readonly", schema: z.object({ a: z.string() }).readonly(), inputs: [{ a: "x" }] },
    { name: "brand", schema: z.string().brand(), inputs: ["x"] },
    // zod 3's API that host adds
    { name: "date", schema: z.date(), inputs: [new Date(0), new Date("2024-05-01T10:00:00Z"), "2024-05-01", new Date("nope"), 0, null] },
    { name: "date min max", schema: z.object({ d: z.date().min(new Date("2024-01-01T00:00:00Z"), "too early").max(new Date("2025-01-01T00:00:00Z"), "too late") }), inputs: [{ d: new Date("2024-06-01T00:00:00Z") }, { d: new Date("2023-01-01T00:00:00Z") }, { d: new Date("2026-01-01T00:00:00Z") }] },
    { name: "coerce date text", schema: z.coerce.date(), inputs: ["May 1, 2024 10:00 UTC"] },
    { name: "date messages", schema: z.date().min(new Date("2024-01-01T00:00:00Z")), inputs: [new Date("2023-01-01T00:00:00Z")] },
    { name: "coerce date", schema: z.coerce.date(), inputs: ["2024-05-01", "2024-05-01T10:00:00Z", 0, "nope", new Date(5)] },
    { name: "bigint", schema: z.bigint(), inputs: [1n, 1, "1", null] },
    { name: "bigint checks", schema: z.bigint().gte(2n).lt(10n).multipleOf(2n), inputs: [4n, 1n, 10n, 5n] },
    { name: "bigint signs", schema: z.object({ p: z.bigint().positive(), n: z.bigint().nonpositive() }), inputs: [{ p: 1n, n: 0n }, { p: 0n, n: 1n }] },
    { name: "coerce bigint", schema: z.coerce.bigint(), inputs: ["12", 3, 1n] },
    { name: "map", schema: z.map(z.string(), z.number()), inputs: [new Map([["a", 1]]), new Map([["a", "x"], [2, 3]]), {}, new Map()] },
    { name: "set", schema: z.set(z.string()), inputs: [new Set(["a", "b"]), new Set(["a", 1]), ["a"]] },
    { name: "set size", schema: z.set(z.number()).min(1, "empty").max(2, "big"), inputs: [new Set([1]), new Set(), new Set([1, 2, 3])] },
    { name: "lazy", schema: Category, inputs: [{ name: "a", subcategories: [{ name: "b", subcategories: [] }] }, { name: "a", subcategories: [{ name: 1, subcategories: [] }] }, { name: "a" }] },
    { name: "intersection", schema: z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })), inputs: [{ a: "x", b: 1 }, { a: "x" }, { a: 1, b: "y" }, "x"] },
    { name: "and", schema: z.object({ a: z.string() }).and(z.object({ a: z.string(), c: z.boolean().default(true) })), inputs: [{ a: "x" }, { a: "x", c: false }] },
    { name: "intersection primitives", schema: z.intersection(z.string().min(2), z.string().max(3)), inputs: ["ab", "a", "abcd"] },
    { name: "intersection conflict", schema: z.intersection(z.string().transform((s) => s + "!"), z.string()), inputs: ["x"] },
    { name: "preprocess", schema: z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string().min(2)), inputs: [" ab ", " a ", 5] },
    { name: "preprocess number", schema: z.object({ n: z.preprocess((v) => Number(v), z.number().int()) }), inputs: [{ n: "5" }, { n: "5.5" }] },
    { name: "custom", schema: z.custom((v) => typeof v === "string" && v.startsWith("x")), inputs: ["xa", "a", 1] },
    { name: "custom message", schema: z.object({ c: z.custom((v) => v === 1, "must be one") }), inputs: [{ c: 1 }, { c: 2 }] },
    { name: "custom any", schema: z.custom(), inputs: [1, null, "x"] },
    { name: "instanceof", schema: z.instanceof(Thing), inputs: [new Thing(), {}, null] },
    { name: "instanceof Date", schema: z.instanceof(Date), inputs: [new Date(0), "x"] },
    { name: "promise", schema: z.promise(z.number()), inputs: [1, "x"] },
    { name: "function", schema: z.function(), inputs: [() => 1, 1, null] },
    { name: "deepPartial", schema: z.object({ a: z.object({ b: z.string(), c: z.array(z.object({ d: z.number() })) }), e: z.number() }).deepPartial(), inputs: [{}, { a: {} }, { a: { c: [{}] } }, { a: { b: 1 } }] },
    { name: "ip", schema: z.string().ip(), inputs: ["10.0.0.1", "256.0.0.1", "::1", "2001:db8::1", "x"] },
    { name: "ip v4", schema: z.string().ip({ version: "v4", message: "v4 only" }), inputs: ["10.0.0.1", "::1"] },
    { name: "ip v6", schema: z.string().ip({ version: "v6" }), inputs: ["::1", "10.0.0.1"] },
    { name: "emoji", schema: z.string().emoji(), inputs: ["😀", "😀😀", "a", "", "1"] },
    { name: "duration", schema: z.string().duration(), inputs: ["P1D", "PT1H30M", "P1Y2M3DT4H5M6S", "1D", "P", "-P1D", "P1.5D"] },
    // probes: what zod 3 code reads back
    { name: "format", probe: () => z.object({ a: z.string(), b: z.object({ c: z.number() }), t: z.array(z.string()) }).safeParse({ a: 1, b: { c: "x" }, t: ["a", 2] }).error.format() },
    { name: "format mapper", probe: () => z.string().safeParse(1).error.format((i) => i.code) },
    { name: "flatten", probe: () => z.object({ a: z.string(), b: z.number() }).refine(() => false, "whole").safeParse({ a: 1, b: 1 }).error.flatten() },
    { name: "setErrorMap", probe: () => {
        z.setErrorMap((issue, ctx) => ({ message: issue.code === "invalid_type" ? "Bad type: " + issue.expected : ctx.defaultError }));
        try {
          return [z.string().safeParse(1).error.issues[0].message, z.string().min(3).safeParse("a").error.issues[0].message, z.string().min(3, "mine").safeParse("a").error.issues[0].message];
        } finally {
          z.setErrorMap((issue, ctx) => ({ message: ctx.defaultError }));
        }
      } },
    { name: "instanceof classes", probe: () => {
        const s = z.string();
        return [s instanceof z.ZodString, s instanceof z.ZodType, s.optional() instanceof z.ZodOptional, s.optional() instanceof z.ZodString,
          z.object({}) instanceof z.ZodObject, s.nullable() instanceof z.ZodNullable, s.default("x") instanceof z.ZodDefault,
          s.refine(() => true) instanceof z.ZodEffects, z.date() instanceof z.ZodDate, z.lazy(() => s) instanceof z.ZodLazy,
          z.map(s, s) instanceof z.ZodMap, z.set(s) instanceof z.ZodSet, z.bigint() instanceof z.ZodBigInt, z.array(s) instanceof z.ZodArray,
          z.enum(["a"]) instanceof z.ZodEnum, z.union([s, z.number()]) instanceof z.ZodUnion, {} instanceof z.ZodType];
      } },
    { name: "typeName", probe: () => {
        const f = z.object({ a: z.string().min(2).max(5).optional(), n: z.number().min(1).max(10).default(3), e: z.enum(["x", "y"]).nullable(), l: z.array(z.string()) });
        const sh = f._def.shape();
        return [f._def.typeName, sh.a._def.typeName, sh.a._def.innerType._def.typeName, sh.a._def.innerType._def.checks, sh.n._def.typeName,
          sh.n._def.defaultValue(), sh.n._def.innerType._def.checks, sh.e._def.innerType._def.values, sh.l._def.type._def.typeName,
          z.date()._def.typeName, z.bigint()._def.typeName, z.lazy(() => z.string())._def.typeName, z.intersection(z.string(), z.string())._def.typeName,
          z.custom()._def.typeName, z.promise(z.string())._def.typeName, z.function()._def.typeName, z.preprocess((v) => v, z.string())._def.typeName,
          z.string().transform((s) => s)._def.typeName, z.ZodFirstPartyTypeKind.ZodString, z.ZodFirstPartyTypeKind.ZodDate];
      } },
    { name: "function implement", probe: () => {
        const f = z.function().args(z.string(), z.number().optional()).returns(z.number()).implement((s, n) => s.length + (n || 0));
        const bad = z.function().returns(z.string()).implement(() => 1);
        const e = (fn) => { try { return fn(); } catch (err) { return [err instanceof z.ZodError, err.issues[0].code, err.issues[0].message]; } };
        return [e(() => f("abc")), e(() => f("ab", 2)), e(() => f(1)), e(() => bad())];
      } },
    { name: "function parse", probe: () => {
        const fn = z.function().args(z.number()).returns(z.number()).parse((n) => n * 2);
        return [fn(2), (() => { try { fn("x"); } catch (e) { return e.issues[0].code; } })()];
      } },
    { name: "lazy schema getter", probe: () => z.lazy(() => z.string()).schema.parse("x") },
    { name: "map set getters", probe: () => [z.map(z.string(), z.number())._def.keyType._def.typeName, z.set(z.number())._def.valueType._def.typeName] },
  ];
}
