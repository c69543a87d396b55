// The UI's words: the languages, the message catalogues (locales/en.ts, locales/da.ts) and
// how a message becomes text. Every key exists in both catalogues (a unit test checks it),
// so switching language never shows a half-translated screen.
import { IntlMessageFormat } from 'intl-messageformat';
import { da } from './locales/da';
import { en } from './locales/en';

export const languages = ['en', 'da'] as const;
export type Language = (typeof languages)[number];

export const views = [
  'overview',
  'quotas',
  'missions',
  'cases',
  'placement',
  'documents',
  'settings',
] as const;
export type View = (typeof views)[number];

export type MessageKey = keyof typeof en;

export const dictionaries: Record<Language, Record<MessageKey, string>> = { en, da };

export const languageNames: Record<Language, string> = { en: 'English', da: 'Dansk' };

interface Compiled {
  format: IntlMessageFormat;
  /** The values the message writes as numbers (`{n, number}`, `{n, plural, ...}`). */
  numeric: Set<string>;
}

const compiled = new Map<string, Compiled>();

/**
 * The names of a parsed message's arguments, nested ones too; only the number and plural
 * ones when `numeric`. (The parser's element types: 0 is literal text, 2 a number
 * argument, 6 a plural.)
 */
export function argumentNames(elements: ReturnType<IntlMessageFormat['getAst']>, numeric = false, into = new Set<string>()): Set<string> {
  for (const element of elements) {
    const wanted = numeric ? element.type === 2 || element.type === 6 : element.type !== 0;
    if (wanted && 'value' in element) into.add(String(element.value));
    if ('options' in element) {
      for (const option of Object.values(element.options)) argumentNames(option.value, numeric, into);
    }
  }
  return into;
}

function compile(language: Language, key: MessageKey): Compiled {
  const id = `${language}\u0000${key}`;
  let found = compiled.get(id);
  if (!found) {
    // Tags (<b>) are text here: no message carries markup.
    const format = new IntlMessageFormat(dictionaries[language][key], locale(language), undefined, { ignoreTag: true });
    found = { format, numeric: argumentNames(format.getAst(), true) };
    compiled.set(id, found);
  }
  return found;
}

/**
 * Looks a message up and formats it (ICU MessageFormat: plural forms and numbers as the
 * language writes them). The message says which values are numbers; one given as text
 * (a count already written as "1,500") is read back as its number first. A placeholder
 * without its value stays visible as `{name}`, so a missing value shows on screen
 * instead of breaking the view.
 */
export function translate(
  language: Language,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const { format, numeric } = compile(language, key);
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    values[name] = numeric.has(name) && typeof value === 'string' ? Number(value.replace(/[^\d-]/g, '')) : value;
  }
  try {
    return String(format.format(values));
  } catch {
    return dictionaries[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  }
}

/** Formats a count the way the language writes numbers (1.500 in Danish, 1,500 in English). */
export function formatNumber(language: Language, n: number): string {
  return new Intl.NumberFormat(locale(language)).format(n);
}

function locale(language: Language): string {
  return language === 'da' ? 'da-DK' : 'en-GB';
}

/** A number with exactly `digits` decimals (2.50 in English, 2,50 in Danish). */
export function formatDecimal(language: Language, n: number, digits = 2): string {
  return new Intl.NumberFormat(locale(language), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** A change of a count, always with its sign (+95, −95); 0 stays 0. */
export function formatSigned(language: Language, n: number): string {
  return new Intl.NumberFormat(locale(language), { signDisplay: 'exceptZero' }).format(n);
}

/**
 * An instant as the shell sends it (RFC 3339, possibly with nanoseconds, which not every
 * web view parses) in milliseconds since 1970; NaN when it is not one.
 */
export function parseInstant(text: string): number {
  return Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
}

/** A calendar day (YYYY-MM-DD) in the language's words: "5 Mar 2026", "5. mar. 2026". */
export function formatDate(language: Language, day: string): string {
  const time = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(time)) return day;
  return new Intl.DateTimeFormat(locale(language), { dateStyle: 'medium', timeZone: 'UTC' }).format(time);
}

/** An instant (RFC 3339) as a date and time on this computer's clock. */
export function formatDateTime(language: Language, instant: string): string {
  const time = parseInstant(instant);
  if (Number.isNaN(time)) return instant;
  return new Intl.DateTimeFormat(locale(language), { dateStyle: 'medium', timeStyle: 'short' }).format(time);
}

/** Whether `key` names a message (for keys built from codes the shell sends). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(dictionaries.en, key);
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}
