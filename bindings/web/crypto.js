// The global crypto as the Web Crypto API defines it, for what plugins that
// sign requests use: getRandomValues, randomUUID, and crypto.subtle's digest
// (SHA-1/256/384/512) and HMAC importKey('raw')/sign/verify. Everything else
// rejects with a NotSupportedError that says what the host has. The work is
// Go (native.*); this file checks arguments the way browsers do.
(function (g, native) {
  'use strict';
  const DOMException = native.DOMException;
  const INTERNAL = Symbol('internal');
  const AVAILABLE = 'available: digest, importKey (HMAC), sign, verify';
  const HASHES = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
  const INTEGER_ARRAYS = Object.assign(Object.create(null), {
    Int8Array: true, Uint8Array: true, Uint8ClampedArray: true, Int16Array: true, Uint16Array: true,
    Int32Array: true, Uint32Array: true, BigInt64Array: true, BigUint64Array: true,
  });

  const dom = (message, name) => new DOMException(message, name);

  function isBufferSource(v) {
    return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
  }

  function bufferSource(method, v, what) {
    if (!isBufferSource(v)) {
      throw new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': ${what} is not of type '(ArrayBuffer or ArrayBufferView)'.`);
    }
    return v;
  }

  // CANONICAL maps upper-cased algorithm names to their registered spelling.
  const CANONICAL = Object.assign(Object.create(null), {
    'SHA-1': 'SHA-1', 'SHA-256': 'SHA-256', 'SHA-384': 'SHA-384', 'SHA-512': 'SHA-512', HMAC: 'HMAC',
  });

  // algorithmName normalizes an AlgorithmIdentifier (a string or { name })
  // to its registered spelling, or returns the given name unchanged. It is
  // on the signing hot path: no iteration.
  function algorithmName(method, alg) {
    let name;
    if (typeof alg === 'string') {
      name = alg;
    } else if (alg !== null && typeof alg === 'object') {
      if (alg.name === undefined) {
        throw new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': Algorithm: name: Missing or not a string`);
      }
      name = String(alg.name);
    } else {
      throw new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': Algorithm: Not an object`);
    }
    const canonical = CANONICAL[name] || CANONICAL[name.toUpperCase()];
    return canonical === undefined ? name : canonical;
  }

  function hashName(method, alg) {
    const name = algorithmName(method, alg);
    if (!HASHES.includes(name)) {
      throw dom(`crypto.subtle.${method}: hash '${name}' is not supported by host; available: ${HASHES.join(', ')}`, 'NotSupportedError');
    }
    return name;
  }

  let keyState, cloneKey; // set by CryptoKey's static block

  // A CryptoKey's internal slots live in #state; the algorithm and usages
  // objects its getters return are copies, so changing them changes nothing.
  class CryptoKey {
    #state;
    #algorithm;
    #usages;

    constructor(key, h, extractable, algorithm, usages) {
      if (key !== INTERNAL) throw new TypeError('Illegal constructor');
      this.#state = {
        h, extractable,
        algorithm: { name: algorithm.name, hash: { name: algorithm.hash.name }, length: algorithm.length },
        usages: usages.slice(),
      };
      this.#algorithm = algorithm;
      this.#usages = usages;
    }

    static {
      keyState = (k, op) => {
        if (!(k instanceof CryptoKey)) {
          throw new TypeError(`Failed to execute '${op}' on 'SubtleCrypto': parameter 2 is not of type 'CryptoKey'.`);
        }
        return k.#state;
      };
      cloneKey = (k) => {
        const s = k.#state;
        const alg = { name: s.algorithm.name, hash: { name: s.algorithm.hash.name }, length: s.algorithm.length };
        return new CryptoKey(INTERNAL, s.h, s.extractable, alg, s.usages.slice());
      };
    }

    get type() { return 'secret'; }
    get extractable() { return this.#state.extractable; }
    get algorithm() { return this.#algorithm; }
    get usages() { return this.#usages; }
  }
  Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: 'CryptoKey', configurable: true });

  // checkKey is the common check of sign and verify: an HMAC key that
  // allows the operation.
  function checkKey(op, alg, key) {
    const name = algorithmName(op, alg);
    if (name !== 'HMAC') {
      throw dom(`crypto.subtle.${op}: algorithm '${name}' is not supported by host; available: HMAC`, 'NotSupportedError');
    }
    const k = keyState(key, op);
    if (k.algorithm.name !== name) {
      throw dom(`crypto.subtle.${op}: the key is for ${k.algorithm.name}, not ${name}`, 'InvalidAccessError');
    }
    if (!k.usages.includes(op)) {
      throw dom(`crypto.subtle.${op}: key.usages does not permit this operation (the key allows: ${k.usages.join(', ')})`, 'InvalidAccessError');
    }
    return k.h;
  }

  class SubtleCrypto {
    constructor(key) {
      if (key !== INTERNAL) throw new TypeError('Illegal constructor');
    }

    digest(algorithm, data) {
      try {
        const name = algorithmName('digest', algorithm);
        if (!HASHES.includes(name)) {
          throw dom(`crypto.subtle.digest: algorithm '${name}' is not supported by host; available: ${HASHES.join(', ')}`, 'NotSupportedError');
        }
        return Promise.resolve(native.digest(name, bufferSource('digest', data, 'parameter 2')));
      } catch (e) {
        return Promise.reject(e);
      }
    }

    async importKey(format, keyData, algorithm, extractable, keyUsages) {
      format = String(format);
      if (format !== 'raw') {
        if (['jwk', 'pkcs8', 'spki', 'raw-secret', 'raw-public', 'raw-private', 'raw-seed'].includes(format)) {
          throw dom(`crypto.subtle.importKey: format '${format}' is not supported by host; available: 'raw' (HMAC)`, 'NotSupportedError');
        }
        throw new TypeError(`Failed to execute 'importKey' on 'SubtleCrypto': The provided value '${format}' is not a valid enum value of type KeyFormat.`);
      }
      const name = algorithmName('importKey', algorithm);
      if (name !== 'HMAC') {
        throw dom(`crypto.subtle.importKey: algorithm '${name}' is not supported by host; available: HMAC`, 'NotSupportedError');
      }
      if (typeof algorithm !== 'object' || algorithm.hash === undefined) {
        throw new TypeError("Failed to execute 'importKey' on 'SubtleCrypto': HmacImportParams: hash: Missing required member");
      }
      const hash = hashName('importKey', algorithm.hash);
      bufferSource('importKey', keyData, 'parameter 2');
      if (keyUsages === null || typeof keyUsages !== 'object' || typeof keyUsages[Symbol.iterator] !== 'function') {
        throw new TypeError("Failed to execute 'importKey' on 'SubtleCrypto': parameter 5 is not iterable.");
      }
      const usages = [];
      for (const u of keyUsages) {
        const s = String(u);
        if (s !== 'sign' && s !== 'verify') {
          throw dom(`crypto.subtle.importKey: cannot create an HMAC key with usage '${s}' (allowed: sign, verify)`, 'SyntaxError');
        }
        if (!usages.includes(s)) usages.push(s);
      }
      if (usages.length === 0) {
        throw dom('crypto.subtle.importKey: usages must not be empty for a secret key', 'SyntaxError');
      }
      const h = native.hmacImport(hash, keyData);
      const bits = native.hmacBits(h);
      if (bits === 0) throw dom('crypto.subtle.importKey: HMAC key data must not be empty', 'DataError');
      if (algorithm.length !== undefined) {
        const length = Number(algorithm.length);
        if (length > bits || length <= bits - 8) {
          throw dom(`crypto.subtle.importKey: length ${length} does not match the key data (${bits} bits)`, 'DataError');
        }
        if (length !== bits) {
          throw dom('crypto.subtle.importKey: an HMAC length that is not a multiple of 8 is not supported by host', 'NotSupportedError');
        }
      }
      return new CryptoKey(INTERNAL, h, !!extractable, { name: 'HMAC', hash: { name: hash }, length: bits }, usages);
    }

    // sign and verify are the hot path of request signing: plain functions
    // returning a settled promise cost less than async ones.
    sign(algorithm, key, data) {
      try {
        const h = checkKey('sign', algorithm, key);
        return Promise.resolve(native.hmacSign(h, bufferSource('sign', data, 'parameter 3')));
      } catch (e) {
        return Promise.reject(e);
      }
    }

    verify(algorithm, key, signature, data) {
      try {
        const h = checkKey('verify', algorithm, key);
        bufferSource('verify', signature, 'parameter 3');
        return Promise.resolve(native.hmacVerify(h, signature, bufferSource('verify', data, 'parameter 4')));
      } catch (e) {
        return Promise.reject(e);
      }
    }
  }
  for (const m of ['encrypt', 'decrypt', 'generateKey', 'deriveKey', 'deriveBits', 'exportKey', 'wrapKey', 'unwrapKey']) {
    Object.defineProperty(SubtleCrypto.prototype, m, {
      value: {
        async [m]() {
          throw dom(`crypto.subtle.${m} is not supported by host; ${AVAILABLE}`, 'NotSupportedError');
        },
      }[m],
      writable: true, configurable: true,
    });
  }
  Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { value: 'SubtleCrypto', configurable: true });

  const subtle = new SubtleCrypto(INTERNAL);

  class Crypto {
    constructor(key) {
      if (key !== INTERNAL) throw new TypeError('Illegal constructor');
    }

    get subtle() { return subtle; }

    getRandomValues(array) {
      // %TypedArray%.prototype[@@toStringTag] names a typed array's type.
      if (!ArrayBuffer.isView(array) || INTEGER_ARRAYS[array[Symbol.toStringTag]] !== true) {
        throw dom("Failed to execute 'getRandomValues' on 'Crypto': The provided ArrayBufferView is not an integer-type array.", 'TypeMismatchError');
      }
      if (array.byteLength > 65536) {
        throw dom(`Failed to execute 'getRandomValues' on 'Crypto': The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536).`, 'QuotaExceededError');
      }
      native.fillRandom(array);
      return array;
    }

    randomUUID() {
      return native.randomUUID();
    }
  }
  Object.defineProperty(Crypto.prototype, Symbol.toStringTag, { value: 'Crypto', configurable: true });

  for (const [name, value] of [['Crypto', Crypto], ['SubtleCrypto', SubtleCrypto], ['CryptoKey', CryptoKey]]) {
    Object.defineProperty(g, name, { value, writable: true, configurable: true });
  }
  Object.defineProperty(g, 'crypto', { value: new Crypto(INTERNAL), writable: true, enumerable: true, configurable: true });
  native.cloneCryptoKey = (k) => (k instanceof CryptoKey ? cloneKey(k) : undefined);
})
