// The WHATWG Streams standard (https://streams.spec.whatwg.org/):
// ReadableStream (default and byte sources, default and BYOB readers, tee,
// pipeTo/pipeThrough, async iteration, from), WritableStream,
// TransformStream and the two queuing strategies. Written for host from
// the standard's algorithms; the names of internal functions follow the
// standard's abstract operations so each can be checked against it.
//
// Two departures, both because goja has no ArrayBuffer transfer: chunks
// enqueued on a byte stream and buffers handed to a BYOB read are used in
// place instead of being transferred (detached), and the view a BYOB read
// resolves with shares the caller's buffer.
//
// Evaluated by web.go with `exports` and `g` (globalThis) in scope; the
// classes are put on exports and streams.js defines the globals from them.
(function (exports, g) {
  'use strict';

  const AI = typeof Symbol.asyncIterator === 'symbol' ? Symbol.asyncIterator : Symbol.for('Symbol.asyncIterator');
  const noop = () => {};
  const resolved = (v) => Promise.resolve(v);
  const rejected = (e) => {
    const p = Promise.reject(e);
    p.catch(noop);
    return p;
  };
  const isObject = (x) => (typeof x === 'object' && x !== null) || typeof x === 'function';
  const handled = (p) => {
    p.catch(noop);
    return p;
  };

  // deferred is a promise with its resolve and reject functions and its
  // state, as the standard's "a new promise" with "resolve"/"reject".
  function deferred() {
    const d = { state: 'pending' };
    d.promise = new Promise((res, rej) => {
      d.resolve = (v) => {
        if (d.state === 'pending') {
          d.state = 'fulfilled';
          res(v);
        }
      };
      d.reject = (e) => {
        if (d.state === 'pending') {
          d.state = 'rejected';
          rej(e);
        }
      };
    });
    return d;
  }
  function resolvedDeferred(v) {
    const d = deferred();
    d.resolve(v);
    return d;
  }
  function rejectedDeferred(e) {
    const d = deferred();
    d.reject(e);
    handled(d.promise);
    return d;
  }

  // promiseCall calls fn on obj with args and turns a throw into a
  // rejection (the standard's "invoking a callback" with a promise result).
  function promiseCall(fn, obj, args) {
    if (fn === undefined) return resolved(undefined);
    try {
      return resolved(fn.apply(obj, args));
    } catch (e) {
      return rejected(e);
    }
  }

  function method(obj, name, who) {
    const m = obj[name];
    if (m === undefined || m === null) return undefined;
    if (typeof m !== 'function') throw new TypeError(`${who}: ${name} must be a function, not ${typeof m}`);
    return m;
  }

  function dictionary(x, who) {
    if (x === undefined || x === null) return {};
    if (!isObject(x)) throw new TypeError(`${who}: the options must be an object`);
    return x;
  }

  // ------------------------------------------------------ queuing strategies

  function extractHighWaterMark(strategy, defaultHWM) {
    const hwm = strategy.highWaterMark;
    if (hwm === undefined) return defaultHWM;
    const n = Number(hwm);
    if (Number.isNaN(n) || n < 0) throw new RangeError('highWaterMark must be a non-negative number, not ' + String(hwm));
    return n;
  }

  function extractSizeAlgorithm(strategy) {
    const size = strategy.size;
    if (size === undefined) return () => 1;
    if (typeof size !== 'function') throw new TypeError('a queuing strategy\'s size must be a function');
    return (chunk) => size(chunk);
  }

  // The queue with sizes of a controller: value/size pairs and their total.
  function resetQueue(c) {
    c.queue = [];
    c.queueTotalSize = 0;
  }
  function enqueueValueWithSize(c, value, size) {
    if (typeof size !== 'number' || Number.isNaN(size) || size < 0 || size === Infinity) {
      throw new RangeError('a chunk\'s size must be a finite, non-negative number, not ' + String(size));
    }
    c.queue.push({ value, size });
    c.queueTotalSize += size;
  }
  function dequeueValue(c) {
    const pair = c.queue.shift();
    c.queueTotalSize -= pair.size;
    if (c.queueTotalSize < 0) c.queueTotalSize = 0;
    return pair.value;
  }

  const byteLengthSize = function size(chunk) { return chunk.byteLength; };
  const countSize = function size() { return 1; };

  class ByteLengthQueuingStrategy {
    #hwm;
    constructor(init) {
      if (!isObject(init) || init.highWaterMark === undefined) {
        throw new TypeError('ByteLengthQueuingStrategy: init.highWaterMark is required');
      }
      this.#hwm = Number(init.highWaterMark);
    }
    get highWaterMark() { return this.#hwm; }
    get size() { return byteLengthSize; }
    get [Symbol.toStringTag]() { return 'ByteLengthQueuingStrategy'; }
  }

  class CountQueuingStrategy {
    #hwm;
    constructor(init) {
      if (!isObject(init) || init.highWaterMark === undefined) {
        throw new TypeError('CountQueuingStrategy: init.highWaterMark is required');
      }
      this.#hwm = Number(init.highWaterMark);
    }
    get highWaterMark() { return this.#hwm; }
    get size() { return countSize; }
    get [Symbol.toStringTag]() { return 'CountQueuingStrategy'; }
  }

  // --------------------------------------------------------- ReadableStream

  // Internal state lives in plain records; each public object holds its
  // record in a private field, and the *Of functions are the brand checks.
  let rsOf, readerOf, byobReaderOf, rsControllerOf, byteControllerOf, byobRequestOf;
  let wsOf, writerOf, wsControllerOf, tsOf, tsControllerOf;
  const INTERNAL = Symbol('internal');

  function brand(get, x, what, who) {
    try {
      return get(x);
    } catch {
      throw new TypeError(`${who}: ${x === null || typeof x !== 'object' ? String(x) : 'this object'} is not a ${what}`);
    }
  }

  class ReadableStream {
    #s;
    constructor(underlyingSource = undefined, strategy = undefined) {
      const s = (this.#s = newReadableState(this));
      if (underlyingSource === INTERNAL) return; // made by createReadableStream
      const source = underlyingSource === undefined || underlyingSource === null ? {} : underlyingSource;
      if (!isObject(source)) throw new TypeError('ReadableStream: the underlying source must be an object');
      strategy = dictionary(strategy, 'ReadableStream');
      const type = source.type;
      if (type !== undefined && String(type) !== 'bytes') {
        throw new TypeError(`ReadableStream: type must be "bytes" or undefined, not "${String(type)}"`);
      }
      if (type !== undefined) {
        if (strategy.size !== undefined) throw new RangeError('ReadableStream: a byte stream\'s strategy cannot have a size function');
        const hwm = extractHighWaterMark(strategy, 0);
        setUpByteControllerFromSource(s, source, hwm);
      } else {
        const size = extractSizeAlgorithm(strategy);
        const hwm = extractHighWaterMark(strategy, 1);
        setUpDefaultControllerFromSource(s, source, hwm, size);
      }
    }

    static {
      rsOf = (x) => x.#s;
    }

    static from(asyncIterable) {
      return readableStreamFromIterable(asyncIterable);
    }

    get locked() { return brand(rsOf, this, 'ReadableStream', 'ReadableStream.locked').reader !== undefined; }

    cancel(reason = undefined) {
      let s;
      try {
        s = brand(rsOf, this, 'ReadableStream', 'ReadableStream.cancel');
      } catch (e) {
        return rejected(e);
      }
      if (s.reader !== undefined) return rejected(new TypeError('ReadableStream.cancel: the stream is locked to a reader'));
      return readableStreamCancel(s, reason);
    }

    getReader(options = undefined) {
      brand(rsOf, this, 'ReadableStream', 'ReadableStream.getReader');
      const mode = dictionary(options, 'ReadableStream.getReader').mode;
      if (mode === undefined) return new ReadableStreamDefaultReader(this);
      if (String(mode) !== 'byob') throw new TypeError(`ReadableStream.getReader: mode must be "byob" or undefined, not "${String(mode)}"`);
      return new ReadableStreamBYOBReader(this);
    }

    pipeThrough(transform, options = undefined) {
      const s = brand(rsOf, this, 'ReadableStream', 'ReadableStream.pipeThrough');
      if (!isObject(transform)) throw new TypeError('ReadableStream.pipeThrough: the transform must be an object with readable and writable');
      const { readable, writable } = transform;
      brand(rsOf, readable, 'ReadableStream', 'ReadableStream.pipeThrough: transform.readable');
      const ws = brand(wsOf, writable, 'WritableStream', 'ReadableStream.pipeThrough: transform.writable');
      const o = pipeOptions(options, 'ReadableStream.pipeThrough');
      if (s.reader !== undefined) throw new TypeError('ReadableStream.pipeThrough: the stream is locked to a reader');
      if (ws.writer !== undefined) throw new TypeError('ReadableStream.pipeThrough: transform.writable is locked to a writer');
      handled(readableStreamPipeTo(s, ws, o.preventClose, o.preventAbort, o.preventCancel, o.signal));
      return readable;
    }

    pipeTo(destination, options = undefined) {
      let s, ws, o;
      try {
        s = brand(rsOf, this, 'ReadableStream', 'ReadableStream.pipeTo');
        ws = brand(wsOf, destination, 'WritableStream', 'ReadableStream.pipeTo: the destination');
        o = pipeOptions(options, 'ReadableStream.pipeTo');
      } catch (e) {
        return rejected(e);
      }
      if (s.reader !== undefined) return rejected(new TypeError('ReadableStream.pipeTo: the stream is locked to a reader'));
      if (ws.writer !== undefined) return rejected(new TypeError('ReadableStream.pipeTo: the destination is locked to a writer'));
      return readableStreamPipeTo(s, ws, o.preventClose, o.preventAbort, o.preventCancel, o.signal);
    }

    tee() {
      const s = brand(rsOf, this, 'ReadableStream', 'ReadableStream.tee');
      return readableStreamTee(s);
    }

    values(options = undefined) {
      const s = brand(rsOf, this, 'ReadableStream', 'ReadableStream.values');
      const preventCancel = Boolean(dictionary(options, 'ReadableStream.values').preventCancel);
      return new ReadableStreamAsyncIterator(s, preventCancel);
    }

    [AI](options = undefined) { return this.values(options); }

    get [Symbol.toStringTag]() { return 'ReadableStream'; }
  }

  function pipeOptions(options, who) {
    const o = dictionary(options, who);
    const signal = o.signal;
    if (signal !== undefined && !(typeof g.AbortSignal === 'function' && signal instanceof g.AbortSignal)) {
      throw new TypeError(`${who}: options.signal must be an AbortSignal`);
    }
    return { preventClose: Boolean(o.preventClose), preventAbort: Boolean(o.preventAbort), preventCancel: Boolean(o.preventCancel), signal };
  }

  function newReadableState(pub) {
    return { pub, state: 'readable', reader: undefined, storedError: undefined, disturbed: false, controller: undefined };
  }

  // createReadableStream makes a stream with a default controller from
  // algorithms (CreateReadableStream).
  function createReadableStream(start, pull, cancel, hwm = 1, size = () => 1) {
    const pub = new ReadableStream(INTERNAL);
    const s = rsOf(pub);
    setUpDefaultController(s, start, pull, cancel, hwm, size);
    return s;
  }

  function createReadableByteStream(start, pull, cancel) {
    const pub = new ReadableStream(INTERNAL);
    const s = rsOf(pub);
    setUpByteController(s, start, pull, cancel, 0, undefined);
    return s;
  }

  function readableStreamCancel(s, reason) {
    s.disturbed = true;
    if (s.state === 'closed') return resolved(undefined);
    if (s.state === 'errored') return rejected(s.storedError);
    readableStreamClose(s);
    const r = s.reader;
    if (r !== undefined && r.kind === 'byob') {
      const reqs = r.readIntoRequests;
      r.readIntoRequests = [];
      for (const req of reqs) req.close(undefined);
    }
    return s.controller.cancelSteps(reason).then(noop);
  }

  function readableStreamClose(s) {
    s.state = 'closed';
    const r = s.reader;
    if (r === undefined) return;
    r.closed.resolve(undefined);
    if (r.kind === 'default') {
      const reqs = r.readRequests;
      r.readRequests = [];
      for (const req of reqs) req.close();
    }
  }

  function readableStreamError(s, e) {
    s.state = 'errored';
    s.storedError = e;
    const r = s.reader;
    if (r === undefined) return;
    r.closed.reject(e);
    handled(r.closed.promise);
    if (r.kind === 'default') {
      const reqs = r.readRequests;
      r.readRequests = [];
      for (const req of reqs) req.error(e);
    } else {
      const reqs = r.readIntoRequests;
      r.readIntoRequests = [];
      for (const req of reqs) req.error(e);
    }
  }

  const hasDefaultReader = (s) => s.reader !== undefined && s.reader.kind === 'default';
  const hasBYOBReader = (s) => s.reader !== undefined && s.reader.kind === 'byob';
  const numReadRequests = (s) => (hasDefaultReader(s) ? s.reader.readRequests.length : 0);
  const numReadIntoRequests = (s) => (hasBYOBReader(s) ? s.reader.readIntoRequests.length : 0);

  function fulfillReadRequest(s, chunk, done) {
    const req = s.reader.readRequests.shift();
    if (done) req.close();
    else req.chunk(chunk);
  }

  function fulfillReadIntoRequest(s, chunk, done) {
    const req = s.reader.readIntoRequests.shift();
    if (done) req.close(chunk);
    else req.chunk(chunk);
  }

  // ------------------------------------------------------------- readers

  function genericReaderInitialize(r, s) {
    r.stream = s;
    s.reader = r;
    if (s.state === 'readable') r.closed = deferred();
    else if (s.state === 'closed') r.closed = resolvedDeferred(undefined);
    else r.closed = rejectedDeferred(s.storedError);
  }

  function genericReaderCancel(r, reason) {
    return readableStreamCancel(r.stream, reason);
  }

  function genericReaderRelease(r) {
    const s = r.stream;
    const e = new TypeError('the reader was released');
    if (s.state === 'readable') r.closed.reject(e);
    else r.closed = rejectedDeferred(e);
    handled(r.closed.promise);
    s.controller.releaseSteps();
    s.reader = undefined;
    r.stream = undefined;
  }

  function defaultReaderRelease(r) {
    genericReaderRelease(r);
    const e = new TypeError('the reader was released');
    const reqs = r.readRequests;
    r.readRequests = [];
    for (const req of reqs) req.error(e);
  }

  function byobReaderRelease(r) {
    genericReaderRelease(r);
    const e = new TypeError('the reader was released');
    const reqs = r.readIntoRequests;
    r.readIntoRequests = [];
    for (const req of reqs) req.error(e);
  }

  function defaultReaderRead(r, req) {
    const s = r.stream;
    s.disturbed = true;
    if (s.state === 'closed') req.close();
    else if (s.state === 'errored') req.error(s.storedError);
    else s.controller.pullSteps(req);
  }

  function acquireDefaultReader(s) {
    return readerOf(new ReadableStreamDefaultReader(s.pub));
  }

  class ReadableStreamDefaultReader {
    #r;
    constructor(stream) {
      const s = brand(rsOf, stream, 'ReadableStream', 'ReadableStreamDefaultReader');
      if (s.reader !== undefined) throw new TypeError('ReadableStreamDefaultReader: the stream is locked to another reader');
      const r = (this.#r = { kind: 'default', pub: this, stream: undefined, closed: undefined, readRequests: [] });
      genericReaderInitialize(r, s);
    }
    static {
      readerOf = (x) => x.#r;
    }
    get closed() {
      try {
        return brand(readerOf, this, 'ReadableStreamDefaultReader', 'closed').closed.promise;
      } catch (e) {
        return rejected(e);
      }
    }
    cancel(reason = undefined) {
      let r;
      try {
        r = brand(readerOf, this, 'ReadableStreamDefaultReader', 'ReadableStreamDefaultReader.cancel');
      } catch (e) {
        return rejected(e);
      }
      if (r.stream === undefined) return rejected(new TypeError('ReadableStreamDefaultReader.cancel: the reader was released'));
      return genericReaderCancel(r, reason);
    }
    read() {
      let r;
      try {
        r = brand(readerOf, this, 'ReadableStreamDefaultReader', 'ReadableStreamDefaultReader.read');
      } catch (e) {
        return rejected(e);
      }
      if (r.stream === undefined) return rejected(new TypeError('ReadableStreamDefaultReader.read: the reader was released'));
      return new Promise((resolve, reject) => {
        defaultReaderRead(r, {
          chunk: (value) => resolve({ value, done: false }),
          close: () => resolve({ value: undefined, done: true }),
          error: reject,
        });
      });
    }
    releaseLock() {
      const r = brand(readerOf, this, 'ReadableStreamDefaultReader', 'ReadableStreamDefaultReader.releaseLock');
      if (r.stream === undefined) return;
      defaultReaderRelease(r);
    }
    get [Symbol.toStringTag]() { return 'ReadableStreamDefaultReader'; }
  }

  class ReadableStreamBYOBReader {
    #r;
    constructor(stream) {
      const s = brand(rsOf, stream, 'ReadableStream', 'ReadableStreamBYOBReader');
      if (s.reader !== undefined) throw new TypeError('ReadableStreamBYOBReader: the stream is locked to another reader');
      if (s.controller.kind !== 'bytes') throw new TypeError('ReadableStreamBYOBReader: the stream is not a byte stream (its source has no type: "bytes")');
      const r = (this.#r = { kind: 'byob', pub: this, stream: undefined, closed: undefined, readIntoRequests: [] });
      genericReaderInitialize(r, s);
    }
    static {
      byobReaderOf = (x) => x.#r;
    }
    get closed() {
      try {
        return brand(byobReaderOf, this, 'ReadableStreamBYOBReader', 'closed').closed.promise;
      } catch (e) {
        return rejected(e);
      }
    }
    cancel(reason = undefined) {
      let r;
      try {
        r = brand(byobReaderOf, this, 'ReadableStreamBYOBReader', 'ReadableStreamBYOBReader.cancel');
      } catch (e) {
        return rejected(e);
      }
      if (r.stream === undefined) return rejected(new TypeError('ReadableStreamBYOBReader.cancel: the reader was released'));
      return genericReaderCancel(r, reason);
    }
    read(view, options = undefined) {
      const who = 'ReadableStreamBYOBReader.read';
      let r, min;
      try {
        r = brand(byobReaderOf, this, 'ReadableStreamBYOBReader', who);
        if (!ArrayBuffer.isView(view)) throw new TypeError(`${who}: the view must be a typed array or DataView`);
        if (view.byteLength === 0) throw new TypeError(`${who}: the view is empty`);
        if (view.buffer.byteLength === 0) throw new TypeError(`${who}: the view's buffer is empty`);
        const o = dictionary(options, who);
        min = o.min === undefined ? 1 : Number(o.min);
        if (!Number.isInteger(min) || min <= 0) throw new TypeError(`${who}: options.min must be a positive integer`);
        const len = view instanceof DataView ? view.byteLength : view.length;
        if (min > len) throw new RangeError(`${who}: options.min (${min}) is more than the view holds (${len})`);
      } catch (e) {
        return rejected(e);
      }
      if (r.stream === undefined) return rejected(new TypeError(`${who}: the reader was released`));
      return new Promise((resolve, reject) => {
        const s = r.stream;
        s.disturbed = true;
        const req = {
          chunk: (value) => resolve({ value, done: false }),
          close: (value) => resolve({ value, done: true }),
          error: reject,
        };
        if (s.state === 'errored') req.error(s.storedError);
        else byteControllerPullInto(s.controller, view, min, req);
      });
    }
    releaseLock() {
      const r = brand(byobReaderOf, this, 'ReadableStreamBYOBReader', 'ReadableStreamBYOBReader.releaseLock');
      if (r.stream === undefined) return;
      byobReaderRelease(r);
    }
    get [Symbol.toStringTag]() { return 'ReadableStreamBYOBReader'; }
  }

  // ------------------------------------------------- default controller

  class ReadableStreamDefaultController {
    #c;
    constructor(c) {
      if (c === undefined || c.token !== INTERNAL) throw new TypeError('ReadableStreamDefaultController cannot be constructed');
      this.#c = c;
    }
    static {
      rsControllerOf = (x) => x.#c;
    }
    get desiredSize() { return defaultControllerDesiredSize(brand(rsControllerOf, this, 'ReadableStreamDefaultController', 'desiredSize')); }
    close() {
      const c = brand(rsControllerOf, this, 'ReadableStreamDefaultController', 'ReadableStreamDefaultController.close');
      if (!defaultControllerCanCloseOrEnqueue(c)) throw new TypeError('ReadableStreamDefaultController.close: the stream is already closing, closed or errored');
      defaultControllerClose(c);
    }
    enqueue(chunk = undefined) {
      const c = brand(rsControllerOf, this, 'ReadableStreamDefaultController', 'ReadableStreamDefaultController.enqueue');
      if (!defaultControllerCanCloseOrEnqueue(c)) throw new TypeError('ReadableStreamDefaultController.enqueue: the stream is closing, closed or errored');
      defaultControllerEnqueue(c, chunk);
    }
    error(e = undefined) {
      defaultControllerError(brand(rsControllerOf, this, 'ReadableStreamDefaultController', 'ReadableStreamDefaultController.error'), e);
    }
    get [Symbol.toStringTag]() { return 'ReadableStreamDefaultController'; }
  }

  function setUpDefaultControllerFromSource(s, source, hwm, size) {
    const start = method(source, 'start', 'ReadableStream');
    const pull = method(source, 'pull', 'ReadableStream');
    const cancel = method(source, 'cancel', 'ReadableStream');
    setUpDefaultController(
      s,
      (c) => (start === undefined ? undefined : start.call(source, c.pub)),
      (c) => promiseCall(pull, source, [c.pub]),
      (reason) => promiseCall(cancel, source, [reason]),
      hwm,
      size,
    );
  }

  function setUpDefaultController(s, start, pull, cancel, hwm, size) {
    const c = {
      token: INTERNAL, kind: 'default', stream: s, queue: [], queueTotalSize: 0,
      started: false, closeRequested: false, pullAgain: false, pulling: false,
      strategySizeAlgorithm: size, strategyHWM: hwm, pullAlgorithm: pull, cancelAlgorithm: cancel,
      shouldPull: defaultControllerShouldCallPull, fail: defaultControllerError,
    };
    c.pub = new ReadableStreamDefaultController(c);
    c.cancelSteps = (reason) => {
      resetQueue(c);
      const result = c.cancelAlgorithm(reason);
      defaultControllerClearAlgorithms(c);
      return result;
    };
    c.pullSteps = (req) => {
      if (c.queue.length > 0) {
        const chunk = dequeueValue(c);
        if (c.closeRequested && c.queue.length === 0) {
          defaultControllerClearAlgorithms(c);
          readableStreamClose(s);
        } else {
          defaultControllerCallPullIfNeeded(c);
        }
        req.chunk(chunk);
      } else {
        s.reader.readRequests.push(req);
        defaultControllerCallPullIfNeeded(c);
      }
    };
    c.releaseSteps = noop;
    s.controller = c;
    startController(c, start);
  }

  // callPullIfNeeded is ReadableStreamDefaultControllerCallPullIfNeeded
  // and ReadableByteStreamControllerCallPullIfNeeded, which differ only in
  // their ShouldCallPull and Error (shouldPull and fail on c).
  function callPullIfNeeded(c) {
    if (!c.shouldPull(c)) return;
    if (c.pulling) {
      c.pullAgain = true;
      return;
    }
    c.pulling = true;
    c.pullAlgorithm(c).then(
      () => {
        c.pulling = false;
        if (c.pullAgain) {
          c.pullAgain = false;
          callPullIfNeeded(c);
        }
      },
      (e) => c.fail(c, e),
    );
  }
  const defaultControllerCallPullIfNeeded = callPullIfNeeded;

  // startController runs a controller's start algorithm and pulls once it
  // settles (both controllers' set-up steps).
  function startController(c, start) {
    const startResult = start(c);
    resolved(startResult).then(
      () => {
        c.started = true;
        callPullIfNeeded(c);
      },
      (r) => c.fail(c, r),
    );
  }

  function defaultControllerShouldCallPull(c) {
    const s = c.stream;
    if (!defaultControllerCanCloseOrEnqueue(c)) return false;
    if (!c.started) return false;
    if (s.reader !== undefined && numReadRequests(s) > 0) return true;
    return defaultControllerDesiredSize(c) > 0;
  }

  function defaultControllerClearAlgorithms(c) {
    c.pullAlgorithm = undefined;
    c.cancelAlgorithm = undefined;
    c.strategySizeAlgorithm = undefined;
  }

  function defaultControllerClose(c) {
    if (!defaultControllerCanCloseOrEnqueue(c)) return;
    c.closeRequested = true;
    if (c.queue.length === 0) {
      defaultControllerClearAlgorithms(c);
      readableStreamClose(c.stream);
    }
  }

  function defaultControllerEnqueue(c, chunk) {
    if (!defaultControllerCanCloseOrEnqueue(c)) return;
    const s = c.stream;
    if (s.reader !== undefined && numReadRequests(s) > 0) {
      fulfillReadRequest(s, chunk, false);
    } else {
      let size;
      try {
        size = c.strategySizeAlgorithm(chunk);
      } catch (e) {
        defaultControllerError(c, e);
        throw e;
      }
      try {
        enqueueValueWithSize(c, chunk, size);
      } catch (e) {
        defaultControllerError(c, e);
        throw e;
      }
    }
    defaultControllerCallPullIfNeeded(c);
  }

  function defaultControllerError(c, e) {
    if (c.stream.state !== 'readable') return;
    resetQueue(c);
    defaultControllerClearAlgorithms(c);
    readableStreamError(c.stream, e);
  }

  function defaultControllerDesiredSize(c) {
    const state = c.stream.state;
    if (state === 'errored') return null;
    if (state === 'closed') return 0;
    return c.strategyHWM - c.queueTotalSize;
  }

  const defaultControllerHasBackpressure = (c) => !defaultControllerShouldCallPull(c);
  const defaultControllerCanCloseOrEnqueue = (c) => !c.closeRequested && c.stream.state === 'readable';

  // ----------------------------------------------------- byte controller

  class ReadableByteStreamController {
    #c;
    constructor(c) {
      if (c === undefined || c.token !== INTERNAL) throw new TypeError('ReadableByteStreamController cannot be constructed');
      this.#c = c;
    }
    static {
      byteControllerOf = (x) => x.#c;
    }
    get byobRequest() {
      return byteControllerGetBYOBRequest(brand(byteControllerOf, this, 'ReadableByteStreamController', 'byobRequest'));
    }
    get desiredSize() {
      return byteControllerDesiredSize(brand(byteControllerOf, this, 'ReadableByteStreamController', 'desiredSize'));
    }
    close() {
      const c = brand(byteControllerOf, this, 'ReadableByteStreamController', 'ReadableByteStreamController.close');
      if (c.closeRequested) throw new TypeError('ReadableByteStreamController.close: the stream is already closing');
      if (c.stream.state !== 'readable') throw new TypeError('ReadableByteStreamController.close: the stream is not readable');
      byteControllerClose(c);
    }
    enqueue(chunk) {
      const who = 'ReadableByteStreamController.enqueue';
      const c = brand(byteControllerOf, this, 'ReadableByteStreamController', who);
      if (!ArrayBuffer.isView(chunk)) throw new TypeError(`${who}: the chunk must be a typed array or DataView`);
      if (chunk.byteLength === 0) throw new TypeError(`${who}: the chunk is empty`);
      if (chunk.buffer.byteLength === 0) throw new TypeError(`${who}: the chunk's buffer is empty`);
      if (c.closeRequested) throw new TypeError(`${who}: the stream is closing`);
      if (c.stream.state !== 'readable') throw new TypeError(`${who}: the stream is not readable`);
      byteControllerEnqueue(c, chunk);
    }
    error(e = undefined) {
      byteControllerError(brand(byteControllerOf, this, 'ReadableByteStreamController', 'ReadableByteStreamController.error'), e);
    }
    get [Symbol.toStringTag]() { return 'ReadableByteStreamController'; }
  }

  class ReadableStreamBYOBRequest {
    #q;
    constructor(q) {
      if (q === undefined || q.token !== INTERNAL) throw new TypeError('ReadableStreamBYOBRequest cannot be constructed');
      this.#q = q;
    }
    static {
      byobRequestOf = (x) => x.#q;
    }
    get view() { return brand(byobRequestOf, this, 'ReadableStreamBYOBRequest', 'view').view; }
    respond(bytesWritten) {
      const who = 'ReadableStreamBYOBRequest.respond';
      const q = brand(byobRequestOf, this, 'ReadableStreamBYOBRequest', who);
      const n = Number(bytesWritten);
      if (!Number.isInteger(n) || n < 0) throw new TypeError(`${who}: bytesWritten must be a non-negative integer`);
      if (q.controller === undefined) throw new TypeError(`${who}: this request was already answered`);
      byteControllerRespond(q.controller, n, who);
    }
    respondWithNewView(view) {
      const who = 'ReadableStreamBYOBRequest.respondWithNewView';
      const q = brand(byobRequestOf, this, 'ReadableStreamBYOBRequest', who);
      if (!ArrayBuffer.isView(view)) throw new TypeError(`${who}: the view must be a typed array or DataView`);
      if (q.controller === undefined) throw new TypeError(`${who}: this request was already answered`);
      byteControllerRespondWithNewView(q.controller, view, who);
    }
    get [Symbol.toStringTag]() { return 'ReadableStreamBYOBRequest'; }
  }

  function setUpByteControllerFromSource(s, source, hwm) {
    const start = method(source, 'start', 'ReadableStream');
    const pull = method(source, 'pull', 'ReadableStream');
    const cancel = method(source, 'cancel', 'ReadableStream');
    let auto = source.autoAllocateChunkSize;
    if (auto !== undefined) {
      auto = Number(auto);
      if (!Number.isInteger(auto) || auto <= 0) throw new TypeError('ReadableStream: autoAllocateChunkSize must be a positive integer');
    }
    setUpByteController(
      s,
      (c) => (start === undefined ? undefined : start.call(source, c.pub)),
      (c) => promiseCall(pull, source, [c.pub]),
      (reason) => promiseCall(cancel, source, [reason]),
      hwm,
      auto,
    );
  }

  function setUpByteController(s, start, pull, cancel, hwm, auto) {
    const c = {
      token: INTERNAL, kind: 'bytes', stream: s, queue: [], queueTotalSize: 0, byobRequest: null,
      pendingPullIntos: [], started: false, closeRequested: false, pullAgain: false, pulling: false,
      strategyHWM: hwm, pullAlgorithm: pull, cancelAlgorithm: cancel, autoAllocateChunkSize: auto,
      shouldPull: byteControllerShouldCallPull, fail: byteControllerError,
    };
    c.pub = new ReadableByteStreamController(c);
    c.cancelSteps = (reason) => {
      byteControllerClearPendingPullIntos(c);
      resetQueue(c);
      const result = c.cancelAlgorithm(reason);
      byteControllerClearAlgorithms(c);
      return result;
    };
    c.pullSteps = (req) => {
      if (c.queueTotalSize > 0) {
        byteControllerFillReadRequestFromQueue(c, req);
        return;
      }
      if (c.autoAllocateChunkSize !== undefined) {
        let buffer;
        try {
          buffer = new ArrayBuffer(c.autoAllocateChunkSize);
        } catch (e) {
          req.error(e);
          return;
        }
        c.pendingPullIntos.push({
          buffer, bufferByteLength: c.autoAllocateChunkSize, byteOffset: 0, byteLength: c.autoAllocateChunkSize,
          bytesFilled: 0, minimumFill: 1, elementSize: 1, viewConstructor: Uint8Array, readerType: 'default',
        });
      }
      s.reader.readRequests.push(req);
      byteControllerCallPullIfNeeded(c);
    };
    c.releaseSteps = () => {
      if (c.pendingPullIntos.length > 0) {
        const first = c.pendingPullIntos[0];
        first.readerType = 'none';
        c.pendingPullIntos = [first];
      }
    };
    s.controller = c;
    startController(c, start);
  }

  const byteControllerCallPullIfNeeded = callPullIfNeeded;

  function byteControllerShouldCallPull(c) {
    const s = c.stream;
    if (s.state !== 'readable' || c.closeRequested || !c.started) return false;
    if (numReadRequests(s) > 0) return true;
    if (numReadIntoRequests(s) > 0) return true;
    return byteControllerDesiredSize(c) > 0;
  }

  function byteControllerClearAlgorithms(c) {
    c.pullAlgorithm = undefined;
    c.cancelAlgorithm = undefined;
  }

  function byteControllerClearPendingPullIntos(c) {
    byteControllerInvalidateBYOBRequest(c);
    c.pendingPullIntos = [];
  }

  function byteControllerDesiredSize(c) {
    const state = c.stream.state;
    if (state === 'errored') return null;
    if (state === 'closed') return 0;
    return c.strategyHWM - c.queueTotalSize;
  }

  function byteControllerClose(c) {
    const s = c.stream;
    if (c.closeRequested || s.state !== 'readable') return;
    if (c.queueTotalSize > 0) {
      c.closeRequested = true;
      return;
    }
    if (c.pendingPullIntos.length > 0) {
      const first = c.pendingPullIntos[0];
      if (first.bytesFilled % first.elementSize !== 0) {
        const e = new TypeError('ReadableByteStreamController.close: the stream closed in the middle of an element of the pending read');
        byteControllerError(c, e);
        throw e;
      }
    }
    byteControllerClearAlgorithms(c);
    readableStreamClose(s);
  }

  function byteControllerError(c, e) {
    const s = c.stream;
    if (s.state !== 'readable') return;
    byteControllerClearPendingPullIntos(c);
    resetQueue(c);
    byteControllerClearAlgorithms(c);
    readableStreamError(s, e);
  }

  function byteControllerEnqueue(c, chunk) {
    const s = c.stream;
    if (c.closeRequested || s.state !== 'readable') return;
    const { buffer, byteOffset, byteLength } = chunk;
    if (c.pendingPullIntos.length > 0) {
      byteControllerInvalidateBYOBRequest(c);
      const first = c.pendingPullIntos[0];
      if (first.readerType === 'none') byteControllerEnqueueDetachedPullIntoToQueue(c, first);
    }
    if (hasDefaultReader(s)) {
      byteControllerProcessReadRequestsUsingQueue(c);
      if (numReadRequests(s) === 0) {
        byteControllerEnqueueChunkToQueue(c, buffer, byteOffset, byteLength);
      } else {
        if (c.pendingPullIntos.length > 0) c.pendingPullIntos.shift();
        fulfillReadRequest(s, new Uint8Array(buffer, byteOffset, byteLength), false);
      }
    } else if (hasBYOBReader(s)) {
      byteControllerEnqueueChunkToQueue(c, buffer, byteOffset, byteLength);
      const filled = byteControllerProcessPullIntoDescriptorsUsingQueue(c);
      for (const d of filled) byteControllerCommitPullIntoDescriptor(s, d);
    } else {
      byteControllerEnqueueChunkToQueue(c, buffer, byteOffset, byteLength);
    }
    byteControllerCallPullIfNeeded(c);
  }

  function byteControllerEnqueueChunkToQueue(c, buffer, byteOffset, byteLength) {
    c.queue.push({ buffer, byteOffset, byteLength });
    c.queueTotalSize += byteLength;
  }

  function byteControllerEnqueueClonedChunkToQueue(c, buffer, byteOffset, byteLength) {
    const clone = buffer.slice(byteOffset, byteOffset + byteLength);
    byteControllerEnqueueChunkToQueue(c, clone, 0, byteLength);
  }

  function byteControllerEnqueueDetachedPullIntoToQueue(c, d) {
    if (d.bytesFilled > 0) byteControllerEnqueueClonedChunkToQueue(c, d.buffer, d.byteOffset, d.bytesFilled);
    c.pendingPullIntos.shift();
  }

  function byteControllerFillReadRequestFromQueue(c, req) {
    const entry = c.queue.shift();
    c.queueTotalSize -= entry.byteLength;
    byteControllerHandleQueueDrain(c);
    req.chunk(new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength));
  }

  function byteControllerHandleQueueDrain(c) {
    if (c.queueTotalSize === 0 && c.closeRequested) {
      byteControllerClearAlgorithms(c);
      readableStreamClose(c.stream);
    } else {
      byteControllerCallPullIfNeeded(c);
    }
  }

  function byteControllerProcessReadRequestsUsingQueue(c) {
    const r = c.stream.reader;
    while (r.readRequests.length > 0) {
      if (c.queueTotalSize === 0) return;
      byteControllerFillReadRequestFromQueue(c, r.readRequests.shift());
    }
  }

  function byteControllerFillPullIntoDescriptorFromQueue(c, d) {
    const maxBytesToCopy = Math.min(c.queueTotalSize, d.byteLength - d.bytesFilled);
    const maxBytesFilled = d.bytesFilled + maxBytesToCopy;
    let remaining = maxBytesToCopy;
    let ready = false;
    const maxAlignedBytes = maxBytesFilled - (maxBytesFilled % d.elementSize);
    if (maxAlignedBytes >= d.minimumFill) {
      remaining = maxAlignedBytes - d.bytesFilled;
      ready = true;
    }
    while (remaining > 0) {
      const head = c.queue[0];
      const n = Math.min(remaining, head.byteLength);
      const destStart = d.byteOffset + d.bytesFilled;
      new Uint8Array(d.buffer, destStart, n).set(new Uint8Array(head.buffer, head.byteOffset, n));
      if (head.byteLength === n) c.queue.shift();
      else {
        head.byteOffset += n;
        head.byteLength -= n;
      }
      c.queueTotalSize -= n;
      d.bytesFilled += n;
      remaining -= n;
    }
    return ready;
  }

  function byteControllerProcessPullIntoDescriptorsUsingQueue(c) {
    const filled = [];
    while (c.pendingPullIntos.length > 0) {
      if (c.queueTotalSize === 0) break;
      const d = c.pendingPullIntos[0];
      if (byteControllerFillPullIntoDescriptorFromQueue(c, d)) {
        c.pendingPullIntos.shift();
        filled.push(d);
      }
    }
    return filled;
  }

  function convertPullIntoDescriptor(d) {
    const n = d.bytesFilled;
    if (d.viewConstructor === DataView) return new DataView(d.buffer, d.byteOffset, n);
    return new d.viewConstructor(d.buffer, d.byteOffset, n / d.elementSize);
  }

  function byteControllerCommitPullIntoDescriptor(s, d) {
    const done = s.state === 'closed';
    const view = convertPullIntoDescriptor(d);
    if (d.readerType === 'default') fulfillReadRequest(s, view, done);
    else fulfillReadIntoRequest(s, view, done);
  }

  function byteControllerPullInto(c, view, min, req) {
    const s = c.stream;
    const ctor = view instanceof DataView ? DataView : view.constructor;
    const elementSize = view instanceof DataView ? 1 : view.BYTES_PER_ELEMENT;
    const d = {
      buffer: view.buffer, bufferByteLength: view.buffer.byteLength, byteOffset: view.byteOffset,
      byteLength: view.byteLength, bytesFilled: 0, minimumFill: min * elementSize, elementSize,
      viewConstructor: ctor, readerType: 'byob',
    };
    if (c.pendingPullIntos.length > 0) {
      c.pendingPullIntos.push(d);
      s.reader.readIntoRequests.push(req);
      return;
    }
    if (s.state === 'closed') {
      const empty = ctor === DataView ? new DataView(d.buffer, d.byteOffset, 0) : new ctor(d.buffer, d.byteOffset, 0);
      req.close(empty);
      return;
    }
    if (c.queueTotalSize > 0) {
      if (byteControllerFillPullIntoDescriptorFromQueue(c, d)) {
        const filled = convertPullIntoDescriptor(d);
        byteControllerHandleQueueDrain(c);
        req.chunk(filled);
        return;
      }
      if (c.closeRequested) {
        const e = new TypeError('ReadableStreamBYOBReader.read: the stream closed before the read could be filled');
        byteControllerError(c, e);
        req.error(e);
        return;
      }
    }
    c.pendingPullIntos.push(d);
    s.reader.readIntoRequests.push(req);
    byteControllerCallPullIfNeeded(c);
  }

  function byteControllerGetBYOBRequest(c) {
    if (c.byobRequest === null && c.pendingPullIntos.length > 0) {
      const first = c.pendingPullIntos[0];
      const view = new Uint8Array(first.buffer, first.byteOffset + first.bytesFilled, first.byteLength - first.bytesFilled);
      const q = { token: INTERNAL, controller: c, view };
      c.byobRequest = new ReadableStreamBYOBRequest(q);
      c.byobRequestRecord = q;
    }
    return c.byobRequest;
  }

  function byteControllerInvalidateBYOBRequest(c) {
    if (c.byobRequest === null) return;
    c.byobRequestRecord.controller = undefined;
    c.byobRequestRecord.view = null;
    c.byobRequest = null;
    c.byobRequestRecord = undefined;
  }

  function byteControllerRespond(c, bytesWritten, who) {
    const first = c.pendingPullIntos[0];
    if (c.stream.state === 'closed') {
      if (bytesWritten !== 0) throw new TypeError(`${who}: the stream is closed: bytesWritten must be 0`);
    } else {
      if (bytesWritten === 0) throw new TypeError(`${who}: bytesWritten must be more than 0 while the stream is readable`);
      if (first.bytesFilled + bytesWritten > first.byteLength) throw new RangeError(`${who}: bytesWritten (${bytesWritten}) is more than the view holds`);
    }
    byteControllerRespondInternal(c, bytesWritten);
  }

  function byteControllerRespondWithNewView(c, view, who) {
    const first = c.pendingPullIntos[0];
    if (c.stream.state === 'closed') {
      if (view.byteLength !== 0) throw new TypeError(`${who}: the stream is closed: the view must be empty`);
    } else if (view.byteLength === 0) {
      throw new TypeError(`${who}: the view is empty while the stream is readable`);
    }
    if (first.byteOffset + first.bytesFilled !== view.byteOffset) throw new RangeError(`${who}: the view does not start where the request's view does`);
    if (first.bufferByteLength !== view.buffer.byteLength) throw new RangeError(`${who}: the view's buffer is not the request's buffer size`);
    if (first.bytesFilled + view.byteLength > first.byteLength) throw new RangeError(`${who}: the view is larger than the request's view`);
    first.buffer = view.buffer;
    byteControllerRespondInternal(c, view.byteLength);
  }

  function byteControllerRespondInternal(c, bytesWritten) {
    const first = c.pendingPullIntos[0];
    byteControllerInvalidateBYOBRequest(c);
    const s = c.stream;
    if (s.state === 'closed') {
      if (first.readerType === 'none') c.pendingPullIntos.shift();
      if (hasBYOBReader(s)) {
        while (numReadIntoRequests(s) > 0 && c.pendingPullIntos.length > 0) {
          byteControllerCommitPullIntoDescriptor(s, c.pendingPullIntos.shift());
        }
      }
    } else {
      byteControllerRespondInReadableState(c, bytesWritten, first);
    }
    byteControllerCallPullIfNeeded(c);
  }

  function byteControllerRespondInReadableState(c, bytesWritten, d) {
    const s = c.stream;
    d.bytesFilled += bytesWritten;
    if (d.readerType === 'none') {
      byteControllerEnqueueDetachedPullIntoToQueue(c, d);
      for (const f of byteControllerProcessPullIntoDescriptorsUsingQueue(c)) byteControllerCommitPullIntoDescriptor(s, f);
      return;
    }
    if (d.bytesFilled < d.minimumFill) return;
    c.pendingPullIntos.shift();
    const remainder = d.bytesFilled % d.elementSize;
    if (remainder > 0) {
      const end = d.byteOffset + d.bytesFilled;
      byteControllerEnqueueClonedChunkToQueue(c, d.buffer, end - remainder, remainder);
    }
    d.bytesFilled -= remainder;
    const filled = byteControllerProcessPullIntoDescriptorsUsingQueue(c);
    byteControllerCommitPullIntoDescriptor(s, d);
    for (const f of filled) byteControllerCommitPullIntoDescriptor(s, f);
  }

  // --------------------------------------------------------------- tee

  // readableStreamTee is ReadableStreamDefaultTee; for a byte stream the
  // branches are byte streams and the second branch gets copies of the
  // chunks, so neither branch sees the other's writes into a buffer.
  function readableStreamTee(s) {
    const bytes = s.controller.kind === 'bytes';
    const reader = acquireDefaultReader(s);
    let reading = false, readAgain = false, canceled1 = false, canceled2 = false;
    let reason1, reason2, branch1, branch2;
    const cancelDone = deferred();
    const enqueue = (b, chunk) => {
      if (b.controller.kind === 'bytes') byteControllerEnqueue(b.controller, chunk);
      else defaultControllerEnqueue(b.controller, chunk);
    };
    const close = (b) => {
      if (b.controller.kind === 'bytes') {
        const c = b.controller;
        byteControllerClose(c);
        if (c.stream.state === 'closed' && c.pendingPullIntos.length > 0) byteControllerRespondInternal(c, 0);
      } else defaultControllerClose(b.controller);
    };
    const error = (b, e) => {
      if (b.controller.kind === 'bytes') byteControllerError(b.controller, e);
      else defaultControllerError(b.controller, e);
    };
    const pull = () => {
      if (reading) {
        readAgain = true;
        return resolved(undefined);
      }
      reading = true;
      defaultReaderRead(reader, {
        chunk: (chunk) => {
          queueMicrotask(() => {
            readAgain = false;
            const chunk2 = bytes && ArrayBuffer.isView(chunk) ? new Uint8Array(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)) : chunk;
            if (!canceled1) enqueue(branch1, chunk);
            if (!canceled2) enqueue(branch2, chunk2);
            reading = false;
            if (readAgain) pull();
          });
        },
        close: () => {
          reading = false;
          if (!canceled1) close(branch1);
          if (!canceled2) close(branch2);
          if (!canceled1 || !canceled2) cancelDone.resolve(undefined);
        },
        error: () => {
          reading = false;
        },
      });
      return resolved(undefined);
    };
    const cancel1 = (reason) => {
      canceled1 = true;
      reason1 = reason;
      if (canceled2) cancelDone.resolve(readableStreamCancel(s, [reason1, reason2]));
      return cancelDone.promise;
    };
    const cancel2 = (reason) => {
      canceled2 = true;
      reason2 = reason;
      if (canceled1) cancelDone.resolve(readableStreamCancel(s, [reason1, reason2]));
      return cancelDone.promise;
    };
    if (bytes) {
      branch1 = createReadableByteStream(noop, pull, cancel1);
      branch2 = createReadableByteStream(noop, pull, cancel2);
    } else {
      branch1 = createReadableStream(noop, pull, cancel1);
      branch2 = createReadableStream(noop, pull, cancel2);
    }
    reader.closed.promise.catch((r) => {
      error(branch1, r);
      error(branch2, r);
      if (!canceled1 || !canceled2) cancelDone.resolve(undefined);
    });
    return [branch1.pub, branch2.pub];
  }

  // ------------------------------------------------------------- pipeTo

  function readableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
    const reader = acquireDefaultReader(source);
    const writer = writerOf(new WritableStreamDefaultWriter(dest.pub));
    source.disturbed = true;
    let shuttingDown = false;
    let currentWrite = resolved(undefined);
    const done = deferred();
    let abortAlgorithm;

    const finalize = (isError, error) => {
      writerRelease(writer);
      defaultReaderRelease(reader);
      if (signal !== undefined) signal.removeEventListener('abort', abortAlgorithm);
      if (isError) done.reject(error);
      else done.resolve(undefined);
    };
    const waitForWritesToFinish = () => {
      const old = currentWrite;
      return old.then(() => (old !== currentWrite ? waitForWritesToFinish() : undefined));
    };
    const shutdownWithAction = (action, originalIsError, originalError) => {
      if (shuttingDown) return;
      shuttingDown = true;
      const rest = () => {
        let p;
        try {
          p = resolved(action());
        } catch (e) {
          p = rejected(e);
        }
        p.then(() => finalize(originalIsError, originalError), (e) => finalize(true, e));
      };
      if (dest.state === 'writable' && !writableStreamCloseQueuedOrInFlight(dest)) waitForWritesToFinish().then(rest);
      else rest();
    };
    const shutdown = (isError, error) => {
      if (shuttingDown) return;
      shuttingDown = true;
      if (dest.state === 'writable' && !writableStreamCloseQueuedOrInFlight(dest)) waitForWritesToFinish().then(() => finalize(isError, error));
      else finalize(isError, error);
    };

    if (signal !== undefined) {
      abortAlgorithm = () => {
        const error = signal.reason;
        const actions = [];
        if (!preventAbort) actions.push(() => (dest.state === 'writable' ? writableStreamAbort(dest, error) : resolved(undefined)));
        if (!preventCancel) actions.push(() => (source.state === 'readable' ? readableStreamCancel(source, error) : resolved(undefined)));
        shutdownWithAction(() => Promise.all(actions.map((a) => a())), true, error);
      };
      if (signal.aborted) {
        abortAlgorithm();
        return done.promise;
      }
      signal.addEventListener('abort', abortAlgorithm);
    }

    // Errors and closing, forward and backward.
    const sourceErrored = (e) => {
      if (!preventAbort) shutdownWithAction(() => writableStreamAbort(dest, e), true, e);
      else shutdown(true, e);
    };
    const destErrored = (e) => {
      if (!preventCancel) shutdownWithAction(() => readableStreamCancel(source, e), true, e);
      else shutdown(true, e);
    };
    const sourceClosed = () => {
      if (!preventClose) shutdownWithAction(() => writerCloseWithErrorPropagation(writer));
      else shutdown();
    };
    if (source.state === 'errored') sourceErrored(source.storedError);
    else reader.closed.promise.then(() => { if (!shuttingDown) sourceClosed(); }, (e) => { if (!shuttingDown) sourceErrored(e); });
    if (dest.state === 'errored' || dest.state === 'erroring') destErrored(dest.storedError);
    else writer.closed.promise.then(noop, (e) => { if (!shuttingDown) destErrored(e); });
    if (source.state === 'closed') sourceClosed();
    if (writableStreamCloseQueuedOrInFlight(dest) || dest.state === 'closed') {
      const e = new TypeError('ReadableStream.pipeTo: the destination is closing or closed');
      if (!preventCancel) shutdownWithAction(() => readableStreamCancel(source, e), true, e);
      else shutdown(true, e);
    }

    const step = () => {
      if (shuttingDown) return resolved(true);
      return writer.ready.promise.then(() => new Promise((resolve, reject) => {
        if (shuttingDown) {
          resolve(true);
          return;
        }
        defaultReaderRead(reader, {
          chunk: (chunk) => {
            currentWrite = writerWrite(writer, chunk).then(undefined, noop);
            resolve(false);
          },
          close: () => resolve(true),
          error: reject,
        });
      }));
    };
    const loop = () => step().then((stop) => (stop ? undefined : loop()));
    if (!shuttingDown) handled(loop());
    return done.promise;
  }

  // ---------------------------------------------------- async iteration

  const asyncIteratorOf = new WeakMap();

  class ReadableStreamAsyncIterator {
    constructor(s, preventCancel) {
      asyncIteratorOf.set(this, { reader: acquireDefaultReader(s), preventCancel, ongoing: undefined, finished: false });
    }
    next() {
      const it = asyncIteratorOf.get(this);
      if (it === undefined) return rejected(new TypeError('next: not a ReadableStream async iterator'));
      const nextSteps = () => {
        if (it.finished) return resolved({ value: undefined, done: true });
        const r = it.reader;
        if (r.stream === undefined) return rejected(new TypeError('the iterator\'s reader was released'));
        return new Promise((resolve, reject) => {
          defaultReaderRead(r, {
            chunk: (value) => resolve({ value, done: false }),
            close: () => {
              it.finished = true;
              defaultReaderRelease(r);
              resolve({ value: undefined, done: true });
            },
            error: (e) => {
              it.finished = true;
              defaultReaderRelease(r);
              reject(e);
            },
          });
        });
      };
      it.ongoing = it.ongoing === undefined ? nextSteps() : it.ongoing.then(nextSteps, nextSteps);
      return it.ongoing;
    }
    return(value = undefined) {
      const it = asyncIteratorOf.get(this);
      if (it === undefined) return rejected(new TypeError('return: not a ReadableStream async iterator'));
      const returnSteps = () => {
        if (it.finished) return resolved({ value, done: true });
        it.finished = true;
        const r = it.reader;
        if (r.stream === undefined) return rejected(new TypeError('the iterator\'s reader was released'));
        if (!it.preventCancel) {
          const result = genericReaderCancel(r, value);
          defaultReaderRelease(r);
          return result.then(() => ({ value, done: true }));
        }
        defaultReaderRelease(r);
        return resolved({ value, done: true });
      };
      it.ongoing = it.ongoing === undefined ? returnSteps() : it.ongoing.then(returnSteps, returnSteps);
      return it.ongoing;
    }
    [AI]() { return this; }
    get [Symbol.toStringTag]() { return 'ReadableStream AsyncIterator'; }
  }

  // readableStreamFromIterable is ReadableStream.from: an async iterable,
  // or a sync one whose values may be promises.
  function readableStreamFromIterable(iterable) {
    if (!isObject(iterable) && typeof iterable !== 'string') {
      throw new TypeError('ReadableStream.from: the argument must be an iterable or async iterable');
    }
    let iterator;
    const asyncMethod = iterable[AI];
    if (asyncMethod !== undefined && asyncMethod !== null) {
      if (typeof asyncMethod !== 'function') throw new TypeError('ReadableStream.from: [Symbol.asyncIterator] is not a function');
      iterator = asyncMethod.call(iterable);
    } else {
      const syncMethod = iterable[Symbol.iterator];
      if (typeof syncMethod !== 'function') throw new TypeError('ReadableStream.from: the argument is not iterable');
      iterator = syncMethod.call(iterable);
    }
    if (!isObject(iterator)) throw new TypeError('ReadableStream.from: the iterator is not an object');
    const next = iterator.next;
    let s;
    const pull = () => {
      let result;
      try {
        result = next.call(iterator);
      } catch (e) {
        return rejected(e);
      }
      return resolved(result).then((r) => {
        if (!isObject(r)) throw new TypeError('ReadableStream.from: the iterator\'s next() did not give an object');
        if (r.done) {
          defaultControllerClose(s.controller);
          return undefined;
        }
        return resolved(r.value).then((v) => {
          defaultControllerEnqueue(s.controller, v);
        });
      });
    };
    const cancel = (reason) => {
      let ret;
      try {
        ret = iterator.return;
      } catch (e) {
        return rejected(e);
      }
      if (ret === undefined || ret === null) return resolved(undefined);
      let result;
      try {
        result = ret.call(iterator, reason);
      } catch (e) {
        return rejected(e);
      }
      return resolved(result).then((r) => {
        if (!isObject(r)) throw new TypeError('ReadableStream.from: the iterator\'s return() did not give an object');
      });
    };
    s = createReadableStream(noop, pull, cancel, 0);
    return s.pub;
  }

  // --------------------------------------------------------- WritableStream

  class WritableStream {
    #s;
    constructor(underlyingSink = undefined, strategy = undefined) {
      const s = (this.#s = newWritableState(this));
      if (underlyingSink === INTERNAL) return; // made by createWritableStream
      const sink = underlyingSink === undefined || underlyingSink === null ? {} : underlyingSink;
      if (!isObject(sink)) throw new TypeError('WritableStream: the underlying sink must be an object');
      strategy = dictionary(strategy, 'WritableStream');
      if (sink.type !== undefined) throw new RangeError('WritableStream: the sink\'s type must be undefined');
      const size = extractSizeAlgorithm(strategy);
      const hwm = extractHighWaterMark(strategy, 1);
      const start = method(sink, 'start', 'WritableStream');
      const write = method(sink, 'write', 'WritableStream');
      const close = method(sink, 'close', 'WritableStream');
      const abort = method(sink, 'abort', 'WritableStream');
      setUpWritableController(
        s,
        (c) => (start === undefined ? undefined : start.call(sink, c.pub)),
        (chunk, c) => promiseCall(write, sink, [chunk, c.pub]),
        () => promiseCall(close, sink, []),
        (reason) => promiseCall(abort, sink, [reason]),
        hwm,
        size,
      );
    }
    static {
      wsOf = (x) => x.#s;
    }
    get locked() { return brand(wsOf, this, 'WritableStream', 'WritableStream.locked').writer !== undefined; }
    abort(reason = undefined) {
      let s;
      try {
        s = brand(wsOf, this, 'WritableStream', 'WritableStream.abort');
      } catch (e) {
        return rejected(e);
      }
      if (s.writer !== undefined) return rejected(new TypeError('WritableStream.abort: the stream is locked to a writer'));
      return writableStreamAbort(s, reason);
    }
    close() {
      let s;
      try {
        s = brand(wsOf, this, 'WritableStream', 'WritableStream.close');
      } catch (e) {
        return rejected(e);
      }
      if (s.writer !== undefined) return rejected(new TypeError('WritableStream.close: the stream is locked to a writer'));
      if (writableStreamCloseQueuedOrInFlight(s)) return rejected(new TypeError('WritableStream.close: the stream is already closing'));
      return writableStreamClose(s);
    }
    getWriter() {
      brand(wsOf, this, 'WritableStream', 'WritableStream.getWriter');
      return new WritableStreamDefaultWriter(this);
    }
    get [Symbol.toStringTag]() { return 'WritableStream'; }
  }

  function newWritableState(pub) {
    return {
      pub, state: 'writable', storedError: undefined, writer: undefined, controller: undefined,
      inFlightWriteRequest: undefined, closeRequest: undefined, inFlightCloseRequest: undefined,
      pendingAbortRequest: undefined, writeRequests: [], backpressure: false,
    };
  }

  function createWritableStream(start, write, close, abort, hwm, size) {
    const pub = new WritableStream(INTERNAL);
    const s = wsOf(pub);
    setUpWritableController(s, start, write, close, abort, hwm, size);
    return s;
  }

  function writableStreamAbort(s, reason) {
    if (s.state === 'closed' || s.state === 'errored') return resolved(undefined);
    writableControllerSignalAbort(s.controller, reason);
    const state = s.state;
    if (state === 'closed' || state === 'errored') return resolved(undefined);
    if (s.pendingAbortRequest !== undefined) return s.pendingAbortRequest.promise;
    const wasAlreadyErroring = state === 'erroring';
    if (wasAlreadyErroring) reason = undefined;
    const d = deferred();
    s.pendingAbortRequest = { promise: d.promise, resolve: d.resolve, reject: d.reject, reason, wasAlreadyErroring };
    if (!wasAlreadyErroring) writableStreamStartErroring(s, reason);
    return d.promise;
  }

  function writableStreamClose(s) {
    const state = s.state;
    if (state === 'closed' || state === 'errored') return rejected(new TypeError('WritableStream.close: the stream is ' + state));
    const d = deferred();
    s.closeRequest = d;
    if (s.writer !== undefined && s.backpressure && state === 'writable') s.writer.ready.resolve(undefined);
    const c = s.controller;
    enqueueValueWithSize(c, CLOSE, 0);
    writableControllerAdvanceQueueIfNeeded(c);
    return d.promise;
  }
  const CLOSE = Symbol('close');

  function writableStreamDealWithRejection(s, e) {
    if (s.state === 'writable') {
      writableStreamStartErroring(s, e);
      return;
    }
    writableStreamFinishErroring(s);
  }

  function writableStreamStartErroring(s, reason) {
    const c = s.controller;
    s.state = 'erroring';
    s.storedError = reason;
    if (s.writer !== undefined) writerEnsureReadyPromiseRejected(s.writer, reason);
    if (!writableStreamHasOperationMarkedInFlight(s) && c.started) writableStreamFinishErroring(s);
  }

  function writableStreamFinishErroring(s) {
    s.state = 'errored';
    resetQueue(s.controller);
    const e = s.storedError;
    for (const req of s.writeRequests) req.reject(e);
    s.writeRequests = [];
    const abortRequest = s.pendingAbortRequest;
    if (abortRequest === undefined) {
      writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
      return;
    }
    s.pendingAbortRequest = undefined;
    if (abortRequest.wasAlreadyErroring) {
      abortRequest.reject(e);
      writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
      return;
    }
    const c = s.controller;
    const p = c.abortAlgorithm(abortRequest.reason);
    writableControllerClearAlgorithms(c);
    p.then(
      () => {
        abortRequest.resolve(undefined);
        writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
      },
      (r) => {
        abortRequest.reject(r);
        writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
      },
    );
  }

  function writableStreamFinishInFlightWrite(s) {
    s.inFlightWriteRequest.resolve(undefined);
    s.inFlightWriteRequest = undefined;
  }

  function writableStreamFinishInFlightWriteWithError(s, e) {
    s.inFlightWriteRequest.reject(e);
    s.inFlightWriteRequest = undefined;
    writableStreamDealWithRejection(s, e);
  }

  function writableStreamFinishInFlightClose(s) {
    s.inFlightCloseRequest.resolve(undefined);
    s.inFlightCloseRequest = undefined;
    if (s.state === 'erroring') {
      s.storedError = undefined;
      if (s.pendingAbortRequest !== undefined) {
        s.pendingAbortRequest.resolve(undefined);
        s.pendingAbortRequest = undefined;
      }
    }
    s.state = 'closed';
    if (s.writer !== undefined) s.writer.closed.resolve(undefined);
  }

  function writableStreamFinishInFlightCloseWithError(s, e) {
    s.inFlightCloseRequest.reject(e);
    s.inFlightCloseRequest = undefined;
    if (s.pendingAbortRequest !== undefined) {
      s.pendingAbortRequest.reject(e);
      s.pendingAbortRequest = undefined;
    }
    writableStreamDealWithRejection(s, e);
  }

  const writableStreamCloseQueuedOrInFlight = (s) => s.closeRequest !== undefined || s.inFlightCloseRequest !== undefined;
  const writableStreamHasOperationMarkedInFlight = (s) => s.inFlightWriteRequest !== undefined || s.inFlightCloseRequest !== undefined;

  function writableStreamRejectCloseAndClosedPromiseIfNeeded(s) {
    if (s.closeRequest !== undefined) {
      s.closeRequest.reject(s.storedError);
      s.closeRequest = undefined;
    }
    const w = s.writer;
    if (w !== undefined) {
      w.closed.reject(s.storedError);
      handled(w.closed.promise);
    }
  }

  function writableStreamUpdateBackpressure(s, backpressure) {
    const w = s.writer;
    if (w !== undefined && backpressure !== s.backpressure) {
      if (backpressure) w.ready = deferred();
      else w.ready.resolve(undefined);
    }
    s.backpressure = backpressure;
  }

  // ------------------------------------------------------------- writer

  class WritableStreamDefaultWriter {
    #w;
    constructor(stream) {
      const s = brand(wsOf, stream, 'WritableStream', 'WritableStreamDefaultWriter');
      if (s.writer !== undefined) throw new TypeError('WritableStreamDefaultWriter: the stream is locked to another writer');
      const w = (this.#w = { pub: this, stream: s, ready: undefined, closed: undefined });
      s.writer = w;
      const state = s.state;
      if (state === 'writable') {
        w.ready = !writableStreamCloseQueuedOrInFlight(s) && s.backpressure ? deferred() : resolvedDeferred(undefined);
        w.closed = deferred();
      } else if (state === 'erroring') {
        w.ready = rejectedDeferred(s.storedError);
        w.closed = deferred();
      } else if (state === 'closed') {
        w.ready = resolvedDeferred(undefined);
        w.closed = resolvedDeferred(undefined);
      } else {
        w.ready = rejectedDeferred(s.storedError);
        w.closed = rejectedDeferred(s.storedError);
      }
    }
    static {
      writerOf = (x) => x.#w;
    }
    get closed() {
      try {
        return brand(writerOf, this, 'WritableStreamDefaultWriter', 'closed').closed.promise;
      } catch (e) {
        return rejected(e);
      }
    }
    get ready() {
      try {
        return brand(writerOf, this, 'WritableStreamDefaultWriter', 'ready').ready.promise;
      } catch (e) {
        return rejected(e);
      }
    }
    get desiredSize() {
      const w = brand(writerOf, this, 'WritableStreamDefaultWriter', 'desiredSize');
      if (w.stream === undefined) throw new TypeError('WritableStreamDefaultWriter.desiredSize: the writer was released');
      return writerGetDesiredSize(w);
    }
    abort(reason = undefined) {
      let w;
      try {
        w = brand(writerOf, this, 'WritableStreamDefaultWriter', 'WritableStreamDefaultWriter.abort');
      } catch (e) {
        return rejected(e);
      }
      if (w.stream === undefined) return rejected(new TypeError('WritableStreamDefaultWriter.abort: the writer was released'));
      return writableStreamAbort(w.stream, reason);
    }
    close() {
      let w;
      try {
        w = brand(writerOf, this, 'WritableStreamDefaultWriter', 'WritableStreamDefaultWriter.close');
      } catch (e) {
        return rejected(e);
      }
      const s = w.stream;
      if (s === undefined) return rejected(new TypeError('WritableStreamDefaultWriter.close: the writer was released'));
      if (writableStreamCloseQueuedOrInFlight(s)) return rejected(new TypeError('WritableStreamDefaultWriter.close: the stream is already closing'));
      return writableStreamClose(s);
    }
    releaseLock() {
      const w = brand(writerOf, this, 'WritableStreamDefaultWriter', 'WritableStreamDefaultWriter.releaseLock');
      if (w.stream === undefined) return;
      writerRelease(w);
    }
    write(chunk = undefined) {
      let w;
      try {
        w = brand(writerOf, this, 'WritableStreamDefaultWriter', 'WritableStreamDefaultWriter.write');
      } catch (e) {
        return rejected(e);
      }
      if (w.stream === undefined) return rejected(new TypeError('WritableStreamDefaultWriter.write: the writer was released'));
      return writerWrite(w, chunk);
    }
    get [Symbol.toStringTag]() { return 'WritableStreamDefaultWriter'; }
  }

  function writerCloseWithErrorPropagation(w) {
    const s = w.stream;
    const state = s.state;
    if (writableStreamCloseQueuedOrInFlight(s) || state === 'closed') return resolved(undefined);
    if (state === 'errored') return rejected(s.storedError);
    return writableStreamClose(s);
  }

  function writerEnsureClosedPromiseRejected(w, e) {
    if (w.closed.state === 'pending') w.closed.reject(e);
    else w.closed = rejectedDeferred(e);
    handled(w.closed.promise);
  }

  function writerEnsureReadyPromiseRejected(w, e) {
    if (w.ready.state === 'pending') w.ready.reject(e);
    else w.ready = rejectedDeferred(e);
    handled(w.ready.promise);
  }

  function writerGetDesiredSize(w) {
    const s = w.stream;
    if (s.state === 'errored' || s.state === 'erroring') return null;
    if (s.state === 'closed') return 0;
    return s.controller.strategyHWM - s.controller.queueTotalSize;
  }

  function writerRelease(w) {
    const e = new TypeError('the writer was released');
    writerEnsureReadyPromiseRejected(w, e);
    writerEnsureClosedPromiseRejected(w, e);
    w.stream.writer = undefined;
    w.stream = undefined;
  }

  function writerWrite(w, chunk) {
    const s = w.stream;
    const c = s.controller;
    let size;
    try {
      size = c.strategySizeAlgorithm(chunk);
    } catch (e) {
      writableControllerErrorIfNeeded(c, e);
      size = 1;
    }
    if (s !== w.stream) return rejected(new TypeError('WritableStreamDefaultWriter.write: the writer was released'));
    const state = s.state;
    if (state === 'errored') return rejected(s.storedError);
    if (writableStreamCloseQueuedOrInFlight(s) || state === 'closed') return rejected(new TypeError('WritableStreamDefaultWriter.write: the stream is closing or closed'));
    if (state === 'erroring') return rejected(s.storedError);
    const d = deferred();
    s.writeRequests.push(d);
    try {
      enqueueValueWithSize(c, chunk, size);
    } catch (e) {
      writableControllerErrorIfNeeded(c, e);
      return d.promise;
    }
    if (!writableStreamCloseQueuedOrInFlight(s) && s.state === 'writable') {
      writableStreamUpdateBackpressure(s, writableControllerGetBackpressure(c));
    }
    writableControllerAdvanceQueueIfNeeded(c);
    return d.promise;
  }

  // --------------------------------------------------- writable controller

  class WritableStreamDefaultController {
    #c;
    constructor(c) {
      if (c === undefined || c.token !== INTERNAL) throw new TypeError('WritableStreamDefaultController cannot be constructed');
      this.#c = c;
    }
    static {
      wsControllerOf = (x) => x.#c;
    }
    get signal() { return writableControllerSignal(brand(wsControllerOf, this, 'WritableStreamDefaultController', 'signal')); }
    error(e = undefined) {
      const c = brand(wsControllerOf, this, 'WritableStreamDefaultController', 'WritableStreamDefaultController.error');
      if (c.stream.state !== 'writable') return;
      writableControllerError(c, e);
    }
    get [Symbol.toStringTag]() { return 'WritableStreamDefaultController'; }
  }

  function setUpWritableController(s, start, write, close, abort, hwm, size) {
    const c = {
      token: INTERNAL, stream: s, queue: [], queueTotalSize: 0, started: false,
      strategySizeAlgorithm: size, strategyHWM: hwm, writeAlgorithm: write, closeAlgorithm: close, abortAlgorithm: abort,
      abortController: undefined, abortReason: undefined, aborted: false,
    };
    c.pub = new WritableStreamDefaultController(c);
    s.controller = c;
    writableStreamUpdateBackpressure(s, writableControllerGetBackpressure(c));
    const startResult = start(c);
    resolved(startResult).then(
      () => {
        c.started = true;
        writableControllerAdvanceQueueIfNeeded(c);
      },
      (r) => {
        c.started = true;
        writableStreamDealWithRejection(s, r);
      },
    );
  }

  // The controller's AbortController is made when a sink first reads
  // controller.signal; an abort before that is remembered for it.
  function writableControllerSignal(c) {
    if (c.abortController === undefined) {
      c.abortController = new g.AbortController();
      if (c.aborted) c.abortController.abort(c.abortReason);
    }
    return c.abortController.signal;
  }

  function writableControllerSignalAbort(c, reason) {
    if (c.aborted) return;
    c.aborted = true;
    c.abortReason = reason;
    if (c.abortController !== undefined) c.abortController.abort(reason);
  }

  function writableControllerClearAlgorithms(c) {
    c.writeAlgorithm = undefined;
    c.closeAlgorithm = undefined;
    c.abortAlgorithm = undefined;
    c.strategySizeAlgorithm = undefined;
  }

  function writableControllerAdvanceQueueIfNeeded(c) {
    const s = c.stream;
    if (!c.started) return;
    if (s.inFlightWriteRequest !== undefined) return;
    const state = s.state;
    if (state === 'closed' || state === 'errored') return;
    if (state === 'erroring') {
      writableStreamFinishErroring(s);
      return;
    }
    if (c.queue.length === 0) return;
    const value = c.queue[0].value;
    if (value === CLOSE) writableControllerProcessClose(c);
    else writableControllerProcessWrite(c, value);
  }

  function writableControllerErrorIfNeeded(c, e) {
    if (c.stream.state === 'writable') writableControllerError(c, e);
  }

  function writableControllerProcessClose(c) {
    const s = c.stream;
    s.inFlightCloseRequest = s.closeRequest;
    s.closeRequest = undefined;
    dequeueValue(c);
    const p = c.closeAlgorithm();
    writableControllerClearAlgorithms(c);
    p.then(() => writableStreamFinishInFlightClose(s), (r) => writableStreamFinishInFlightCloseWithError(s, r));
  }

  function writableControllerProcessWrite(c, chunk) {
    const s = c.stream;
    s.inFlightWriteRequest = s.writeRequests.shift();
    c.writeAlgorithm(chunk, c).then(
      () => {
        writableStreamFinishInFlightWrite(s);
        const state = s.state;
        dequeueValue(c);
        if (!writableStreamCloseQueuedOrInFlight(s) && state === 'writable') {
          writableStreamUpdateBackpressure(s, writableControllerGetBackpressure(c));
        }
        writableControllerAdvanceQueueIfNeeded(c);
      },
      (reason) => {
        if (s.state === 'writable') writableControllerClearAlgorithms(c);
        writableStreamFinishInFlightWriteWithError(s, reason);
      },
    );
  }

  const writableControllerGetBackpressure = (c) => c.strategyHWM - c.queueTotalSize <= 0;

  function writableControllerError(c, e) {
    writableControllerClearAlgorithms(c);
    writableStreamStartErroring(c.stream, e);
  }

  // -------------------------------------------------------- TransformStream

  class TransformStream {
    #t;
    constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
      const tr = transformer === undefined || transformer === null ? {} : transformer;
      if (!isObject(tr)) throw new TypeError('TransformStream: the transformer must be an object');
      writableStrategy = dictionary(writableStrategy, 'TransformStream');
      readableStrategy = dictionary(readableStrategy, 'TransformStream');
      if (tr.readableType !== undefined) throw new RangeError('TransformStream: readableType must be undefined');
      if (tr.writableType !== undefined) throw new RangeError('TransformStream: writableType must be undefined');
      const readableHWM = extractHighWaterMark(readableStrategy, 0);
      const readableSize = extractSizeAlgorithm(readableStrategy);
      const writableHWM = extractHighWaterMark(writableStrategy, 1);
      const writableSize = extractSizeAlgorithm(writableStrategy);
      const start = method(tr, 'start', 'TransformStream');
      const transform = method(tr, 'transform', 'TransformStream');
      const flush = method(tr, 'flush', 'TransformStream');
      const cancel = method(tr, 'cancel', 'TransformStream');
      const startPromise = deferred();
      const t = (this.#t = { pub: this });
      initializeTransformStream(t, startPromise.promise, writableHWM, writableSize, readableHWM, readableSize);
      const c = setUpTransformController(
        t,
        transform === undefined
          ? (chunk) => {
            try {
              transformControllerEnqueue(t.controller, chunk);
              return resolved(undefined);
            } catch (e) {
              return rejected(e);
            }
          }
          : (chunk) => promiseCall(transform, tr, [chunk, t.controller.pub]),
        () => promiseCall(flush, tr, [t.controller.pub]),
        (reason) => promiseCall(cancel, tr, [reason]),
      );
      try {
        startPromise.resolve(start === undefined ? undefined : start.call(tr, c.pub));
      } catch (e) {
        startPromise.reject(e);
        throw e;
      }
    }
    static {
      tsOf = (x) => x.#t;
    }
    get readable() { return brand(tsOf, this, 'TransformStream', 'readable').readable.pub; }
    get writable() { return brand(tsOf, this, 'TransformStream', 'writable').writable.pub; }
    get [Symbol.toStringTag]() { return 'TransformStream'; }
  }

  function initializeTransformStream(t, startPromise, writableHWM, writableSize, readableHWM, readableSize) {
    const start = () => startPromise;
    t.writable = createWritableStream(start,
      (chunk) => transformSinkWrite(t, chunk),
      () => transformSinkClose(t),
      (reason) => transformSinkAbort(t, reason),
      writableHWM, writableSize);
    t.readable = createReadableStream(start,
      () => transformSourcePull(t),
      (reason) => transformSourceCancel(t, reason),
      readableHWM, readableSize);
    t.backpressure = undefined;
    t.backpressureChange = undefined;
    transformSetBackpressure(t, true);
    t.controller = undefined;
  }

  function transformError(t, e) {
    defaultControllerError(t.readable.controller, e);
    transformErrorWritableAndUnblockWrite(t, e);
  }

  function transformErrorWritableAndUnblockWrite(t, e) {
    transformControllerClearAlgorithms(t.controller);
    writableControllerErrorIfNeeded(t.writable.controller, e);
    transformUnblockWrite(t);
  }

  function transformUnblockWrite(t) {
    if (t.backpressure) transformSetBackpressure(t, false);
  }

  function transformSetBackpressure(t, backpressure) {
    if (t.backpressureChange !== undefined) t.backpressureChange.resolve(undefined);
    t.backpressureChange = deferred();
    t.backpressure = backpressure;
  }

  class TransformStreamDefaultController {
    #c;
    constructor(c) {
      if (c === undefined || c.token !== INTERNAL) throw new TypeError('TransformStreamDefaultController cannot be constructed');
      this.#c = c;
    }
    static {
      tsControllerOf = (x) => x.#c;
    }
    get desiredSize() {
      return defaultControllerDesiredSize(brand(tsControllerOf, this, 'TransformStreamDefaultController', 'desiredSize').stream.readable.controller);
    }
    enqueue(chunk = undefined) {
      transformControllerEnqueue(brand(tsControllerOf, this, 'TransformStreamDefaultController', 'TransformStreamDefaultController.enqueue'), chunk);
    }
    error(reason = undefined) {
      transformError(brand(tsControllerOf, this, 'TransformStreamDefaultController', 'TransformStreamDefaultController.error').stream, reason);
    }
    terminate() {
      const c = brand(tsControllerOf, this, 'TransformStreamDefaultController', 'TransformStreamDefaultController.terminate');
      const t = c.stream;
      defaultControllerClose(t.readable.controller);
      transformErrorWritableAndUnblockWrite(t, new TypeError('the TransformStream was terminated'));
    }
    get [Symbol.toStringTag]() { return 'TransformStreamDefaultController'; }
  }

  function setUpTransformController(t, transform, flush, cancel) {
    const c = { token: INTERNAL, stream: t, transformAlgorithm: transform, flushAlgorithm: flush, cancelAlgorithm: cancel, finish: undefined };
    c.pub = new TransformStreamDefaultController(c);
    t.controller = c;
    return c;
  }

  function transformControllerClearAlgorithms(c) {
    c.transformAlgorithm = undefined;
    c.flushAlgorithm = undefined;
    c.cancelAlgorithm = undefined;
  }

  function transformControllerEnqueue(c, chunk) {
    const t = c.stream;
    const rc = t.readable.controller;
    if (!defaultControllerCanCloseOrEnqueue(rc)) throw new TypeError('TransformStreamDefaultController.enqueue: the readable side is closed or errored');
    try {
      defaultControllerEnqueue(rc, chunk);
    } catch (e) {
      transformErrorWritableAndUnblockWrite(t, e);
      throw t.readable.storedError;
    }
    const backpressure = defaultControllerHasBackpressure(rc);
    if (backpressure !== t.backpressure) transformSetBackpressure(t, true);
  }

  function transformPerformTransform(c, chunk) {
    return c.transformAlgorithm(chunk).then(undefined, (r) => {
      transformError(c.stream, r);
      throw r;
    });
  }

  function transformSinkWrite(t, chunk) {
    const c = t.controller;
    if (t.backpressure) {
      return t.backpressureChange.promise.then(() => {
        const w = t.writable;
        if (w.state === 'erroring') throw w.storedError;
        return transformPerformTransform(c, chunk);
      });
    }
    return transformPerformTransform(c, chunk);
  }

  function transformSinkAbort(t, reason) {
    const c = t.controller;
    if (c.finish !== undefined) return c.finish.promise;
    const readable = t.readable;
    const d = (c.finish = deferred());
    const p = c.cancelAlgorithm(reason);
    transformControllerClearAlgorithms(c);
    p.then(
      () => {
        if (readable.state === 'errored') d.reject(readable.storedError);
        else {
          defaultControllerError(readable.controller, reason);
          d.resolve(undefined);
        }
      },
      (r) => {
        defaultControllerError(readable.controller, r);
        d.reject(r);
      },
    );
    return d.promise;
  }

  function transformSinkClose(t) {
    const c = t.controller;
    if (c.finish !== undefined) return c.finish.promise;
    const readable = t.readable;
    const d = (c.finish = deferred());
    const p = c.flushAlgorithm();
    transformControllerClearAlgorithms(c);
    p.then(
      () => {
        if (readable.state === 'errored') d.reject(readable.storedError);
        else {
          defaultControllerClose(readable.controller);
          d.resolve(undefined);
        }
      },
      (r) => {
        defaultControllerError(readable.controller, r);
        d.reject(r);
      },
    );
    return d.promise;
  }

  function transformSourcePull(t) {
    transformSetBackpressure(t, false);
    return t.backpressureChange.promise;
  }

  function transformSourceCancel(t, reason) {
    const c = t.controller;
    if (c.finish !== undefined) return c.finish.promise;
    const writable = t.writable;
    const d = (c.finish = deferred());
    const p = c.cancelAlgorithm(reason);
    transformControllerClearAlgorithms(c);
    p.then(
      () => {
        if (writable.state === 'errored') d.reject(writable.storedError);
        else {
          writableControllerErrorIfNeeded(writable.controller, reason);
          transformUnblockWrite(t);
          d.resolve(undefined);
        }
      },
      (r) => {
        writableControllerErrorIfNeeded(writable.controller, r);
        transformUnblockWrite(t);
        d.reject(r);
      },
    );
    return d.promise;
  }

  Object.assign(exports, {
    ReadableStream, ReadableStreamDefaultReader, ReadableStreamBYOBReader, ReadableStreamBYOBRequest,
    ReadableStreamDefaultController, ReadableByteStreamController,
    WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController,
    TransformStream, TransformStreamDefaultController,
    ByteLengthQueuingStrategy, CountQueuingStrategy,
  });
})(exports, g);
