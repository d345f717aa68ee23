import { ArgumentsHost, HttpStatus, Logger } from '@nestjs/common';

import { defineProblemMessages, ProblemCode } from './messages';
import { ProblemException } from './problem.exception';
import { ProblemFilter } from './problem.filter';

defineProblemMessages({
  THING_TAKEN: {
    vi: { title: 'Đã có', detail: 'Mã {code} đã được dùng.' },
    en: { title: 'Taken', detail: 'Code {code} is in use.' },
  },
});

function render(exception: unknown, language = 'en') {
  const sent: { status?: number; headers?: Record<string, string>; body?: Record<string, unknown> } = {};
  const reply = {
    status: (status: number) => ((sent.status = status), reply),
    headers: (headers: Record<string, string>) => ((sent.headers = headers), reply),
    send: (body: Record<string, unknown>) => ((sent.body = body), reply),
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({ headers: { 'accept-language': language } }),
      getResponse: () => reply,
    }),
  } as unknown as ArgumentsHost;
  new ProblemFilter().catch(exception, host);
  return sent;
}

describe('ProblemFilter', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it("renders a lib's registered code with its text and params", () => {
    const { status, body } = render(
      new ProblemException(HttpStatus.CONFLICT, 'THING_TAKEN' as ProblemCode, { code: 'A1' }),
      'vi',
    );
    expect(status).toBe(409);
    expect(body).toEqual({
      type: 'urn:xkld:problem:thing-taken',
      title: 'Đã có',
      status: 409,
      detail: 'Mã A1 đã được dùng.',
      code: 'THING_TAKEN',
    });
  });

  it('answers a code nobody registered with its own code and the generic text of its status', () => {
    const { status, body } = render(
      new ProblemException(HttpStatus.FORBIDDEN, 'UNREGISTERED' as ProblemCode),
    );
    expect(status).toBe(403);
    expect(body).toEqual({
      type: 'urn:xkld:problem:unregistered',
      title: 'Forbidden',
      status: 403,
      detail: 'Your account is not allowed to do this.',
      code: 'UNREGISTERED',
    });
    expect(render(new ProblemException(422, 'UNREGISTERED' as ProblemCode)).body).toMatchObject({
      title: 'Bad request',
      status: 422,
      code: 'UNREGISTERED',
    });
  });
});
