// Country and nationality codes (ISO 3166-1 alpha-3, as UNHCR's files carry them) shown
// as names in the user's language, from i18n-iso-countries' Danish and English lists
// rather than a hand list; the code stays beside the name, as caseworkers know the codes.
import countries from 'i18n-iso-countries';
import da from 'i18n-iso-countries/langs/da.json';
import en from 'i18n-iso-countries/langs/en.json';
import type { Language } from './messages';

countries.registerLocale(da);
countries.registerLocale(en);

/** "Somalia (SOM)" / "Syrien (SYR)"; an unknown code as it is. */
export function countryName(code: string, language: Language): string {
  const name = countries.getName(code.trim().toUpperCase(), language);
  return name ? `${name} (${code})` : code;
}
