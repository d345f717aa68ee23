import { ProblemException } from '@app/core';
import { HttpStatus } from '@nestjs/common';
import { IsString, MinLength } from 'class-validator';

import { consoleFrame, homeOf, safeNext } from './console/console';
import { formFields, intField, listField, submitForm } from './forms';
import { PageContext } from './page-context';
import { departuresChart } from './public/chart';
import { jsonForScript } from './public/order-pages.controller';
import { parseForm, webRoutes } from './web.bootstrap';

class NoteDto {
  @IsString()
  @MinLength(3)
  note!: string;
}

describe('web pages, pure parts', () => {
  it('parses urlencoded forms without prototype keys, repeated fields as arrays', () => {
    const form = parseForm('a=1&__proto__=x&constructor=y&b=2&b=3&q=ch%E1%BA%BF+bi%E1%BA%BFn');
    expect(form).toEqual({ a: '1', b: ['2', '3'], q: 'chế biến' });
    expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
  });

  it('keeps filled fields only, and reads numbers and lists as a form gives them', () => {
    expect(formFields({ q: ' gunma ', country: '', lang: 'en', _csrf: 't', x: ['1', '2'] })).toEqual({
      q: 'gunma',
      x: '2',
    });
    expect(intField('30.000.000')).toBe(30_000_000);
    expect(intField('abc')).toBeNaN();
    expect(listField({ provinces: 'Nghệ An, Hà Tĩnh' }, 'provinces')).toEqual(['Nghệ An', 'Hà Tĩnh']);
  });

  it('submits a form: invalid fields and domain refusals come back for the form, the rest is thrown on', async () => {
    const act = jest.fn((dto: NoteDto) => Promise.resolve(dto.note.length));
    expect(await submitForm('vi', NoteDto, { note: 'đủ dài' }, act)).toEqual({ result: 6 });

    const invalid = await submitForm('en', NoteDto, { note: 'x' }, act);
    expect(act).toHaveBeenCalledTimes(1);
    expect(invalid.failure).toEqual({
      fields: { note: [expect.any(String)] },
      form: 'Please correct the errors below.',
      status: 400,
    });
    const unknown = await submitForm('vi', NoteDto, { note: 'đủ dài', other: 1 }, act, { summary: false });
    expect(unknown.failure).toEqual({ fields: { other: [expect.any(String)] }, status: 400 });

    const conflict = new ProblemException(HttpStatus.CONFLICT, 'INVALID_TRANSITION');
    const refused = await submitForm('en', NoteDto, { note: 'đủ dài' }, () => Promise.reject(conflict));
    expect(refused.failure).toMatchObject({ fields: {}, status: 409, form: expect.any(String) });
    const broken = new Error('database down');
    await expect(submitForm('en', NoteDto, { note: 'đủ dài' }, () => Promise.reject(broken))).rejects.toBe(
      broken,
    );
    await expect(
      submitForm('en', NoteDto, { note: 'đủ dài' }, () => Promise.reject(ProblemException.notFound())),
    ).rejects.toBeInstanceOf(ProblemException);
  });

  it("frames each console with its menu, whose first page is the role's home", () => {
    const page = { t: (key: string) => `t:${key}` } as unknown as PageContext;
    const frame = (role: 'regulator' | 'admin' | 'agency_admin' | 'agency_staff') =>
      consoleFrame(page, { id: 'u', role, agencyId: null }, 'token');
    expect(frame('admin')).toMatchObject({
      name: 't:adminConsole',
      home: '/admin/nguoi-dung',
      nav: [
        { href: '/admin/nguoi-dung', text: 't:adUsers' },
        { href: '/admin/ty-gia', text: 't:adRates' },
        { href: '/admin/queues', text: 't:adQueues' },
      ],
    });
    expect(frame('regulator').nav).toHaveLength(9);
    expect(frame('agency_admin').nav.map((item) => item.href)).toContain('/agency/nhan-vien');
    expect(frame('agency_staff').nav.map((item) => item.href)).not.toContain('/agency/nhan-vien');
    expect(frame('agency_staff').home).toBe('/agency/don-hang');
    expect(homeOf('regulator')).toBe('/regulator');
    expect(homeOf('agency_staff')).toBe('/agency/don-hang');
  });

  it('returns after sign-in only to a local path', () => {
    expect(safeNext('/agency/khach-hang?status=assigned')).toBe('/agency/khach-hang?status=assigned');
    expect(safeNext('//evil.example/')).toBeUndefined();
    expect(safeNext('/\\evil.example')).toBeUndefined();
    expect(safeNext('https://evil.example/')).toBeUndefined();
    expect(safeNext('/dang-nhap')).toBeUndefined();
  });

  it('writes JSON-LD that cannot close its script element', () => {
    const text = jsonForScript({ title: '</script><script>alert(1)</script>&' });
    expect(text).not.toMatch(/[<>&]/);
    expect(JSON.parse(text)).toEqual({ title: '</script><script>alert(1)</script>&' });
  });

  it('draws the chart with its labels escaped and a title for screen readers', () => {
    const svg = departuresChart(
      [
        { label: 'Nhật Bản', total: 5359, women: 2397 },
        { label: '<b>x</b>', total: 100, women: 0 },
      ],
      { title: 'Chart', women: 'Nữ', men: 'Nam' },
      String,
    );
    expect(svg).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(svg).not.toContain('<b>');
    expect(svg).toMatch(/<title id="chart-title">Chart<\/title>/);
  });

  it('serves every page route outside the API prefix, in Vietnamese slugs for the consoles', () => {
    const routes = webRoutes().map((route) => route.path);
    expect(routes).toEqual(
      expect.arrayContaining(['/', '/don-hang/:id', '/agency/khach-hang', '/regulator/nhat-ky']),
    );
    for (const path of routes)
      expect(path).not.toMatch(
        /^\/(agency|regulator|admin)\/(job-orders|consultations|webhook|agencies|flags|audit-log|users|exchange-rates|departure-reports|recruitment-suspensions)(\/|$)/,
      );
  });
});
