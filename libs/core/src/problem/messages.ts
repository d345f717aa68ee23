import catalogue from './texts.json';

export type Lang = 'vi' | 'en';

export interface Message {
  title: string;
  detail: string;
}

export type ProblemMessages = Record<string, Record<Lang, Message>>;
export type FieldMessages = Record<string, Record<Lang, string>>;

/** The codes of a catalogue, each its own value: `EXAMPLE_PROBLEMS.THING_TAKEN === 'THING_TAKEN'`. */
export type ProblemCodesOf<C> = { readonly [K in keyof C & string]: K };

/**
 * Every lib's problem codes, so that ProblemException takes only codes some lib defines. A lib adds its
 * catalogue under its own name, beside its `defineProblemMessages` call:
 *
 *   declare module '@app/core' {
 *     interface ProblemCatalogues {
 *       example: typeof EXAMPLE_PROBLEMS;
 *     }
 *   }
 */
export interface ProblemCatalogues {
  core: typeof CORE_PROBLEMS;
}

export type ProblemCode = {
  [Lib in keyof ProblemCatalogues]: keyof ProblemCatalogues[Lib] & string;
}[keyof ProblemCatalogues];

const problemMessages = new Map<string, Record<Lang, Message>>();
const fieldMessages = new Map<string, Record<Lang, string>>();

function register<T>(registry: Map<string, T>, catalogue: Record<string, T>, what: string): void {
  for (const [key, messages] of Object.entries(catalogue)) {
    const known = registry.get(key);
    if (known && JSON.stringify(known) !== JSON.stringify(messages)) {
      throw new Error(`${what} ${key} is defined twice with different messages`);
    }
    registry.set(key, messages);
  }
}

/**
 * Registers problem titles and details by stable code (`{name}` placeholders are filled from the
 * exception's params) and returns the codes. Call it at the top level of the lib's `<lib>.messages.ts`,
 * exported from its index, so that loading the lib registers its messages in every process and test.
 */
export function defineProblemMessages<C extends ProblemMessages>(catalogue: C): ProblemCodesOf<C> {
  register(problemMessages, catalogue, 'Problem code');
  return Object.freeze(
    Object.fromEntries(Object.keys(catalogue).map((code) => [code, code])),
  ) as ProblemCodesOf<C>;
}

/** Registers field-level messages by validation constraint name (class-validator's or a lib's own). */
export function defineFieldMessages(catalogue: FieldMessages): void {
  register(fieldMessages, catalogue, 'Field constraint');
}

/** The title and detail of a code, or undefined for a code whose lib has not registered its messages. */
export function problemMessage(code: string, lang: Lang): Message | undefined {
  return problemMessages.get(code)?.[lang];
}

export const DEFAULT_FIELD_MESSAGE: Record<Lang, string> = {
  vi: 'Giá trị không hợp lệ',
  en: 'Invalid value',
};

export function fieldMessage(constraint: string, lang: Lang): string {
  return (fieldMessages.get(constraint) ?? DEFAULT_FIELD_MESSAGE)[lang];
}

export const CORE_PROBLEMS = defineProblemMessages(catalogue.problems);

/** Messages of class-validator's own constraints and of core's checks. */
defineFieldMessages(catalogue.fields);

export function negotiateLanguage(header: string | string[] | undefined): Lang {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { lang: Lang; q: number } = { lang: 'vi', q: 0 };
  for (const part of value.split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const lang = tag.startsWith('en') ? 'en' : tag.startsWith('vi') ? 'vi' : undefined;
    if (!lang) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > best.q) best = { lang, q };
  }
  return best.lang;
}

export function interpolate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) =>
    key in params ? String(params[key]) : match,
  );
}
