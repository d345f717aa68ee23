import {
  cacheEvent,
  CachedRead,
  Caches,
  GroupCommit,
  KeyCipher,
  Outcome,
  PersonalDataCipher,
  Tx,
} from '@app/core';
import { Injectable } from '@nestjs/common';

import { ApplicantKeysRepository } from './applicant-keys.repository';

/** Announced when an applicant's key is destroyed: every process forgets the keys it holds. */
export const APPLICANT_ERASED = cacheEvent('applicants.erased');

/** What an erased personal field holds instead of its ciphertext. */
export const ERASED = 'erased';

const APPLICANT_KEY_VERSION = 'a1';
const BATCH = { maxBatch: 200, maxInFlight: 2 };

/** Opens an applicant's sealed field; null once it was erased or its key destroyed. */
export type Opener = (sealed: string | null) => string | null;

/**
 * Envelope encryption of applicants' personal fields: each phone has a key of its own, stored wrapped under
 * ENCRYPTION_KEY, and destroying it (erasure) makes every field sealed under it unrecoverable, in backups
 * too once they age out. Fields sealed before per-applicant keys existed (`v1:`) open with the master key.
 * Keys are created and read in batches shared by concurrent callers, and kept unwrapped for a minute.
 */
@Injectable()
export class ApplicantCipher {
  private readonly keys: CachedRead<KeyCipher | undefined>;
  private readonly creator = new GroupCommit<string, KeyCipher>((hashes) => this.createKeys(hashes), BATCH);
  private readonly finder = new GroupCommit<string, KeyCipher | undefined>(
    (hashes) => this.findKeys(hashes),
    BATCH,
  );

  constructor(
    private readonly repository: ApplicantKeysRepository,
    private readonly master: PersonalDataCipher,
    private readonly caches: Caches,
  ) {
    this.keys = caches.define<KeyCipher | undefined>({
      name: 'applicant-keys',
      maxAgeMs: 60_000,
      maxEntries: 10_000,
      endedBy: [APPLICANT_ERASED],
    });
  }

  /** The cipher that seals this phone's fields, its key created on first use. */
  async sealerFor(phoneHash: string): Promise<KeyCipher> {
    // One batched statement finds the key or creates it; a cached key skips it.
    return (await this.keys.get(phoneHash, () => this.creator.submit(phoneHash)))!;
  }

  /** Openers for the fields of these phones, by phone hash. */
  async openersFor(phoneHashes: Iterable<string>): Promise<Map<string, Opener>> {
    const unique = [...new Set(phoneHashes)];
    const keys = await Promise.all(unique.map((hash) => this.keys.get(hash, () => this.finder.submit(hash))));
    return new Map(unique.map((hash, i) => [hash, this.opener(keys[i])]));
  }

  /** Destroys the phone's key in `tx`; every process forgets the keys it holds once `tx` commits. */
  async destroyKey(tx: Tx, phoneHash: string): Promise<void> {
    await this.repository.destroy(tx, phoneHash);
    await this.caches.announce(APPLICANT_ERASED, tx);
  }

  private opener(key: KeyCipher | undefined): Opener {
    return (sealed) => {
      if (sealed === null || sealed === ERASED) return null;
      if (sealed.startsWith(`${this.master.version}:`)) return this.master.decrypt(sealed);
      return key && sealed.startsWith(`${APPLICANT_KEY_VERSION}:`) ? key.decrypt(sealed) : null;
    };
  }

  private async createKeys(hashes: string[]): Promise<Outcome<KeyCipher>[]> {
    const unique = [...new Set(hashes)];
    let stored = await this.repository.ensure(unique.map((phoneHash) => this.offer(phoneHash)));
    const missing = unique.filter((hash) => !stored.has(hash));
    // Created by a concurrent transaction this statement could not see: it has committed by now.
    if (missing.length) stored = new Map([...stored, ...(await this.repository.find(missing))]);
    return hashes.map((hash) => {
      const wrapped = stored.get(hash);
      return wrapped
        ? { ok: true, value: this.unwrap(wrapped) }
        : { ok: false, error: new Error('applicant key could not be created') };
    });
  }

  private async findKeys(hashes: string[]): Promise<Outcome<KeyCipher | undefined>[]> {
    const stored = await this.repository.find([...new Set(hashes)]);
    return hashes.map((hash) => {
      const wrapped = stored.get(hash);
      return { ok: true, value: wrapped ? this.unwrap(wrapped) : undefined };
    });
  }

  private offer(phoneHash: string): { phoneHash: string; keyWrapped: string } {
    return { phoneHash, keyWrapped: this.master.newKey().wrapped };
  }

  private unwrap(wrapped: string): KeyCipher {
    return new KeyCipher(this.master.unwrapKey(wrapped), APPLICANT_KEY_VERSION);
  }
}
