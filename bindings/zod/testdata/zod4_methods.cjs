// node zod4_methods.cjs DIR: the function names of zod 4's z namespace and
// of a schema of each kind, as JSON (TestZod4Methods compares host's z).
const path = require("path");
const { z } = require(path.join(path.resolve(process.argv[2]), "node_modules", "zod"));
const kinds = {
  string: z.string(), number: z.number(), boolean: z.boolean(), object: z.object({ a: z.string() }),
  array: z.array(z.string()), enum: z.enum(["a"]), literal: z.literal("a"), union: z.union([z.string(), z.number()]),
  record: z.record(z.string(), z.string()), tuple: z.tuple([z.string()]), null: z.null(), any: z.any(),
  date: z.date(), bigint: z.bigint(), map: z.map(z.string(), z.number()), set: z.set(z.string()),
  lazy: z.lazy(() => z.string()), intersection: z.intersection(z.string(), z.string()), promise: z.promise(z.string()),
  custom: z.custom(), function: z.function(),
};
const names = (o) => {
  const s = new Set();
  for (let p = o; p && p !== Object.prototype && p !== Function.prototype; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) {
      try {
        if (typeof o[k] === "function" && /^[a-z]/.test(k)) s.add(k);
      } catch {}
    }
  }
  return [...s].sort();
};
const out = {};
for (const [k, v] of Object.entries(kinds)) out[k] = names(v);
out.z = Object.keys(z).filter((k) => typeof z[k] === "function" && /^[a-z]/.test(k)).sort();
out["z.coerce"] = Object.keys(z.coerce).sort();
out["z.iso"] = Object.keys(z.iso).filter((k) => /^[a-z]/.test(k)).sort();
process.stdout.write(JSON.stringify(out));
