// Event, CustomEvent and EventTarget as the DOM standard defines them for a
// target outside any tree (no capture or bubble path: a target is the only
// one its event visits): listener options capture, once, passive and
// signal, handleEvent objects, stopImmediatePropagation, preventDefault for
// cancelable events. A listener that throws does not stop the others; its
// error is reported (queued as an uncaught error, as browsers report it).
(function (g) {
  'use strict';
  const NONE = 0, CAPTURING_PHASE = 1, AT_TARGET = 2, BUBBLING_PHASE = 3;
  const origin = Date.now();

  const state = new WeakMap(); // Event -> its internal flags

  function flags(e, who) {
    const s = state.get(e);
    if (s === undefined) throw new TypeError(`Illegal invocation: ${who} called on an object that is not an Event`);
    return s;
  }

  class Event {
    constructor(type, init) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
      if (init !== undefined && init !== null && typeof init !== 'object') {
        throw new TypeError("Failed to construct 'Event': the second argument must be an options object.");
      }
      state.set(this, {
        type: String(type),
        bubbles: !!init?.bubbles,
        cancelable: !!init?.cancelable,
        composed: !!init?.composed,
        target: null,
        currentTarget: null,
        phase: NONE,
        canceled: false,
        stop: false,
        stopImmediate: false,
        passive: false,
        dispatching: false,
        timeStamp: Date.now() - origin,
      });
    }
    get type() { return flags(this, 'type').type; }
    get target() { return flags(this, 'target').target; }
    get srcElement() { return flags(this, 'srcElement').target; }
    get currentTarget() { return flags(this, 'currentTarget').currentTarget; }
    get eventPhase() { return flags(this, 'eventPhase').phase; }
    get bubbles() { return flags(this, 'bubbles').bubbles; }
    get cancelable() { return flags(this, 'cancelable').cancelable; }
    get composed() { return flags(this, 'composed').composed; }
    get defaultPrevented() { return flags(this, 'defaultPrevented').canceled; }
    get isTrusted() { return false; }
    get timeStamp() { return flags(this, 'timeStamp').timeStamp; }
    get returnValue() { return !flags(this, 'returnValue').canceled; }
    set returnValue(v) { if (!v) this.preventDefault(); }
    get cancelBubble() { return flags(this, 'cancelBubble').stop; }
    set cancelBubble(v) { if (v) flags(this, 'cancelBubble').stop = true; }
    composedPath() {
      const s = flags(this, 'composedPath');
      return s.dispatching && s.currentTarget !== null ? [s.currentTarget] : [];
    }
    stopPropagation() { flags(this, 'stopPropagation').stop = true; }
    stopImmediatePropagation() {
      const s = flags(this, 'stopImmediatePropagation');
      s.stop = true;
      s.stopImmediate = true;
    }
    preventDefault() {
      const s = flags(this, 'preventDefault');
      if (s.cancelable && !s.passive) s.canceled = true;
    }
    get [Symbol.toStringTag]() { return 'Event'; }
  }
  for (const [k, v] of Object.entries({ NONE, CAPTURING_PHASE, AT_TARGET, BUBBLING_PHASE })) {
    Object.defineProperty(Event, k, { value: v, enumerable: true });
    Object.defineProperty(Event.prototype, k, { value: v, enumerable: true });
  }

  class CustomEvent extends Event {
    #detail;
    constructor(type, init) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'CustomEvent': 1 argument required, but only 0 present.");
      super(type, init);
      this.#detail = init?.detail ?? null;
    }
    get detail() { return this.#detail; }
    get [Symbol.toStringTag]() { return 'CustomEvent'; }
  }

  function flatten(options) {
    if (typeof options === 'boolean') return { capture: options, once: false, passive: false, signal: null };
    if (options === null || typeof options !== 'object') return { capture: false, once: false, passive: false, signal: null };
    const signal = options.signal ?? null;
    if (signal !== null && (typeof signal !== 'object' || !('aborted' in signal) || typeof signal.addEventListener !== 'function')) {
      throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': member signal is not of type AbortSignal.");
    }
    return { capture: !!options.capture, once: !!options.once, passive: !!options.passive, signal };
  }

  const listenersOf = new WeakMap(); // EventTarget -> Map(type -> [listener])

  function listeners(t, who) {
    const m = listenersOf.get(t);
    if (m === undefined) throw new TypeError(`Illegal invocation: ${who} called on an object that is not an EventTarget`);
    return m;
  }

  class EventTarget {
    constructor() { listenersOf.set(this, new Map()); }

    addEventListener(type, callback, options) {
      const map = listeners(this, 'addEventListener');
      if (arguments.length < 2) throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': 2 arguments required.");
      if (callback === null || callback === undefined) return;
      if (typeof callback !== 'function' && typeof callback !== 'object') {
        throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': The callback provided as parameter 2 is not an object.");
      }
      const o = flatten(options);
      if (o.signal !== null && o.signal.aborted) return;
      type = String(type);
      let list = map.get(type);
      if (list === undefined) map.set(type, (list = []));
      if (list.some((l) => l.callback === callback && l.capture === o.capture)) return;
      const l = { callback, capture: o.capture, once: o.once, passive: o.passive, removed: false };
      list.push(l);
      if (o.signal !== null) {
        o.signal.addEventListener('abort', () => remove(map, type, l));
      }
    }

    removeEventListener(type, callback, options) {
      const map = listeners(this, 'removeEventListener');
      const capture = typeof options === 'boolean' ? options : !!(options && typeof options === 'object' && options.capture);
      const list = map.get(String(type));
      const l = list?.find((x) => x.callback === callback && x.capture === capture);
      if (l !== undefined) remove(map, String(type), l);
    }

    dispatchEvent(event) {
      const map = listeners(this, 'dispatchEvent');
      const s = state.get(event);
      if (s === undefined) {
        throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
      }
      if (s.dispatching) {
        const msg = "Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched.";
        if (typeof g.DOMException === 'function') throw new g.DOMException(msg, 'InvalidStateError');
        throw Object.assign(new Error(msg), { name: 'InvalidStateError' });
      }
      s.dispatching = true;
      s.target = this;
      s.currentTarget = this;
      s.phase = AT_TARGET;
      try {
        const list = map.get(s.type);
        if (list !== undefined && !s.stop) {
          for (const l of list.slice()) {
            if (l.removed) continue;
            if (l.once) remove(map, s.type, l);
            s.passive = l.passive;
            invoke(this, l.callback, event);
            s.passive = false;
            if (s.stopImmediate) break;
          }
        }
      } finally {
        s.dispatching = false;
        s.phase = NONE;
        s.currentTarget = null;
        s.stop = false;
        s.stopImmediate = false;
      }
      return !s.canceled;
    }

    get [Symbol.toStringTag]() { return 'EventTarget'; }
  }

  function remove(map, type, l) {
    l.removed = true;
    const list = map.get(type);
    if (list === undefined) return;
    const i = list.indexOf(l);
    if (i >= 0) list.splice(i, 1);
  }

  // invoke calls one listener; its exception is reported, not thrown.
  function invoke(target, callback, event) {
    try {
      if (typeof callback === 'function') callback.call(target, event);
      else if (typeof callback.handleEvent === 'function') callback.handleEvent(event);
      else throw new TypeError("Failed to execute 'dispatchEvent': the listener has no handleEvent method.");
    } catch (e) {
      queueMicrotask(() => { throw e; });
    }
  }

  for (const [name, value] of Object.entries({ Event, CustomEvent, EventTarget })) {
    Object.defineProperty(g, name, { value, writable: true, configurable: true });
  }
})(globalThis);
