// The `process` global: enough of Node's for libraries to run, nothing
// that says "this is Node" (no version, no release name, empty env), so a
// library takes its platform-neutral path. Evaluates to function(native).
(function (native) {
  'use strict';
  const info = native.os();
  const listeners = new Map();
  const start = native.now();
  const noPlugins = (name) => () => {
    const err = new Error('`process.' + name + '` is a Node.js API that host plugins do not have');
    err.code = 'ERR_HOST_NO_NODE_API';
    throw err;
  };
  const stream = (write) => ({ isTTY: false, fd: -1, write(chunk) { write(String(chunk).replace(/\n$/, '')); return true; }, on() { return this; }, once() { return this; }, end() {} });
  const process = {
    title: 'host',
    env: {},
    argv: [],
    argv0: 'host',
    execArgv: [],
    execPath: '',
    version: '',
    versions: {},
    release: {},
    features: {},
    config: { variables: {} },
    platform: info.platform,
    arch: info.arch,
    pid: 0,
    ppid: 0,
    browser: true,
    exitCode: undefined,
    cwd: () => '/',
    chdir: noPlugins('chdir'),
    exit: noPlugins('exit'),
    abort: noPlugins('abort'),
    kill: noPlugins('kill'),
    umask: () => 0o22,
    uptime: () => (native.now() - start) / 1000,
    hrtime: Object.assign((prev) => {
      const ns = BigInt(Math.round(native.now() * 1e6));
      let s = Number(ns / 1000000000n);
      let n = Number(ns % 1000000000n);
      if (prev) {
        s -= prev[0];
        n -= prev[1];
        if (n < 0) { s--; n += 1e9; }
      }
      return [s, n];
    }, { bigint: () => BigInt(Math.round(native.now() * 1e6)) }),
    memoryUsage: Object.assign(() => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }), { rss: () => 0 }),
    cpuUsage: () => ({ user: 0, system: 0 }),
    nextTick: (fn, ...args) => queueMicrotask(() => fn(...args)),
    emitWarning: (w) => console.warn(typeof w === 'string' ? 'Warning: ' + w : String(w)),
    binding: noPlugins('binding'),
    stdout: stream((s) => console.log(s)),
    stderr: stream((s) => console.error(s)),
    stdin: undefined,
    on(name, fn) { if (!listeners.has(name)) listeners.set(name, []); listeners.get(name).push(fn); return process; },
    off(name, fn) { const l = listeners.get(name) || []; const i = l.indexOf(fn); if (i >= 0) l.splice(i, 1); return process; },
    emit(name, ...args) { const l = listeners.get(name) || []; for (const fn of l.slice()) fn(...args); return l.length > 0; },
    listeners: (name) => (listeners.get(name) || []).slice(),
    listenerCount: (name) => (listeners.get(name) || []).length,
  };
  process.addListener = process.on;
  process.once = process.on;
  process.prependListener = process.on;
  process.removeListener = process.off;
  process.removeAllListeners = (name) => { if (name === undefined) listeners.clear(); else listeners.delete(name); return process; };
  return process;
})
