import { AppValidationPipe, ProblemException } from '@app/core';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

import { CreateConsultationDto, isValidConsultationBody } from './consultation.dto';

const valid = {
  jobOrderId: '6f1c2a8e-1b7e-4c43-9a57-0d6c7d3e9b10',
  fullName: 'Nguyễn Văn An',
  phone: '0912345678',
  province: 'Nghệ An',
  birthYear: 2000,
  consent: true,
};

/** What class-validator says with the pipe's options: true when the body has no errors. */
async function decoratorsAccept(body: Record<string, unknown>): Promise<boolean> {
  const errors = await validate(plainToInstance(CreateConsultationDto, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  return errors.length === 0;
}

// Values around every constraint of the DTO, valid and not.
const candidates: Record<string, unknown[]> = {
  jobOrderId: [
    valid.jobOrderId,
    valid.jobOrderId.toUpperCase(),
    '00000000-0000-0000-0000-000000000000',
    '6f1c2a8e-1b7e-0c43-9a57-0d6c7d3e9b10',
    '6f1c2a8e-1b7e-4c43-7a57-0d6c7d3e9b10',
    '6f1c2a8e1b7e4c439a570d6c7d3e9b10',
    `${valid.jobOrderId} `,
    'x',
    42,
    null,
    undefined,
  ],
  fullName: [
    'An',
    'A',
    '',
    'a'.repeat(100),
    'a'.repeat(101),
    '😀',
    '😀😀',
    'A\uFE0F',
    'AB\uFE0F',
    'x'.repeat(99) + '😀',
    ['An'],
    12,
    null,
    undefined,
  ],
  phone: ['0912345678', '', 'x'.repeat(30), 'x'.repeat(31), '😀'.repeat(15), 912345678, null, undefined],
  province: ['Nghệ An', '', 'x'.repeat(80), 'x'.repeat(81), {}, null, undefined],
  birthYear: [1940, 1939, 2100, 2101, 2000.5, '2000', NaN, Infinity, -0, null, undefined],
  gender: ['male', 'female', 'any', 'Male', '', 1, null, undefined],
  message: ['', 'Tôi muốn đi Nhật', 'x'.repeat(1000), 'x'.repeat(1001), '😀'.repeat(500), 5, null, undefined],
  consent: [true, false, 'true', 1, null, undefined],
};

function* bodies(): Generator<Record<string, unknown>> {
  yield valid;
  for (const [field, values] of Object.entries(candidates)) {
    for (const value of values) {
      const body: Record<string, unknown> = { ...valid, [field]: value };
      if (value === undefined) delete body[field];
      yield body;
    }
  }
  yield { ...valid, isVip: true };
  yield { ...valid, constructor: 'x' };
  yield { ...valid, gender: 'male', message: 'Xin chào' };
}

describe('CreateConsultationDto fast validation', () => {
  it('never accepts a body the decorators refuse, and accepts the ordinary valid ones', async () => {
    let accepted = 0;
    for (const body of bodies()) {
      if (!isValidConsultationBody(body)) continue;
      accepted++;
      await expect(decoratorsAccept(body)).resolves.toBe(true);
    }
    // The fast path is really taken: the valid body and most single-field valid variants.
    expect(accepted).toBeGreaterThan(25);
    expect(isValidConsultationBody(valid)).toBe(true);
    expect(isValidConsultationBody({ ...valid, gender: 'female', message: 'Tôi muốn đi Nhật' })).toBe(true);
  });

  it('gives the pipe the same DTO either way, and the same 400 for an invalid body', async () => {
    const pipe = new AppValidationPipe();
    const metadata = { type: 'body' as const, metatype: CreateConsultationDto, data: '' };
    const fast = await pipe.transform({ ...valid, fullName: 'Nguye\u0302\u0303n Văn An' }, metadata);
    expect(fast).toBeInstanceOf(CreateConsultationDto);
    expect(fast).toMatchObject({ ...valid, fullName: 'Nguyễn Văn An' }); // NFC before the check

    const error = await pipe
      .transform({ ...valid, fullName: 'A', isVip: true }, metadata)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).code).toBe('VALIDATION_FAILED');
    expect((error as ProblemException).fieldErrors).toEqual(
      expect.arrayContaining([
        { field: 'fullName', constraint: 'minLength' },
        { field: 'isVip', constraint: 'whitelistValidation' },
      ]),
    );
  });
});
