// The current language, shared by every component, remembered between runs.
import { countryName } from './countries';
import type { CommandError, Role, Text } from './bindings';
import {
  isLanguage,
  isMessageKey,
  translate,
  formatDecimal,
  formatNumber,
  formatSigned,
  formatDate,
  formatDateTime,
  type Language,
  type MessageKey,
} from './messages';

const STORAGE_KEY = 'resettle.language';

function initialLanguage(): Language {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (isLanguage(saved)) return saved;
  return globalThis.navigator?.language?.toLowerCase().startsWith('da') ? 'da' : 'en';
}

export const i18n = $state({ language: initialLanguage() });

export function setLanguage(language: Language): void {
  i18n.language = language;
  globalThis.localStorage?.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(i18n.language, key, params);
}

/** A text the core gives in both languages, in the current one. */
export function local(text: Text): string {
  return text[i18n.language];
}

/**
 * A refusal in the current language: the message for its code, filled with its values
 * (sub-quota, status and screening codes named in the language, a list of shortfalls
 * written out), or the shell's English text when the code has no message (faults rather
 * than refusals).
 */
export function refusalText(error: CommandError): string {
  const key = `refusal.${error.code ?? ''}`;
  if (!error.code || !isMessageKey(key)) return error.message;
  const named = (prefix: string, code: string) => {
    const name = `${prefix}${code}`;
    return isMessageKey(name) ? t(name) : code;
  };
  const subQuota = (code: string) => named('quota.sub.', code);
  // Values go as the shell sends them, as text: each message says which are numbers
  // (`{cap, number}` groups digits as the language does, a plain `{year}` does not), and
  // `translate` reads those as numbers.
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(error.params)) {
    if (value !== undefined) params[name] = value;
  }
  if (error.params.sub_quota) params.sub_quota = subQuota(error.params.sub_quota);
  // A placement proposal's statuses are not a case's.
  const status = error.code === 'bad_transition' ? 'placement.status.' : 'case.status.';
  const { from, to, weight, ground, role } = error.params;
  if (from) params.from = named(status, from);
  if (to) params.to = named(status, to);
  if (weight) params.weight = named('placement.weight.', weight);
  if (ground) params.ground = named('case.ground.', ground);
  if (role) params.role = named('role.needs.', role);
  if (error.params.shortfalls) {
    params.shortfalls = error.params.shortfalls
      .split(';')
      .map((item) => {
        const [sub, year, needed, available] = item.split('/');
        return t('refusal.shortfall', { sub_quota: subQuota(sub), year, needed: Number(needed), available: Number(available) });
      })
      .join('; ');
  }
  return t(key, params);
}

/** A user's role named in the current language. */
export function roleName(role: Role): string {
  return t(`role.${role}` as const);
}

export function n(value: number): string {
  return formatNumber(i18n.language, value);
}

/** A number with exactly `digits` decimals, as the language writes them. */
export function decimal(value: number, digits = 2): string {
  return formatDecimal(i18n.language, value, digits);
}

/** A change of a count, with its sign. */
export function signed(value: number): string {
  return formatSigned(i18n.language, value);
}

/** A calendar day (YYYY-MM-DD). */
export function date(day: string): string {
  return formatDate(i18n.language, day);
}

/** An instant (RFC 3339), on this computer's clock. */
export function dateTime(instant: string): string {
  return formatDateTime(i18n.language, instant);
}

/** A country or nationality code as its name in the current language, the code beside it. */
export function country(code: string): string {
  return countryName(code, i18n.language);
}
