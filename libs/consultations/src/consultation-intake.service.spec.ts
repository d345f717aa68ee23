import { randomBytes } from 'node:crypto';

import { ApplicantCipher, type Sealer, type SmsService } from '@app/applicants';
import { AuditLog, Caches, KeyCipher, PersonalDataCipher, ProblemException, RateLimiter } from '@app/core';
import type { JobOrdersService, OrderEligibilityRow } from '@app/job-orders';
import type { ReferenceService } from '@app/reference';
import type { RegulationService } from '@app/regulation';

import type { ConsultationsRepository, NewConsultation } from './consultations.repository';
import type { ConsultationSettings } from './consultations.settings';
import { ConsultationIntakeService } from './consultation-intake.service';

const order: OrderEligibilityRow = {
  id: '6f1c2a8e-1b7e-4c43-9a57-0d6c7d3e9b10',
  title: 'Đơn hàng',
  agencyId: 'a6a1bd43-8c52-4b6f-8a0c-4f7f3c5d2e11',
  publicationStatus: 'published',
  agencyLicenseStatus: 'active',
  gender: 'any',
  birthYearFrom: 1980,
  birthYearTo: 2005,
  programCode: 'jp_technical_intern',
  countryCode: 'JP',
};

describe('ConsultationIntakeService.accept', () => {
  const cipher = new PersonalDataCipher(randomBytes(32));
  const repository = { accept: jest.fn() };
  const limiter = { consume: jest.fn().mockResolvedValue(undefined) };
  const sms = { send: jest.fn().mockResolvedValue(undefined) };
  const caches = {
    define: () => ({ get: (_key: string, compute: () => unknown) => compute() }),
  } as unknown as Caches;
  const service = new ConsultationIntakeService(
    repository as unknown as ConsultationsRepository,
    { findForEligibility: jest.fn().mockResolvedValue(order) } as unknown as JobOrdersService,
    { resolveProvince: jest.fn().mockResolvedValue({ code: 'nghe-an' }) } as unknown as ReferenceService,
    { isLocalitySuspended: jest.fn().mockResolvedValue(false) } as unknown as RegulationService,
    cipher,
    limiter as unknown as RateLimiter,
    sms as unknown as SmsService,
    new ApplicantCipher({} as ConstructorParameters<typeof ApplicantCipher>[0], cipher, caches),
    { transaction: (work: (tx: unknown) => Promise<unknown>) => work({}) } as unknown as AuditLog,
    {
      rateLimits: { consultationsPerIpPerHour: 30, consultationsPerPhonePerHour: 5 },
    } as ConsultationSettings,
    caches,
  );
  const dto = {
    jobOrderId: order.id,
    fullName: '  Nguyễn   Văn An ',
    phone: '0912 345 678',
    province: 'Nghệ An',
    birthYear: 2000,
    consent: true as const,
  };

  beforeEach(() => repository.accept.mockReset());

  it('hands the repository only encrypted personal data and a keyed phone hash', async () => {
    repository.accept.mockResolvedValue({
      kind: 'created',
      response: { trackingCode: 'ABCDEFGHJK', status: 'received' },
    });
    await service.accept(dto, { ip: '203.0.113.9' });
    const [stored, sealer] = repository.accept.mock.calls[0] as [NewConsultation, Sealer];
    expect(JSON.stringify(stored)).not.toMatch(/Nguy|912345678|203\.0\.113/);
    expect(sealer.offered).toBe(true); // a fresh key, for the phone to keep
    expect(sealer.cipher.decrypt(stored.fullNameEncrypted)).toBe('Nguyễn Văn An');
    expect(sealer.cipher.decrypt(stored.phoneEncrypted)).toBe('+84912345678');
    expect(() => cipher.decrypt(stored.phoneEncrypted)).toThrow(); // not the master key
    expect(stored.phoneHash).toBe(cipher.lookupHash('+84912345678'));
    expect(stored.agencyId).toBe(order.agencyId);
  });

  it('gives the same idempotency fingerprint to the same request written differently', async () => {
    repository.accept.mockResolvedValue({
      kind: 'created',
      response: { trackingCode: 'ABCDEFGHJK', status: 'received' },
    });
    await service.accept(dto, { ip: '1', idempotencyKey: 'k' });
    await service.accept(
      { ...dto, fullName: 'Nguyễn Văn An', phone: '+84912345678' },
      { ip: '2', idempotencyKey: 'k' },
    );
    const [[, , first], [, , second]] = repository.accept.mock.calls as [
      unknown,
      unknown,
      { requestHash: string },
    ][];
    expect(first.requestHash).toBe(second.requestHash);
  });

  it('seals the request again under the key the phone keeps when its own offer was not kept', async () => {
    const kept = cipher.newKey().wrapped;
    repository.accept.mockResolvedValueOnce({ kind: 'rekey', keptKey: kept }).mockResolvedValueOnce({
      kind: 'created',
      response: { trackingCode: 'ABCDEFGHJK', status: 'received' },
    });
    expect(await service.accept(dto, { ip: '1' })).toEqual({
      trackingCode: 'ABCDEFGHJK',
      status: 'received',
    });
    const [[first], [second, sealer]] = repository.accept.mock.calls as [NewConsultation, Sealer][];
    expect(sealer).toMatchObject({ keyWrapped: kept, offered: false });
    expect(second.id).toBe(first.id);
    const keptCipher = new KeyCipher(cipher.unwrapKey(kept), sealer.cipher.version);
    expect(keptCipher.decrypt(second.phoneEncrypted)).toBe('+84912345678');
  });

  it('turns a reused key into 422 IDEMPOTENCY_KEY_REUSED', async () => {
    repository.accept.mockResolvedValue({ kind: 'key-reused' });
    const error = await service.accept(dto, { ip: '1', idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((error as ProblemException).getStatus()).toBe(422);
  });

  it('counts both spellings of one phone against the same per-phone limit', async () => {
    repository.accept.mockResolvedValue({
      kind: 'created',
      response: { trackingCode: 'ABCDEFGHJK', status: 'received' },
    });
    limiter.consume.mockClear();
    await service.accept(dto, { ip: '1' });
    await service.accept({ ...dto, phone: '+84 912 345 678' }, { ip: '1' });
    const phoneKeys = limiter.consume.mock.calls.map(([limits]: [{ key: string }[]]) =>
      limits.map(({ key }) => key).find((key) => key.startsWith('consultations:phone:')),
    );
    expect(phoneKeys[0]).toBe(`consultations:phone:${cipher.lookupHash('+84912345678')}`);
    expect(phoneKeys[1]).toBe(phoneKeys[0]);
  });

  it('refuses a phone that is not a Vietnamese mobile with 400 naming the field', async () => {
    const error = await service.accept({ ...dto, phone: '12345' }, { ip: '1' }).catch((e: unknown) => e);
    expect((error as ProblemException).getStatus()).toBe(400);
    expect((error as ProblemException).fieldErrors).toEqual([{ field: 'phone', constraint: 'isPhone' }]);
    expect(repository.accept).not.toHaveBeenCalled();
  });

  it('answers a duplicate without any tracking code, and texts the earlier code to the phone', async () => {
    repository.accept.mockResolvedValue({
      kind: 'duplicate',
      response: { trackingCode: 'EARLIER234', status: 'contacted' },
    });
    sms.send.mockClear();
    const answer = await service.accept(dto, { ip: '1' });
    expect(answer).toEqual({ status: 'received', duplicate: true });
    expect(sms.send).toHaveBeenCalledWith({}, '+84912345678', expect.stringContaining('EARLIER234'));
  });

  it('answers a replayed duplicate like the duplicate, without texting again', async () => {
    repository.accept.mockResolvedValue({
      kind: 'replayed-duplicate',
      response: { trackingCode: 'EARLIER234', status: 'received' },
    });
    sms.send.mockClear();
    expect(await service.accept(dto, { ip: '1', idempotencyKey: 'k' })).toEqual({
      status: 'received',
      duplicate: true,
    });
    expect(sms.send).not.toHaveBeenCalled();
  });
});
