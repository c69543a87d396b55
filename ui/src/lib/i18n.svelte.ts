// The current language, shared by every component, remembered between runs.
import {
  isLanguage,
  translate,
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

export function n(value: number): string {
  return formatNumber(i18n.language, value);
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
