import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
/** IVs drawn from the CSPRNG 256 at a time: one call into OpenSSL per 256 values instead of one per value. */
const IV_POOL_BYTES = IV_BYTES * 256;

/**
 * Personal data at rest: AES-256-GCM with a random IV per value, and a keyed hash (HMAC-SHA256 under a key
 * derived from the same secret) for lookups and dedupe without decrypting.
 */
export class PersonalDataCipher {
  private readonly encryptionKey: Buffer;
  private readonly lookupKey: Buffer;
  private ivPool = Buffer.alloc(0);
  private ivOffset = 0;

  constructor(secret: Buffer) {
    this.encryptionKey = Buffer.from(
      hkdfSync('sha256', secret, Buffer.alloc(0), 'xkld personal data v1', 32),
    );
    this.lookupKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'xkld lookup hash v1', 32));
  }

  encrypt(plain: string): string {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join(':');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || body === undefined)
      throw new Error('Unknown ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }

  /** A fresh random IV; the pool is replaced, never overwritten, so an IV handed out stays as it was. */
  private nextIv(): Buffer {
    if (this.ivOffset + IV_BYTES > this.ivPool.length) {
      this.ivPool = randomBytes(IV_POOL_BYTES);
      this.ivOffset = 0;
    }
    const iv = this.ivPool.subarray(this.ivOffset, this.ivOffset + IV_BYTES);
    this.ivOffset += IV_BYTES;
    return iv;
  }

  lookupHash(value: string): string {
    return createHmac('sha256', this.lookupKey).update(value).digest('hex');
  }
}
