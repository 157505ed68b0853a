// crypto and crypto.subtle (bindings/crypto), as TypeScript's DOM lib declares them.

type KeyFormat = "jwk" | "pkcs8" | "raw" | "spki";
type KeyType = "private" | "public" | "secret";
type KeyUsage = "decrypt" | "deriveBits" | "deriveKey" | "encrypt" | "sign" | "unwrapKey" | "verify" | "wrapKey";
type HashAlgorithmIdentifier = AlgorithmIdentifier;
type AlgorithmIdentifier = Algorithm | string;

interface Algorithm {
  name: string;
}

interface KeyAlgorithm {
  name: string;
}

interface HmacKeyAlgorithm extends KeyAlgorithm {
  hash: KeyAlgorithm;
  length: number;
}

interface HmacImportParams extends Algorithm {
  /** "SHA-1", "SHA-256", "SHA-384" or "SHA-512" (or { name }). */
  hash: HashAlgorithmIdentifier;
  /** The key length in bits; must match the key data. */
  length?: number;
}
interface HmacKeyGenParams extends Algorithm {
  hash: HashAlgorithmIdentifier;
  /** Default: the hash's block size. */
  length?: number;
}
interface RsaHashedImportParams extends Algorithm {
  hash: HashAlgorithmIdentifier;
}
interface RsaHashedKeyGenParams extends Algorithm {
  /** 2048 to 4096 bits. */
  modulusLength: number;
  /** host generates 65537 only: new Uint8Array([1, 0, 1]). */
  publicExponent: Uint8Array;
  hash: HashAlgorithmIdentifier;
}
interface RsaHashedKeyAlgorithm extends KeyAlgorithm {
  modulusLength: number;
  publicExponent: Uint8Array;
  hash: KeyAlgorithm;
}
interface RsaPssParams extends Algorithm {
  /** Salt length in bytes (usually the hash's length). */
  saltLength: number;
}
interface RsaOaepParams extends Algorithm {
  label?: BufferSource;
}
type NamedCurve = "P-256" | "P-384" | string;
interface EcKeyImportParams extends Algorithm {
  namedCurve: NamedCurve;
}
interface EcKeyGenParams extends Algorithm {
  namedCurve: NamedCurve;
}
interface EcKeyAlgorithm extends KeyAlgorithm {
  namedCurve: NamedCurve;
}
interface EcdsaParams extends Algorithm {
  hash: HashAlgorithmIdentifier;
}
interface EcdhKeyDeriveParams extends Algorithm {
  public: CryptoKey;
}
interface AesKeyGenParams extends Algorithm {
  length: number;
}
interface AesKeyAlgorithm extends KeyAlgorithm {
  length: number;
}
interface AesDerivedKeyParams extends Algorithm {
  length: number;
}
interface AesGcmParams extends Algorithm {
  iv: BufferSource;
  additionalData?: BufferSource;
  /** Default 128. */
  tagLength?: number;
}
interface HkdfParams extends Algorithm {
  hash: HashAlgorithmIdentifier;
  salt: BufferSource;
  info: BufferSource;
}
interface Pbkdf2Params extends Algorithm {
  hash: HashAlgorithmIdentifier;
  salt: BufferSource;
  iterations: number;
}
interface JsonWebKey {
  alg?: string;
  crv?: string;
  d?: string;
  dp?: string;
  dq?: string;
  e?: string;
  ext?: boolean;
  k?: string;
  key_ops?: string[];
  kty?: string;
  n?: string;
  p?: string;
  q?: string;
  qi?: string;
  use?: string;
  x?: string;
  y?: string;
}

/** A key held by the host; its material leaves only through exportKey of an extractable key. */
interface CryptoKey {
  readonly algorithm: KeyAlgorithm;
  readonly extractable: boolean;
  readonly type: KeyType;
  readonly usages: KeyUsage[];
}
declare var CryptoKey: {
  prototype: CryptoKey;
};
interface CryptoKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

type SignAlgorithm = AlgorithmIdentifier | RsaPssParams | EcdsaParams;
type CipherAlgorithm = AlgorithmIdentifier | AesGcmParams | RsaOaepParams;
type DeriveAlgorithm = AlgorithmIdentifier | EcdhKeyDeriveParams | HkdfParams | Pbkdf2Params;
type ImportAlgorithm = AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams | HmacImportParams;

/**
 * Web Crypto as host implements it: digest (SHA-1, SHA-256, SHA-384,
 * SHA-512); HMAC, RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA (P-256, P-384) and
 * Ed25519 sign/verify; AES-GCM and RSA-OAEP encrypt/decrypt; ECDH, HKDF and
 * PBKDF2 deriveBits/deriveKey; keys in raw, spki, pkcs8 and jwk. Anything
 * else rejects with a NotSupportedError that says what host has.
 */
interface SubtleCrypto {
  digest(algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer>;
  importKey(format: "jwk", keyData: JsonWebKey, algorithm: ImportAlgorithm, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKey>;
  importKey(format: Exclude<KeyFormat, "jwk">, keyData: BufferSource, algorithm: ImportAlgorithm, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKey>;
  exportKey(format: "jwk", key: CryptoKey): Promise<JsonWebKey>;
  exportKey(format: Exclude<KeyFormat, "jwk">, key: CryptoKey): Promise<ArrayBuffer>;
  generateKey(algorithm: "Ed25519" | { name: "Ed25519" }, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKeyPair>;
  generateKey(algorithm: RsaHashedKeyGenParams | EcKeyGenParams, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKeyPair>;
  generateKey(algorithm: AesKeyGenParams | HmacKeyGenParams, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKey>;
  generateKey(algorithm: AlgorithmIdentifier, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKeyPair | CryptoKey>;
  /** ECDSA signatures are r and s concatenated (IEEE P1363), as JWS wants them. */
  sign(algorithm: SignAlgorithm, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
  /** HMAC compares in constant time. */
  verify(algorithm: SignAlgorithm, key: CryptoKey, signature: BufferSource, data: BufferSource): Promise<boolean>;
  encrypt(algorithm: CipherAlgorithm, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
  decrypt(algorithm: CipherAlgorithm, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
  deriveBits(algorithm: DeriveAlgorithm, baseKey: CryptoKey, length?: number | null): Promise<ArrayBuffer>;
  deriveKey(algorithm: DeriveAlgorithm, baseKey: CryptoKey, derivedKeyType: AesDerivedKeyParams | HmacImportParams | AlgorithmIdentifier, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKey>;
  /** Exports key (a JWK as its JSON text) and encrypts it with wrappingKey. */
  wrapKey(format: KeyFormat, key: CryptoKey, wrappingKey: CryptoKey, wrapAlgorithm: CipherAlgorithm): Promise<ArrayBuffer>;
  unwrapKey(format: KeyFormat, wrappedKey: BufferSource, unwrappingKey: CryptoKey, unwrapAlgorithm: CipherAlgorithm, unwrappedKeyAlgorithm: ImportAlgorithm, extractable: boolean, keyUsages: KeyUsage[]): Promise<CryptoKey>;
}
declare var SubtleCrypto: {
  prototype: SubtleCrypto;
};

interface Crypto {
  readonly subtle: SubtleCrypto;
  /** Fills an integer typed array with random bytes from the OS (at most 65536 bytes, else QuotaExceededError) and returns it. */
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
  /** A random version 4 UUID. */
  randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
}
declare var Crypto: {
  prototype: Crypto;
};
declare var crypto: Crypto;
