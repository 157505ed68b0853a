// node:util: format and inspect (Node's output for the common values:
// quoting, nesting depth 2, the 80-column single-line rule, circular
// references, Map/Set/Date/RegExp/Error/typed arrays), promisify,
// callbackify, inherits, deprecate, types, isDeepStrictEqual and the
// TextEncoder/TextDecoder the web globals provide.
'use strict';
const { isDeepStrictEqual } = require('host-node-internal:deep');

const custom = Symbol.for('nodejs.util.inspect.custom');
const tag = (v) => Object.prototype.toString.call(v).slice(8, -1);
const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const escapes = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\\': '\\\\' };
function quote(s) {
  let q = "'";
  if (s.includes("'")) {
    if (!s.includes('"')) q = '"';
    else if (!s.includes('`') && !s.includes('${')) q = '`';
  }
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === q) out += '\\' + q;
    else if (escapes[ch]) out += escapes[ch];
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0').toUpperCase();
    else out += ch;
  }
  return q + out + q;
}

const typedArrayTags = new Set(['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']);

function fnBase(f) {
  const src = Function.prototype.toString.call(f);
  if (/^class\b/.test(src)) {
    const ext = Object.getPrototypeOf(f);
    return '[class ' + (f.name || '(anonymous)') + (ext && ext.name ? ' extends ' + ext.name : '') + ']';
  }
  const kind = tag(f) === 'AsyncFunction' ? 'AsyncFunction' : tag(f) === 'GeneratorFunction' ? 'GeneratorFunction' : tag(f) === 'AsyncGeneratorFunction' ? 'AsyncGeneratorFunction' : 'Function';
  return '[' + kind + (f.name ? ': ' + f.name : ' (anonymous)') + ']';
}

function constructorName(o) {
  let p = o;
  while (p) {
    const d = Object.getOwnPropertyDescriptor(p, 'constructor');
    if (d && typeof d.value === 'function' && d.value.name) return d.value.name;
    p = Object.getPrototypeOf(p);
  }
  return null;
}

function formatPrimitive(v, top) {
  switch (typeof v) {
    case 'string': return top ? v : quote(v);
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint': return v + 'n';
    case 'symbol': return v.toString();
    case 'undefined': return 'undefined';
    default: return String(v);
  }
}

function formatKey(k) {
  if (typeof k === 'symbol') return '[' + k.toString() + ']';
  return identifier.test(k) ? k : quote(k);
}

function isBelowBreakLength(ctx, output, start, base) {
  let total = output.length + start;
  if (total + output.length > ctx.breakLength) return false;
  for (const o of output) {
    total += o.length;
    if (total > ctx.breakLength) return false;
  }
  return base === '' || !base.includes('\n');
}

// groupArrayElements lines up the entries of an array of more than six in
// columns, as Node's util.inspect does (its algorithm and constants).
function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  if (ctx.maxArrayLength < output.length) outputLength--; // not the "... n more items"
  const separatorSpace = 2;
  const dataLen = new Array(outputLength);
  for (let i = 0; i < outputLength; i++) {
    const len = output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) return output;
    const tmp = [];
    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) {
        if (dataLen[j] > lineLength) lineLength = dataLen[j];
      }
      maxLineLength.push(lineLength + separatorSpace);
    }
    let padStart = true;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = '';
      let j = i;
      for (; j < max - 1; j++) {
        const cell = output[j] + ', ';
        str += padStart ? cell.padStart(maxLineLength[j - i], ' ') : cell.padEnd(maxLineLength[j - i], ' ');
      }
      str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace, ' ') : output[j];
      tmp.push(str);
    }
    if (ctx.maxArrayLength < output.length) tmp.push(output[outputLength]);
    output = tmp;
  }
  return output;
}

