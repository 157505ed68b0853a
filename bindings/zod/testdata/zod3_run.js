// runCases3(z) runs zod3_cases.js's cases with z and returns the results as
// JSON: per input success with the parsed data, or every issue's code, path
// and message (zod 3's messages are host's); a probe's result. Values JSON
// lacks are encoded: bigint, Date, Map, Set, undefined, functions, promises.
function runCases3(z) {
  const enc = (v) =>
    v === undefined
      ? "undefined"
      : JSON.stringify(v, function (k, x) {
          const raw = this[k];
          if (typeof raw === "bigint") return raw.toString() + "n";
          if (raw instanceof Date) return "Date(" + (isNaN(raw.getTime()) ? "NaN" : raw.toISOString()) + ")";
          if (raw instanceof Map) return ["Map", [...raw]];
          if (raw instanceof Set) return ["Set", [...raw]];
          if (typeof raw === "function") return "function";
          if (raw instanceof Promise) return "Promise";
          if (raw instanceof RegExp) return "RegExp(" + raw.source + ")";
          return x;
        });
  const issue = (i) => ({ code: i.code, path: i.path.join("."), message: i.message });
  return JSON.stringify(
    cases3(z).map((c) => {
      const r = { name: c.name, results: [] };
      if (c.probe) {
        try {
          r.results.push(enc(c.probe()));
        } catch (e) {
          r.results.push({ threw: String(e && e.message).split("\n")[0] });
        }
        return r;
      }
      for (const input of c.inputs) {
        try {
          const p = c.schema.safeParse(input);
          r.results.push(p.success ? { ok: true, data: enc(p.data) } : { ok: false, issues: p.error.issues.map(issue) });
        } catch (e) {
          r.results.push({ threw: String(e && e.message).split("\n")[0] });
        }
      }
      return r;
    }),
  );
}
