import { foldVietnamese, normalizeVietnameseNumber, normalizeVietnamesePhone } from '@app/core';

export const RECRUITER_KEY_KINDS = ['phone', 'link', 'name'] as const;
export type RecruiterKeyKind = (typeof RECRUITER_KEY_KINDS)[number];

/** What a recruiter is known by, in one canonical form per kind, so that two spellings of it meet. */
export interface RecruiterKey {
  kind: RecruiterKeyKind;
  key: string;
}

export const MAX_LINK_KEY_LENGTH = 300;

const FACEBOOK = /^(?:(?:www|m|mbasic|web|touch|business|mobile)\.)?(?:facebook\.com|fb\.com|fb\.me)$/;
const ZALO = /^(?:www\.|chat\.)?zalo\.me$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Text that is meant as a link: a host with a dot and a top-level domain, then a path, a query or nothing. */
const LOOKS_LIKE_LINK = /^(?:https?:\/\/)?[^\s/?#]+\.[a-z]{2,}(?:[/?#]\S*)?$/i;
/** "Zalo: 0912…", "sđt 0912…": the number people paste with its label. */
const PHONE_LABEL = /^\s*(?:zalo|zl|sđt|sdt|đt|dt|tel|phone|hotline)\s*[:.]?\s*/i;

/**
 * The canonical key of a recruiter's page: facebook.com/x, fb.com/x, m.facebook.com/x?ref=… and
 * facebook.com/x/posts/1 are all `facebook.com/x` (Facebook names are not case-sensitive); a profile id,
 * a group and a people/page id keep what identifies them. zalo.me/<mobile number> is that phone; other
 * Zalo paths (group invitations are case-sensitive) keep their case. Any other http(s) site is its host
 * without www and its path, without query or fragment. Not a link → undefined.
 */
export function recruiterLinkKey(input: string): RecruiterKey | undefined {
  const text = input.trim();
  if (!text || /\s/.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(SCHEME.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (!/\.[a-z]{2,}$/.test(host)) return undefined;
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  const link = (key: string): RecruiterKey | undefined =>
    key.length <= MAX_LINK_KEY_LENGTH ? { kind: 'link', key: key.normalize('NFC') } : undefined;

  if (FACEBOOK.test(host)) {
    const [first, second, third] = segments.map((segment) => segment.toLowerCase());
    if (!first) return undefined;
    if (first === 'profile.php') {
      const id = url.searchParams.get('id');
      return id && /^\d{1,30}$/.test(id) ? link(`facebook.com/profile.php?id=${id}`) : undefined;
    }
    if ((first === 'groups' || first === 'p') && second) return link(`facebook.com/${first}/${second}`);
    if (first === 'people' || first === 'pages') {
      // /people/<name>/<id>, /pages/<name>/<id>: the id stays when the name changes.
      const id = [second, third].find((segment) => segment && /^\d+$/.test(segment));
      if (id) return link(`facebook.com/${first}/${id}`);
      return second ? link(`facebook.com/${first}/${second}`) : undefined;
    }
    return link(`facebook.com/${first}`);
  }
  if (ZALO.test(host)) {
    const [first, second] = segments;
    if (!first) return undefined;
    const phone = normalizeVietnamesePhone(first);
    if (phone) return { kind: 'phone', key: phone };
    if (first.toLowerCase() === 'g' && second) return link(`zalo.me/g/${second}`);
    return link(`zalo.me/${first}`);
  }
  const path = segments.join('/');
  return link(`${host.replace(/^www\./, '')}${path ? `/${path}` : ''}`);
}

/** A phone number in any Vietnamese form, with or without a "Zalo:"-like label. */
export function recruiterPhoneKey(input: string): RecruiterKey | undefined {
  const phone = normalizeVietnameseNumber(input) ?? normalizeVietnameseNumber(input.replace(PHONE_LABEL, ''));
  return phone ? { kind: 'phone', key: phone } : undefined;
}

/** A name as it is matched: accent-folded, lower-case, single spaces ("Anh  TUẤN" → "anh tuan"). */
export function recruiterNameKey(input: string): RecruiterKey | undefined {
  const key = foldVietnamese(input.normalize('NFC')).replace(/\s+/g, ' ').trim();
  return key.length >= 2 ? { kind: 'name', key } : undefined;
}

/**
 * What a free-text query names: a phone number (also zalo.me/<number>), else a link when it looks like one
 * (undefined when it looks like a link but is not a usable one), else a name.
 */
export function classifyRecruiterQuery(input: string): RecruiterKey | undefined {
  const phone = recruiterPhoneKey(input);
  if (phone) return phone;
  const text = input.trim();
  if (LOOKS_LIKE_LINK.test(text)) return recruiterLinkKey(text);
  return recruiterNameKey(text);
}
