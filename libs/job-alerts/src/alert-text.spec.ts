import { orderIdFromShortCode, shortOrderPath } from './alert-links';
import { alertText, gsmText, isStopText, salaryText, SMS_LIMIT, STOP_CONFIRMATION_TEXT } from './alert-text';

/** The GSM 03.38 basic character set: what one 7-bit SMS character can be. */
const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

describe('alert texts', () => {
  const parts = {
    title:
      'Chế biến thực phẩm – Đơn hàng “Aichi” 食品 tuyển gấp 30 nam nữ, lương cao, bay nhanh tháng 3/2027',
    countryName: 'Nhật Bản',
    salaryVnd: 32_400_000,
    orderUrl: `https://xkld.vn${shortOrderPath('3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b')}`,
    stopUrl: 'https://xkld.vn/tb/7ps.Kq3v9XbT0a',
  };

  it('fits one GSM-7 SMS, with the title cut and both links whole', () => {
    const text = alertText(parts);
    expect(text.length).toBeLessThanOrEqual(SMS_LIMIT);
    expect([...text].every((char) => GSM7.includes(char))).toBe(true);
    expect(text).toContain('xkld: Che bien thuc pham');
    expect(text).toContain('..');
    expect(text).toContain(', Nhat Ban, khoang 32tr/thang. ');
    expect(text).toContain(` ${parts.orderUrl} `);
    expect(text.endsWith(`Dung nhan: ${parts.stopUrl}`)).toBe(true);
  });

  it('answers a STOP in one GSM-7 SMS', () => {
    expect(STOP_CONFIRMATION_TEXT.length).toBeLessThanOrEqual(SMS_LIMIT);
    expect([...STOP_CONFIRMATION_TEXT].every((char) => GSM7.includes(char))).toBe(true);
  });

  it('keeps a short title whole', () => {
    const text = alertText({ ...parts, title: 'Điều dưỡng Đài Trung' });
    expect(text).toMatch(/^xkld: Dieu duong Dai Trung, Nhat Ban, /);
    expect(text).not.toContain('..');
  });

  it('writes Vietnamese without diacritics and drops what GSM-7 lacks', () => {
    expect(gsmText('Đặng Thị Ánh – “Hà Nội” 東京')).toBe('Dang Thi Anh Ha Noi');
    expect(salaryText(32_400_000)).toBe('khoang 32tr/thang');
    expect(salaryText(8_450_000)).toBe('khoang 8.5tr/thang');
  });

  it('turns an order id into a 22-character code and back', () => {
    const id = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
    const code = shortOrderPath(id).slice(3);
    expect(code).toHaveLength(22);
    expect(orderIdFromShortCode(code)).toBe(id);
    expect(orderIdFromShortCode('not-a-code')).toBeUndefined();
    expect(orderIdFromShortCode('A'.repeat(22))).toBeUndefined();
  });

  it('reads STOP in the ways people write it, and nothing else', () => {
    for (const text of ['STOP', 'stop', ' Stop! ', 'HUY', 'Hủy', 'huỷ', 'DỪNG', 'từ chối', 'TU CHOI']) {
      expect(isStopText(text)).toBe(true);
    }
    for (const text of ['STOPPED', 'không stop', 'Cảm ơn', '', 'hủy đơn hàng']) {
      expect(isStopText(text)).toBe(false);
    }
  });
});
