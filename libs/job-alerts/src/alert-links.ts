import { isUuid } from '@app/core';

/** The short path of an order page for texts: `/d/` and its uuid's 16 bytes in base64url (22 characters). */
export function shortOrderPath(orderId: string): string {
  return `/d/${Buffer.from(orderId.replace(/-/g, ''), 'hex').toString('base64url')}`;
}

/** The order id a short code names, or undefined if it names none. */
export function orderIdFromShortCode(code: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{22}$/.test(code)) return undefined;
  const hex = Buffer.from(code, 'base64url').toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return isUuid(id) ? id : undefined;
}

/** The path of the page a stop link opens; the token follows it. */
export const STOP_PATH = '/tb/';
