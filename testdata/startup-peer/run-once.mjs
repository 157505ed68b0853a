// The Node peer of `host run --once PLUGIN.ts` for the start-up benchmark
// (cmd/host BenchmarkStartupBudget): a plugin host as one would write it on
// Node 22 with the usual packages. tsx loads the TypeScript (node --import
// tsx), zod is `z` (with host's setup hints as schema metadata), the token
// lives in the Secret Service through @napi-rs/keyring, and fetch is
// undici's, trusting Node's roots plus SSL_CERT_FILE (the stand-in's
// certificate), with curl's --connect-to.
//
//   node --import tsx run-once.mjs [--connect-to H:P:H2:P2] [--set token=V] PLUGIN.ts
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { rootCertificates } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { Entry } from '@napi-rs/keyring';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { z } from 'zod';

const trace = (step) => process.env.PEER_TRACE && process.stderr.write(`trace ${performance.now().toFixed(1)}ms ${step}\n`);
trace('main');
const args = process.argv.slice(2);
const connectTo = new Map();
const set = {};
let file;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--connect-to') {
    const [h, p, h2, p2] = args[++i].split(':');
    connectTo.set(`${h}:${p}`, { host: h2, port: Number(p2) });
  } else if (args[i] === '--set') {
    const [k, ...v] = args[++i].split('=');
    set[k] = v.join('=');
  } else {
    file = args[i];
  }
}

for (const hint of ['secret', 'label', 'section', 'helpText', 'placeholder', 'radio']) {
  z.ZodType.prototype[hint] = function (value = true) {
    return this.meta({ ...this.meta(), [hint]: value });
  };
}

const ca = [...rootCertificates];
if (process.env.SSL_CERT_FILE) ca.push(readFileSync(process.env.SSL_CERT_FILE, 'utf8'));
const connect = buildConnector({ ca });
const dispatcher = new Agent({
  connect(opts, cb) {
    const to = connectTo.get(`${opts.hostname}:${opts.port || 443}`);
    return connect(to ? { ...opts, servername: opts.hostname, hostname: to.host, host: to.host, port: to.port } : opts, cb);
  },
});
globalThis.fetch = (url, init) => undiciFetch(url, { ...init, dispatcher });
globalThis.z = z;
globalThis.definePlugin = (def) => def;

trace('imports');
const plugin = (await import(pathToFileURL(file).href)).default;
trace('loaded');
const id = plugin.id ?? (basename(file, '.ts') === 'plugin' ? basename(dirname(file)) : basename(file, '.ts'));
const secretKeys = Object.entries(plugin.configSchema.shape).filter(([, s]) => s.meta()?.secret).map(([k]) => k);
const values = {};
for (const key of secretKeys) {
  const entry = new Entry('host-startup-peer', `${id}/${key}`);
  if (set[key] !== undefined) entry.setPassword(set[key]);
  values[key] = entry.getPassword();
}
trace('keyring');
const config = plugin.configSchema.parse(values);
const log = (level) => (msg) => process.stderr.write(`[${id}] ${level}: ${msg}\n`);
const ctx = { pluginId: id, config, logger: { debug() {}, info: log('info'), warn: log('warn'), error: log('error') }, signal: new AbortController().signal };
await plugin.onActivate?.(ctx);
trace('activated');
await plugin.onDeactivate?.(ctx);
process.stderr.write(`${id} activated and deactivated (--once).\n`);
// Done, as host is: an unread response body would hold undici's
// connection (and the process) open until its keep-alive ends.
process.exit(0);
