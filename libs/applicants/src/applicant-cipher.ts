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
 * Seals one phone's fields under a key that is the phone's (`offered: false`), or under a fresh key offered
 * for it: the statement that stores the fields keeps the offer as the phone's key when it has none.
 */
export interface Sealer {
  cipher: KeyCipher;
  keyWrapped: string;
  offered: boolean;
}

type HeldKey = Omit<Sealer, 'offered'>;

/**
 * Envelope encryption of applicants' personal fields: each phone has a key of its own, stored wrapped under
 * ENCRYPTION_KEY, and destroying it (erasure) makes every field sealed under it unrecoverable, in backups
 * too once they age out. Fields sealed before per-applicant keys existed (`v1:`) open with the master key.
 * A key is created by the statement that stores the first fields sealed under it (`accept_consultations()`
 * through `ensure_applicant_keys()`), so sealing costs no round trip of its own. Keys are read in batches shared
 * by concurrent callers, and kept unwrapped for a minute.
 */
@Injectable()
export class ApplicantCipher {
  private readonly keys: CachedRead<HeldKey | undefined>;
  private readonly finder = new GroupCommit<string, HeldKey | undefined>(
    (hashes) => this.findKeys(hashes),
    BATCH,
  );

  constructor(
    private readonly repository: ApplicantKeysRepository,
    private readonly master: PersonalDataCipher,
    private readonly caches: Caches,
  ) {
    this.keys = caches.define<HeldKey | undefined>({
      name: 'applicant-keys',
      maxAgeMs: 60_000,
      maxEntries: 10_000,
      endedBy: [APPLICANT_ERASED],
    });
  }

  /**
   * The sealer for this phone's fields: under the key this process holds for the phone, else under a fresh
   * one offered for it. When the storing statement answers with the key the phone has, pass it as `kept`
   * (null: the phone has none, so a fresh key is offered).
   */
  async sealerFor(phoneHash: string, kept?: string | null): Promise<Sealer> {
    if (kept) return { ...this.held(kept), offered: false };
    const held =
      kept === undefined ? await this.keys.get(phoneHash, () => Promise.resolve(undefined)) : undefined;
    if (held) return { ...held, offered: false };
    const fresh = this.master.newKey();
    return { cipher: this.cipher(fresh.key), keyWrapped: fresh.wrapped, offered: true };
  }

  /**
   * A cipher under the phone's key for a writer that stores sealed fields in `tx` outside
   * `accept_consultations()` (job alerts): the key this process holds, or the phone's key kept (or created from
   * a fresh offer) in `tx`. Nothing is remembered here, since `tx` may still roll back.
   */
  async sealerIn(tx: Tx, phoneHash: string): Promise<KeyCipher> {
    const sealer = await this.sealerFor(phoneHash);
    if (!sealer.offered) return sealer.cipher;
    const kept = await this.repository.ensure(tx, phoneHash, sealer.keyWrapped);
    return kept === sealer.keyWrapped ? sealer.cipher : (await this.sealerFor(phoneHash, kept)).cipher;
  }

  /** Remembers the sealer's key as the phone's, once the statement that stores its fields has kept it. */
  async keep(phoneHash: string, sealer: Sealer): Promise<void> {
    await this.keys.get(phoneHash, () =>
      Promise.resolve({ cipher: sealer.cipher, keyWrapped: sealer.keyWrapped }),
    );
  }

  /** Openers for the fields of these phones, by phone hash. */
  async openersFor(phoneHashes: Iterable<string>): Promise<Map<string, Opener>> {
    const unique = [...new Set(phoneHashes)];
    const keys = await Promise.all(unique.map((hash) => this.keys.get(hash, () => this.finder.submit(hash))));
    return new Map(unique.map((hash, i) => [hash, this.opener(keys[i]?.cipher)]));
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

  private async findKeys(hashes: string[]): Promise<Outcome<HeldKey | undefined>[]> {
    const stored = await this.repository.find([...new Set(hashes)]);
    return hashes.map((hash) => {
      const wrapped = stored.get(hash);
      return { ok: true, value: wrapped ? this.held(wrapped) : undefined };
    });
  }

  private held(keyWrapped: string): HeldKey {
    return { cipher: this.cipher(this.master.unwrapKey(keyWrapped)), keyWrapped };
  }

  private cipher(key: Buffer): KeyCipher {
    return new KeyCipher(key, APPLICANT_KEY_VERSION);
  }
}
