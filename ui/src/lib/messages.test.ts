import { describe, expect, it } from 'vitest';
import { dictionaries, formatNumber, languages, translate, views } from './messages';

describe('messages', () => {
  it('has every key in every language, and no empty text', () => {
    const keys = Object.keys(dictionaries.en).sort();
    for (const lang of languages) {
      expect(Object.keys(dictionaries[lang]).sort()).toEqual(keys);
      for (const key of keys) expect(dictionaries[lang][key as keyof typeof dictionaries.en]).not.toBe('');
    }
  });

  it('names the navigation exactly as the users know it', () => {
    expect(views.map((v) => translate('en', `nav.${v}`))).toEqual([
      'Overview', 'Quotas', 'Missions', 'Cases', 'Placement', 'Documents', 'Settings',
    ]);
    expect(views.map((v) => translate('da', `nav.${v}`))).toEqual([
      'Overblik', 'Kvoter', 'Missioner', 'Sager', 'Placering', 'Dokumenter', 'Indstillinger',
    ]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'overview.period', { start: 2026, end: 2028, places: '1,500' })).toBe(
      'Quota period 2026–2028: 1,500 places',
    );
    expect(translate('da', 'overview.error', {})).toBe('Tallene kunne ikke læses: {message}');
  });

  it('writes numbers the way each language does', () => {
    expect(formatNumber('en', 1500)).toBe('1,500');
    expect(formatNumber('da', 1500)).toBe('1.500');
  });
});
