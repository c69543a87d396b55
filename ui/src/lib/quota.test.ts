import { describe, expect, it } from 'vitest';
import type { LedgerEntry, QuotaStatus, SubQuota, SubQuotaStatus, YearStatus } from './bindings';
import {
  axis,
  barChart,
  countError,
  defaultYear,
  figures,
  hasErrors,
  latestPeriod,
  niceStep,
  parseWhole,
  periodUsed,
  refusalField,
  stepChart,
  subQuotas,
  usedSeries,
  validateAllocate,
  validateCloseYear,
  validateCreatePeriod,
  validateReallocate,
  yearTotals,
  type Frame,
} from './quota';
import { formatDate, formatDateTime, formatSigned, parseInstant } from './messages';
import { commandError, errorText, isCommandError } from './ipc';

function sub(sub_quota: SubQuota, allocated: number, more: Partial<SubQuotaStatus> = {}): SubQuotaStatus {
  return {
    sub_quota,
    allocated,
    carried_in: 0,
    committed: 0,
    used: 0,
    available: allocated,
    carried_out: 0,
    lapsed: 0,
    ...more,
  };
}

function year(y: number, closed = false, subs?: SubQuotaStatus[]): YearStatus {
  return {
    year: y,
    closed,
    sub_quotas: subs ?? [sub('geographical', 395), sub('emergency_urgent', 75), sub('medical', 30)],
  };
}

/** The demo period: 2026-2028, 1,500 places, 395 / 75 / 30 a year, nothing committed. */
function demo(more: Partial<QuotaStatus> = {}): QuotaStatus {
  return {
    period: 2026,
    end_year: 2028,
    total_places: 1500,
    annual_cap: 500,
    carry_over: true,
    open_year: 2026,
    years: [year(2026), year(2027), year(2028)],
    ...more,
  };
}

function entry(seq: number, kind: LedgerEntry['kind'], places: number, at: string): LedgerEntry {
  return {
    seq,
    kind,
    year: 2026,
    sub_quota: kind === 'year_closed' ? null : 'geographical',
    to_year: null,
    to_sub_quota: null,
    places,
    case_no: kind === 'arrival' ? `DNK-26-${seq}` : null,
    exceptional_id: null,
    author: 'tester',
    at,
    reason: 'test',
  };
}

const frame: Frame = { width: 400, height: 250, top: 10, right: 10, bottom: 40, left: 50 };

describe('quota figures', () => {
  it('lists every sub-quota and figure in the table order', () => {
    expect(subQuotas).toEqual(['geographical', 'emergency_urgent', 'medical']);
    expect(figures).toEqual(['allocated', 'carried_in', 'committed', 'used', 'available', 'carried_out', 'lapsed']);
  });

  it('sums a year over its sub-quotas', () => {
    const y = year(2026, false, [
      sub('geographical', 395, { committed: 10, used: 5, available: 380 }),
      sub('emergency_urgent', 75, { carried_in: 4, available: 79 }),
      sub('medical', 30, { used: 2, available: 28 }),
    ]);
    expect(yearTotals(y)).toEqual({
      allocated: 500,
      carried_in: 4,
      committed: 10,
      used: 7,
      available: 487,
      carried_out: 0,
      lapsed: 0,
    });
    expect(periodUsed(demo({ years: [y, year(2027)] }))).toBe(7);
  });

  it('opens on the first open year, else the first year, and on the latest period', () => {
    expect(defaultYear(demo({ open_year: 2027 }))).toBe(2027);
    expect(defaultYear(demo({ open_year: null }))).toBe(2026);
    const period = { id: 'x', years: 3, total_places: 1500, carry_over: true, annual_cap: 500 };
    expect(latestPeriod([{ ...period, start_year: 2026 }, { ...period, start_year: 2029 }])).toBe(2029);
    expect(latestPeriod([])).toBeNull();
  });
});

