import { describe, expect, it } from 'vitest';
import { countryName } from './countries';
import codes from 'i18n-iso-countries/codes.json';
import daList from 'i18n-iso-countries/langs/da.json';
import enList from 'i18n-iso-countries/langs/en.json';
import codesCopy from '../../../data/countries/codes.json';
import daCopy from '../../../data/countries/da.json';
import enCopy from '../../../data/countries/en.json';

describe('country names', () => {
  it('names an alpha-3 code in the language asked for, the code beside it', () => {
    expect(countryName('SYR', 'en')).toBe('Syrian Arab Republic (SYR)');
    expect(countryName('SYR', 'da')).toBe('Syrien (SYR)');
    expect(countryName('AFG', 'da')).toBe('Afghanistan (AFG)');
    expect(countryName('COD', 'en')).toContain('Congo');
  });

  it('leaves a code it does not know as it is', () => {
    expect(countryName('XXX', 'en')).toBe('XXX');
  });
});

// The PDFs name countries from copies of these lists (data/countries/, read by
// crates/documents/src/countries.rs): they must be the package's own, so that a referral and
// the window say the same name. After an update of the package, copy its files again.

describe('the lists the documents use', () => {
  it('are the package\'s own', () => {
    expect(codesCopy).toEqual(codes);
    expect(daCopy).toEqual(daList);
    expect(enCopy).toEqual(enList);
  });
});

