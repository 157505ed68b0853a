// node:os: what a library asks to pick line endings and paths. Nothing
// about the user or the machine (home directory, user name, network) is
// given to plugins.
'use strict';

const info = native.os();
const refuse = (name) => () => {
  const err = new Error('`os.' + name + '` is a Node.js API that host plugins do not have; keep data with ctx.store or ctx.dataDir');
  err.code = 'ERR_HOST_NO_NODE_API';
  throw err;
};
module.exports = {
  EOL: info.platform === 'win32' ? '\r\n' : '\n',
  devNull: info.platform === 'win32' ? '\\\\.\\nul' : '/dev/null',
  platform: () => info.platform,
  arch: () => info.arch,
  machine: () => info.machine,
  type: () => info.type,
  endianness: () => 'LE',
  release: () => '',
  version: () => '',
  hostname: () => 'localhost',
  tmpdir: refuse('tmpdir'),
  homedir: refuse('homedir'),
  userInfo: refuse('userInfo'),
  cpus: () => [],
  availableParallelism: () => 1,
  totalmem: () => 0,
  freemem: () => 0,
  uptime: () => 0,
  loadavg: () => [0, 0, 0],
  networkInterfaces: () => ({}),
  getPriority: () => 0,
  setPriority: refuse('setPriority'),
  constants: { signals: {}, errno: {}, priority: {} },
};
