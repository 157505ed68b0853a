// Writes stubs.json: the export names of each Node.js built-in module host
// has no real version of, as Node 22 has them, so a stub has the same
// shape (functions that throw when called, plain values copied).
// Run with Node 22: node gen_stubs.js > stubs.json
const { builtinModules } = require('module');
const real = new Set(['assert', 'assert/strict', 'buffer', 'console', 'events', 'os', 'path', 'path/posix',
  'process', 'querystring', 'string_decoder', 'sys', 'timers', 'timers/promises', 'url', 'util', 'util/types',
  'diagnostics_channel', 'perf_hooks', 'stream', 'stream/promises', '_stream_duplex', '_stream_passthrough',
  '_stream_readable', '_stream_transform', '_stream_writable']); // stream is readable-stream (gen_stream.go) // crypto is partly real: its shape is kept (js/crypto.js)
const shape = (v, depth) => {
  if (typeof v === 'function') return /^[A-Z]/.test(v.name) ? 'class' : 'function';
  if (typeof v === 'string') return v.length <= 64 ? v : null;
  if (v === null || typeof v !== 'object') return typeof v === 'number' || typeof v === 'boolean' ? v : null;
  if (Array.isArray(v)) return [];
  if (depth > 0) return {};
  const out = {};
  for (const k of Object.keys(v).sort()) out[k] = shape(v[k], depth + 1);
  return out;
};
const out = {};
for (const name of builtinModules.filter((m) => !real.has(m)).sort()) {
  let mod;
  try { mod = require(name); } catch { continue; }
  const o = {};
  for (const k of Object.keys(mod).sort()) if (k !== 'default') o[k] = shape(mod[k], 0);
  out[name] = o;
}
process.stdout.write(JSON.stringify(out) + '\n');