// reduce joins the formatted entries on one line when they fit in
// breakLength, else one entry (or one group of array entries) a line.
function reduce(ctx, output, base, braces, level, arrayValue, isArrayLike) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const entries = output.length;
      if (isArrayLike && entries > 6) output = groupArrayElements(ctx, output, arrayValue);
      if (ctx.currentDepth - level < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joined = output.join(', ');
          if (!joined.includes('\n')) return (base ? base + ' ' : '') + braces[0] + ' ' + joined + ' ' + braces[1];
        }
      }
    }
    const ind = '\n' + ' '.repeat(ctx.indentationLvl);
    return (base ? base + ' ' : '') + braces[0] + ind + '  ' + output.join(',' + ind + '  ') + ind + braces[1];
  }
  const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
  if (isBelowBreakLength(ctx, output, start, base)) return (base ? base + ' ' : '') + braces[0] + ' ' + output.join(', ') + ' ' + braces[1];
  const ind = '\n' + ' '.repeat(ctx.indentationLvl);
  return (base ? base + ' ' : '') + braces[0] + ind + '  ' + output.join(',' + ind + '  ') + ind + braces[1];
}

function formatProperty(ctx, o, k, level, arrayItem) {
  const d = Object.getOwnPropertyDescriptor(o, k) || { value: o[k], enumerable: true };
  let value;
  if (d.get || d.set) value = d.get && d.set ? '[Getter/Setter]' : d.get ? '[Getter]' : '[Setter]';
  else {
    ctx.indentationLvl += 2;
    value = formatValue(ctx, d.value, level + 1);
    ctx.indentationLvl -= 2;
  }
  if (arrayItem) return value;
  const key = d.enumerable === false ? '[' + formatKey(k) + ']' : formatKey(k);
  return key + ': ' + value;
}

function formatValue(ctx, v, level, top) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return formatPrimitive(v, top);
  if (ctx.customInspect && typeof v[custom] === 'function' && v[custom] !== inspect) {
    const r = v[custom](ctx.depth - level, { ...ctx.options, depth: ctx.depth - level }, inspect);
    if (r !== v) return typeof r === 'string' ? r : formatValue(ctx, r, level);
  }
  if (ctx.seen.includes(v)) {
    let i = ctx.circular.get(v);
    if (i === undefined) {
      i = ctx.circular.size + 1;
      ctx.circular.set(v, i);
    }
    return '[Circular *' + i + ']';
  }
  return formatRaw(ctx, v, level);
}

