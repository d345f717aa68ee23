import { Lang, negotiateLanguage } from '@app/core';
import type {} from '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { WebAssets } from './assets';
import { TextKey, translate, translateDynamic } from './i18n';

export interface ReferenceNames {
  countries: Map<string, { vi: string; en: string }>;
  industries: Map<string, { vi: string; en: string }>;
  programs: Map<string, { vi: string; en: string }>;
}

/** What every template receives as `it` besides its page's data: language, texts, links and formatting. */
export interface PageContext {
  lang: Lang;
  /** Whether the language was chosen with `?lang=`, so links must carry it on. */
  langInUrl: boolean;
  path: string;
  origin: string;
  t: (key: TextKey, params?: Record<string, string | number>) => string;
  td: (key: string) => string;
  href: (path: string, params?: Record<string, string | number | undefined | null>) => string;
  absolute: (path: string) => string;
  /** The absolute URL of a page in this language (`?lang=en` for English, whatever chose it). */
  canonical: (path: string, params?: Record<string, string | number | undefined | null>) => string;
  registration: (status: string, number?: string | null) => string;
  license: (status: string) => string;
  gender: (gender: string | null | undefined) => string;
  otherLanguageHref: string;
  asset: (name: string) => string;
  num: (value: number) => string;
  vnd: (value: number | null | undefined) => string;
  money: (amount: number, currency: string) => string;
  date: (iso: string | null | undefined) => string;
  dateTime: (iso: string | null | undefined) => string;
  flag: (country: string) => string;
  country: (code: string | null | undefined) => string;
  industry: (code: string) => string;
  program: (code: string) => string;
}

const API_OR_METRICS = /^\/(api(\/|\?|$)|metrics(\/|\?|$))/;

/** Whether a request is for the pages (everything but the JSON API and /metrics). */
export function isPageRequest(url: string): boolean {
  return !API_OR_METRICS.test(url);
}

function queryLang(request: FastifyRequest): Lang | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.lang;
  return value === 'en' || value === 'vi' ? value : undefined;
}

function flagEmoji(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return '';
  return String.fromCodePoint(...[...code].map((letter) => 0x1f1e6 + letter.charCodeAt(0) - 65));
}

const REGISTRATION_TEXTS: Record<string, TextKey> = {
  source_preparation: 'regSourcePreparation',
  submitted: 'regSubmitted',
  draft: 'regDraft',
  rejected: 'regRejected',
};
const LICENSE_TEXTS: Record<string, TextKey> = {
  active: 'licActive',
  suspended: 'licSuspended',
  revoked: 'licRevoked',
  pending_verification: 'licPending',
  expired: 'licExpired',
  surrendered: 'licSurrendered',
};

// Intl formatters cost tens of microseconds to build: one of each per locale (and currency) per process.
const FORMATTERS = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function formatter<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, create: () => F): F {
  let known = FORMATTERS.get(key) as F | undefined;
  if (!known) {
    known = create();
    if (FORMATTERS.size < 500) FORMATTERS.set(key, known);
  }
  return known;
}

const DATE_TIME = { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'medium', timeStyle: 'short' } as const;

export function buildPageContext(
  request: FastifyRequest,
  assets: WebAssets,
  names: ReferenceNames,
  publicUrl: string | undefined,
): PageContext {
  const fromQuery = queryLang(request);
  const lang = fromQuery ?? negotiateLanguage(request.headers['accept-language']);
  const langInUrl = fromQuery !== undefined;
  const [path, search = ''] = request.url.split('?');
  const host = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(request.host)
    ? request.host
    : 'localhost';
  const origin = publicUrl ?? `${request.protocol === 'https' ? 'https' : 'http'}://${host}`;
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const numbers = formatter(`n:${locale}`, () => new Intl.NumberFormat(locale));
  const dates = formatter(
    `d:${locale}`,
    () => new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'medium' }),
  );
  const dateTimes = formatter(`t:${locale}`, () => new Intl.DateTimeFormat(locale, DATE_TIME));
  const name = (map: Map<string, { vi: string; en: string }>, code: string | null | undefined) =>
    code ? (map.get(code)?.[lang] ?? code) : '';

  const href = (target: string, params: Record<string, string | number | undefined | null> = {}) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
    }
    if (langInUrl) query.set('lang', lang);
    const text = query.toString();
    return text ? `${target}?${text}` : target;
  };
  const other = new URLSearchParams(search);
  other.set('lang', lang === 'vi' ? 'en' : 'vi');
  other.delete('cursor');

  return {
    lang,
    langInUrl,
    path,
    origin,
    t: (key, params) => translate(lang, key, params),
    td: (key) => translateDynamic(lang, key),
    href,
    absolute: (target) => `${origin}${target}`,
    canonical: (target, params = {}) => {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(params)) {
        if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
      }
      if (lang === 'en') query.set('lang', 'en');
      const text = query.toString();
      return `${origin}${target}${text ? `?${text}` : ''}`;
    },
    registration: (status, number) => {
      if (status === 'approved')
        return number ? translate(lang, 'regApprovedNumber', { number }) : translate(lang, 'regApproved');
      const key = REGISTRATION_TEXTS[status];
      return key ? translate(lang, key) : status;
    },
    license: (status) => translate(lang, LICENSE_TEXTS[status] ?? 'licPending'),
    gender: (gender) =>
      translate(lang, gender === 'male' ? 'genderMale' : gender === 'female' ? 'genderFemale' : 'genderAny'),
    otherLanguageHref: `${path}?${other.toString()}`,
    asset: (file) => assets.url(file),
    num: (value) => numbers.format(value),
    vnd: (value) => (value === null || value === undefined ? '—' : `${numbers.format(value)} ₫`),
    money: (amount, currency) =>
      formatter(
        `m:${locale}:${currency}`,
        () => new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 }),
      ).format(amount),
    date: (iso) => (iso ? dates.format(new Date(iso)) : ''),
    dateTime: (iso) => (iso ? dateTimes.format(new Date(iso)) : ''),
    flag: flagEmoji,
    country: (code) => name(names.countries, code),
    industry: (code) => name(names.industries, code),
    program: (code) => name(names.programs, code),
  };
}

const CONTEXT = Symbol('page context');

/** The page context of a request, built once (by the pages' preHandler hook or the error filter). */
export function pageContextOf(request: FastifyRequest): PageContext | undefined {
  return (request as unknown as Record<symbol, PageContext | undefined>)[CONTEXT];
}

export function attachPageContext(request: FastifyRequest, reply: FastifyReply, context: PageContext): void {
  (request as unknown as Record<symbol, PageContext>)[CONTEXT] = context;
  // @fastify/view merges reply.locals into every view's data (its types leave `locals` to the app).
  const withLocals = reply as FastifyReply & { locals?: object | null };
  withLocals.locals = Object.assign(withLocals.locals ?? {}, context);
}
