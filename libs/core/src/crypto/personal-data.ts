import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const KEY_BYTES = 32;
/** Random bytes drawn from the CSPRNG 4 KiB at a time: one call into OpenSSL per ~100 IVs and keys. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/**
 * Fresh bytes from the CSPRNG (IVs, keys, codes); the pool is replaced, never overwritten, so bytes handed out
 * stay as they were.
 */
export function randomFromPool(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return bytes;
}

/** AES-256-GCM with a random IV per value, sealed as `version:iv:tag:body` (base64 parts). */
export class KeyCipher {
  constructor(
    private readonly key: Buffer,
    readonly version: string,
  ) {}

  encrypt(plain: string): string {
    const iv = randomFromPool(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      this.version,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join(':');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== this.version || !iv || !tag || body === undefined)
      throw new Error('Unknown ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}

/**
 * Personal data at rest: AES-256-GCM under a key derived from ENCRYPTION_KEY, a keyed hash (HMAC-SHA256
 * under another derived key) for lookups and dedupe without decrypting, and the wrapping of per-person keys
 * (envelope encryption: destroying a wrapped key makes what it sealed unrecoverable).
 */
export class PersonalDataCipher extends KeyCipher {
  private readonly lookupKey: Buffer;

  constructor(secret: Buffer) {
    super(Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'xkld personal data v1', 32)), 'v1');
    this.lookupKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'xkld lookup hash v1', 32));
  }

  lookupHash(value: string): string {
    return createHmac('sha256', this.lookupKey).update(value).digest('hex');
  }

  /** A new 256-bit key, and the same key sealed under this cipher for storage. */
  newKey(): { key: Buffer; wrapped: string } {
    const key = randomFromPool(KEY_BYTES);
    return { key, wrapped: this.encrypt(key.toString('base64')) };
  }

  unwrapKey(wrapped: string): Buffer {
    return Buffer.from(this.decrypt(wrapped), 'base64');
  }
}