function formatRaw(ctx, v, level) {
  const t = tag(v);
  const name = constructorName(v);
  let keys = Reflect.ownKeys(v).filter((k) => ctx.showHidden || Object.prototype.propertyIsEnumerable.call(v, k));
  let braces = ['{', '}'];
  let base = '';
  let items = null; // formatted entries before the keys
  let arrayLike = false; // entries that group in columns (arrays, typed arrays, arguments)
  let prefix = name && name !== 'Object' ? name + ' ' : name === null ? '[Object: null prototype] ' : '';
  if (Array.isArray(v)) {
    prefix = name !== 'Array' ? (name || '[Array: null prototype]') + '(' + v.length + ') ' : '';
    braces = [prefix + '[', ']'];
    arrayLike = true;
    keys = keys.filter((k) => !(typeof k === 'string' && /^(0|[1-9]\d*)$/.test(k) && Number(k) < v.length));
    if (ctx.showHidden) keys = keys.filter((k) => k !== 'length');
    items = () => {
      const out = [];
      let holes = 0;
      const max = Math.min(v.length, ctx.maxArrayLength);
      const flush = () => { if (holes) out.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>'); holes = 0; };
      for (let i = 0; i < max; i++) {
        if (!Object.prototype.hasOwnProperty.call(v, i)) { holes++; continue; }
        flush();
        out.push(formatProperty(ctx, v, String(i), level, true));
      }
      flush();
      if (v.length > max) out.push('... ' + (v.length - max) + ' more item' + (v.length - max > 1 ? 's' : ''));
      return out;
    };
  } else if (typeof v === 'function') {
    base = fnBase(v);
    keys = keys.filter((k) => k !== 'prototype' || ctx.showHidden);
    if (keys.length === 0) return base;
  } else if (t === 'RegExp') {
    base = RegExp.prototype.toString.call(v);
    if (keys.length === 0) return base;
  } else if (t === 'Date') {
    base = Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
    if (keys.length === 0) return base;
  } else if (v instanceof Error) {
    base = (typeof v.stack === 'string' && v.stack ? v.stack : Error.prototype.toString.call(v)).replace(/\n+$/, '');
    if (ctx.indentationLvl !== 0) base = base.replace(/\n/g, '\n' + ' '.repeat(ctx.indentationLvl));
    keys = keys.filter((k) => k !== 'stack' && k !== 'message');
    if (keys.length === 0) return base;
  } else if (v instanceof Map) {
    braces = [(prefix || 'Map ').trimEnd() + '(' + v.size + ') {', '}'];
    items = () => {
      const out = [];
      ctx.indentationLvl += 2;
      for (const [k, val] of v) out.push(formatValue(ctx, k, level + 1) + ' => ' + formatValue(ctx, val, level + 1));
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (v instanceof Set) {
    braces = [(prefix || 'Set ').trimEnd() + '(' + v.size + ') {', '}'];
    items = () => {
      const out = [];
      ctx.indentationLvl += 2;
      for (const val of v) out.push(formatValue(ctx, val, level + 1));
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (typedArrayTags.has(t)) {
    if (name === 'Buffer') {
      const hex = Array.from(v.subarray(0, 50), (b) => b.toString(16).padStart(2, '0')).join(' ');
      return '<Buffer' + (hex ? ' ' + hex : '') + (v.length > 50 ? ' ... ' + (v.length - 50) + ' more bytes' : '') + '>';
    }
    braces = [(name || t) + '(' + v.length + ') [', ']'];
    arrayLike = true;
    keys = keys.filter((k) => !(typeof k === 'string' && /^\d+$/.test(k)));
    items = () => Array.from(v.subarray(0, ctx.maxArrayLength), (x) => formatPrimitive(x)).concat(v.length > ctx.maxArrayLength ? ['... ' + (v.length - ctx.maxArrayLength) + ' more items'] : []);
  } else if (t === 'ArrayBuffer') {
    const hex = Array.from(new Uint8Array(v, 0, Math.min(v.byteLength, 50)), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return 'ArrayBuffer { [Uint8Contents]: <' + hex + (v.byteLength > 50 ? ' ... ' + (v.byteLength - 50) + ' more bytes' : '') + '>, byteLength: ' + v.byteLength + ' }';
  } else if (t === 'Promise') {
    braces = ['Promise {', '}'];
    items = () => {
      const [state, result] = native.promiseState(v);
      if (state === 'pending') return ['<pending>'];
      ctx.indentationLvl += 2;
      const out = formatValue(ctx, result, level + 1);
      ctx.indentationLvl -= 2;
      return [(state === 'rejected' ? '<rejected> ' : '') + out];
    };
  } else if (t === 'WeakMap' || t === 'WeakSet') {
    return t + ' { <items unknown> }';
  } else if (t === 'Number' || t === 'String' || t === 'Boolean' || t === 'BigInt' || t === 'Symbol') {
    base = '[' + t + ': ' + formatPrimitive(v.valueOf()) + ']';
    if (t === 'String') keys = keys.filter((k) => !(typeof k === 'string' && /^\d+$/.test(k)) && k !== 'length');
    if (keys.length === 0) return base;
  } else if (t === 'Arguments') {
    braces = ['[Arguments] [', ']'];
    arrayLike = true;
    keys = keys.filter((k) => !(typeof k === 'string' && /^\d+$/.test(k)));
    items = () => Array.from(v, (x) => formatValue(ctx, x, level + 1));
  } else {
    const st = v[Symbol.toStringTag];
    if (typeof st === 'string' && st !== '' && st !== name) prefix = (name || 'Object') + ' [' + st + '] ';
    braces = [prefix + '{', '}'];
    if (keys.length === 0) return prefix + '{}';
  }
  if (level > ctx.depth) {
    if (Array.isArray(v)) return '[Array]';
    return '[' + (name || t) + ']';
  }
  ctx.seen.push(v);
  ctx.currentDepth = level;
  let output;
  try {
    output = items ? items() : [];
    for (const k of keys) output.push(formatProperty(ctx, v, k, level, false));
  } finally {
    ctx.seen.pop();
  }
  if (ctx.sorted) output.sort(typeof ctx.sorted === 'function' ? ctx.sorted : undefined);
  if (output.length === 0 && base) return base;
  if (output.length === 0) return braces[0] + braces[1];
  let res = reduce(ctx, output, base, braces, level, arrayLike ? v : undefined, arrayLike);
  const ref = ctx.circular.get(v);
  if (ref !== undefined) res = '<ref *' + ref + '> ' + res;
  return res;
}

const inspectDefaults = { showHidden: false, depth: 2, colors: false, customInspect: true, maxArrayLength: 100, maxStringLength: 10000, breakLength: 80, compact: 3, sorted: false, getters: false };

function inspect(value, opts, ...legacy) {
  let options = { ...inspectDefaults };
  if (typeof opts === 'boolean') {
    options.showHidden = opts;
    if (legacy[0] !== undefined) options.depth = legacy[0];
  } else if (opts) options = { ...options, ...opts };
  if (options.depth === null) options.depth = Infinity;
  const ctx = { ...options, options, seen: [], circular: new Map(), indentationLvl: 0, currentDepth: 0 };
  return formatValue(ctx, value, 0, false);
}
inspect.custom = custom;
inspect.defaultOptions = inspectDefaults;

function format(...args) {
  return formatWithOptions(undefined, ...args);
}
function formatWithOptions(opts, first, ...args) {
  const ins = (v) => inspect(v, { ...opts, compact: 3, colors: false, depth: 0 });
  if (typeof first !== 'string') return [first, ...args].map((a) => (typeof a === 'string' ? a : inspect(a, opts))).join(' ');
  let i = 0;
  let out = first.replace(/%([sdifjoOc%])/g, (m, c) => {
    if (c === '%') return '%';
    if (i >= args.length) return m;
    const a = args[i++];
    switch (c) {
      case 's':
        if (typeof a === 'bigint') return a + 'n';
        if (typeof a === 'number') return formatPrimitive(a);
        if (typeof a === 'symbol') return a.toString();
        if (a !== null && typeof a === 'object') {
          const own = Object.prototype.hasOwnProperty.call(a, 'toString') || (a.toString !== Object.prototype.toString && typeof a.toString === 'function' && !(a instanceof Error) && !Array.isArray(a));
          return own ? String(a) : ins(a);
        }
        return String(a);
      case 'd': return typeof a === 'bigint' ? a + 'n' : typeof a === 'symbol' ? 'NaN' : formatPrimitive(Number(a));
      case 'i': return typeof a === 'bigint' ? a + 'n' : typeof a === 'symbol' ? 'NaN' : formatPrimitive(parseInt(a, 10));
      case 'f': return typeof a === 'symbol' ? 'NaN' : formatPrimitive(parseFloat(a));
      case 'j': try { return JSON.stringify(a); } catch (e) { return '[Circular]'; }
      case 'o': return inspect(a, { ...opts, showHidden: true, depth: 4 });
      case 'O': return inspect(a, opts);
      case 'c': return '';
      default: return m;
    }
  });
  for (; i < args.length; i++) out += ' ' + (typeof args[i] === 'string' ? args[i] : inspect(args[i], opts));
  return out;
}

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');
function promisify(original) {
  if (typeof original !== 'function') throw new TypeError('The "original" argument must be of type function');
  if (original[kCustomPromisify]) return original[kCustomPromisify];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      original.call(this, ...args, (err, ...values) => (err ? reject(err) : resolve(values[0])));
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, kCustomPromisify, { value: fn, configurable: true });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisify;

function callbackify(original) {
  if (typeof original !== 'function') throw new TypeError('The "original" argument must be of type function');
  return function (...args) {
    const cb = args.pop();
    if (typeof cb !== 'function') throw new TypeError('The last argument must be of type function');
    original.apply(this, args).then((v) => queueMicrotask(() => cb(null, v)), (err) => {
      if (!err) {
        const e = new Error('Promise was rejected with a falsy value');
        e.reason = err;
        err = e;
      }
      queueMicrotask(() => cb(err));
    });
  };
}

function inherits(ctor, superCtor) {
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const warned = new Set();
function deprecate(fn, msg, code) {
  return function (...args) {
    if (!warned.has(code || msg)) {
      warned.add(code || msg);
      console.warn('DeprecationWarning: ' + msg);
    }
    return new.target ? Reflect.construct(fn, args, new.target) : fn.apply(this, args);
  };
}

const is = (t) => (v) => v !== null && typeof v === 'object' && tag(v) === t;
const types = {
  isDate: is('Date'), isRegExp: is('RegExp'), isMap: is('Map'), isSet: is('Set'), isWeakMap: is('WeakMap'),
  isWeakSet: is('WeakSet'), isPromise: is('Promise'), isDataView: is('DataView'), isArrayBuffer: is('ArrayBuffer'),
  isSharedArrayBuffer: is('SharedArrayBuffer'), isMapIterator: is('Map Iterator'), isSetIterator: is('Set Iterator'),
  isGeneratorObject: is('Generator'), isArgumentsObject: is('Arguments'), isWeakRef: is('WeakRef'),
  isAnyArrayBuffer: (v) => is('ArrayBuffer')(v) || is('SharedArrayBuffer')(v),
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isTypedArray: (v) => ArrayBuffer.isView(v) && typedArrayTags.has(tag(v)),
  isAsyncFunction: (v) => typeof v === 'function' && /^Async/.test(tag(v)),
  isGeneratorFunction: (v) => typeof v === 'function' && /GeneratorFunction$/.test(tag(v)),
  isNativeError: (v) => v instanceof Error,
  isNumberObject: is('Number'), isStringObject: is('String'), isBooleanObject: is('Boolean'),
  isBigIntObject: is('BigInt'), isSymbolObject: is('Symbol'),
  isBoxedPrimitive: (v) => ['Number', 'String', 'Boolean', 'BigInt', 'Symbol'].some((t) => is(t)(v)),
  isProxy: () => false, isExternal: () => false, isModuleNamespaceObject: (v) => is('Module')(v),
  isKeyObject: () => false, isCryptoKey: (v) => typeof CryptoKey === 'function' && v instanceof CryptoKey,
};
for (const t of typedArrayTags) types['is' + t] = (v) => ArrayBuffer.isView(v) && tag(v) === t;

module.exports = {
  format, formatWithOptions, inspect, promisify, callbackify, inherits, deprecate, types, isDeepStrictEqual,
  debuglog: () => Object.assign(() => {}, { enabled: false }),
  debug: () => Object.assign(() => {}, { enabled: false }),
  stripVTControlCharacters: (s) => String(s).replace(/\u001b\[[0-9;]*[A-Za-z]/g, ''),
  toUSVString: (s) => String(s).toWellFormed(),
  isArray: Array.isArray,
  isBoolean: (v) => typeof v === 'boolean', isNull: (v) => v === null, isNullOrUndefined: (v) => v == null,
  isNumber: (v) => typeof v === 'number', isString: (v) => typeof v === 'string', isSymbol: (v) => typeof v === 'symbol',
  isUndefined: (v) => v === undefined, isRegExp: types.isRegExp, isObject: (v) => v !== null && typeof v === 'object',
  isDate: types.isDate, isError: (v) => v instanceof Error, isFunction: (v) => typeof v === 'function',
  isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
  get TextEncoder() { return globalThis.TextEncoder; },
  get TextDecoder() { return globalThis.TextDecoder; },
};
