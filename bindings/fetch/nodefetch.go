package fetch

// NodeFetchModule is the source of the npm package node-fetch (v2 and v3)
// as host gives it, for jsrt.BuildOptions.Virtual: host's own fetch, with
// node-fetch's exports. node-fetch is fetch for Node written on Node's
// http, https, zlib and stream modules, which a plugin does not have
// (gaxios, under googleapis, takes it whenever there is no window); the
// same API through host's client keeps its proxies, trusted roots and the
// plugin's network permissions. Node-only options (agent, compress, size,
// follow) are ignored.
const NodeFetchModule = `'use strict';
const fetch = function fetch(input, init) { return globalThis.fetch(input, init); };
class FetchError extends Error {
  constructor(message, type, systemError) {
    super(message);
    this.type = type;
    if (systemError) this.code = this.errno = systemError.code;
  }
  get name() { return 'FetchError'; }
}
class AbortError extends Error {
  constructor(message, type = 'aborted') { super(message); this.type = type; }
  get name() { return 'AbortError'; }
}
const isRedirect = (code) => code === 301 || code === 302 || code === 303 || code === 307 || code === 308;
module.exports = fetch;
fetch.default = fetch;
fetch.FetchError = FetchError;
fetch.AbortError = AbortError;
fetch.isRedirect = isRedirect;
for (const name of ['Headers', 'Request', 'Response', 'FormData', 'Blob', 'File']) {
  Object.defineProperty(fetch, name, { enumerable: true, get: () => globalThis[name] });
}
`
