import {
  defineFieldMessages,
  defineProblemMessages,
  fieldMessage,
  negotiateLanguage,
  problemMessage,
} from './messages';

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'vi'],
    ['', 'vi'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['vi-VN,vi;q=0.9,en;q=0.8', 'vi'],
    ['fr, en;q=0.5', 'en'],
    ['vi;q=0.2, en;q=0.8', 'en'],
    ['de', 'vi'],
  ])('%j → %s', (header, lang) => {
    expect(negotiateLanguage(header)).toBe(lang);
  });
});

describe('problem and field messages', () => {
  const EXAMPLE = defineProblemMessages({
    THING_TAKEN: {
      vi: { title: 'Đã có', detail: 'Mã {code} đã được dùng.' },
      en: { title: 'Taken', detail: 'Code {code} is in use.' },
    },
  });
  defineFieldMessages({ isThing: { vi: 'Không phải thứ này', en: 'Not a thing' } });

  it("registers a lib's codes beside core's and returns them", () => {
    expect(EXAMPLE.THING_TAKEN).toBe('THING_TAKEN');
    expect(problemMessage('THING_TAKEN', 'en')).toEqual({ title: 'Taken', detail: 'Code {code} is in use.' });
    expect(problemMessage('NOT_FOUND', 'vi')?.title).toBe('Không tìm thấy');
    expect(problemMessage('NO_SUCH_CODE', 'vi')).toBeUndefined();
  });

  it('refuses a code defined twice with other messages, and accepts the same messages again', () => {
    expect(() =>
      defineProblemMessages({
        THING_TAKEN: { vi: { title: 'x', detail: 'x' }, en: { title: 'x', detail: 'x' } },
      }),
    ).toThrow('Problem code THING_TAKEN is defined twice');
    expect(() =>
      defineFieldMessages({ isThing: { vi: 'Không phải thứ này', en: 'Not a thing' } }),
    ).not.toThrow();
  });

  it('gives a field the generic message for an unregistered constraint', () => {
    expect(fieldMessage('isThing', 'vi')).toBe('Không phải thứ này');
    expect(fieldMessage('isInt', 'en')).toBe('Must be a whole number');
    expect(fieldMessage('isUnheardOf', 'en')).toBe('Invalid value');
  });
});
