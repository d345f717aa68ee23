import { fieldMessage, Lang, problemMessage } from '@app/core';

import TEXTS from './web.texts.json';

/** A text of the pages: web.texts.json holds each in Vietnamese and English, with `{name}` placeholders. */
export type TextKey = keyof typeof TEXTS;

export function translate(lang: Lang, key: TextKey, params?: Record<string, string | number>): string {
  const text = TEXTS[key][lang];
  return params ? text.replace(/\{(\w+)\}/g, (match, name: string) => String(params[name] ?? match)) : text;
}

/** A text by a key built at run time (a status, a role), or the raw value when there is none. */
export function translateDynamic(lang: Lang, key: string): string {
  return key in TEXTS ? translate(lang, key as TextKey) : key;
}

/** The registered title and detail of a domain problem code, as the API answers it. */
export function problemText(code: string, lang: Lang): string {
  const message = problemMessage(code, lang);
  return message ? message.detail || message.title : code;
}

export function fieldText(constraint: string, lang: Lang): string {
  return fieldMessage(constraint, lang);
}
