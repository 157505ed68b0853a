// structuredClone (bindings/clone), as TypeScript's DOM lib declares it.

interface StructuredSerializeOptions {
  /** ArrayBuffers to move into the clone; the originals are detached. */
  transfer?: any[];
}
/** A deep copy: plain objects, arrays, Date, RegExp, Map, Set, ArrayBuffer and views, errors and CryptoKey, with cycles kept. Functions, symbols and platform objects throw DataCloneError. */
declare function structuredClone<T = any>(value: T, options?: StructuredSerializeOptions): T;
