import { describe, expect, it } from 'vitest';
import type { MunicipalityFill } from './bindings';
import { byCost, fillAt, fillRows, idleCount, overQuota, percentOf, placedInYear } from './balance';

/** A municipality with `quota`, `placed` persons proposed in each of the months given (1 to 12). */
function fill(code: string, quota: number, placed: Record<number, number> = {}): MunicipalityFill {
  const placed_by_month: number[] = [];
  let total = 0;
  for (let month = 1; month <= 12; month++) {
    total += placed[month] ?? 0;
    placed_by_month.push(total);
  }
  return { code, quota, placed_by_month, fill_by_month: placed_by_month.map((p) => (quota === 0 ? 0 : p / quota)) };
}

describe('balance: the fill of the quotas', () => {
  it('lists the municipalities with a quota or anyone placed, by code', () => {
    const rows = fillRows([fill('851', 20, { 4: 2 }), fill('147', 0), fill('101', 10), fill('860', 0, { 5: 3 })]);
    expect(rows.map((m) => m.code)).toEqual(['101', '851', '860']);
  });

  it('counts the municipalities with a quota and no one placed', () => {
    expect(idleCount([fill('101', 10), fill('147', 0), fill('851', 20, { 12: 1 }), fill('860', 5)])).toBe(2);
  });

  it('gives the fill at the end of a quarter in whole percent with the persons, and none without a quota', () => {
    const m = fill('101', 10, { 2: 4, 7: 3 });
    expect(fillAt(m, 2)).toEqual({ percent: 40, persons: 4 });
    expect(fillAt(m, 5)).toEqual({ percent: 40, persons: 4 });
    expect(fillAt(m, 8)).toEqual({ percent: 70, persons: 7 });
    expect(fillAt(fill('860', 0, { 1: 2 }), 11)).toEqual({ percent: null, persons: 2 });
    expect(fillAt(fill('147', 3, { 1: 1 }), 2)).toEqual({ percent: 33, persons: 1 });
  });

  it('says how far a municipality is over its quota by the end of the year', () => {
    expect(overQuota(fill('101', 10, { 3: 13 }))).toBe(3);
    expect(overQuota(fill('147', 10, { 3: 10 }))).toBe(0);
    expect(overQuota(fill('860', 0, { 11: 2 }))).toBe(2);
    expect(placedInYear(fill('860', 0, { 11: 2 }))).toBe(2);
  });
});

describe('balance: the outcomes by group', () => {
  it('writes a share in percent with one decimal, never −0', () => {
    expect(percentOf(0.4251)).toBe(42.5);
    expect(percentOf(0.04449)).toBe(4.4);
    expect(percentOf(-0.00001)).toBe(0);
    expect(Object.is(percentOf(-0.00001), 0)).toBe(true);
  });

  it('puts the largest cost first, groups without one last', () => {
    const groups = [
      { group: 'AFG', cost: 0.01 },
      { group: 'unknown', cost: null },
      { group: 'SYR', cost: 0.045 },
      { group: 'COD', cost: 0.01 },
      { group: 'ERI', cost: null },
    ];
    expect(byCost(groups).map((g) => g.group)).toEqual(['SYR', 'AFG', 'COD', 'ERI', 'unknown']);
  });
});
