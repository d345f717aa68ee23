import {
  classifyRecruiterQuery,
  recruiterLinkKey,
  recruiterNameKey,
  recruiterPhoneKey,
} from './recruiter-keys';

describe('recruiter keys', () => {
  it.each([
    ['facebook.com/xkld.gia.re', 'facebook.com/xkld.gia.re'],
    ['https://www.facebook.com/XKLD.Gia.Re/', 'facebook.com/xkld.gia.re'],
    ['https://m.facebook.com/xkld.gia.re?ref=bookmarks&mibextid=abc', 'facebook.com/xkld.gia.re'],
    ['fb.com/xkld.gia.re', 'facebook.com/xkld.gia.re'],
    ['http://fb.me/xkld.gia.re', 'facebook.com/xkld.gia.re'],
    ['https://web.facebook.com/xkld.gia.re/posts/123456#top', 'facebook.com/xkld.gia.re'],
    [
      'https://www.facebook.com/profile.php?id=100012345678&ref=x',
      'facebook.com/profile.php?id=100012345678',
    ],
    ['facebook.com/groups/XuatKhauLaoDongNhat/permalink/1', 'facebook.com/groups/xuatkhaulaodongnhat'],
    ['facebook.com/people/Anh-Tuan/100087654321/', 'facebook.com/people/100087654321'],
    ['zalo.me/g/AbCdEf123', 'zalo.me/g/AbCdEf123'],
    ['https://tiktok.com/@xkld.nhat?lang=vi', 'tiktok.com/@xkld.nhat'],
    ['www.example.vn/tuyen-dung/', 'example.vn/tuyen-dung'],
  ])('%s is the link %s', (input, key) => {
    expect(recruiterLinkKey(input)).toEqual({ kind: 'link', key });
  });

  it.each(['https://zalo.me/0912345678', 'zalo.me/84912345678', 'chat.zalo.me/+84912345678'])(
    '%s is the phone +84912345678',
    (input) => {
      expect(recruiterLinkKey(input)).toEqual({ kind: 'phone', key: '+84912345678' });
    },
  );

  it.each([
    ['facebook.com', 'no page'],
    ['facebook.com/profile.php', 'a profile without its id'],
    ['javascript:alert(1)', 'not http'],
    ['ftp://example.vn/x', 'not http'],
    ['localhost/x', 'no domain'],
    ['anh tuấn', 'a name'],
    [`facebook.com/${'a'.repeat(400)}`, 'too long'],
  ])('%s is no link (%s)', (input) => {
    expect(recruiterLinkKey(input)).toBeUndefined();
  });

  it('reads a phone number with its label, landlines too', () => {
    expect(recruiterPhoneKey('Zalo: 0912 345 678')).toEqual({ kind: 'phone', key: '+84912345678' });
    expect(recruiterPhoneKey('sđt 091.234.5678')).toEqual({ kind: 'phone', key: '+84912345678' });
    expect(recruiterPhoneKey('024 0000 0101')).toEqual({ kind: 'phone', key: '+842400000101' });
    expect(recruiterPhoneKey('0912')).toBeUndefined();
  });

  it('folds a name as the agency search does', () => {
    expect(recruiterNameKey('  Anh   TUẤN Đặng ')).toEqual({ kind: 'name', key: 'anh tuan dang' });
    expect(recruiterNameKey('A')).toBeUndefined();
  });

  it('classifies a free-text query: phone, then link, then name', () => {
    expect(classifyRecruiterQuery('+84 912 345 678')).toEqual({ kind: 'phone', key: '+84912345678' });
    expect(classifyRecruiterQuery('zalo.me/0912345678')).toEqual({ kind: 'phone', key: '+84912345678' });
    expect(classifyRecruiterQuery('m.facebook.com/xkld.gia.re?ref=1')).toEqual({
      kind: 'link',
      key: 'facebook.com/xkld.gia.re',
    });
    expect(classifyRecruiterQuery('Cô Lan XKLĐ Nhật')).toEqual({ kind: 'name', key: 'co lan xkld nhat' });
    // Looks like a link but names no page: refused rather than searched as a name.
    expect(classifyRecruiterQuery('facebook.com/')).toBeUndefined();
  });
});
