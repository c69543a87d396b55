import { afterEach, describe, expect, it } from 'vitest';
import type { CommandError, MunicipalityQuota } from './bindings';
import {
  batchOf,
  capacityText,
  caseNumbers,
  countByStatus,
  filterMunicipalities,
  hasQuotas,
  infeasibleReasons,
  isOpen,
  municipalityLabel,
  namingMunicipality,
  nextStatus,
  parseExemptions,
  parseWeight,
  parseYear,
  poolMissions,
  proposalRefusal,
  runMethods,
  validateComputeQuotas,
  validateDecline,
  validateKeyInputs,
  validateMove,
  validatePropose,
  validateQuotaEdit,
  validateWeights,
  weightsOf,
  weightText,
} from './placement';
import { i18n, refusalText } from './i18n.svelte';

function row(code: number, name: string, quota: number | null, left: number): MunicipalityQuota {
  return {
    code,
    name,
    region_name: 'Region Hovedstaden',
    computed: quota,
    quota,
    used: quota === null ? 0 : quota - left,
    left,
    edit_reason: null,
    capacities: [],
    profile: { labour_market: [], services: [], languages: [] },
  };
}

const rows = [row(101, 'København', 40, 12), row(147, 'Frederiksberg', 10, 0), row(851, 'Aalborg', 20, -2)];

afterEach(() => {
  i18n.language = 'en';
});

describe('placement', () => {
  it('names the batch as the shell does', () => {
    expect(batchOf('accepted', 'ignored')).toBe('accepted');
    expect(batchOf('mission:m1', '')).toBe('mission:m1');
    expect(batchOf('cases', ' SYR-1, COD-2;SYR-1  AFG-3 ')).toBe('cases:SYR-1,COD-2,AFG-3');
    expect(caseNumbers(' , ')).toEqual([]);
    expect(validatePropose({ choice: 'cases', cases: ' ' }).cases).toBe('placement.err.cases');
    expect(validatePropose({ choice: 'accepted', cases: '' }).cases).toBeUndefined();
  });

  it('offers the missions with households waiting, and the run methods without "hand"', () => {
    const missions = [
      { id: 'm1', name: 'Lebanon 2026' },
      { id: 'm2', name: 'Kenya 2026' },
    ];
    expect(poolMissions(missions, [{ mission: 'Kenya 2026' }, { mission: null }])).toEqual([missions[1]]);
    expect(runMethods).toEqual(['optimal', 'greedy']);
  });

  it('says what a status allows', () => {
    expect(nextStatus('proposed')).toBe('consulted');
    expect(nextStatus('consulted')).toBe('confirmed');
    expect(nextStatus('confirmed')).toBeNull();
    expect(isOpen('consulted')).toBe(true);
    expect(isOpen('declined')).toBe(false);
    expect(countByStatus([{ status: 'proposed' }, { status: 'proposed' }, { status: 'declined' }])).toEqual({
      proposed: 2,
      consulted: 0,
      confirmed: 0,
      declined: 1,
    });
  });

  it('splits the reasons of an infeasible batch', () => {
    const refusal: CommandError = {
      message: 'no plan places the whole batch; nothing was saved: a; b',
      field: null,
      code: 'infeasible',
      params: { why: '3 places missing: 40 persons to place; household H1 cannot be placed anywhere' },
    };
    expect(infeasibleReasons(refusal)).toEqual([
      '3 places missing: 40 persons to place',
      'household H1 cannot be placed anywhere',
    ]);
    expect(infeasibleReasons({ ...refusal, code: 'bad_batch' })).toBeNull();
  });

  it('filters the municipalities by name or code, and by places left', () => {
    expect(filterMunicipalities(rows, 'køb', false).map((r) => r.code)).toEqual([101]);
    expect(filterMunicipalities(rows, '85', false).map((r) => r.code)).toEqual([851]);
    expect(filterMunicipalities(rows, '', true).map((r) => r.code)).toEqual([101]);
    expect(hasQuotas(rows)).toBe(true);
    expect(hasQuotas([row(101, 'København', null, 0)])).toBe(false);
    expect(capacityText({ capacity: 'wheelchair', units: 2, used: 1 })).toBe('wheelchair 1/2');
    expect(municipalityLabel(rows, 851)).toBe('851 Aalborg');
    expect(municipalityLabel(rows, 999)).toBe('999');
  });

  it('writes a move’s problems as refusals, naming the municipality', () => {
    const name = (code: number) => municipalityLabel(rows, code);
    expect(refusalText(proposalRefusal({ code: 'no_capacity', municipality: 147, capacity: 'wheelchair' }, name))).toBe(
      '147 Frederiksberg has no wheelchair free.',
    );
    expect(refusalText(proposalRefusal({ code: 'over_quota', municipality: 147, persons: 4, left: 0 }, name))).toMatch(
      /^147 Frederiksberg has 0 places left for 4 persons/,
    );
    i18n.language = 'da';
    expect(refusalText(proposalRefusal({ code: 'bad_transition', from: 'confirmed', to: 'declined' }, name))).toBe(
      'Et forslag med status »Bekræftet« kan ikke blive »Afvist«.',
    );
    const shell: CommandError = {
      message: 'x',
      field: 'municipality',
      code: 'link_group_split',
      params: { group: 'G1', municipality: '101' },
    };
    expect(refusalText(namingMunicipality(shell, name))).toBe(
      'Husstanden er koblet (G1) til husstande foreslået til 101 København; flyt gruppen samlet.',
    );
    expect(refusalText({ ...shell, code: 'bad_weight', params: { weight: 'spread' } })).toBe(
      'Vægten for Spredning skal være et tal fra 0 til 100.',
    );
  });

  it('checks the forms', () => {
    expect(validateDecline({ note: '  ' }).note).toBe('placement.err.declineReason');
    expect(validateDecline({ note: 'no housing' }).note).toBeUndefined();
    expect(validateMove({ municipality: null, overQuota: false, override: '' }).municipality).toBe('placement.err.municipality');
    expect(validateMove({ municipality: 101, overQuota: true, override: ' ' }).override_reason).toBe('placement.err.override');
    expect(validateMove({ municipality: 101, overQuota: false, override: '' }).override_reason).toBeUndefined();
    expect(validateQuotaEdit({ quota: 'x', reason: '' })).toEqual({ quota: 'quota.err.whole', reason: 'quota.err.reason' });
    expect(parseYear('2026')).toBe(2026);
    expect(parseYear('26')).toBeNull();
  });

  it('reads weights with a decimal point or comma, from 0 to 100', () => {
    expect(parseWeight('0,5')).toBe(0.5);
    expect(parseWeight('4')).toBe(4);
    expect(parseWeight('-1')).toBeNull();
    expect(parseWeight('1e2')).toBeNull();
    const typed = { network: '4', skills: '3', services: '101', language: '', spread: '0,5', wish: '3', municipality_wish: 'x', outcome: '10' };
    expect(validateWeights(typed)).toEqual({
      network: undefined,
      skills: undefined,
      services: 'placement.err.weight',
      language: 'quota.err.required',
      spread: undefined,
      wish: undefined,
      municipality_wish: 'placement.err.weight',
      outcome: undefined,
    });
    expect(weightsOf({ ...typed, services: '3', language: '1', municipality_wish: '1' })).toEqual({
      network: 4,
      skills: 3,
      services: 3,
      language: 1,
      spread: 0.5,
      wish: 3,
      municipality_wish: 1,
      outcome: 10,
    });
    expect(weightText(0.5, true)).toBe('0,5');
    expect(weightText(0.5, false)).toBe('0.5');
  });
});

