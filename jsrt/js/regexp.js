// RegExp for goja, defined the first time a plugin reads the global
// RegExp (jsrt/engine.go). Evaluates to function(globalThis, RegExp),
// given goja's own RegExp.
(function (g, NativeRegExp) {
  'use strict';
  // Unicode property escapes (\p{L}) with the u flag: goja's fast regexp
  // path reads \p as p, its regexp2 path gets them right. An empty lookahead
  // in front sends such a pattern to regexp2 (esbuild turns literals with
  // them into new RegExp calls, so every one comes through here).
  const property = /(^|[^\\])(\\\\)*\\[pP]\{/;
  // regexp2 names scripts and categories bare: \p{Greek}, not \p{sc=Greek}.
  const names = /\\([pP])\{(?:Script|sc|Script_Extensions|scx|General_Category|gc)=([A-Za-z_]+)\}/g;
  const route = (pattern, flags) => {
    if (pattern instanceof NativeRegExp) {
      if (flags === undefined) return [pattern];
      pattern = pattern.source;
    }
    if (typeof pattern === 'string' && typeof flags === 'string' && /[uv]/.test(flags) && property.test(pattern) && !pattern.startsWith('(?=)')) {
      return ['(?=)' + pattern.replace(names, '\\$1{$2}'), flags];
    }
    return flags === undefined ? [pattern] : [pattern, flags];
  };
  const HostRegExp = function RegExp(pattern, flags) {
    if (new.target === undefined) return NativeRegExp(...route(pattern, flags));
    return Reflect.construct(NativeRegExp, route(pattern, flags), new.target === HostRegExp ? NativeRegExp : new.target);
  };
  Object.setPrototypeOf(HostRegExp, NativeRegExp);
  Object.defineProperty(HostRegExp, 'prototype', { value: NativeRegExp.prototype, writable: false });
  Object.defineProperty(NativeRegExp.prototype, 'constructor', { value: HostRegExp, writable: true, configurable: true });
  Object.defineProperty(g, 'RegExp', { value: HostRegExp, writable: true, configurable: true, enumerable: false });
})
