// node:path, the POSIX flavour Node uses on Linux and macOS: pure string
// work, written after Node's documented behaviour.
'use strict';
const check = (name, v) => {
  if (typeof v !== 'string') {
    const err = new TypeError('The "' + name + '" argument must be of type string. Received ' + (v === null ? 'null' : typeof v));
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
};
// normalizeParts resolves . and .. in a /-separated path (no leading /).
const normalizeParts = (p, absolute) => {
  const out = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(seg);
  }
  return out.join('/');
};
const path = {
  sep: '/',
  delimiter: ':',
  cwd: () => '/',
  resolve(...args) {
    let resolved = '';
    let absolute = false;
    for (let i = args.length - 1; i >= -1 && !absolute; i--) {
      const p = i >= 0 ? args[i] : path.cwd();
      check('paths[' + i + ']', p);
      if (p === '') continue;
      resolved = p + '/' + resolved;
      absolute = p[0] === '/';
    }
    const n = normalizeParts(resolved, absolute);
    return absolute ? '/' + n : n || '.';
  },
  normalize(p) {
    check('path', p);
    if (p === '') return '.';
    const absolute = p[0] === '/';
    const trailing = p[p.length - 1] === '/';
    let n = normalizeParts(p, absolute);
    if (n === '' && !absolute) n = '.';
    if (n !== '' && trailing) n += '/';
    return absolute ? '/' + n : n;
  },
  isAbsolute(p) {
    check('path', p);
    return p.length > 0 && p[0] === '/';
  },
  join(...args) {
    if (args.length === 0) return '.';
    args.forEach((a, i) => check('paths[' + i + ']', a));
    const joined = args.filter((a) => a !== '').join('/');
    return joined === '' ? '.' : path.normalize(joined);
  },
  relative(from, to) {
    check('from', from);
    check('to', to);
    if (from === to) return '';
    const f = path.resolve(from).split('/').filter(Boolean);
    const t = path.resolve(to).split('/').filter(Boolean);
    let i = 0;
    while (i < f.length && i < t.length && f[i] === t[i]) i++;
    return [...f.slice(i).map(() => '..'), ...t.slice(i)].join('/');
  },
  toNamespacedPath: (p) => p,
  dirname(p) {
    check('path', p);
    if (p === '') return '.';
    let end = p.length;
    while (end > 1 && p[end - 1] === '/') end--;
    const i = p.lastIndexOf('/', end - 1);
    if (i < 0) return '.';
    if (i === 0) return '/';
    let j = i;
    while (j > 1 && p[j - 1] === '/') j--;
    return p.slice(0, j);
  },
  basename(p, ext) {
    check('path', p);
    if (ext !== undefined) check('suffix', ext);
    let end = p.length;
    while (end > 0 && p[end - 1] === '/') end--;
    if (end === 0) return '';
    let base = p.slice(p.lastIndexOf('/', end - 1) + 1, end);
    if (ext !== undefined && base !== ext && base.endsWith(ext)) base = base.slice(0, base.length - ext.length);
    return base;
  },
  extname(p) {
    check('path', p);
    const base = path.basename(p);
    const i = base.lastIndexOf('.');
    if (i <= 0 || (i === 1 && base === '..')) return '';
    return base.slice(i);
  },
  format(o) {
    if (o === null || typeof o !== 'object') {
      throw new TypeError('The "pathObject" argument must be of type object. Received ' + (o === null ? 'null' : typeof o));
    }
    const dir = o.dir || o.root;
    const base = o.base || ((o.name || '') + (o.ext ? (o.ext[0] === '.' ? '' : '.') + o.ext : ''));
    if (!dir) return base;
    return dir === o.root ? dir + base : dir + '/' + base;
  },
  parse(p) {
    check('path', p);
    const root = p[0] === '/' ? '/' : '';
    if (p === '' || p === '/') return { root, dir: root, base: '', ext: '', name: '' };
    const base = path.basename(p);
    const ext = path.extname(p);
    let dir = path.dirname(p);
    if (dir === '.' && !p.startsWith('.')) dir = '';
    else if (dir === '.' && !p.startsWith('./')) dir = '';
    return { root, dir, base, ext, name: ext ? base.slice(0, base.length - ext.length) : base };
  },
  matchesGlob: undefined,
};
delete path.matchesGlob;
path.posix = path;
module.exports = path;
