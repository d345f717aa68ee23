import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';

import {
  AuditLog,
  isUuid,
  normalizeVietnamesePhone,
  PersonalDataCipher,
  ProblemException,
  RateLimiter,
  Tx,
} from '@app/core';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';

import { ApplicantTokens } from './applicant-tokens';
import { APPLICANT_SETTINGS, ApplicantSettings } from './applicants.settings';
import { ApplicantTokenDto, PhoneVerificationStartedDto } from './dto/phone-verification.dto';
import { PhoneVerificationsRepository } from './phone-verifications.repository';
import { SmsService } from './sms.service';

const CODE_TTL_MS = 5 * 60_000;
const MAX_FAILED_ATTEMPTS = 5;
const HOUR = 3600;
// Texts go without diacritics: a GSM-7 message holds 160 characters, a Unicode one 70.

/** Proof that a person holds a phone: a 6-digit code sent to it, exchanged for an applicant token. */
@Injectable()
export class PhoneVerificationsService {
  constructor(
    private readonly repository: PhoneVerificationsRepository,
    private readonly sms: SmsService,
    private readonly tokens: ApplicantTokens,
    private readonly cipher: PersonalDataCipher,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditLog,
    @Inject(APPLICANT_SETTINGS.token) private readonly settings: ApplicantSettings,
  ) {}

  /** Sends a code to any valid phone, whether or not it ever made a request: the answer tells nothing. */
  async start(phone: string, ip: string): Promise<PhoneVerificationStartedDto> {
    const e164 = normalizeVietnamesePhone(phone);
    const phoneHash = e164 && this.cipher.lookupHash(e164);
    const { rateLimits } = this.settings;
    const limits = [
      { key: `otp:ip:${this.cipher.lookupHash(`ip:${ip}`)}`, limit: rateLimits.otpPerIpPerHour },
    ];
    if (phoneHash) limits.push({ key: `otp:phone:${phoneHash}`, limit: rateLimits.otpPerPhonePerHour });
    await this.limiter.consume(limits, HOUR);
    if (!e164 || !phoneHash) throw ProblemException.validation([{ field: 'phone', constraint: 'isPhone' }]);

    const id = randomUUID();
    const code = randomInt(1_000_000).toString().padStart(6, '0');
    const expiresAt = new Date(Date.now() + CODE_TTL_MS);
    await this.audit.transaction(async (tx) => {
      await this.repository.insert(tx, { id, phoneHash, codeHash: this.codeHash(id, code), expiresAt });
      await this.sms.send(
        tx,
        e164,
        `Ma xac minh xkld cua ban: ${code}. Het han sau 5 phut. Khong chia se ma nay.`,
      );
    });
    return { verificationId: id, expiresAt: expiresAt.toISOString() };
  }

  async confirm(id: string, code: string): Promise<ApplicantTokenDto> {
    if (!isUuid(id)) throw ProblemException.notFound();
    const outcome = await this.audit.transaction(async (tx) => {
      const verification = await this.repository.lock(tx, id);
      if (!verification) return 'unknown' as const;
      if (
        verification.confirmed ||
        verification.expired ||
        verification.failedAttempts >= MAX_FAILED_ATTEMPTS
      ) {
        return 'expired' as const;
      }
      const expected = Buffer.from(verification.codeHash);
      if (!timingSafeEqual(expected, Buffer.from(this.codeHash(id, code)))) {
        await this.repository.recordFailure(tx, id);
        return 'wrong' as const;
      }
      await this.repository.markConfirmed(tx, id);
      return { phoneHash: verification.phoneHash };
    });
    if (outcome === 'unknown') throw ProblemException.notFound();
    if (outcome === 'expired') throw new ProblemException(HttpStatus.GONE, 'OTP_EXPIRED');
    if (outcome === 'wrong') throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'OTP_INVALID');
    return this.tokens.issue(outcome);
  }

  /** Erasure: the phone's verifications go (they hold only hashes, but tie the phone to times). */
  forget(tx: Tx, phoneHash: string): Promise<void> {
    return this.repository.deleteForPhone(tx, phoneHash);
  }

  /** Keyed by the personal-data key and bound to the verification: a leaked table reveals no code. */
  private codeHash(id: string, code: string): string {
    return this.cipher.lookupHash(`otp:${id}:${code}`);
  }
}
