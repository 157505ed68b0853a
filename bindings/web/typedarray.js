// The one fix to goja's builtins the web APIs rely on; it runs in every
// runtime (bindings/web's Install). Evaluates to function(globalThis).
(function (g) {
  'use strict';
  // goja's %TypedArray%.from rejects a string source ("Value is not an
  // object"), which breaks the common idiom
  // Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)). Box the string as
  // the standard's ToObject does.
  const TypedArray = Object.getPrototypeOf(g.Uint8Array);
  const typedArrayFrom = TypedArray.from;
  try {
    typedArrayFrom.call(g.Uint8Array, 'a');
  } catch {
    Object.defineProperty(TypedArray, 'from', {
      value: {
        from(source, mapFn = undefined, thisArg = undefined) {
          return typedArrayFrom.call(this, typeof source === 'string' ? Object(source) : source, mapFn, thisArg);
        },
      }.from,
      writable: true, configurable: true,
    });
  }
})
