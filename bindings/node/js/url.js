// node:url: the WHATWG URL and URLSearchParams (host's web globals),
// fileURLToPath / pathToFileURL, and the legacy parse / format / resolve.
'use strict';
const path = require('path');
const querystring = require('querystring');

function fileURLToPath(u) {
  const url = typeof u === 'string' ? new URL(u) : u;
  if (url.protocol !== 'file:') {
    const err = new TypeError('The URL must be of scheme file');
    err.code = 'ERR_INVALID_URL_SCHEME';
    throw err;
  }
  if (url.hostname !== '') {
    const err = new TypeError('File URL host must be "localhost" or empty on linux');
    err.code = 'ERR_INVALID_FILE_URL_HOST';
    throw err;
  }
  if (/%2f/i.test(url.pathname)) {
    const err = new TypeError('File URL path must not include encoded / characters');
    err.code = 'ERR_INVALID_FILE_URL_PATH';
    throw err;
  }
  return decodeURIComponent(url.pathname);
}
function pathToFileURL(p) {
  let resolved = path.resolve(p);
  if (p.endsWith('/') && !resolved.endsWith('/')) resolved += '/';
  const url = new URL('file://');
  url.pathname = resolved.replace(/%/g, '%25').replace(/\\/g, '%5C').replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/\t/g, '%09');
  return url;
}

function Url() {
  this.protocol = null; this.slashes = null; this.auth = null; this.host = null; this.port = null;
  this.hostname = null; this.hash = null; this.search = null; this.query = null; this.pathname = null;
  this.path = null; this.href = null;
}
const slashed = new Set(['http:', 'https:', 'ftp:', 'gopher:', 'file:', 'ws:', 'wss:']);
// parse splits a URL the legacy way (RFC 3986 appendix B), without
// normalising it as the WHATWG parser does.
function parse(u, parseQuery, slashesDenoteHost) {
  if (u instanceof Url) return u;
  if (typeof u !== 'string') throw new TypeError('The "url" argument must be of type string');
  const out = new Url();
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*:))?(\/\/[^/?#]*)?([^?#]*)(\?[^#]*)?(#.*)?$/.exec(u.trim());
  out.protocol = m[1] ? m[1].toLowerCase() : null;
  let authority = m[2];
  let pathname = m[3];
  if (!authority && slashesDenoteHost && pathname.startsWith('//')) {
    const i = pathname.indexOf('/', 2);
    authority = i < 0 ? pathname : pathname.slice(0, i);
    pathname = i < 0 ? '' : pathname.slice(i);
  }
  if (authority !== undefined) {
    out.slashes = true;
    let host = authority.slice(2);
    const at = host.lastIndexOf('@');
    if (at >= 0) {
      out.auth = decodeURIComponent(host.slice(0, at));
      host = host.slice(at + 1);
    }
    const pm = /:(\d*)$/.exec(host);
    if (pm && !host.endsWith(']')) {
      out.port = pm[1] || null;
      host = host.slice(0, pm.index);
    }
    out.hostname = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    out.host = host.toLowerCase() + (out.port ? ':' + out.port : '');
  }
  if (out.slashes && out.protocol && slashed.has(out.protocol) && pathname === '') pathname = '/';
  out.pathname = pathname || null;
  out.search = m[4] && m[4] !== '?' ? m[4] : m[4] === '?' ? '?' : null;
  const q = m[4] ? m[4].slice(1) : null;
  out.query = parseQuery ? querystring.parse(q || '') : q;
  out.hash = m[5] || null;
  out.path = (out.pathname || '') + (out.search || '') || null;
  out.href = format(out);
  return out;
}
function format(o, options) {
  if (typeof o === 'string') o = parse(o);
  if (o instanceof URL) {
    const opts = { auth: true, fragment: true, search: true, unicode: false, ...options };
    let s = o.protocol + (o.host || o.protocol === 'file:' ? '//' : '');
    if (opts.auth && (o.username || o.password)) s += o.username + (o.password ? ':' + o.password : '') + '@';
    s += o.host + o.pathname;
    if (opts.search) s += o.search;
    if (opts.fragment) s += o.hash;
    return s;
  }
  let auth = o.auth ? encodeURIComponent(o.auth).replace(/%3A/i, ':') + '@' : '';
  let protocol = o.protocol || '';
  if (protocol && !protocol.endsWith(':')) protocol += ':';
  let host = '';
  if (o.host) host = auth + o.host;
  else if (o.hostname) host = auth + (o.hostname.includes(':') ? '[' + o.hostname + ']' : o.hostname) + (o.port ? ':' + o.port : '');
  let pathname = o.pathname || '';
  let search = o.search || '';
  if (!search && o.query && typeof o.query === 'object') {
    const q = querystring.stringify(o.query);
    if (q) search = '?' + q;
  }
  if (search && search[0] !== '?') search = '?' + search;
  let hash = o.hash || '';
  if (hash && hash[0] !== '#') hash = '#' + hash;
  if (o.slashes || (protocol && slashed.has(protocol) && host !== '')) {
    host = '//' + host;
    if (pathname && pathname[0] !== '/') pathname = '/' + pathname;
  }
  pathname = pathname.replace(/[?#]/g, encodeURIComponent);
  search = search.replace(/#/g, '%23');
  return protocol + host + pathname + search + hash;
}
function resolve(from, to) {
  const r = new URL(to, new URL(from, 'resolve://'));
  if (r.protocol === 'resolve:') {
    const { pathname, search, hash } = r;
    return pathname + search + hash;
  }
  return r.toString();
}
module.exports = {
  get URL() { return globalThis.URL; },
  get URLSearchParams() { return globalThis.URLSearchParams; },
  fileURLToPath,
  pathToFileURL,
  parse,
  format,
  resolve,
  resolveObject: (from, to) => parse(resolve(from, to)),
  domainToASCII: (d) => { try { return new URL('http://' + d).hostname; } catch { return ''; } },
  domainToUnicode: (d) => d,
  urlToHttpOptions: (u) => ({
    protocol: u.protocol, hostname: u.hostname.replace(/^\[(.*)\]$/, '$1'), hash: u.hash, search: u.search,
    pathname: u.pathname, path: u.pathname + u.search, href: u.href,
    ...(u.port !== '' ? { port: Number(u.port) } : {}),
    ...(u.username || u.password ? { auth: decodeURIComponent(u.username) + ':' + decodeURIComponent(u.password) } : {}),
  }),
  Url,
};
