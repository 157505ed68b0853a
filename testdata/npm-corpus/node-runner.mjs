// Runs every corpus case on Node 22 against the stand-in:
//   node node-runner.mjs BASE
// prints {"name": result-as-JSON-text, ...}, a case that throws giving
// {"error": message}, exactly as plugin.ts does on host.
import cases from './cases/index.mjs';

const base = process.argv[2];
const out = {};
for (const [name, run] of Object.entries(cases)) {
  let res;
  try {
    res = await run(base);
  } catch (e) {
    res = { error: String(e && e.message) };
  }
  out[name] = JSON.stringify(res);
}
process.stdout.write(JSON.stringify(out));