describe('chart geometry', () => {
  it('rounds axes up to 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(100)).toBe(100);
    expect(niceStep(101)).toBe(200);
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(0)).toBe(1);
    expect(axis(540)).toEqual({ max: 600, ticks: [0, 100, 200, 300, 400, 500, 600] });
    expect(axis(1575)).toEqual({ max: 1750, ticks: [0, 250, 500, 750, 1000, 1250, 1500, 1750] });
    expect(axis(10)).toEqual({ max: 10, ticks: [0, 2, 4, 6, 8, 10] });
    expect(axis(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(axis(0)).toEqual({ max: 1, ticks: [0, 1] });
  });

  it('stacks one segment per sub-quota in each year, in proportion to its places', () => {
    const status = demo();
    status.years[1].sub_quotas[0] = sub('geographical', 395, { carried_in: 20, committed: 100, used: 50 });
    const chart = barChart(status, frame);
    expect(chart.bars.map((b) => b.year)).toEqual([2026, 2027, 2028]);
    expect(chart.bars.map((b) => b.places)).toEqual([500, 520, 500]);
    const [geo, eu, med] = chart.bars[1].segments;
    // The segments touch: each starts where the one below ends, from the axis up.
    expect(geo.y + geo.height).toBeCloseTo(chart.bottom);
    expect(eu.y + eu.height).toBeCloseTo(geo.y);
    expect(med.y + med.height).toBeCloseTo(eu.y);
    expect(geo.height / eu.height).toBeCloseTo(415 / 75);
    // The taken part sits at the bottom of its segment.
    expect(geo.taken).toBe(150);
    expect(geo.takenHeight / geo.height).toBeCloseTo(150 / 415);
    expect(geo.takenY + geo.takenHeight).toBeCloseTo(chart.bottom);
    // The cap is below the axis' top and at 500.
    expect(chart.cap.value).toBe(500);
    expect(chart.cap.y).toBeGreaterThan(chart.top);
    expect(chart.cap.y).toBeCloseTo(geo.y + geo.height - (chart.bottom - chart.bars[0].segments[2].y));
    // Bars stay inside the plot, left to right.
    for (const bar of chart.bars) {
      expect(bar.x).toBeGreaterThanOrEqual(chart.left);
      expect(bar.x + bar.width).toBeLessThanOrEqual(chart.right);
    }
    expect(chart.bars[0].x).toBeLessThan(chart.bars[1].x);
    expect(chart.ticks[0]).toEqual({ value: 0, y: chart.bottom });
  });

  it('builds the used series from arrivals only, oldest first', () => {
    const history = [
      entry(7, 'arrival', 4, '2026-03-02T10:00:00.123456789Z'),
      entry(6, 'commitment', 4, '2026-03-01T10:00:00Z'),
      entry(5, 'arrival', 6, '2026-02-01T10:00:00Z'),
      entry(1, 'allocation', 395, '2025-12-01T10:00:00Z'),
    ];
    const series = usedSeries(history, 10);
    expect(series.earlier).toBe(0);
    expect(series.points.map((p) => [p.seq, p.places, p.total])).toEqual([
      [5, 6, 6],
      [7, 4, 10],
    ]);
    expect(series.points[1].case_no).toBe('DNK-26-7');
    expect(series.points[1].time).toBe(Date.UTC(2026, 2, 2, 10, 0, 0, 123));
    expect(usedSeries([], 0)).toEqual({ earlier: 0, points: [] });
  });

  it('starts the series at what the shortened history leaves out', () => {
    const series = usedSeries([entry(9, 'arrival', 3, '2026-05-01T00:00:00Z')], 40);
    expect(series.earlier).toBe(37);
    expect(series.points.map((p) => p.total)).toEqual([40]);
  });

  it('draws the used series as steps across the period', () => {
    const series = usedSeries(
      [entry(5, 'arrival', 300, '2026-07-02T00:00:00Z'), entry(3, 'arrival', 150, '2026-01-01T00:00:00Z')],
      450,
    );
    const status = demo();
    const chart = stepChart(series, status, frame, Date.UTC(2027, 0, 1));
    expect(chart.years.map((y) => y.year)).toEqual([2026, 2027, 2028]);
    expect(chart.years[0].x).toBeCloseTo(chart.left);
    // 1 January 2027 is a third of the way, give or take the leap days.
    expect((chart.years[1].x - chart.left) / (chart.right - chart.left)).toBeCloseTo(1 / 3, 2);
    const commands = chart.path.split(' ');
    expect(commands[0]).toBe(`M${chart.left},${chart.bottom}`);
    expect(commands).toHaveLength(1 + 2 * 2 + 1);
    // Up to 150 at the first arrival, 450 at the second, flat until now.
    const y450 = Number(commands[4].slice(1));
    const top = chart.ticks.at(-1)?.value ?? 0;
    expect(top).toBeGreaterThan(1500);
    expect(y450).toBeCloseTo(chart.bottom - (450 / top) * (chart.bottom - chart.top), 0);
    expect(commands[5]).toBe(`H${Math.round(chart.years[1].x * 10) / 10}`);
    expect(chart.end).toEqual({ x: Math.round(chart.years[1].x * 10) / 10, y: y450 });
    // The period's places as a reference line; the axis reaches above them.
    expect(chart.places.value).toBe(1500);
    expect(chart.places.y).toBeGreaterThan(chart.top);
    // Now after the period: the line stops at its end.
    const later = stepChart(series, status, frame, Date.UTC(2035, 0, 1));
    expect(later.path.endsWith(` H${chart.right}`)).toBe(true);
  });
});

