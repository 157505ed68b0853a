// node:diagnostics_channel: channels nobody can subscribe to from outside
// a plugin; libraries that publish to them run unchanged.
'use strict';
const channels = new Map();
class Channel {
  constructor(name) { this.name = name; this.subscribers = []; }
  get hasSubscribers() { return this.subscribers.length > 0; }
  publish(message) { for (const fn of this.subscribers.slice()) fn(message, this.name); }
  subscribe(fn) { this.subscribers.push(fn); }
  unsubscribe(fn) { const i = this.subscribers.indexOf(fn); if (i < 0) return false; this.subscribers.splice(i, 1); return true; }
  bindStore() {}
  unbindStore() { return false; }
  runStores(data, fn, thisArg, ...args) { return fn.apply(thisArg, args); }
}
const channel = (name) => {
  if (!channels.has(name)) channels.set(name, new Channel(name));
  return channels.get(name);
};
const tracingChannel = (name) => {
  const t = {};
  for (const ev of ['start', 'end', 'asyncStart', 'asyncEnd', 'error']) t[ev] = channel('tracing:' + name + ':' + ev);
  Object.assign(t, {
    get hasSubscribers() { return false; },
    subscribe() {}, unsubscribe() { return false; },
    traceSync: (fn, ctx, thisArg, ...args) => fn.apply(thisArg, args),
    tracePromise: (fn, ctx, thisArg, ...args) => fn.apply(thisArg, args),
    traceCallback: (fn, pos, ctx, thisArg, ...args) => fn.apply(thisArg, args),
  });
  return t;
};
module.exports = {
  channel,
  hasSubscribers: (name) => channels.has(name) && channels.get(name).hasSubscribers,
  subscribe: (name, fn) => channel(name).subscribe(fn),
  unsubscribe: (name, fn) => channel(name).unsubscribe(fn),
  tracingChannel,
  Channel,
};
