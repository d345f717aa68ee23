import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, isIPv6 } from 'node:net';

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // NAT64 for local use (RFC 8215): where the IPv4 address sits depends on the site's prefix length.
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (a zone id dropped, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, '');
  if (!isIPv6(text)) return undefined;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const [head, tail] = text.split('::');
  if (tail === undefined) return parse(head);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const ipv4 = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

/**
 * The IPv4 addresses an IPv6 address carries, whose packets may end up at them: IPv4-compatible (::a.b.c.d),
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d), 6to4
 * (2002:aabb:ccdd::), Teredo (2001:0::, its server and its obfuscated client) and ISATAP (…:0:5efe:a.b.c.d).
 */
function embeddedIPv4(groups: number[]): string[] {
  const zero = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
  const found: string[] = [];
  if (zero(0, 5) && (g5 === 0 || g5 === 0xffff)) found.push(ipv4(g6, g7));
  if (zero(0, 4) && g4 === 0xffff && g5 === 0) found.push(ipv4(g6, g7));
  if (g0 === 0x64 && g1 === 0xff9b && zero(2, 6)) found.push(ipv4(g6, g7));
  if (g0 === 0x2002) found.push(ipv4(g1, g2));
  if (g0 === 0x2001 && g1 === 0) found.push(ipv4(g2, g3), ipv4(g6 ^ 0xffff, g7 ^ 0xffff));
  if ((g4 & 0xfdff) === 0 && g5 === 0x5efe) found.push(ipv4(g6, g7));
  return found;
}

/**
 * Whether an address may be called from the server: not private, loopback, link-local, multicast or reserved,
 * and, for IPv6, not carrying such an IPv4 address in any of the embedded forms. Anything unparsable is not.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !PRIVATE.check(address, 'ipv4');
  const groups = ipv6Groups(address);
  if (!groups || groups.length !== 8) return false;
  const canonical = groups.map((group) => group.toString(16)).join(':');
  if (PRIVATE.check(canonical, 'ipv6')) return false;
  return embeddedIPv4(groups).every((embedded) => !PRIVATE.check(embedded, 'ipv4'));
}

/** Raised when an outbound call would reach a private address; `code` lets callers tell it from network errors. */
export class UnsafeAddressError extends Error {
  readonly code = 'EUNSAFEADDRESS';

  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnsafeAddressError';
  }
}

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true });

/**
 * The addresses of `host` the server may call, or a refusal. A host with any private address is refused
 * whole: a name that mixes public and private addresses is not a partner's webhook.
 */
export async function vetHost(
  host: string,
  allowPrivate: boolean,
  resolve = systemResolve,
): Promise<LookupAddress[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  let addresses: LookupAddress[];
  if (family) {
    addresses = [{ address: bare, family }];
  } else {
    try {
      addresses = await resolve(bare);
    } catch {
      throw new UnsafeAddressError('host does not resolve');
    }
    if (addresses.length === 0) throw new UnsafeAddressError('host does not resolve');
  }
  if (!allowPrivate && !addresses.every(({ address }) => isPublicAddress(address))) {
    throw new UnsafeAddressError('private or loopback address');
  }
  return addresses;
}

/** Why a URL's form forbids calling it (scheme, credentials), without resolving it; undefined when it may. */
export function unsafeUrlFormReason(raw: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'must be https';
  if (url.username || url.password) return 'must not carry credentials';
  return undefined;
}

/**
 * Why an outbound URL must not be called (server-side request forgery), or undefined when it may.
 * Private, loopback and link-local targets are refused unless `allowPrivate` (development and tests). This
 * check at save time is advice to the user: the address is checked again, and pinned, when the connection is
 * made (see `createOutboundDispatcher`), since a name can resolve elsewhere by then.
 */
export async function unsafeUrlReason(
  raw: string,
  allowPrivate: boolean,
  resolve = systemResolve,
): Promise<string | undefined> {
  const formReason = unsafeUrlFormReason(raw, allowPrivate);
  if (formReason || allowPrivate) return formReason;
  try {
    await vetHost(new URL(raw).hostname, allowPrivate, resolve);
    return undefined;
  } catch (error) {
    if (error instanceof UnsafeAddressError) return error.reason;
    throw error;
  }
}
