// The same code under Node 22 and under host: node_test.go compares host's
// results with node22.golden (regenerate with -update, Node 22 on PATH or
// in HOST_NODE22). Each case returns a value; the runner JSON-encodes it.
import path from 'node:path';
import { EventEmitter, once } from 'events';
import util from 'util';
import { inspect, format, promisify, types, isDeepStrictEqual } from 'node:util';
import { Buffer as Buf } from 'buffer';
import { StringDecoder } from 'string_decoder';
import qs from 'querystring';
import url, { fileURLToPath, pathToFileURL } from 'url';
import os from 'os';
import assert from 'node:assert';
import { setTimeout as sleep } from 'timers/promises';
import * as fs from 'fs';
import { createServer } from 'node:http';
import crypto, { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Stream, { Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished } from 'stream';
import { pipeline as pipelineP } from 'node:stream/promises';
import ReadableLegacy from '_stream_readable';

const cases = {
  'path.join': () => [path.join('/a', 'b', '../c', './d'), path.join('a', '', 'b/'), path.join(), path.join('..', 'x')],
  'path.resolve': () => [path.resolve('/a/b', './c'), path.resolve('/a', '/b', 'c/..'), path.resolve('/')],
  'path.normalize': () => ['/a//b/../c/.', 'a/../../b', './', '', '//x', 'a/b/'].map(path.normalize),
  'path.relative': () => [path.relative('/data/orandea/test/aaa', '/data/orandea/impl/bbb'), path.relative('/a', '/a'), path.relative('/a/b', '/a')],
  'path.parts': () => ['/home/user/dir/file.txt', 'file', '.bashrc', 'a/b.tar.gz', '/', 'dir/', '..'].map((p) => [path.dirname(p), path.basename(p), path.extname(p), path.basename(p, '.txt')]),
  'path.parse/format': () => [path.parse('/home/user/dir/file.txt'), path.parse('file.txt'), path.parse('./a/b'), path.format({ dir: '/x', base: 'y.z' }), path.format({ root: '/', name: 'n', ext: 'e' })],
  'path.misc': () => [path.sep, path.delimiter, path.isAbsolute('/x'), path.isAbsolute('x'), path.posix === path],
  'events': () => {
    const e = new EventEmitter();
    const seen = [];
    e.on('x', (a) => seen.push('on ' + a));
    e.prependListener('x', (a) => seen.push('first ' + a));
    e.once('x', (a) => seen.push('once ' + a));
    e.emit('x', 1);
    e.emit('x', 2);
    let err;
    try { e.emit('error', new Error('boom')); } catch (x) { err = x.message; }
    return [seen, err, e.listenerCount('x'), e.eventNames(), typeof EventEmitter.defaultMaxListeners];
  },
  'events.once': async () => {
    const e = new EventEmitter();
    setTimeout(() => e.emit('ready', 'a', 'b'), 1);
    return await once(e, 'ready');
  },
  'events subclass': () => {
    class Feed extends EventEmitter { push(v) { this.emit('data', v); } }
    const f = new Feed();
    const got = [];
    f.on('data', (v) => got.push(v));
    f.push(1);
    f.removeAllListeners('data');
    f.push(2);
    return [got, f instanceof EventEmitter];
  },
  'util.format': () => [format('%s=%d %i %f %j %%', 'a', 42.5, 42.5, '1.5', { x: 1 }), format('a', 1, { b: 2 }, 'c'), format('%s', null, undefined), format('%o'.slice(0, 0) + 'x%cy', 'css'), format(1, 2)],
  'util.inspect': () => [
    inspect({ a: 1, b: 'x', c: [1, 2, { d: null }], e: undefined }),
    inspect({ a: { b: { c: { d: 1 } } } }),
    inspect([1, 'two', [3, [4, [5, [6]]]]]),
    inspect(new Map([['k', 1]])), inspect(new Set([1, 'a'])), inspect(new Map()),
    inspect("it's"), inspect('plain'), inspect(-0), inspect(10n), inspect(Symbol('s')),
    inspect(function named() {}), inspect(() => {}), inspect(class A {}), inspect(async function af() {}),
    inspect({ 'key-with-dash': 1, valid_id: 2, [Symbol('k')]: 3 }),
    inspect(Object.create(null)), inspect(new Date(0)), inspect(/re/g), inspect(null), inspect([]), inspect({}),
    inspect(new Uint8Array([1, 2, 3])),
    inspect({ long: 'x'.repeat(60), other: 'y'.repeat(20) }),
    inspect(new (class Point { constructor() { this.x = 1; } })()),
    inspect({ get g() { return 1; }, set s(v) {} }),
    inspect([1, , 3]),
    (() => { const o = { name: 'o' }; o.self = o; return inspect(o); })(),
    inspect({ a: [{ b: { c: 1 } }] }, { depth: 0 }),
    inspect({ nested: { deep: { deeper: { deepest: 1 } } } }, { depth: null }),
    inspect([1, 2, 3, 4, 5, 6, 7]), inspect(['a', 'bb', 'ccc', 'dddd', 'e', 'f', 'g', 'h']),
    inspect(Array.from({ length: 102 }, (_, i) => i)), inspect({ rows: Array.from({ length: 30 }, (_, i) => 'row' + i) }),
    (() => { const p = Promise.reject(3); p.catch(() => {}); return inspect([Promise.resolve({ a: 1 }), new Promise(() => {}), p]); })(),
  ],
  'util.promisify': async () => {
    const cb = (a, done) => setTimeout(() => done(a < 0 ? new Error('neg') : null, a * 2), 1);
    const p = promisify(cb);
    let err;
    try { await p(-1); } catch (e) { err = e.message; }
    return [await p(21), err];
  },
  'util.types': () => [types.isDate(new Date()), types.isRegExp(/x/), types.isPromise(Promise.resolve()), types.isUint8Array(new Uint8Array()), types.isAsyncFunction(async () => {}), types.isMap(new Map()), types.isNativeError(new TypeError())],
  'util.isDeepStrictEqual': () => [isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), isDeepStrictEqual([1], ['1']), isDeepStrictEqual(new Map([[1, { x: 1 }]]), new Map([[1, { x: 1 }]])), isDeepStrictEqual(NaN, NaN), isDeepStrictEqual(0, -0)],
  'util misc': () => [typeof util.inherits, typeof util.TextDecoder, util.isArray([]), typeof util.inspect.custom, util.stripVTControlCharacters('\u001b[31mred\u001b[0m')],
  'Buffer': () => {
    const b = Buf.from('héllo wörld');
    return [b.toString('hex'), b.toString('base64'), Buf.from('aGk=', 'base64').toString(), b.length, Buf.byteLength('héllo'), Buf.isBuffer(b), Buf.isBuffer(new Uint8Array(1)),
      Buf.concat([Buf.from('a'), Buf.from('b')]).toString(), b.slice(0, 5).toString(), b.subarray(1, 3).toString('hex'), Buf.alloc(3, 'ab').toString(), b.indexOf('wö'), b.includes('zz'),
      Buf.compare(Buf.from('a'), Buf.from('b')), Buf.from([1, 2, 3]).toJSON(), Buf.from('x').equals(Buf.from('x')), Buf.from('hi').toString('base64url'), Buf.from('aGk', 'base64url').toString(), Buf.from('-_8', 'base64url').toString('hex'), typeof Buffer, Buffer === Buf,
      inspect(Buf.from('hi')), Buf.from('ff00', 'hex').readUInt16BE(0)];
  },
  'string_decoder': () => {
    const d = new StringDecoder('utf8');
    const euro = Buf.from('€');
    return [d.write(euro.subarray(0, 1)), d.write(euro.subarray(1)), d.end(), new StringDecoder('hex').write(Buf.from('ab'))];
  },
  'querystring': () => [qs.parse('a=1&b=2&a=3&c=x+y%20z&d'), qs.stringify({ a: [1, 2], b: 'x y', c: true, d: null }), qs.escape('a b&c'), qs.unescape('a%20b')],
  'url': () => {
    const u = url.parse('https://user:pw@Example.com:8080/p/a/t/h?query=string&x=1#hash', true);
    return [u.protocol, u.auth, u.host, u.hostname, u.port, u.pathname, u.search, u.query, u.hash, u.path, u.href,
      url.format({ protocol: 'https', hostname: 'example.com', pathname: '/x', query: { a: 1 } }),
      url.resolve('http://a.com/b/c', '../d'), url.resolve('/one/two/three', 'four'),
      fileURLToPath('file:///tmp/a%20b.txt'), pathToFileURL('/tmp/a b.txt').href, new url.URL('https://x.test/?a=1').searchParams.get('a')];
  },
  'os': () => [os.EOL, os.platform(), typeof os.arch(), os.endianness()],
  'assert': () => {
    const out = [];
    assert(true);
    assert.strictEqual(1, 1);
    assert.deepStrictEqual({ a: [1] }, { a: [1] });
    for (const f of [() => assert.strictEqual(1, 2), () => assert.deepStrictEqual({ a: 1 }, { a: 2 }), () => assert(false, 'custom'), () => assert.throws(() => {})]) {
      try { f(); out.push('no throw'); } catch (e) { out.push([e.name, e.code, e.message.split('\n')[0]]); }
    }
    assert.throws(() => { throw new TypeError('bad'); }, TypeError);
    assert.throws(() => { throw new Error('bad thing'); }, /thing/);
    return out;
  },
  'timers/promises': async () => [await sleep(1, 'slept')],
  'globals': () => [typeof process, typeof process.env, Object.keys(process.env).length > 0 ? 'has env' : 'env empty', typeof process.nextTick, typeof setImmediate, typeof performance.now(), typeof navigator.userAgent],
  'crypto': () => {
    const out = [createHash('sha256').update('abc').digest('hex'), createHash('md5').update('a').update(Buf.from('b')).digest('base64'),
      createHmac('sha256', 'key').update('The quick brown fox', 'utf8').digest('hex'), createHmac('sha1', Buf.from('k')).update(new Uint8Array([1, 2])).digest().length,
      randomBytes(16).length, Buf.isBuffer(randomBytes(4)), timingSafeEqual(Buf.from('ab'), Buf.from('ab')), crypto.randomUUID().length, typeof crypto.webcrypto.subtle,
      crypto.randomInt(5, 6), createHash('sha512').update('').digest('hex').slice(0, 16)];
    try { crypto.createCipheriv('aes-128-gcm', Buf.alloc(16), Buf.alloc(12)); out.push('made'); } catch (e) { out.push(e.code === 'ERR_HOST_NO_NODE_API' ? 'host refused' : 'node made it'); }
    return out;
  },
  'stream classes': () => [typeof Stream, Stream.Readable === Readable, Stream.Stream === Stream, ReadableLegacy === Readable,
    new Readable() instanceof Stream, new Writable() instanceof Stream, new Duplex() instanceof Readable, new Transform() instanceof Duplex,
    new PassThrough() instanceof Transform, typeof pipeline, typeof finished, typeof Stream.promises.pipeline, Object.getPrototypeOf(Stream.prototype) === EventEmitter.prototype],
  'stream inherits': () => {
    // the legacy constructor, as jws does: util.inherits(DataStream, Stream)
    function DataStream(data) { Stream.call(this); this.buffer = data; this.readable = true; }
    util.inherits(DataStream, Stream);
    const d = new DataStream('x');
    const got = [];
    d.on('data', (c) => got.push(c));
    d.emit('data', 'chunk');
    return [d instanceof Stream, d instanceof EventEmitter, typeof d.pipe, got, DataStream.super_ === Stream];
  },
  'stream pipeline': async () => {
    const chunks = [];
    const upper = new Transform({ transform(chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()); } });
    const sink = new Writable({ write(chunk, enc, cb) { chunks.push(chunk.toString()); cb(); } });
    await pipelineP(Readable.from(['a', 'b', 'c']), upper, new PassThrough(), sink);
    const r = new Readable({ read() {} });
    r.push('x'); r.push(null);
    const ended = await new Promise((resolve) => finished(r.resume(), (err) => resolve(err ? err.message : 'finished')));
    const failed = await new Promise((resolve) => pipeline(new Readable({ read() { this.destroy(new Error('broken source')); } }), new PassThrough(), (err) => resolve(err && err.message)));
    return [chunks, ended, failed];
  },
  'stream objectMode and backpressure': async () => {
    const seen = [];
    const w = new Writable({ objectMode: true, highWaterMark: 2, write(o, enc, cb) { seen.push(o.n); setTimeout(cb, 0); } });
    const writes = [1, 2, 3].map((n) => w.write({ n }));
    await new Promise((resolve) => w.end(resolve));
    const d = new Duplex({ read() { this.push('pong'); this.push(null); }, write(c, e, cb) { seen.push(c.toString()); cb(); } });
    d.write('ping'); d.end();
    let out = '';
    for await (const c of d) out += c;
    return [seen, writes, out, w.writableFinished];
  },
  'stubs import and throw on use': () => {
    const out = [typeof fs.readFile, typeof createServer];
    try { fs.readFileSync('/etc/passwd'); out.push('read'); } catch (e) { out.push(e.code === 'ERR_HOST_NO_NODE_API' ? 'host refused' : e.code); }
    return out;
  },
};

export async function main() {
  const out = {};
  for (const [name, fn] of Object.entries(cases)) {
    try { out[name] = await fn(); } catch (e) { out[name] = 'threw ' + (e && e.message); }
  }
  return out;
}
