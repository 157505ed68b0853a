// The global crypto as the Web Crypto API defines it: getRandomValues,
// randomUUID, and crypto.subtle with digest (SHA-1/256/384/512), HMAC,
// RSASSA-PKCS1-v1_5, RSA-PSS, RSA-OAEP, ECDSA and ECDH (P-256, P-384),
// Ed25519, AES-GCM, HKDF and PBKDF2: importKey/exportKey (raw, spki, pkcs8,
// jwk), generateKey, sign/verify, encrypt/decrypt, deriveBits/deriveKey,
// wrapKey/unwrapKey. Anything else rejects with a NotSupportedError that
// says what the host has. The work is Go (native.*: crypto.go, subtle.go);
// this file checks arguments, usages and key types the way the standard
// and browsers do.
(function (g, native) {
  'use strict';
  const DOMException = native.DOMException;
  const INTERNAL = Symbol('internal');
  const HASHES = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
  const CURVES = ['P-256', 'P-384'];
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

  // USAGES: the algorithms keys exist for, and the usages each type of key
  // may have.
  const SIGN = { public: ['verify'], private: ['sign'] };
  const USAGES = {
    HMAC: { secret: ['sign', 'verify'] },
    'RSASSA-PKCS1-v1_5': SIGN,
    'RSA-PSS': SIGN,
    ECDSA: SIGN,
    Ed25519: SIGN,
    'RSA-OAEP': { public: ['encrypt', 'wrapKey'], private: ['decrypt', 'unwrapKey'] },
    ECDH: { public: [], private: ['deriveKey', 'deriveBits'] },
    'AES-GCM': { secret: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] },
    HKDF: { secret: ['deriveKey', 'deriveBits'] },
    PBKDF2: { secret: ['deriveKey', 'deriveBits'] },
  };
  const RSA = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP'];
  const EC = ['ECDSA', 'ECDH'];

  // CANONICAL maps upper-cased algorithm names to their registered spelling.
  const CANONICAL = Object.create(null);
  for (const n of [...HASHES, ...Object.keys(USAGES)]) CANONICAL[n.toUpperCase()] = n;

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

  function supported(method, name, list) {
    if (!list.includes(name)) {
      throw dom(`crypto.subtle.${method}: algorithm '${name}' is not supported by host; available: ${list.join(', ')}`, 'NotSupportedError');
    }
    return name;
  }

  // member reads a required member of an algorithm's parameters.
  function member(method, alg, key, dict) {
    const v = typeof alg === 'object' && alg !== null ? alg[key] : undefined;
    if (v === undefined) {
      throw new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': ${dict}: ${key}: Missing required member`);
    }
    return v;
  }

  function hashName(method, alg) {
    const name = algorithmName(method, alg);
    if (!HASHES.includes(name)) {
      throw dom(`crypto.subtle.${method}: hash '${name}' is not supported by host; available: ${HASHES.join(', ')}`, 'NotSupportedError');
    }
    return name;
  }

  function curveName(method, alg, dict) {
    const c = String(member(method, alg, 'namedCurve', dict));
    if (!CURVES.includes(c)) {
      throw dom(`crypto.subtle.${method}: curve '${c}' is not supported by host; available: ${CURVES.join(', ')}`, 'NotSupportedError');
    }
    return c;
  }

  function usageList(method, keyUsages) {
    if (keyUsages === null || typeof keyUsages !== 'object' || typeof keyUsages[Symbol.iterator] !== 'function') {
      throw new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': keyUsages is not iterable.`);
    }
    const out = [];
    for (const u of keyUsages) {
      const s = String(u);
      if (!['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits', 'wrapKey', 'unwrapKey'].includes(s)) {
        throw new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': The provided value '${s}' is not a valid enum value of type KeyUsage.`);
      }
      if (!out.includes(s)) out.push(s);
    }
    return out;
  }

  // checkUsages: every usage must suit the key's algorithm and type; a
  // secret or private key needs at least one.
  function checkUsages(method, name, type, usages) {
    const allowed = USAGES[name][type];
    for (const u of usages) {
      if (!allowed.includes(u)) {
        throw dom(`crypto.subtle.${method}: cannot create a ${name} ${type} key with usage '${u}' (allowed: ${allowed.join(', ') || 'none'})`, 'SyntaxError');
      }
    }
    if (usages.length === 0 && type !== 'public') {
      throw dom(`crypto.subtle.${method}: usages must not be empty for a ${type} key`, 'SyntaxError');
    }
  }

  let keyState, cloneKey; // set by CryptoKey's static block

  function copyAlgorithm(a) {
    const c = { ...a };
    if (a.hash !== undefined) c.hash = { name: a.hash.name };
    if (a.publicExponent !== undefined) c.publicExponent = new Uint8Array(a.publicExponent);
    return c;
  }

  // A CryptoKey's internal slots live in #state; the algorithm and usages
  // objects its getters return are copies, so changing them changes nothing.
  class CryptoKey {
    #state;
    #algorithm;
    #usages;

    constructor(key, h, type, extractable, algorithm, usages) {
      if (key !== INTERNAL) throw new TypeError('Illegal constructor');
      this.#state = { h, type, extractable, algorithm: copyAlgorithm(algorithm), usages: usages.slice() };
      this.#algorithm = algorithm;
      this.#usages = usages;
    }

    static {
      keyState = (k, op, what = 'parameter 2') => {
        if (!(k instanceof CryptoKey)) {
          throw new TypeError(`Failed to execute '${op}' on 'SubtleCrypto': ${what} is not of type 'CryptoKey'.`);
        }
        return k.#state;
      };
      cloneKey = (k) => {
        const s = k.#state;
        return new CryptoKey(INTERNAL, s.h, s.type, s.extractable, copyAlgorithm(s.algorithm), s.usages.slice());
      };
    }

    get type() { return this.#state.type; }
    get extractable() { return this.#state.extractable; }
    get algorithm() { return this.#algorithm; }
    get usages() { return this.#usages; }
  }
  Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: 'CryptoKey', configurable: true });

  const newKey = (h, type, extractable, algorithm, usages) => new CryptoKey(INTERNAL, h, type, extractable, algorithm, usages);

  // checkKey: the key is for algorithm name and allows op.
  function checkKey(op, name, key, what) {
    const k = keyState(key, op, what);
    if (k.algorithm.name !== name) {
      throw dom(`crypto.subtle.${op}: the key is for ${k.algorithm.name}, not ${name}`, 'InvalidAccessError');
    }
    if (!k.usages.includes(op)) {
      throw dom(`crypto.subtle.${op}: key.usages does not permit this operation (the key allows: ${k.usages.join(', ') || 'nothing'})`, 'InvalidAccessError');
    }
    return k;
  }

  // Base64url, for JWK members.
  const b64url = (bytes) => {
    let s = '';
    for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  const fromB64url = (s, what) => {
    if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) throw dom(`crypto.subtle.importKey: the JWK's ${what} is not base64url`, 'DataError');
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  };

  // jwkAlg is the JWK "alg" a key of this algorithm has (undefined: none).
  function jwkAlg(a) {
    const bits = a.hash !== undefined ? a.hash.name.slice(4) : '';
    switch (a.name) {
      case 'HMAC': return 'HS' + bits;
      case 'RSASSA-PKCS1-v1_5': return 'RS' + bits;
      case 'RSA-PSS': return 'PS' + bits;
      case 'RSA-OAEP': return bits === '1' ? 'RSA-OAEP' : 'RSA-OAEP-' + bits;
      case 'ECDSA': return a.namedCurve === 'P-256' ? 'ES256' : 'ES384';
      case 'Ed25519': return 'Ed25519';
      case 'AES-GCM': return `A${a.length}GCM`;
    }
    return undefined;
  }

  // checkJWK applies the JWK's own constraints (ext, key_ops, use) before
  // its material is read.
  function checkJWK(jwk, name, extractable, usages) {
    if (jwk === null || typeof jwk !== 'object' || isBufferSource(jwk)) {
      throw new TypeError("Failed to execute 'importKey' on 'SubtleCrypto': a 'jwk' key must be a JsonWebKey object.");
    }
    if (typeof jwk.kty !== 'string') throw dom("crypto.subtle.importKey: the JWK has no 'kty'", 'DataError');
    if (jwk.ext === false && extractable) {
      throw dom('crypto.subtle.importKey: the JWK is not extractable (ext: false) but extractable was requested', 'DataError');
    }
    if (jwk.key_ops !== undefined) {
      if (!Array.isArray(jwk.key_ops)) throw dom("crypto.subtle.importKey: the JWK's key_ops is not an array", 'DataError');
      for (const u of usages) {
        if (!jwk.key_ops.includes(u)) throw dom(`crypto.subtle.importKey: the JWK's key_ops does not allow '${u}'`, 'DataError');
      }
    }
    if (jwk.use !== undefined && usages.length > 0) {
      const want = USAGES[name] === SIGN || name === 'HMAC' ? 'sig' : 'enc';
      if (jwk.use !== want) throw dom(`crypto.subtle.importKey: the JWK's use is '${jwk.use}', not '${want}'`, 'DataError');
    }
  }

  // importAny is importKey after the promise wrapper; deriveKey and
  // unwrapKey use it too.
  function importAny(format, keyData, algorithm, extractable, keyUsages) {
    format = String(format);
    if (!['raw', 'spki', 'pkcs8', 'jwk'].includes(format)) {
      throw new TypeError(`Failed to execute 'importKey' on 'SubtleCrypto': The provided value '${format}' is not a valid enum value of type KeyFormat.`);
    }
    const name = supported('importKey', algorithmName('importKey', algorithm), Object.keys(USAGES));
    const usages = usageList('importKey', keyUsages);
    extractable = !!extractable;
    if (format === 'jwk') checkJWK(keyData, name, extractable, usages);
    else bufferSource('importKey', keyData, 'keyData');
    let alg = { name };
    if (name === 'HMAC' || RSA.includes(name)) {
      alg.hash = { name: hashName('importKey', member('importKey', algorithm, 'hash', name === 'HMAC' ? 'HmacImportParams' : 'RsaHashedImportParams')) };
    }
    if (EC.includes(name)) alg.namedCurve = curveName('importKey', algorithm, 'EcKeyImportParams');
    if ((name === 'HKDF' || name === 'PBKDF2') && (format !== 'raw' || extractable)) {
      throw dom(`crypto.subtle.importKey: ${name} keys are imported as 'raw' and not extractable`, format !== 'raw' ? 'NotSupportedError' : 'SyntaxError');
    }
    let h, type;
    if (name === 'HMAC') {
      if (format !== 'raw' && format !== 'jwk') {
        throw dom(`crypto.subtle.importKey: format '${format}' is not for HMAC keys; use 'raw' or 'jwk'`, 'NotSupportedError');
      }
      if (format === 'jwk' && keyData.kty !== 'oct') throw dom(`crypto.subtle.importKey: an HMAC key needs a JWK with kty "oct", not "${keyData.kty}"`, 'DataError');
      h = native.hmacImport(alg.hash.name, format === 'jwk' ? fromB64url(keyData.k, "'k'") : keyData);
      type = 'secret';
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
      alg.length = bits;
    } else {
      let info;
      [h, type, info] = native.keyImport(name, format, format === 'jwk' ? JSON.stringify(keyData) : keyData, alg.namedCurve ?? '');
      if (RSA.includes(name)) alg = { name, modulusLength: info.modulusLength, publicExponent: new Uint8Array(info.publicExponent), hash: alg.hash };
      if (name === 'AES-GCM') alg.length = info.length;
    }
    if (format === 'jwk' && keyData.alg !== undefined && jwkAlg(alg) !== undefined) {
      const want = jwkAlg(alg);
      if (keyData.alg !== want && !(name === 'Ed25519' && keyData.alg === 'EdDSA')) {
        throw dom(`crypto.subtle.importKey: the JWK's alg is '${keyData.alg}', not '${want}'`, 'DataError');
      }
    }
    checkUsages('importKey', name, type, usages);
    return newKey(h, type, extractable, alg, usages);
  }

  function exportAny(format, key) {
    format = String(format);
    if (!['raw', 'spki', 'pkcs8', 'jwk'].includes(format)) {
      throw new TypeError(`Failed to execute 'exportKey' on 'SubtleCrypto': The provided value '${format}' is not a valid enum value of type KeyFormat.`);
    }
    const k = keyState(key, 'exportKey');
    if (!k.extractable) throw dom('crypto.subtle.exportKey: the key is not extractable', 'InvalidAccessError');
    if (k.algorithm.name === 'HMAC' && format !== 'raw' && format !== 'jwk') {
      throw dom(`crypto.subtle.exportKey: an HMAC key cannot be exported as '${format}'`, 'InvalidAccessError');
    }
    const out = native.keyExport(k.h, format);
    if (format !== 'jwk') return out;
    const jwk = JSON.parse(out);
    const alg = jwkAlg(k.algorithm);
    if (alg !== undefined) jwk.alg = alg;
    jwk.key_ops = k.usages.slice();
    jwk.ext = k.extractable;
    return jwk;
  }

  // signParams: the hash and salt length a signature uses.
  function signParams(op, name, algorithm, k) {
    switch (name) {
      case 'ECDSA': return [hashName(op, member(op, algorithm, 'hash', 'EcdsaParams')), 0];
      case 'RSA-PSS': {
        const salt = Number(member(op, algorithm, 'saltLength', 'RsaPssParams'));
        if (!Number.isInteger(salt) || salt < 0) throw new TypeError(`Failed to execute '${op}' on 'SubtleCrypto': RsaPssParams: saltLength: not a non-negative integer`);
        return [k.algorithm.hash.name, salt];
      }
      case 'RSASSA-PKCS1-v1_5': return [k.algorithm.hash.name, 0];
    }
    return ['', 0];
  }

  const SIGNERS = ['HMAC', 'RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA', 'Ed25519'];
  const CIPHERS = ['AES-GCM', 'RSA-OAEP'];
  const DERIVERS = ['ECDH', 'HKDF', 'PBKDF2'];
  const GCM_TAGS = [32, 64, 96, 104, 112, 120, 128];

  function crypt(op, algorithm, key, data, usage = op) {
    const name = supported(op, algorithmName(op, algorithm), CIPHERS);
    const k = checkKey(usage, name, key);
    bufferSource(op, data, 'data');
    if (name === 'RSA-OAEP') {
      if (k.type !== (op === 'encrypt' ? 'public' : 'private')) throw dom(`crypto.subtle.${op}: RSA-OAEP ${op}s with the ${op === 'encrypt' ? 'public' : 'private'} key`, 'InvalidAccessError');
      const label = algorithm.label === undefined ? null : bufferSource(op, algorithm.label, 'RsaOaepParams: label');
      return native.rsaOAEP(k.h, op === 'encrypt', k.algorithm.hash.name, label, data);
    }
    const iv = bufferSource(op, member(op, algorithm, 'iv', 'AesGcmParams'), 'AesGcmParams: iv');
    const aad = algorithm.additionalData === undefined ? null : bufferSource(op, algorithm.additionalData, 'AesGcmParams: additionalData');
    const tag = algorithm.tagLength === undefined ? 128 : Number(algorithm.tagLength);
    if (!GCM_TAGS.includes(tag)) throw dom(`crypto.subtle.${op}: tagLength ${tag} is not one of ${GCM_TAGS.join(', ')}`, 'OperationError');
    return native.aesGCM(k.h, op === 'encrypt', iv, aad, tag, data);
  }

  // derive is deriveBits without the usage check (deriveKey checks its own).
  function derive(op, algorithm, baseKey, length, usage) {
    const name = supported(op, algorithmName(op, algorithm), DERIVERS);
    const k = checkKey(usage, name, baseKey);
    if (name === 'ECDH') {
      const pub = keyState(member(op, algorithm, 'public', 'EcdhKeyDeriveParams'), op, 'EcdhKeyDeriveParams: public');
      if (pub.type !== 'public' || pub.algorithm.name !== 'ECDH' || pub.algorithm.namedCurve !== k.algorithm.namedCurve) {
        throw dom(`crypto.subtle.${op}: public must be an ECDH public key on ${k.algorithm.namedCurve}`, 'InvalidAccessError');
      }
      const bits = length === null || length === undefined ? -1 : Number(length);
      return native.keyDerive(k.h, '', null, null, 0, pub.h, bits);
    }
    const dict = name === 'HKDF' ? 'HkdfParams' : 'Pbkdf2Params';
    const hash = hashName(op, member(op, algorithm, 'hash', dict));
    const salt = bufferSource(op, member(op, algorithm, 'salt', dict), dict + ': salt');
    if (length === null || length === undefined || Number(length) % 8 !== 0) {
      throw dom(`crypto.subtle.${op}: ${name} needs a length that is a multiple of 8`, 'OperationError');
    }
    if (Number(length) > MAX_DERIVED_BITS || Number(length) < 0) {
      throw dom(`crypto.subtle.${op}: host derives at most ${MAX_DERIVED_BITS} bits, not ${length}`, 'OperationError');
    }
    if (name === 'HKDF') {
      const info = bufferSource(op, member(op, algorithm, 'info', dict), dict + ': info');
      return native.keyDerive(k.h, hash, salt, info, 0, null, Number(length));
    }
    const iterations = Number(member(op, algorithm, 'iterations', dict));
    if (!(iterations > 0)) throw dom(`crypto.subtle.${op}: PBKDF2 iterations must be more than 0`, 'OperationError');
    // Go's PBKDF2 cannot be stopped: bound the work a plugin can start.
    if (iterations > MAX_ITERATIONS) {
      throw dom(`crypto.subtle.${op}: host runs PBKDF2 with at most ${MAX_ITERATIONS} iterations, not ${iterations}`, 'NotSupportedError');
    }
    return native.keyDerive(k.h, hash, salt, null, iterations, null, Number(length));
  }

  const MAX_ITERATIONS = 10000000;
  const MAX_DERIVED_BITS = 65536;
  const BLOCK_BITS = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };

  // keyLength is the length in bits of a key of derivedKeyType (deriveKey).
  function keyLength(op, type) {
    const name = supported(op, algorithmName(op, type), ['AES-GCM', 'HMAC']);
    if (name === 'AES-GCM') {
      const len = Number(member(op, type, 'length', 'AesDerivedKeyParams'));
      if (![128, 192, 256].includes(len)) throw dom(`crypto.subtle.${op}: an AES key is 128, 192 or 256 bits, not ${len}`, 'OperationError');
      return len;
    }
    if (type.length !== undefined) return Number(type.length);
    return BLOCK_BITS[hashName(op, member(op, type, 'hash', 'HmacImportParams'))];
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
      return importAny(format, keyData, algorithm, extractable, keyUsages);
    }

    async exportKey(format, key) {
      return exportAny(format, key);
    }

    async generateKey(algorithm, extractable, keyUsages) {
      const name = supported('generateKey', algorithmName('generateKey', algorithm),
        ['HMAC', 'AES-GCM', 'RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP', 'ECDSA', 'ECDH', 'Ed25519']);
      const usages = usageList('generateKey', keyUsages);
      if (name === 'HMAC' || name === 'AES-GCM') {
        const bits = keyLength('generateKey', algorithm);
        if (bits % 8 !== 0 || bits <= 0) throw dom('crypto.subtle.generateKey: the key length must be a positive multiple of 8', 'OperationError');
        const raw = crypto.getRandomValues(new Uint8Array(bits / 8));
        const params = name === 'HMAC' ? { name, hash: algorithm.hash } : { name };
        return importAny('raw', raw, params, extractable, usages);
      }
      const alg = { name };
      let modulusLength = 0;
      if (RSA.includes(name)) {
        modulusLength = Number(member('generateKey', algorithm, 'modulusLength', 'RsaHashedKeyGenParams'));
        const e = member('generateKey', algorithm, 'publicExponent', 'RsaHashedKeyGenParams');
        if (!(e instanceof Uint8Array)) throw new TypeError("Failed to execute 'generateKey' on 'SubtleCrypto': RsaHashedKeyGenParams: publicExponent is not a Uint8Array");
        const hex = Array.from(e, (b) => b.toString(16).padStart(2, '0')).join('').replace(/^0+/, '');
        if (hex !== '10001') throw dom('crypto.subtle.generateKey: host generates RSA keys with the public exponent 65537 only ([1, 0, 1])', 'NotSupportedError');
        // Larger keys take Go minutes to generate, past any call timeout.
        if (!Number.isInteger(modulusLength) || modulusLength < 2048 || modulusLength > 4096 || modulusLength % 8 !== 0) {
          throw dom(`crypto.subtle.generateKey: modulusLength ${modulusLength} is not supported by host (2048 to 4096, a multiple of 8)`, 'OperationError');
        }
        alg.hash = { name: hashName('generateKey', member('generateKey', algorithm, 'hash', 'RsaHashedKeyGenParams')) };
      }
      if (EC.includes(name)) alg.namedCurve = curveName('generateKey', algorithm, 'EcKeyGenParams');
      const allowed = USAGES[name];
      for (const u of usages) {
        if (!allowed.public.includes(u) && !allowed.private.includes(u)) {
          throw dom(`crypto.subtle.generateKey: cannot create a ${name} key with usage '${u}' (allowed: ${[...allowed.public, ...allowed.private].join(', ')})`, 'SyntaxError');
        }
      }
      const privUsages = usages.filter((u) => allowed.private.includes(u));
      if (privUsages.length === 0) throw dom('crypto.subtle.generateKey: usages must include one for the private key', 'SyntaxError');
      const [pub, priv, info] = await native.keyGenerate(name, alg.namedCurve ?? '', modulusLength);
      if (RSA.includes(name)) {
        alg.modulusLength = modulusLength;
        alg.publicExponent = new Uint8Array(info.publicExponent);
      }
      return {
        publicKey: newKey(pub, 'public', true, copyAlgorithm(alg), usages.filter((u) => allowed.public.includes(u))),
        privateKey: newKey(priv, 'private', !!extractable, copyAlgorithm(alg), privUsages),
      };
    }

    // sign and verify are the hot path of request signing: plain functions
    // returning a settled promise cost less than async ones.
    sign(algorithm, key, data) {
      try {
        const name = supported('sign', algorithmName('sign', algorithm), SIGNERS);
        const k = checkKey('sign', name, key);
        bufferSource('sign', data, 'parameter 3');
        if (name === 'HMAC') return Promise.resolve(native.hmacSign(k.h, data));
        const [hash, salt] = signParams('sign', name, algorithm, k);
        return Promise.resolve(native.keySign(k.h, hash, salt, data));
      } catch (e) {
        return Promise.reject(e);
      }
    }

    verify(algorithm, key, signature, data) {
      try {
        const name = supported('verify', algorithmName('verify', algorithm), SIGNERS);
        const k = checkKey('verify', name, key);
        bufferSource('verify', signature, 'parameter 3');
        bufferSource('verify', data, 'parameter 4');
        if (name === 'HMAC') return Promise.resolve(native.hmacVerify(k.h, signature, data));
        const [hash, salt] = signParams('verify', name, algorithm, k);
        return Promise.resolve(native.keyVerify(k.h, hash, salt, signature, data));
      } catch (e) {
        return Promise.reject(e);
      }
    }

    async encrypt(algorithm, key, data) {
      return crypt('encrypt', algorithm, key, data);
    }

    async decrypt(algorithm, key, data) {
      return crypt('decrypt', algorithm, key, data);
    }

    async deriveBits(algorithm, baseKey, length = null) {
      return derive('deriveBits', algorithm, baseKey, length, 'deriveBits');
    }

    async deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
      const length = keyLength('deriveKey', derivedKeyType);
      const bits = await derive('deriveKey', algorithm, baseKey, length, 'deriveKey');
      return importAny('raw', bits, derivedKeyType, extractable, keyUsages);
    }

    // wrapKey exports key (JWK as its JSON text) and encrypts that.
    async wrapKey(format, key, wrappingKey, wrapAlgorithm) {
      let data = exportAny(format, key);
      if (String(format) === 'jwk') data = new TextEncoder().encode(JSON.stringify(data));
      return crypt('encrypt', wrapAlgorithm, wrappingKey, data, 'wrapKey');
    }

    async unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
      let data = crypt('decrypt', unwrapAlgorithm, unwrappingKey, wrappedKey, 'unwrapKey');
      if (String(format) === 'jwk') {
        try {
          data = JSON.parse(new TextDecoder().decode(data));
        } catch {
          throw dom('crypto.subtle.unwrapKey: the unwrapped data is not a JWK (JSON)', 'DataError');
        }
      }
      return importAny(format, data, unwrappedKeyAlgorithm, extractable, keyUsages);
    }
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

  const crypto = new Crypto(INTERNAL);
  for (const [name, value] of [['Crypto', Crypto], ['SubtleCrypto', SubtleCrypto], ['CryptoKey', CryptoKey]]) {
    Object.defineProperty(g, name, { value, writable: true, configurable: true });
  }
  Object.defineProperty(g, 'crypto', { value: crypto, writable: true, enumerable: true, configurable: true });
  native.cloneCryptoKey = (k) => (k instanceof CryptoKey ? cloneKey(k) : undefined);
})