describe('form checks', () => {
  it('reads whole numbers only', () => {
    expect(parseWhole(' 300 ')).toBe(300);
    expect(parseWhole('0')).toBe(0);
    for (const bad of ['', '-1', '1.5', '1e3', '12abc', '4294967296']) expect(parseWhole(bad)).toBeNull();
    expect(countError('')).toBe('quota.err.required');
    expect(countError('x')).toBe('quota.err.whole');
    expect(countError('0')).toBeUndefined();
    expect(countError('0', 1)).toBe('quota.err.positive');
    expect(countError('-3', 1)).toBe('quota.err.positive');
  });

  it('asks for a reason, whole places and two different sub-quotas', () => {
    expect(validateAllocate({ yearClosed: false, places: '300', reason: 'room for Kenya' })).toEqual({
      year: undefined,
      places: undefined,
      reason: undefined,
    });
    const refused = validateAllocate({ yearClosed: true, places: '3.5', reason: '  ' });
    expect(refused).toEqual({ year: 'quota.err.closed', places: 'quota.err.whole', reason: 'quota.err.reason' });
    expect(hasErrors(refused)).toBe(true);
    expect(hasErrors(validateCloseYear({ reason: 'end of year' }))).toBe(false);
    expect(validateCloseYear({ reason: '' }).reason).toBe('quota.err.reason');
    const same = validateReallocate({
      yearClosed: false,
      from: 'medical',
      to: 'medical',
      places: '0',
      reason: 'x',
    });
    expect(same).toMatchObject({ to: 'quota.err.same', places: 'quota.err.positive' });
  });

  it('checks a new period before sending it', () => {
    const ok = { start_year: '2029', places: '1500', years: '3', annual_cap: '500', reason: 'new period' };
    expect(hasErrors(validateCreatePeriod(ok))).toBe(false);
    expect(validateCreatePeriod({ ...ok, start_year: '29', years: '4', places: '0', annual_cap: '' })).toEqual({
      start_year: 'quota.err.startYear',
      places: 'quota.err.positive',
      years: 'quota.err.years',
      annual_cap: 'quota.err.required',
      reason: undefined,
    });
  });

  it('puts a refusal next to the field it names, if the form has it', () => {
    const fields = ['year', 'places', 'reason'] as const;
    expect(refusalField({ message: 'above the cap', field: 'places', code: null, params: {} }, fields)).toBe('places');
    expect(refusalField({ message: 'no period', field: 'period', code: null, params: {} }, fields)).toBeNull();
    expect(refusalField({ message: 'db gone', field: null, code: null, params: {} }, fields)).toBeNull();
  });
});

describe('command errors', () => {
  it('reads CommandError objects, Errors and text alike', () => {
    const refusal = { message: 'needs its reason', field: 'reason', code: null, params: {} };
    expect(isCommandError(refusal)).toBe(true);
    expect(isCommandError({ message: 'x' })).toBe(false);
    expect(isCommandError('text')).toBe(false);
    expect(commandError(refusal)).toBe(refusal);
    expect(commandError('store closed')).toEqual({ message: 'store closed', field: null, code: null, params: {} });
    expect(errorText(refusal)).toBe('needs its reason');
    expect(errorText(new Error('boom'))).toBe('boom');
    expect(errorText('plain')).toBe('plain');
  });
});

describe('dates and signed counts', () => {
  it('writes days, instants and changes in each language', () => {
    expect(formatDate('en', '2026-03-05')).toBe('5 Mar 2026');
    expect(formatDate('da', '2026-03-05')).toBe('5. mar. 2026');
    expect(formatDate('en', 'not a day')).toBe('not a day');
    expect(parseInstant('2026-03-05T10:20:30.123456789Z')).toBe(Date.UTC(2026, 2, 5, 10, 20, 30, 123));
    expect(parseInstant('2026-03-05T10:20:30Z')).toBe(Date.UTC(2026, 2, 5, 10, 20, 30));
    expect(formatDateTime('en', '2026-03-05T10:20:30.5Z')).toMatch(/2026/);
    expect(formatDateTime('en', 'garbage')).toBe('garbage');
    expect(formatSigned('en', 95)).toBe('+95');
    expect(formatSigned('en', -95)).toMatch(/^[-−]95$/);
    expect(formatSigned('da', 0)).toBe('0');
  });
});
