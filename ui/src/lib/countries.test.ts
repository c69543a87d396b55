import { describe, expect, it } from 'vitest';
import { countryName } from './countries';

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
