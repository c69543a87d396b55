import { afterEach, describe, expect, it } from 'vitest';
import { REFUSAL_CODES, type CommandError } from './bindings';
import { dictionaries, languages } from './messages';
import { i18n, refusalText } from './i18n.svelte';

const refusal = (code: string, params: Record<string, string>): CommandError => ({
  message: 'the English text from the shell',
  field: 'places',
  code,
  params,
});

describe('refusals in the user language', () => {
  afterEach(() => {
    i18n.language = 'en';
  });

  it('has a message for every code the core and the shell can send, in every language', () => {
    for (const lang of languages) {
      for (const code of REFUSAL_CODES) {
        expect(dictionaries[lang], `${lang}: refusal.${code}`).toHaveProperty(`refusal.${code}`);
      }
    }
  });

  it('fills in the values, numbers and sub-quota names in Danish', () => {
    i18n.language = 'da';
    expect(refusalText(refusal('exceeds_period_total', { would_be: '1515', total: '1500', over: '15' }))).toBe(
      'Periodens fordeling ville komme op på 1.515 pladser, 15 flere end periodens 1.500 pladser.',
    );
    expect(
      refusalText(refusal('not_enough_places', { missing: '4', shortfalls: 'geographical/2026/5/2;medical/2026/31/30' })),
    ).toBe('Der mangler 4 pladser: Geografisk 2026 skal bruge 5, 2 ledige; Medicinsk 2026 skal bruge 31, 30 ledige.');
    expect(refusalText(refusal('below_committed', { year: '2026', sub_quota: 'medical', minimum: '12' }))).toContain(
      'Medicinsk 2026 kan ikke komme under 12',
    );
  });

  it('names statuses and screening grounds in the language', () => {
    i18n.language = 'da';
    expect(refusalText(refusal('transition_not_allowed', { case: 'SYR-26C00001', from: 'submitted', to: 'arrived' }))).toBe(
      'Sag SYR-26C00001 har status »Indstillet«; den kan ikke gå videre til »Ankommet«.',
    );
    i18n.language = 'en';
    expect(refusalText(refusal('exclusion_undecided', { case: 'C-1', ground: 'serious_crime' }))).toBe(
      'Case C-1 has a screening flag (Serious crime) without a decision; decide the flag before accepting the case.',
    );
    expect(refusalText(refusal('lessons_out_of_range', { lessons: '11', max: '10' }))).toBe(
      '11 lessons is more than the 10 the orientation has.',
    );
  });

  it('names the role or the grant a refusal of access needs', () => {
    expect(refusalText(refusal('forbidden', { actor: 'kim', permission: 'decide_cases', role: 'quota_manager' }))).toBe(
      'kim may not do this: it needs the quota manager role.',
    );
    i18n.language = 'da';
    expect(refusalText(refusal('forbidden', { actor: 'kim', permission: 'export_documents', role: 'export' }))).toBe(
      'kim må ikke gøre dette: det kræver tilladelsen til at eksportere.',
    );
  });

  it('keeps years as they are and falls back to the text of a fault', () => {
    expect(refusalText(refusal('year_closed', { year: '2026' }))).toMatch(/^2026 is closed/);
    expect(refusalText({ message: 'disk full', field: null, code: null, params: {} })).toBe('disk full');
    expect(refusalText(refusal('a_code_from_a_newer_shell', {}))).toBe('the English text from the shell');
  });
});
