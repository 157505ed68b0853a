// The shape of a Node.js built-in module host has no real version of: its
// functions and classes are there (so a library that imports them loads),
// and throw when called, saying what a plugin uses instead.
'use strict';
const hints = {
  fs: 'keep data with ctx.store (or ctx.secrets), fetch what lives elsewhere',
  net: 'use fetch', tls: 'use fetch', http: 'use fetch', https: 'use fetch', http2: 'use fetch',
  dgram: 'use fetch', dns: 'use fetch', child_process: 'plugins cannot start processes',
  cluster: 'plugins cannot start processes', worker_threads: 'plugins cannot start threads',
  crypto: 'use crypto.subtle, crypto.getRandomValues or crypto.randomUUID',
  zlib: 'compress or decompress through fetch (Accept-Encoding is handled for you)',
  stream: 'use the web streams of fetch', readline: 'plugins have no terminal', tty: 'plugins have no terminal',
  vm: 'plugins cannot compile code', v8: 'plugins cannot reach the engine', module: 'bundle what you import',
};
const hint = (mod) => {
  const top = mod.replace(/^_/, '').split(/[/_]/)[0];
  return hints[top] || 'the plugin API (ctx) and the web globals are what a plugin has';
};
module.exports = function stub(mod, shape) {
  const thrower = (name) => {
    const f = {
      [name.slice(name.lastIndexOf('.') + 1)]: function () {
        const err = new Error('`' + name + '` is a Node.js API that host plugins do not have; ' + hint(mod));
        err.code = 'ERR_HOST_NO_NODE_API';
        throw err;
      },
    };
    return f[name.slice(name.lastIndexOf('.') + 1)];
  };
  const make = (shape, prefix) => {
    const o = {};
    for (const k of Object.keys(shape)) {
      const v = shape[k];
      if (v === 'function' || v === 'class') o[k] = thrower(prefix + k);
      else if (Array.isArray(v)) o[k] = [];
      else if (v !== null && typeof v === 'object') o[k] = make(v, prefix + k + '.');
      else o[k] = v;
    }
    return o;
  };
  return make(shape, mod.replace(/\/.*/, '') + '.');
};
