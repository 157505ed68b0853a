// node:timers: the timer globals, under the names Node exports them.
'use strict';
module.exports = {
  setTimeout: (...a) => globalThis.setTimeout(...a),
  clearTimeout: (id) => globalThis.clearTimeout(id),
  setInterval: (...a) => globalThis.setInterval(...a),
  clearInterval: (id) => globalThis.clearInterval(id),
  setImmediate: (...a) => globalThis.setImmediate(...a),
  clearImmediate: (id) => globalThis.clearImmediate(id),
  promises: require('timers/promises'),
};
