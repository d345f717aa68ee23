import { normalizeInput } from './input-text';

describe('normalizeInput', () => {
  const nfd = 'Chế biến'.normalize('NFD');

  it('normalises every string to NFC, in objects and arrays', () => {
    const { value, errors } = normalizeInput({ title: nfd, tags: [nfd], n: 3, ok: true }, true);
    expect(value).toEqual({ title: 'Chế biến', tags: ['Chế biến'], n: 3, ok: true });
    expect(errors).toEqual([]);
  });

  it('names each field with a NUL character, and each null when asked to', () => {
    const { errors } = normalizeInput(
      { title: 'a\u0000b', price: { currency: '\u0000' }, tags: ['Hà Nội', 'x\u0000'], note: null },
      true,
    );
    expect(errors).toEqual([
      { field: 'title', constraint: 'hasNoNulCharacter' },
      { field: 'price.currency', constraint: 'hasNoNulCharacter' },
      { field: 'tags.1', constraint: 'hasNoNulCharacter' },
      { field: 'note', constraint: 'isNotNull' },
    ]);
    expect(normalizeInput({ note: null }, false).errors).toEqual([]);
  });

  it("reads Fastify's query objects, which have no Object prototype, into plain objects", () => {
    // What fast-querystring builds: an object whose prototype has no prototype.
    const query = Object.assign(Object.create(Object.create(null) as object) as object, {
      code: 'a\u0000b',
      q: nfd,
    });
    const { value, errors } = normalizeInput(query, false);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(value).toEqual({ code: 'a\u0000b', q: 'Chế biến' });
    expect(errors).toEqual([{ field: 'code', constraint: 'hasNoNulCharacter' }]);
  });

  it('names each field with half a surrogate pair, and keeps whole pairs', () => {
    const { value, errors } = normalizeInput({ email: '\ud800@x.vn', tags: ['a\udc00'], ok: 'Hà 👩‍👩‍👧' }, true);
    expect(errors).toEqual([
      { field: 'email', constraint: 'isWellFormedText' },
      { field: 'tags.0', constraint: 'isWellFormedText' },
    ]);
    expect((value as { ok: string }).ok).toBe('Hà 👩‍👩‍👧');
  });

  it('keeps a "__proto__" key as a key', () => {
    const { value } = normalizeInput(JSON.parse('{"__proto__": {"admin": true}}'), true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__']);
  });
});
