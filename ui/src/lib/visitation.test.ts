import { describe, expect, it } from 'vitest';
import type { CommandError } from './bindings';
import {
  jobOfferForm,
  modelInUse,
  newestFirst,
  parseHours,
  parseMunicipalityCode,
  parseRegionCode,
  placeLabel,
  validateCase,
  validateJobOffer,
  validateOverride,
  validateWishes,
  wishesOf,
  wishField,
  wishPlace,
  wishRefusal,
  wishRows,
  type JobOfferInput,
  type WishRow,
} from './visitation';

const offer: JobOfferInput = { case_no: ' SYR-26C00001 ', municipality: '101', hours: '37,5', permanent: true, document: ' Letter 2026-04-01 ' };
const rows = [
  { code: 101, name: 'København' },
  { code: 147, name: 'Frederiksberg' },
];

describe('visitation: the job offer', () => {
  it('reads hours with a decimal point or comma, above 0 and at most 80', () => {
    expect(parseHours('37')).toBe(37);
    expect(parseHours(' 37,5 ')).toBe(37.5);
    expect(parseHours('7.25')).toBe(7.25);
    expect(parseHours('80')).toBe(80);
    for (const bad of ['', '0', '0,0', '80.5', '-5', 'ten', '37,5,1', '1e2']) expect(parseHours(bad), bad).toBeNull();
  });

  it('reads municipality codes of up to three digits and the five region codes', () => {
    expect(parseMunicipalityCode(' 101 ')).toBe(101);
    expect(parseMunicipalityCode('1010')).toBeNull();
    expect(parseMunicipalityCode('10.1')).toBeNull();
    expect(parseMunicipalityCode('')).toBeNull();
    expect(parseRegionCode('1084')).toBe(1084);
    expect(parseRegionCode('1086')).toBeNull();
    expect(parseRegionCode('101')).toBeNull();
  });

  it('checks every field and sends the offer as typed, trimmed', () => {
    expect(validateJobOffer(offer)).toEqual({ case_no: undefined, municipality: undefined, hours_per_week: undefined, document: undefined });
    expect(jobOfferForm(offer)).toEqual({
      case_no: 'SYR-26C00001',
      municipality: 101,
      hours_per_week: 37.5,
      permanent: true,
      document: 'Letter 2026-04-01',
    });
    expect(validateJobOffer({ case_no: ' ', municipality: '', hours: '', permanent: false, document: '' })).toEqual({
      case_no: 'visit.err.case',
      municipality: 'quota.err.required',
      hours_per_week: 'quota.err.required',
      document: 'visit.err.document',
    });
    expect(validateJobOffer({ ...offer, municipality: 'Aarhus', hours: '81' })).toMatchObject({
      municipality: 'visit.err.municipality',
      hours_per_week: 'visit.err.hours',
    });
    // A temporary or short offer is recorded: whether it qualifies is the shell's to say.
    expect(validateJobOffer({ ...offer, hours: '10', permanent: false }).hours_per_week).toBeUndefined();
  });

  it('asks for the case before a load, and for the reason of an override', () => {
    expect(validateCase({ case_no: '' })).toEqual({ case_no: 'visit.err.case' });
    expect(validateCase({ case_no: 'C-1' })).toEqual({ case_no: undefined });
    expect(validateOverride({ reason: '  ' })).toEqual({ reason: 'visit.err.overrideReason' });
    expect(validateOverride({ reason: 'Family in Aarhus' })).toEqual({ reason: undefined });
  });
});

describe('visitation: the household’s wishes', () => {
  const typed: WishRow[] = [
    { kind: 'municipality', code: ' 101 ', reason: 'relatives' },
    { kind: 'municipality', code: '', reason: '' },
    { kind: 'region', code: '1084', reason: '' },
  ];

  it('sends the rows typed, without the empty ones, each with only its place', () => {
    expect(wishesOf(typed)).toEqual({
      wishes: [{ municipality: '101', reason: 'relatives' }, { region: '1084' }],
      rows: [0, 2],
    });
    expect(wishesOf([])).toEqual({ wishes: [], rows: [] });
  });

  it('checks each row that is not empty', () => {
    expect(validateWishes({ case_no: 'C-1', rows: typed })).toEqual({
      case_no: undefined,
      'code-1': undefined,
      'code-2': undefined,
      'code-3': undefined,
    });
    expect(
      validateWishes({
        case_no: '',
        rows: [
          { kind: 'municipality', code: '', reason: 'work' },
          { kind: 'municipality', code: '10x', reason: '' },
          { kind: 'region', code: '101', reason: 'other' },
        ],
      }),
    ).toEqual({
      case_no: 'visit.err.case',
      'code-1': 'visit.err.wishPlace',
      'code-2': 'visit.err.municipality',
      'code-3': 'visit.err.region',
    });
  });

  it('shows recorded wishes as rows, at least three', () => {
    expect(wishRows([])).toHaveLength(3);
    expect(wishRows([{ region: '1084', reason: 'work' }, { municipality: '147', reason: null }])).toEqual([
      { kind: 'region', code: '1084', reason: 'work' },
      { kind: 'municipality', code: '147', reason: '' },
      { kind: 'municipality', code: '', reason: '' },
    ]);
    const five = Array.from({ length: 5 }, (_, i) => ({ municipality: String(101 + i) }));
    expect(wishRows(five)).toHaveLength(5);
    expect(wishField(0)).toBe('code-1');
    expect(wishField(4)).toBe('code-5');
  });

  it('names a refused wish by the row it came from', () => {
    const refused: CommandError = {
      message: 'wish 2 repeats wish 1 (101)',
      field: 'wishes',
      code: 'wish_twice',
      params: { rank: '2', first: '1', place: '101' },
    };
    expect(wishRefusal(refused, [0, 2])).toEqual({
      ...refused,
      field: 'code-3',
      params: { rank: '3', first: '1', place: '101' },
    });
    const other: CommandError = { message: 'no such case', field: 'case', code: 'no_such_case', params: { case: 'C-9' } };
    expect(wishRefusal(other, [0])).toBe(other);
    const tooMany: CommandError = { message: 'too many', field: 'wishes', code: 'too_many_wishes', params: { given: '6', most: '5' } };
    expect(wishRefusal(tooMany, [0])).toBe(tooMany);
  });

  it('names places by code and name', () => {
    expect(placeLabel(rows, 'municipality', '147')).toBe('147 Frederiksberg');
    expect(placeLabel(rows, 'municipality', '999')).toBe('999');
    expect(placeLabel(rows, 'region', '1084')).toBe('1084 Region Hovedstaden');
    expect(placeLabel(rows, 'region', '77')).toBe('77');
    expect(wishPlace(rows, { municipality: '101', reason: 'work' })).toBe('101 København');
    expect(wishPlace(rows, { region: '1081' })).toBe('1081 Region Nordjylland');
  });
});

describe('visitation: the models', () => {
  it('lists the newest first and says which is in use', () => {
    const models = [
      { version: 1, in_use: false },
      { version: 3, in_use: false },
      { version: 2, in_use: true },
    ];
    expect(newestFirst(models).map((m) => m.version)).toEqual([3, 2, 1]);
    expect(modelInUse(models)).toBe(2);
    expect(modelInUse(models.map((m) => ({ ...m, in_use: false })))).toBeNull();
  });
});
