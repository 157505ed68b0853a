// host's vitest API: what `import { describe, it, expect, vi } from
// 'vitest'` gives a test file under `host test`. The assertions and spies
// are vitest's own (expect_gen.js: chai with @vitest/expect's matchers,
// @vitest/spy); this file is the runner around them: collecting suites and
// tests, .skip/.only/.todo/.each, hooks, timeouts, expect.assertions, and
// reporting each outcome to Go through native.result.
//
// Called as function (lib, native) with lib = expect_gen.js's exports and
// native = { callerPos(), result(report), now() }; returns { api, run }.
(function (lib, native) {
  'use strict';
  const { chai, getState, setState, GLOBAL_EXPECT, ASYMMETRIC_MATCHERS_OBJECT, processError } = lib;

  const DEFAULT_TEST_TIMEOUT = native.testTimeout;
  const DEFAULT_HOOK_TIMEOUT = native.hookTimeout;

  // ---- collection --------------------------------------------------------

  function newSuite(name, parent, mode, pos) {
    return { kind: 'suite', name, parent, mode, pos, children: [], only: false,
      hooks: { beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] } };
  }
  const root = newSuite('', null, 'run', '');
  let current = root;
  let hasOnly = false;
  let running = false;
  let currentTest = null;

  function checkCollecting(what) {
    if (running) throw new Error(what + ' cannot be called while tests run; call it at the top level of the file or inside describe()');
  }

  // (name, fn, timeout) or (name, options, fn) or (name, fn, options).
  function args(a, b, c) {
    let fn = b, opts = c;
    if (typeof b === 'object' && b !== null) { opts = b; fn = c; }
    if (typeof opts === 'number') opts = { timeout: opts };
    return { fn, opts: opts || {} };
  }

  function nameOf(name) {
    if (typeof name === 'function') return name.name || '<anonymous>';
    return String(name);
  }

  function addSuite(mode, name, a, b) {
    checkCollecting('describe()');
    const { fn, opts } = args(name, a, b);
    const s = newSuite(nameOf(name), current, current.mode === 'skip' || current.mode === 'todo' ? current.mode : mode, native.callerPos());
    if (opts.skip) s.mode = 'skip';
    if (opts.only || mode === 'only') { s.only = true; hasOnly = true; }
    if (typeof fn !== 'function') s.mode = 'todo';
    s.timeout = opts.timeout;
    current.children.push(s);
    if (typeof fn === 'function') {
      const prev = current;
      current = s;
      try {
        const r = fn();
        if (r && typeof r.then === 'function') throw new Error('describe() callback must not be async or return a promise: collect tests synchronously');
      } finally {
        current = prev;
      }
    }
    return s;
  }

  function addTest(mode, name, a, b) {
    checkCollecting('it()/test()');
    const { fn, opts } = args(name, a, b);
    const t = { kind: 'test', name: nameOf(name), parent: current, fn, mode, pos: native.callerPos(),
      timeout: opts.timeout, fails: !!opts.fails, only: false };
    if (opts.skip) t.mode = 'skip';
    if (opts.only || mode === 'only') { t.only = true; hasOnly = true; t.mode = 'run'; }
    if (typeof fn !== 'function' && t.mode !== 'todo') t.mode = 'todo';
    current.children.push(t);
  }

  // printf-like titles of .each: %s %d %i %f %j %o %O %#, and $name / $a.b for objects.
  function formatTitle(title, item, index) {
    const argsList = Array.isArray(item) ? item : [item];
    let i = 0;
    let out = String(title).replace(/%[sdifjoO#%]/g, (m) => {
      if (m === '%%') return '%';
      if (m === '%#') return String(index);
      const v = argsList[i++];
      switch (m) {
        case '%d': case '%i': return String(m === '%i' ? Math.trunc(Number(v)) : Number(v));
        case '%f': return String(Number(v));
        case '%j': case '%o': case '%O': try { return JSON.stringify(v); } catch (e) { return String(v); }
        default: return typeof v === 'string' ? v : (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
      }
    });
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      out = out.replace(/\$([A-Za-z_$][\w$]*(?:\.[\w$]+)*)/g, (m, path) => {
        let v = item;
        for (const k of path.split('.')) v = v == null ? undefined : v[k];
        return typeof v === 'string' ? v : JSON.stringify(v);
      });
    }
    return out;
  }

  function each(add) {
    return (table) => (title, a, b) => {
      const { fn, opts } = args(title, a, b);
      const rows = Array.from(table);
      rows.forEach((row, i) => {
        const spread = Array.isArray(row) ? row : [row];
        add(formatTitle(title, row, i), opts, typeof fn === 'function' ? (...rest) => fn(...spread, ...rest) : fn);
      });
    };
  }

  function makeTestAPI() {
    const test = (name, a, b) => addTest('run', name, a, b);
    test.skip = (name, a, b) => addTest('skip', name, a, b);
    test.only = (name, a, b) => addTest('only', name, a, b);
    test.todo = (name) => addTest('todo', name);
    test.concurrent = test;
    test.sequential = test;
    test.fails = (name, a, b) => { const { fn, opts } = args(name, a, b); addTest('run', name, Object.assign({}, opts, { fails: true }), fn); };
    test.skipIf = (cond) => (cond ? test.skip : test);
    test.runIf = (cond) => (cond ? test : test.skip);
    test.each = each(test);
    test.for = (table) => (title, a, b) => {
      const { fn, opts } = args(title, a, b);
      Array.from(table).forEach((row, i) => addTest('run', formatTitle(title, row, i), opts, typeof fn === 'function' ? (ctx) => fn(row, ctx) : fn));
    };
    test.skip.each = each(test.skip);
    test.only.each = each(test.only);
    test.extend = () => { throw new Error('test.extend (fixtures) is not supported by host test'); };
    return test;
  }
  const test = makeTestAPI();

  const describe = (name, a, b) => addSuite('run', name, a, b);
  describe.skip = (name, a, b) => addSuite('skip', name, a, b);
  describe.only = (name, a, b) => addSuite('only', name, a, b);
  describe.todo = (name) => addSuite('todo', name);
  describe.concurrent = describe;
  describe.sequential = describe;
  describe.shuffle = describe;
  describe.skipIf = (cond) => (cond ? describe.skip : describe);
  describe.runIf = (cond) => (cond ? describe : describe.skip);
  describe.each = each(describe);
  describe.skip.each = each(describe.skip);
  describe.only.each = each(describe.only);

  function hook(kind) {
    return (fn, timeout) => {
      checkCollecting(kind + '()');
      if (typeof fn !== 'function') throw new TypeError(kind + '() expects a function');
      current.hooks[kind].push({ fn, timeout, pos: native.callerPos() });
    };
  }

  // ---- expect --------------------------------------------------------------

  function createExpect() {
    const expect = (value, message) => {
      const { assertionCalls } = getState(expect);
      setState({ assertionCalls: assertionCalls + 1 }, expect);
      const assertion = chai.expect(value, message);
      return currentTest ? assertion.withTest(currentTest.record) : assertion;
    };
    Object.assign(expect, chai.expect);
    Object.assign(expect, globalThis[ASYMMETRIC_MATCHERS_OBJECT]);
    expect.getState = () => getState(expect);
    expect.setState = (state) => setState(state, expect);
    expect.extend = (matchers) => chai.expect.extend(expect, matchers);
    expect.unreachable = (message) => {
      chai.assert.fail('expected' + (message ? ' "' + message + '" ' : ' ') + 'not to be reached');
    };
    expect.assertions = (n) => {
      expect.setState({ expectedAssertionsNumber: n,
        expectedAssertionsNumberErrorGen: () => new Error('expected number of assertions to be ' + n + ', but got ' + expect.getState().assertionCalls) });
    };
    expect.hasAssertions = () => {
      expect.setState({ isExpectingAssertions: true,
        isExpectingAssertionsError: new Error('expected any number of assertion, but got none') });
    };
    expect.soft = () => { throw new Error('expect.soft is not supported by host test'); };
    expect.poll = () => { throw new Error('expect.poll is not supported by host test'); };
    resetExpect(expect, '');
    return expect;
  }

  function resetExpect(expect, name) {
    setState({ assertionCalls: 0, isExpectingAssertions: false, isExpectingAssertionsError: null,
      expectedAssertionsNumber: null, expectedAssertionsNumberErrorGen: null, currentTestName: name }, expect);
  }

  const expect = createExpect();
  globalThis[GLOBAL_EXPECT] = expect;

  // ---- vi ------------------------------------------------------------------

  const stubbedGlobals = new Map();
  const notSupported = (name, why) => () => { throw new Error('vi.' + name + ' is not supported by host test' + (why ? ': ' + why : '')); };
  const vi = {
    fn: lib.fn,
    spyOn: lib.spyOn,
    isMockFunction: lib.isMockFunction,
    mocked: (x) => x,
    clearAllMocks() { lib.mocks.forEach((m) => m.mockClear()); return vi; },
    resetAllMocks() { lib.mocks.forEach((m) => m.mockReset()); return vi; },
    restoreAllMocks() { lib.mocks.forEach((m) => m.mockRestore()); return vi; },
    stubGlobal(name, value) {
      if (!stubbedGlobals.has(name)) stubbedGlobals.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
      Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: true });
      return vi;
    },
    unstubAllGlobals() {
      stubbedGlobals.forEach((d, name) => { if (d) Object.defineProperty(globalThis, name, d); else delete globalThis[name]; });
      stubbedGlobals.clear();
      return vi;
    },
    async waitFor(cb, options) {
      const o = typeof options === 'number' ? { timeout: options } : (options || {});
      const timeout = o.timeout ?? 1000, interval = o.interval ?? 50;
      const deadline = Date.now() + timeout;
      for (;;) {
        try { return await cb(); } catch (e) {
          if (Date.now() >= deadline) throw e;
        }
        await new Promise((r) => setTimeout(r, interval));
      }
    },
    async waitUntil(cb, options) {
      const o = typeof options === 'number' ? { timeout: options } : (options || {});
      const timeout = o.timeout ?? 1000, interval = o.interval ?? 50;
      const deadline = Date.now() + timeout;
      for (;;) {
        const v = await cb();
        if (v) return v;
        if (Date.now() >= deadline) throw new Error('Timed out in waitUntil!');
        await new Promise((r) => setTimeout(r, interval));
      }
    },
    mock: notSupported('mock', 'module mocking needs vitest\'s module loader; pass stand-ins to the code under test, or use vi.spyOn and vi.stubGlobal'),
    doMock: notSupported('doMock'),
    unmock: notSupported('unmock'),
    importActual: notSupported('importActual'),
    importMock: notSupported('importMock'),
    useFakeTimers: notSupported('useFakeTimers', 'host runs timers on its own event loop'),
    useRealTimers() { return vi; },
    setConfig() { return vi; },
    resetConfig() { return vi; },
  };

  // ---- running ---------------------------------------------------------------

  class SkipSignal extends Error {}

  // withTimeout settles with p, or rejects after ms with vitest's message.
  function withTimeout(p, ms, what) {
    if (!(ms > 0) || !Number.isFinite(ms)) return p;
    let timer;
    const t = new Promise((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(what + ' timed out in ' + ms + 'ms.\nIf this is a long-running ' + (what === 'Test' ? 'test' : 'hook') +
          ', pass a timeout value as the last argument.'));
      }, ms);
    });
    return Promise.race([p, t]).finally(() => clearTimeout(timer));
  }

  async function call(fn, thisArg, fnArgs, ms, what) {
    return withTimeout(Promise.resolve().then(() => fn.apply(thisArg, fnArgs)), ms, what);
  }

  function pathOf(node) {
    const names = [];
    for (let n = node; n && n.parent; n = n.parent) names.unshift(n.name);
    return names;
  }

  // Marks which nodes run under .only: a node runs when it or an ancestor
  // is .only, or when a descendant is (then only those descendants).
  function markOnly(node) {
    if (node.kind === 'test') return node.only;
    let any = node.only;
    for (const c of node.children) if (markOnly(c)) any = true;
    node.hasOnlyInside = node.children.some((c) => c.only || c.hasOnlyInside);
    return any;
  }

  function effectiveMode(node, parentForced) {
    if (node.mode === 'skip' || node.mode === 'todo') return node.mode;
    if (!hasOnly) return 'run';
    if (node.only || parentForced) return 'run';
    if (node.kind === 'suite' && node.hasOnlyInside) return 'run';
    return 'skip';
  }

  function report(node, state, duration, error) {
    native.result({ path: pathOf(node), state, duration, error, pos: node.pos });
  }

  function prepareError(e) {
    if (e && typeof e === 'object') {
      try { processError(e, { printBasicPrototype: false, maxDepth: 10 }); } catch (_) { /* keep the error as it is */ }
    }
    return e;
  }

  function skipAll(node, state) {
    if (node.kind === 'test') { report(node, node.mode === 'todo' ? 'todo' : state, 0); return; }
    for (const c of node.children) skipAll(c, node.mode === 'todo' ? 'todo' : state);
  }

  function failAll(node, error) {
    if (node.kind === 'test') {
      if (node.mode === 'skip' || node.mode === 'todo') report(node, node.mode, 0);
      else report(node, 'fail', 0, error);
      return;
    }
    for (const c of node.children) failAll(c, error);
  }

  function eachHooks(node, kind) {
    const chain = [];
    for (let n = node.parent; n; n = n.parent) chain.unshift(n);
    const out = [];
    for (const s of chain) out.push(...s.hooks[kind]);
    return kind === 'afterEach' ? out.reverse() : out;
  }

  async function runTest(t, forced) {
    const mode = effectiveMode(t, forced);
    if (mode !== 'run') { report(t, mode, 0); return; }
    const record = { name: t.name, promises: [] };
    const context = { task: { name: t.name }, expect, skip(note) { throw new SkipSignal(note || 'skipped'); }, onTestFailed() {}, onTestFinished() {} };
    currentTest = { record };
    resetExpect(expect, pathOf(t).join(' > '));
    const start = native.now();
    let error, skipped = false;
    const cleanups = [];
    try {
      for (const h of eachHooks(t, 'beforeEach')) {
        const r = await call(h.fn, undefined, [context, t.parent], h.timeout ?? DEFAULT_HOOK_TIMEOUT, 'Hook');
        if (typeof r === 'function') cleanups.unshift(r);
      }
      await call(t.fn, undefined, [context], t.timeout ?? t.parent.timeout ?? DEFAULT_TEST_TIMEOUT, 'Test');
      const pending = await Promise.allSettled(record.promises);
      const rejected = pending.find((r) => r.status === 'rejected');
      if (rejected) throw rejected.reason;
      const st = getState(expect);
      if (st.expectedAssertionsNumber !== null && st.assertionCalls !== st.expectedAssertionsNumber) throw st.expectedAssertionsNumberErrorGen();
      if (st.isExpectingAssertions && st.assertionCalls === 0) throw st.isExpectingAssertionsError;
    } catch (e) {
      if (e instanceof SkipSignal) skipped = true;
      else error = e;
    }
    for (const c of cleanups) {
      try { await call(c, undefined, [], DEFAULT_HOOK_TIMEOUT, 'Hook'); } catch (e) { error = error || e; }
    }
    for (const h of eachHooks(t, 'afterEach')) {
      try { await call(h.fn, undefined, [context, t.parent], h.timeout ?? DEFAULT_HOOK_TIMEOUT, 'Hook'); } catch (e) { error = error || e; }
    }
    currentTest = null;
    const duration = native.now() - start;
    if (skipped && error === undefined) { report(t, 'skip', duration); return; }
    if (t.fails) {
      if (error === undefined) report(t, 'fail', duration, new Error('Expect test to fail'));
      else report(t, 'pass', duration);
      return;
    }
    if (error !== undefined) report(t, 'fail', duration, prepareError(error));
    else report(t, 'pass', duration);
  }

  async function runSuite(s, forced) {
    const mode = s === root ? 'run' : effectiveMode(s, forced);
    if (mode !== 'run') { skipAll(s, mode); return; }
    const force = forced || s.only;
    const runs = (c) => effectiveMode(c, force) === 'run';
    if (!s.children.some(runs)) {
      for (const c of s.children) skipAll(c, 'skip');
      return;
    }
    const teardowns = [];
    for (const h of s.hooks.beforeAll) {
      try {
        const r = await call(h.fn, undefined, [s], h.timeout ?? DEFAULT_HOOK_TIMEOUT, 'Hook');
        if (typeof r === 'function') teardowns.unshift(r);
      } catch (e) {
        failAll(s, prepareError(e));
        return;
      }
    }
    for (const c of s.children) {
      if (c.kind === 'test') await runTest(c, force);
      else await runSuite(c, force);
    }
    const after = [...teardowns.map((fn) => ({ fn })), ...s.hooks.afterAll];
    for (const h of after) {
      try { await call(h.fn, undefined, [s], h.timeout ?? DEFAULT_HOOK_TIMEOUT, 'Hook'); } catch (e) {
        native.hookError(pathOf(s), prepareError(e));
      }
    }
  }

  async function run() {
    running = true;
    if (hasOnly) markOnly(root);
    await runSuite(root, false);
    vi.unstubAllGlobals();
  }

  const api = {
    describe, suite: describe, it: test, test, expect, assert: chai.assert, chai, vi, vitest: vi,
    beforeAll: hook('beforeAll'), afterAll: hook('afterAll'), beforeEach: hook('beforeEach'), afterEach: hook('afterEach'),
    onTestFailed() {}, onTestFinished() {},
  };
  return { api, run };
})
