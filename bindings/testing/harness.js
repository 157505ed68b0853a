// "@hivemind-os/plugin-sdk/testing": createTestHarness, which runs a
// plugin definition against a simulated host recording what the plugin
// does, behaving as the SDK's own harness: ctx.config is the config given
// (not validated), secrets, store and data files live in memory, the loop
// runs until enough messages arrived, fetch is the runtime's fetch. host
// runs it inside its own runtime, so the tests exercise host's z, fetch and
// web APIs. Declared in harness.d.ts.
import { serializeConfigSchema } from '@hivemind-os/plugin-sdk';

const abortError = () => new DOMException('Aborted', 'AbortError');

export function createTestHarness(definition, options = {}) {
  const messages = [];
  const events = [];
  const notifications = [];
  const statuses = [];
  const logs = [];
  const secretStore = { ...(options.secrets ?? {}) };
  const kvStore = {};
  const dataFiles = {};
  const hostInfo = options.hostInfo ?? {};

  const logger = {};
  for (const level of ['debug', 'info', 'warn', 'error']) {
    logger[level] = (msg, data) => { logs.push({ level, msg, data }); };
  }

  function context(signal) {
    const own = new AbortController();
    const sig = signal ?? own.signal;
    return {
      pluginId: 'test-plugin',
      config: options.config ?? {},
      signal: sig,
      async emitMessage(msg) { messages.push(msg); },
      async emitMessages(msgs) { messages.push(...msgs); },
      secrets: {
        async get(key) { return secretStore[key] ?? null; },
        async set(key, value) { secretStore[key] = value; },
        async delete(key) { delete secretStore[key]; },
        async has(key) { return key in secretStore; },
      },
      store: {
        async get(key) { return kvStore[key] ?? null; },
        async set(key, value) { kvStore[key] = value; },
        async delete(key) { delete kvStore[key]; },
        async keys() { return Object.keys(kvStore); },
      },
      logger,
      async notify(n) { notifications.push(n); },
      async emitEvent(type, payload) { events.push({ type, payload }); },
      async updateStatus(status) { statuses.push(status); },
      sleep(ms) {
        return new Promise((resolve, reject) => {
          if (sig.aborted) {
            reject(abortError());
            return;
          }
          const onAbort = () => {
            clearTimeout(timer);
            reject(abortError());
          };
          const timer = setTimeout(() => {
            sig.removeEventListener('abort', onAbort);
            resolve();
          }, ms);
          sig.addEventListener('abort', onAbort, { once: true });
        });
      },
      async schedule() {},
      async unschedule() {},
      http: { fetch: globalThis.fetch },
      dataDir: {
        async resolve(path) { return '/mock-data-dir/' + path; },
        async readFile(path) {
          if (!(path in dataFiles)) throw new Error('File not found: ' + path);
          return dataFiles[path];
        },
        async writeFile(path, content) {
          dataFiles[path] = typeof content === 'string' ? content : new TextDecoder().decode(content);
        },
        async readDir() { return Object.keys(dataFiles); },
        async exists(path) { return path in dataFiles; },
        async mkdir() {},
        async remove(path) { delete dataFiles[path]; },
      },
      host: {
        version: hostInfo.version ?? '0.0.0-test',
        platform: hostInfo.platform ?? 'linux',
        capabilities: hostInfo.capabilities ?? ['test'],
      },
      connectors: { async list() { return []; } },
      personas: { async list() { return []; } },
    };
  }

  const tools = () => definition.tools ?? [];

  return {
    async callTool(name, args = {}) {
      const tool = tools().find((t) => t.name === name);
      if (!tool) throw new Error('Unknown tool: ' + name);
      const params = tool.parameters.parse(args);
      return tool.execute(params, context());
    },

    async runLoopUntil(opts = {}) {
      if (!definition.loop) throw new Error('Plugin has no loop defined');
      const { messageCount = 1, timeoutMs = 5000 } = opts;
      const stop = new AbortController();
      const running = Promise.resolve(definition.loop(context(stop.signal))).catch((err) => {
        if (err?.name !== 'AbortError') throw err;
      });
      const start = messages.length;
      const deadline = Date.now() + timeoutMs;
      while (messages.length - start < messageCount) {
        if (Date.now() > deadline) {
          stop.abort();
          await running;
          throw new Error('Timeout waiting for ' + messageCount + ' messages (got ' + (messages.length - start) + ')');
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      stop.abort();
      await running;
    },

    async activate() {
      if (definition.onActivate) await definition.onActivate(context());
    },

    async deactivate() {
      if (definition.onDeactivate) await definition.onDeactivate(context());
    },

    validateConfig(config) {
      const r = definition.configSchema.safeParse(config);
      if (r.success) return { valid: true };
      return { valid: false, errors: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
    },

    getConfigSchema() {
      return serializeConfigSchema(definition.configSchema);
    },

    get messages() { return messages; },
    get events() { return events; },
    get notifications() { return notifications; },
    get statuses() { return statuses; },
    get secretStore() { return secretStore; },
    get kvStore() { return kvStore; },
    get logs() { return logs; },

    reset() {
      messages.length = 0;
      events.length = 0;
      notifications.length = 0;
      statuses.length = 0;
      logs.length = 0;
      for (const k of Object.keys(kvStore)) delete kvStore[k];
      for (const k of Object.keys(dataFiles)) delete dataFiles[k];
    },
  };
}

export default { createTestHarness };
