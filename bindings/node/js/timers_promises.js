// node:timers/promises: promise forms of setTimeout and setImmediate (with
// an AbortSignal), and setInterval as an async iterator.
'use strict';
const abortable = (signal, start) => new Promise((resolve, reject) => {
  if (signal && signal.aborted) return reject(signal.reason);
  const stop = start(resolve);
  if (signal) signal.addEventListener('abort', () => { stop(); reject(signal.reason); }, { once: true });
  return undefined;
});
module.exports = {
  setTimeout: (ms, value, opts = {}) => abortable(opts.signal, (resolve) => {
    const id = globalThis.setTimeout(() => resolve(value), ms);
    return () => globalThis.clearTimeout(id);
  }),
  setImmediate: (value, opts = {}) => abortable(opts.signal, (resolve) => {
    const id = globalThis.setTimeout(() => resolve(value), 0);
    return () => globalThis.clearTimeout(id);
  }),
  setInterval(ms, value, opts = {}) {
    let done = false;
    return {
      next: async () => {
        if (done) return { value: undefined, done: true };
        await module.exports.setTimeout(ms, undefined, opts);
        return { value, done: false };
      },
      return: async () => { done = true; return { value: undefined, done: true }; },
      [Symbol.asyncIterator]() { return this; },
    };
  },
  scheduler: {
    wait: (ms, opts = {}) => module.exports.setTimeout(ms, undefined, opts),
    yield: () => module.exports.setImmediate(),
  },
};
