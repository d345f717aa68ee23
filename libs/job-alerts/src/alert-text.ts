import { foldVietnamese } from '@app/core';

/** One GSM-7 SMS: 160 characters. A text with any character outside GSM-7 would be UCS-2 and hold 70. */
export const SMS_LIMIT = 160;
const SHORTEST_TITLE = 12;

/**
 * Vietnamese text as plain ASCII that GSM-7 encodes one character each: diacritics dropped (đ → d), and any
 * other character (quotes, dashes, CJK) a space. The reader still understands it; a Unicode text would be
 * split into three messages.
 */
export function gsmText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 .,:;!?()'/&%+-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * "khoang 32tr/thang" ("about 32 million a month"): the VND estimate in millions (one decimal below ten
 * million), as texts write money. Not "~": the tilde is outside GSM-7's basic set and costs two characters.
 */
export function salaryText(vnd: number): string {
  const millions = vnd / 1_000_000;
  const shown = millions >= 10 ? String(Math.round(millions)) : String(Math.round(millions * 10) / 10);
  return `khoang ${shown}tr/thang`;
}

export interface AlertTextParts {
  title: string;
  countryName: string;
  salaryVnd: number;
  orderUrl: string;
  stopUrl: string;
}

/**
 * The alert text: order title, country, salary, the order's short link and the stop link, in one GSM-7 SMS.
 * The title takes what the rest leaves of 160 characters and is cut with "..": about 30 characters with
 * `https://xkld.vn` as the base URL, two fewer for each character more (both links carry it). Below 12 the
 * title is kept at 12 and the text runs over one SMS: keep ALERT_LINK_BASE_URL short.
 */
export function alertText(parts: AlertTextParts): string {
  const head = 'xkld: ';
  const tail = `, ${gsmText(parts.countryName)}, ${salaryText(parts.salaryVnd)}. Xem ${parts.orderUrl} Dung nhan: ${parts.stopUrl}`;
  const room = Math.max(SHORTEST_TITLE, SMS_LIMIT - head.length - tail.length);
  let title = gsmText(parts.title);
  if (title.length > room) title = `${title.slice(0, room - 2).trimEnd()}..`;
  return `${head}${title}${tail}`;
}

/** An inbound text that asks to stop: STOP, HUY, DUNG, TU CHOI, in any case, with or without diacritics. */
export function isStopText(text: string): boolean {
  const words = foldVietnamese(text)
    .replace(/[^a-z]+/g, ' ')
    .trim();
  return ['stop', 'huy', 'dung', 'tu choi', 'tuchoi', 'stop all', 'unsubscribe'].includes(words);
}

/**
 * The answer to a STOP that ended alerts, in one GSM-7 SMS: the texts have stopped, and how to have them again.
 * A STOP that ended nothing is not answered, so that two systems answering each other's texts cannot loop.
 */
export const STOP_CONFIRMATION_TEXT =
  'xkld: Da dung moi thong bao viec lam den so nay. Muon nhan lai, hay tao thong bao moi tren xkld.';
