import { parseQuietHours, quietUntil } from './quiet-hours';

/** An instant given as Vietnam's wall clock (UTC+7). */
const vietnam = (wallClock: string) => new Date(`${wallClock}+07:00`);

describe('quiet hours for alert texts', () => {
  const night = parseQuietHours('22-7');

  it('holds a text written at night until 07:00 in Vietnam, the same night or the next morning', () => {
    expect(quietUntil(vietnam('2026-12-05T23:15:00'), night)).toEqual(vietnam('2026-12-06T07:00:00'));
    expect(quietUntil(vietnam('2026-12-05T22:00:00'), night)).toEqual(vietnam('2026-12-06T07:00:00'));
    expect(quietUntil(vietnam('2026-12-06T03:40:00'), night)).toEqual(vietnam('2026-12-06T07:00:00'));
    expect(quietUntil(vietnam('2026-12-06T06:59:59'), night)).toEqual(vietnam('2026-12-06T07:00:00'));
    // Across a month's end, and on a server whose own clock is UTC (16:30 UTC is 23:30 in Vietnam).
    expect(quietUntil(new Date('2026-12-31T16:30:00Z'), night)).toEqual(vietnam('2027-01-01T07:00:00'));
  });

  it('lets a text written in the day leave at once', () => {
    for (const time of ['07:00:00', '12:30:00', '21:59:59']) {
      expect(quietUntil(vietnam(`2026-12-05T${time}`), night)).toBeUndefined();
    }
  });

  it('takes a window within one day, and none when off', () => {
    const lunch = parseQuietHours('12-13');
    expect(quietUntil(vietnam('2026-12-05T12:10:00'), lunch)).toEqual(vietnam('2026-12-05T13:00:00'));
    expect(quietUntil(vietnam('2026-12-05T13:00:00'), lunch)).toBeUndefined();
    expect(quietUntil(vietnam('2026-12-05T23:15:00'), parseQuietHours('off'))).toBeUndefined();
  });
});
