// node:events: EventEmitter as Node documents it (listeners in order,
// once, prepend, 'error' with no listener throws, 'newListener' and
// 'removeListener' events, max-listener bookkeeping without the warning),
// plus events.once and events.on.
'use strict';
const kCapture = Symbol.for('nodejs.rejection');
const errorMonitor = Symbol('events.errorMonitor');
let defaultMaxListeners = 10;

function EventEmitter(opts) {
  EventEmitter.init.call(this, opts);
}
EventEmitter.init = function () {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = Object.create(null);
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
};
const checkListener = (l) => {
  if (typeof l !== 'function') {
    const err = new TypeError('The "listener" argument must be of type function. Received ' + (l === null ? 'null' : typeof l));
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
};
const events = (e) => {
  if (e._events === undefined) {
    e._events = Object.create(null);
    e._eventsCount = 0;
  }
  return e._events;
};
function addListener(target, type, listener, prepend) {
  checkListener(listener);
  const ev = events(target);
  if (ev.newListener !== undefined) target.emit('newListener', type, listener.listener ? listener.listener : listener);
  const list = ev[type];
  if (list === undefined) {
    ev[type] = [listener];
    target._eventsCount++;
  } else if (prepend) list.unshift(listener);
  else list.push(listener);
  return target;
}
function onceWrapper(target, type, listener) {
  const state = { fired: false };
  const wrapped = function (...args) {
    if (state.fired) return undefined;
    state.fired = true;
    target.removeListener(type, wrapped);
    return listener.apply(target, args);
  };
  wrapped.listener = listener;
  return wrapped;
}
const proto = EventEmitter.prototype;
proto._events = undefined;
proto._eventsCount = 0;
proto._maxListeners = undefined;
proto.setMaxListeners = function (n) {
  if (typeof n !== 'number' || n < 0 || Number.isNaN(n)) throw new RangeError('The value of "n" is out of range. It must be a non-negative number. Received ' + n);
  this._maxListeners = n;
  return this;
};
proto.getMaxListeners = function () {
  return this._maxListeners === undefined ? defaultMaxListeners : this._maxListeners;
};
proto.emit = function (type, ...args) {
  const ev = events(this);
  if (type === 'error' && ev[errorMonitor] !== undefined) this.emit(errorMonitor, ...args);
  const list = ev[type];
  if (list === undefined) {
    if (type === 'error') {
      const er = args[0];
      if (er instanceof Error) throw er;
      const err = new Error('Unhandled error.' + (er === undefined ? '' : ' (' + String(er) + ')'));
      err.code = 'ERR_UNHANDLED_ERROR';
      err.context = er;
      throw err;
    }
    return false;
  }
  for (const l of list.slice()) l.apply(this, args);
  return true;
};
proto.addListener = function (type, listener) { return addListener(this, type, listener, false); };
proto.on = proto.addListener;
proto.prependListener = function (type, listener) { return addListener(this, type, listener, true); };
proto.once = function (type, listener) {
  checkListener(listener);
  return this.on(type, onceWrapper(this, type, listener));
};
proto.prependOnceListener = function (type, listener) {
  checkListener(listener);
  return this.prependListener(type, onceWrapper(this, type, listener));
};
proto.removeListener = function (type, listener) {
  checkListener(listener);
  const ev = events(this);
  const list = ev[type];
  if (list === undefined) return this;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i] === listener || list[i].listener === listener) {
      list.splice(i, 1);
      if (list.length === 0) {
        delete ev[type];
        this._eventsCount--;
      }
      if (ev.removeListener !== undefined) this.emit('removeListener', type, listener);
      break;
    }
  }
  return this;
};
proto.off = proto.removeListener;
proto.removeAllListeners = function (type) {
  const ev = events(this);
  if (type === undefined) {
    for (const k of Reflect.ownKeys(ev)) if (k !== 'removeListener') this.removeAllListeners(k);
    this.removeAllListeners('removeListener');
    this._events = Object.create(null);
    this._eventsCount = 0;
    return this;
  }
  const list = ev[type];
  if (list !== undefined) for (let i = list.length - 1; i >= 0; i--) this.removeListener(type, list[i]);
  return this;
};
proto.listeners = function (type) {
  return (events(this)[type] || []).map((l) => l.listener || l);
};
proto.rawListeners = function (type) {
  return (events(this)[type] || []).slice();
};
proto.listenerCount = function (type, listener) {
  const list = events(this)[type] || [];
  return listener === undefined ? list.length : list.filter((l) => l === listener || l.listener === listener).length;
};
proto.eventNames = function () {
  return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
};

EventEmitter.EventEmitter = EventEmitter;
EventEmitter.errorMonitor = errorMonitor;
EventEmitter.captureRejectionSymbol = kCapture;
EventEmitter.captureRejections = false;
Object.defineProperty(EventEmitter, 'defaultMaxListeners', {
  enumerable: true,
  get: () => defaultMaxListeners,
  set: (n) => { defaultMaxListeners = n; },
});
EventEmitter.listenerCount = (emitter, type) => emitter.listenerCount(type);
EventEmitter.setMaxListeners = (n = defaultMaxListeners, ...targets) => {
  if (targets.length === 0) defaultMaxListeners = n;
  for (const t of targets) if (typeof t.setMaxListeners === 'function') t.setMaxListeners(n);
};
EventEmitter.getEventListeners = (target, type) => (typeof target.listeners === 'function' ? target.listeners(type) : []);
// once resolves with the arguments of the next `name` event (rejects on 'error').
EventEmitter.once = (emitter, name, options = {}) => new Promise((resolve, reject) => {
  const signal = options.signal;
  if (signal && signal.aborted) return reject(signal.reason);
  if (typeof emitter.addEventListener === 'function' && typeof emitter.on !== 'function') {
    emitter.addEventListener(name, (...args) => resolve(args), { once: true, signal });
    return undefined;
  }
  const onError = (err) => { emitter.removeListener(name, onEvent); reject(err); };
  const onEvent = (...args) => { if (name !== 'error') emitter.removeListener('error', onError); resolve(args); };
  emitter.once(name, onEvent);
  if (name !== 'error') emitter.once('error', onError);
  if (signal) signal.addEventListener('abort', () => { emitter.removeListener(name, onEvent); emitter.removeListener('error', onError); reject(signal.reason); }, { once: true });
  return undefined;
});
// on iterates over `name` events as they come (ends by return or 'error').
EventEmitter.on = (emitter, name) => {
  const queue = [];
  const waiting = [];
  let error = null;
  let done = false;
  const onEvent = (...args) => { const w = waiting.shift(); if (w) w.resolve({ value: args, done: false }); else queue.push(args); };
  const onError = (err) => { error = err; const w = waiting.shift(); if (w) w.reject(err); };
  emitter.on(name, onEvent);
  if (name !== 'error') emitter.on('error', onError);
  const stop = () => { done = true; emitter.removeListener(name, onEvent); emitter.removeListener('error', onError); for (const w of waiting.splice(0)) w.resolve({ value: undefined, done: true }); };
  return {
    next() {
      if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
      if (error) { const e = error; error = null; return Promise.reject(e); }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() { stop(); return Promise.resolve({ value: undefined, done: true }); },
    throw(err) { stop(); return Promise.reject(err); },
    [Symbol.asyncIterator]() { return this; },
  };
};
module.exports = EventEmitter;
