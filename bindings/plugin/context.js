// Helpers for the PluginContext that are simplest in JS. Evaluates to a
// function of nothing returning them; bindings/plugin/context.go calls it
// once per plugin.
(function () {
  'use strict';
  return {
    // The SDK's SecretStore and PersistentStore resolve a missing value to
    // null; host's bindings resolve undefined.
    nullIfMissing(obj) {
      const get = obj.get;
      obj.get = function (key) {
        return get.call(obj, key).then((v) => (v === undefined ? null : v));
      };
      return Object.freeze(obj);
    },
    // host's older loop form { every, run } as the SDK's loop function:
    // run, then sleep for the interval, until ctx.signal aborts.
    legacyLoop(lo, every) {
      return async (ctx) => {
        for (;;) {
          await lo.run(ctx);
          await ctx.sleep(every);
        }
      };
    },
    connectorsList: async () => [],
    // Throws e, so that Go gets a rejection's reason as an error with its
    // position.
    rethrow(e) {
      throw e;
    },
  };
})
