// node:assert: assert and its methods, with AssertionError (code
// ERR_ASSERTION, actual, expected, operator) as Node throws it.
'use strict';
const { isDeepStrictEqual, isDeepEqual } = require('host-node-internal:deep');
const { inspect } = require('util');

class AssertionError extends Error {
  constructor(options = {}) {
    const { message, actual, expected, operator } = options;
    super(message !== undefined ? String(message) : inspect(actual) + ' ' + operator + ' ' + inspect(expected));
    this.name = 'AssertionError';
    this.code = 'ERR_ASSERTION';
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
    this.generatedMessage = message === undefined;
  }
}
const fail = (actual, expected, message, operator, defaultMessage) => {
  if (message instanceof Error) throw message;
  throw new AssertionError({ message: message === undefined ? defaultMessage : message, actual, expected, operator });
};
function ok(...args) {
  const [value, message] = args;
  if (!value) fail(value, true, message, '==', args.length === 0 ? 'No value argument passed to `assert.ok()`' : 'The expression evaluated to a falsy value:\n\n  assert(' + inspect(value) + ')\n');
}
function matches(actual, expected, name) {
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && actual instanceof expected) return true;
    if (Error.isPrototypeOf(expected) || expected === Error) return false;
    return expected.call({}, actual) === true;
  }
  if (expected instanceof RegExp) return expected.test(String(actual));
  if (expected && typeof expected === 'object') {
    for (const k of Object.keys(expected)) {
      const e = expected[k];
      const a = actual == null ? undefined : actual[k];
      if (e instanceof RegExp && typeof a === 'string' ? !e.test(a) : !isDeepStrictEqual(a, e)) return false;
    }
    return true;
  }
  throw new TypeError('The "' + name + '" argument must be a function, RegExp or object');
}
const NO_EXCEPTION = Symbol('no exception');
const caught = (fn) => {
  try { fn(); } catch (e) { return e; }
  return NO_EXCEPTION;
};
const caughtAsync = async (fn) => {
  try { await (typeof fn === 'function' ? fn() : fn); } catch (e) { return e; }
  return NO_EXCEPTION;
};
const checkThrown = (e, expected, message, op) => {
  if (typeof expected === 'string') { message = expected; expected = undefined; }
  if (e === NO_EXCEPTION) fail(undefined, expected, message, op, 'Missing expected ' + (op === 'rejects' ? 'rejection' : 'exception') + (message ? ': ' + message : '.'));
  if (expected !== undefined && !matches(e, expected, 'expected')) throw e;
};
const checkNotThrown = (e, expected, message, op) => {
  if (typeof expected === 'string') { message = expected; expected = undefined; }
  if (e === NO_EXCEPTION) return;
  if (expected === undefined || matches(e, expected, 'expected')) {
    fail(e, expected, message, op, 'Got unwanted ' + (op === 'doesNotReject' ? 'rejection' : 'exception') + (message ? ': ' + message : '.') + '\nActual message: "' + (e && e.message) + '"');
  }
  throw e;
};

const methods = {
  ok,
  fail(message = 'Failed') { if (message instanceof Error) throw message; throw new AssertionError({ message, operator: 'fail' }); },
  equal(a, e, m) { if (!(a == e || (a !== a && e !== e))) fail(a, e, m, '==', inspect(a) + ' == ' + inspect(e)); }, // eslint-disable-line eqeqeq
  notEqual(a, e, m) { if (a == e || (a !== a && e !== e)) fail(a, e, m, '!=', inspect(a) + ' != ' + inspect(e)); }, // eslint-disable-line eqeqeq
  strictEqual(a, e, m) { if (!Object.is(a, e)) fail(a, e, m, 'strictEqual', 'Expected values to be strictly equal:\n\n' + inspect(a) + ' !== ' + inspect(e) + '\n'); },
  notStrictEqual(a, e, m) { if (Object.is(a, e)) fail(a, e, m, 'notStrictEqual', 'Expected "actual" to be strictly unequal to: ' + inspect(e)); },
  deepEqual(a, e, m) { if (!isDeepEqual(a, e)) fail(a, e, m, 'deepEqual', 'Expected values to be loosely deep-equal:\n\n' + inspect(a) + '\n\nshould loosely deep-equal\n\n' + inspect(e)); },
  notDeepEqual(a, e, m) { if (isDeepEqual(a, e)) fail(a, e, m, 'notDeepEqual', '"actual" should not loosely deep-equal "expected":\n\n' + inspect(a)); },
  deepStrictEqual(a, e, m) { if (!isDeepStrictEqual(a, e)) fail(a, e, m, 'deepStrictEqual', 'Expected values to be strictly deep-equal:\n' + inspect(a) + '\n\nshould equal\n\n' + inspect(e)); },
  notDeepStrictEqual(a, e, m) { if (isDeepStrictEqual(a, e)) fail(a, e, m, 'notDeepStrictEqual', 'Expected "actual" not to be strictly deep-equal to: ' + inspect(e)); },
  throws(fn, expected, message) { checkThrown(caught(fn), expected, message, 'throws'); },
  doesNotThrow(fn, expected, message) { checkNotThrown(caught(fn), expected, message, 'doesNotThrow'); },
  async rejects(fn, expected, message) { checkThrown(await caughtAsync(fn), expected, message, 'rejects'); },
  async doesNotReject(fn, expected, message) { checkNotThrown(await caughtAsync(fn), expected, message, 'doesNotReject'); },
  match(s, re, m) { if (!re.test(s)) fail(s, re, m, 'match', 'The input did not match the regular expression ' + inspect(re) + '. Input:\n\n' + inspect(s) + '\n'); },
  doesNotMatch(s, re, m) { if (re.test(s)) fail(s, re, m, 'doesNotMatch', 'The input was expected to not match the regular expression ' + inspect(re) + '. Input:\n\n' + inspect(s) + '\n'); },
  ifError(v) { if (v !== null && v !== undefined) { if (v instanceof Error) throw v; fail(v, null, undefined, 'ifError', 'ifError got unwanted exception: ' + inspect(v)); } },
};
const assert = (...args) => ok(...args);
Object.assign(assert, methods, { AssertionError });
const strict = (...args) => ok(...args);
Object.assign(strict, methods, { AssertionError, equal: methods.strictEqual, notEqual: methods.notStrictEqual,
  deepEqual: methods.deepStrictEqual, notDeepEqual: methods.notDeepStrictEqual });
assert.strict = strict;
strict.strict = strict;
module.exports = assert;