describe('the distribution key', () => {
  it('reads exemptions as FROM:TO pairs of codes, none when empty', () => {
    expect(parseExemptions('')).toEqual([]);
    expect(parseExemptions(' 825:860, 741:740 ')).toEqual([
      { from: 825, to: 860 },
      { from: 741, to: 740 },
    ]);
    expect(parseExemptions('825:860;411:400')).toHaveLength(2);
  });

  it('refuses a pair that is not two different codes', () => {
    for (const bad of ['825', '825:', ':860', '825:860:1', 'Læsø:860', '8250:860', '825:825']) {
      expect(parseExemptions(bad), bad).toBeNull();
    }
  });

  it('asks for the file, a national number above 0 and readable exemptions', () => {
    expect(validateKeyInputs({ path: ' ' })).toEqual({ path: 'quota.err.required' });
    expect(validateKeyInputs({ path: '/data/key-2027.csv' })).toEqual({ path: undefined });
    expect(validateComputeQuotas({ national: '0', exemptions: '' }).national).toBe('quota.err.positive');
    expect(validateComputeQuotas({ national: 'many', exemptions: '' }).national).toBeDefined();
    expect(validateComputeQuotas({ national: '600', exemptions: '825:860' })).toEqual({
      national: undefined,
      exemptions: undefined,
    });
    expect(validateComputeQuotas({ national: '600', exemptions: '825-860' }).exemptions).toBe('placement.err.exemptions');
  });
});

