import { safeNext } from './console/console';
import { formFields, intField, listField } from './forms';
import { departuresChart } from './public/chart';
import { jsonForScript } from './public/order-pages.controller';
import { parseForm, webRoutes } from './web.bootstrap';

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
