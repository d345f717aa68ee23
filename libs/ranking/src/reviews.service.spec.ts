import { PersonalDataCipher, ProblemException } from '@app/core';
import { randomBytes } from 'node:crypto';

import { ReviewsRepository } from './reviews.repository';
import { cleanComment, MASKED_PHONE, ReviewsService } from './reviews.service';

describe('ReviewsService', () => {
  const cipher = new PersonalDataCipher(randomBytes(32));
  const phoneHash = cipher.lookupHash('+84912345678');
  const ratings = { fees: 5, contract: 4, training: 3, responsiveness: 2 };
  let repository: jest.Mocked<Pick<ReviewsRepository, 'findRequest' | 'insertForContacted'>>;
  let service: ReviewsService;

  beforeEach(() => {
    repository = { findRequest: jest.fn(), insertForContacted: jest.fn() };
    service = new ReviewsService(repository as unknown as ReviewsRepository, cipher);
  });

  const codeOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProblemException);
    const problem = error as ProblemException;
    return [problem.getStatus(), problem.code];
  };

  it("refuses another phone's applicant token with 403, and an unknown code with 404", async () => {
    repository.findRequest.mockResolvedValue({
      id: 'r1',
      trackingCode: 'K7M3Q9T2XA',
      phoneHash,
      contacted: true,
    });
    expect(
      await codeOf(
        service.create(
          'K7M3Q9T2XA',
          { ratings },
          { ip: '1.2.3.4', phoneHash: cipher.lookupHash('+84912345679') },
        ),
      ),
    ).toEqual([403, 'FORBIDDEN']);
    repository.findRequest.mockResolvedValue(undefined);
    expect(await codeOf(service.create('K7M3Q9T2XA', { ratings }, { ip: '1.2.3.4', phoneHash }))).toEqual([
      404,
      'NOT_FOUND',
    ]);
    expect(repository.insertForContacted).not.toHaveBeenCalled();
  });

  it('refuses before contact and a second review, storing only hashes', async () => {
    repository.findRequest.mockResolvedValue({
      id: 'r1',
      trackingCode: 'K7M3Q9T2XA',
      phoneHash,
      contacted: false,
    });
    expect(await codeOf(service.create('k7m3q9t2xa', { ratings }, { ip: '1.2.3.4', phoneHash }))).toEqual([
      409,
      'REVIEW_NOT_ALLOWED_YET',
    ]);

    repository.findRequest.mockResolvedValue({
      id: 'r1',
      trackingCode: 'K7M3Q9T2XA',
      phoneHash,
      contacted: true,
    });
    repository.insertForContacted.mockResolvedValue(undefined);
    expect(await codeOf(service.create('K7M3Q9T2XA', { ratings }, { ip: '1.2.3.4', phoneHash }))).toEqual([
      409,
      'ALREADY_REVIEWED',
    ]);
    const stored = repository.insertForContacted.mock.calls[0][0];
    expect(stored).toEqual({
      requestId: 'r1',
      ipHash: cipher.lookupHash('ip:1.2.3.4'),
      ...ratings,
      comment: null,
    });
    expect(JSON.stringify(stored)).not.toContain('1.2.3.4');
  });

  it('masks phone numbers written in a comment and keeps other numbers', () => {
    expect(cleanComment('Gọi 0912 345 678 hoặc +84-987-654-321, phí 30.000.000 đồng')).toBe(
      `Gọi ${MASKED_PHONE} hoặc ${MASKED_PHONE}, phí 30.000.000 đồng`,
    );
    expect(cleanComment('   ')).toBeNull();
    expect(cleanComment(undefined)).toBeNull();
  });
});
