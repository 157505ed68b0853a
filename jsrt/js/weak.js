// WeakRef and FinalizationRegistry, which goja lacks; defined the first
// time a plugin touches either (jsrt/engine.go). Evaluates to
// function(globalThis).
(function (g) {
  'use strict';
  // No garbage collector hooks in goja: a WeakRef holds its target and a
  // FinalizationRegistry never calls back, both of which the standard allows.
  {
    const targets = new WeakMap();
    class WeakRef {
      constructor(target) {
        if (Object(target) !== target) throw new TypeError('WeakRef: the target must be an object');
        targets.set(this, target);
      }
      deref() { return targets.get(this); }
    }
    Object.defineProperty(WeakRef.prototype, Symbol.toStringTag, { value: 'WeakRef', configurable: true });
    Object.defineProperty(g, 'WeakRef', { value: WeakRef, writable: true, configurable: true, enumerable: false });
  }
  {
    class FinalizationRegistry {
      constructor(cb) {
        if (typeof cb !== 'function') throw new TypeError('FinalizationRegistry: the cleanup callback is not a function');
      }
      register(target) {
        if (Object(target) !== target) throw new TypeError('FinalizationRegistry.register: the target must be an object');
      }
      unregister() { return false; }
    }
    Object.defineProperty(FinalizationRegistry.prototype, Symbol.toStringTag, { value: 'FinalizationRegistry', configurable: true });
    Object.defineProperty(g, 'FinalizationRegistry', { value: FinalizationRegistry, writable: true, configurable: true, enumerable: false });
  }

})
