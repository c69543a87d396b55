import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { argumentNames, dictionaries, formatNumber, languages, translate, views, type MessageKey } from './messages';

describe('messages', () => {
  it('has every key in every language, and no empty text', () => {
    const keys = Object.keys(dictionaries.en).sort();
    for (const lang of languages) {
      expect(Object.keys(dictionaries[lang]).sort()).toEqual(keys);
      for (const key of keys) expect(dictionaries[lang][key as keyof typeof dictionaries.en]).not.toBe('');
    }
  });

  it('parses every message as ICU MessageFormat, with the same values in every language', () => {
    for (const key of Object.keys(dictionaries.en) as MessageKey[]) {
      const names = languages.map((lang) => [...argumentNames(new IntlMessageFormat(dictionaries[lang][key], lang).getAst())].sort());
      for (const other of names.slice(1)) expect(other, key).toEqual(names[0]);
    }
  });

  it('says a count in the form its number needs, written as the language writes numbers', () => {
    expect(translate('en', 'docs.previewPages', { shown: 1, total: 1 })).toBe('Showing 1 of 1 page.');
    expect(translate('en', 'docs.previewPages', { shown: 2, total: 1500 })).toBe('Showing 2 of 1,500 pages.');
    expect(translate('da', 'docs.previewPages', { shown: 1, total: 1 })).toBe('Viser 1 af 1 side.');
    expect(translate('da', 'docs.previewPages', { shown: 2, total: 1500 })).toBe('Viser 2 af 1.500 sider.');
    // A count already written as text is read back as its number: the message decides.
    expect(translate('en', 'case.total', { count: '1' })).toBe('1 case');
    expect(translate('da', 'case.total', { count: '1.500' })).toBe('1.500 sager');
    expect(translate('da', 'import.done', { households: 1, persons: 3 })).toBe('Importerede 1 ny husstand (3 personer).');
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
