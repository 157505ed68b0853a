// runCases(z) runs zod4_cases.js's cases with z and returns the results as
// JSON: per input success with the parsed data or the sorted issue paths
// (messages differ on purpose: host keeps zod 3's wording), and both JSON
// Schemas ("throws" when the export throws).
function runCases(z) {
  const enc = (v) => (v === undefined ? "undefined" : JSON.stringify(v));
  return JSON.stringify(
    cases(z).map((c) => {
      const r = { name: c.name, results: [] };
      for (const input of c.inputs) {
        try {
          const p = c.schema.safeParse(input);
          r.results.push(p.success ? { ok: true, data: enc(p.data) } : { ok: false, paths: p.error.issues.map((i) => i.path.join(".")).sort() });
        } catch (e) {
          r.results.push({ threw: String(e && e.message).split("\n")[0] });
        }
      }
      for (const io of ["output", "input"]) {
        try {
          r[io] = z.toJSONSchema(c.schema, { io });
        } catch (e) {
          r[io] = "throws";
        }
      }
      return r;
    }),
  );
}
