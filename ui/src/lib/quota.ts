// The Quotas view's pure parts: the order of sub-quotas and figures, totals, the charts'
// geometry and the forms' checks. No I/O and no Svelte here, so all of it is unit-tested.
import type {
  CommandError,
  LedgerEntry,
  QuotaPeriod,
  QuotaStatus,
  SubQuota,
  SubQuotaStatus,
  YearStatus,
} from './bindings';
import { parseInstant, type MessageKey } from './messages';

// A Record over the generated union: adding a sub-quota in Rust fails the type check here.
const subQuotaOrder: Record<SubQuota, number> = { geographical: 0, emergency_urgent: 1, medical: 2 };

/** The sub-quotas in the order the view shows them. */
export const subQuotas: readonly SubQuota[] = (Object.keys(subQuotaOrder) as SubQuota[]).sort(
  (a, b) => subQuotaOrder[a] - subQuotaOrder[b],
);

export function isSubQuota(value: unknown): value is SubQuota {
  return typeof value === 'string' && value in subQuotaOrder;
}

/** The figures of a sub-quota, in the order of the table's columns. */
export const figures = [
  'allocated',
  'carried_in',
  'committed',
  'used',
  'available',
  'carried_out',
  'lapsed',
] as const satisfies readonly Exclude<keyof SubQuotaStatus, 'sub_quota'>[];
export type Figure = (typeof figures)[number];

/** Each figure summed over the year's sub-quotas. */
export function yearTotals(year: YearStatus): Record<Figure, number> {
  const totals = Object.fromEntries(figures.map((f) => [f, 0])) as Record<Figure, number>;
  for (const s of year.sub_quotas) for (const f of figures) totals[f] += s[f];
  return totals;
}

/** The places used in the whole period (every arrival, in every year). */
export function periodUsed(status: QuotaStatus): number {
  return status.years.reduce((sum, y) => sum + yearTotals(y).used, 0);
}

/** The year the view opens on: the first open year, else the period's first. */
export function defaultYear(status: QuotaStatus): number {
  return status.open_year ?? status.years[0]?.year ?? status.period;
}

/** The period the view opens on: the latest. */
export function latestPeriod(periods: readonly QuotaPeriod[]): number | null {
  return periods.length === 0 ? null : Math.max(...periods.map((p) => p.start_year));
}

// ---------------------------------------------------------------- charts

/** A drawing area: its size and the margins around the plot. */
export interface Frame {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Tick {
  value: number;
  y: number;
}

/** The smallest 1, 2 or 5 × 10^k at or above `value`. */
export function niceStep(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * power >= value - 1e-9 * power) return m * power;
  return 10 * power;
}

/**
 * A value axis from 0 to a round number at or above `max`: steps of 1, 2, 2.5 or 5 times a
 * power of ten (whole numbers: these are persons), at most `count` + 2 of them, with the
 * least room wasted above `max`, then the number of steps nearest `count`.
 */
export function axis(max: number, count = 5): { max: number; ticks: number[] } {
  const value = Math.max(max, 1);
  const base = 10 ** Math.floor(Math.log10(value / count));
  let best = { step: Math.max(1, niceStep(value / count)), top: Infinity };
  best.top = Math.max(best.step, Math.ceil(value / best.step) * best.step);
  for (const power of [base / 10, base, base * 10]) {
    for (const m of [1, 2, 2.5, 5]) {
      const step = Math.round(m * power * 1e6) / 1e6;
      if (step < 1 || !Number.isInteger(step)) continue;
      const steps = Math.ceil(value / step - 1e-9);
      if (steps < 2 || steps > count + 2) continue;
      const top = steps * step;
      const closer = Math.abs(steps - count) < Math.abs(best.top / best.step - count);
      if (top < best.top || (top === best.top && closer)) best = { step, top };
    }
  }
  const ticks: number[] = [];
  for (let v = 0; v <= best.top; v += best.step) ticks.push(v);
  return { max: best.top, ticks };
}

export interface BarSegment {
  sub_quota: SubQuota;
  /** Allocated plus carried in: the places the sub-quota had in the year. */
  places: number;
  /** Committed plus used. */
  taken: number;
  y: number;
  height: number;
  takenY: number;
  takenHeight: number;
}

export interface Bar {
  year: number;
  closed: boolean;
  places: number;
  taken: number;
  x: number;
  width: number;
  /** The middle of the bar, for its labels. */
  centre: number;
  segments: BarSegment[];
}

export interface BarChart {
  bars: Bar[];
  ticks: Tick[];
  cap: Tick;
  /** The plot's edges. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Stacked bars, one per year: a segment per sub-quota as high as its places (allocated
 * plus carried in), each with its committed-or-used part; the annual cap as a line.
 */
export function barChart(status: QuotaStatus, frame: Frame): BarChart {
  const left = frame.left;
  const right = frame.width - frame.right;
  const top = frame.top;
  const bottom = frame.height - frame.bottom;
  const yearPlaces = status.years.map((y) => {
    const totals = yearTotals(y);
    return totals.allocated + totals.carried_in;
  });
  // Some room above the highest bar or the cap, so neither touches the top.
  const scale = axis(Math.max(status.annual_cap, ...yearPlaces, 1) * 1.08);
  const y = (v: number) => bottom - (v / scale.max) * (bottom - top);
  const band = (right - left) / Math.max(1, status.years.length);
  const width = Math.min(band * 0.5, 96);
  const bars = status.years.map((year, i) => {
    const x = left + i * band + (band - width) / 2;
    let base = 0;
    const segments = subQuotas.map((sub) => {
      const s = year.sub_quotas.find((q) => q.sub_quota === sub);
      const places = s ? s.allocated + s.carried_in : 0;
      const taken = s ? Math.min(places, s.committed + s.used) : 0;
      const segment: BarSegment = {
        sub_quota: sub,
        places,
        taken,
        y: y(base + places),
        height: y(base) - y(base + places),
        takenY: y(base + taken),
        takenHeight: y(base) - y(base + taken),
      };
      base += places;
      return segment;
    });
    return {
      year: year.year,
      closed: year.closed,
      places: yearPlaces[i],
      taken: segments.reduce((sum, s) => sum + s.taken, 0),
      x,
      width,
      centre: x + width / 2,
      segments,
    };
  });
  return {
    bars,
    ticks: scale.ticks.map((value) => ({ value, y: y(value) })),
    cap: { value: status.annual_cap, y: y(status.annual_cap) },
    left,
    right,
    top,
    bottom,
  };
}

export interface UsedPoint {
  seq: number;
  /** When the arrival was recorded, in milliseconds since 1970. */
  time: number;
  at: string;
  places: number;
  /** Places used in the period up to and including this arrival. */
  total: number;
  case_no: string | null;
}

/**
 * Cumulative places used, from the history's arrival entries in ledger order. The history
 * may be cut short (the newest entries only): `earlier` is what the period's status counts
 * as used but the history shown does not, so that the series ends at the true total.
 */
export function usedSeries(
  history: readonly LedgerEntry[],
  totalUsed: number,
): { earlier: number; points: UsedPoint[] } {
  const arrivals = history
    .filter((e) => e.kind === 'arrival')
    .filter((e) => !Number.isNaN(parseInstant(e.at)))
    .sort((a, b) => a.seq - b.seq);
  const shown = arrivals.reduce((sum, e) => sum + e.places, 0);
  const earlier = Math.max(0, totalUsed - shown);
  let total = earlier;
  const points = arrivals.map((e) => {
    total += e.places;
    return { seq: e.seq, time: parseInstant(e.at), at: e.at, places: e.places, total, case_no: e.case_no };
  });
  return { earlier, points };
}

export interface YearTick {
  year: number;
  /** Where the year starts (1 January), and the middle of the year for its label. */
  x: number;
  centre: number;
}

export interface StepChart {
  path: string;
  /** The last point, to mark it. */
  end: { x: number; y: number } | null;
  years: YearTick[];
  ticks: Tick[];
  /** The period's places, as a line to compare against. */
  places: Tick;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function startOfYear(year: number): number {
  return Date.UTC(year, 0, 1);
}

/**
 * A step line of the places used: flat at `earlier` from the period's start, a step up at
 * each arrival, and flat again up to `now` (or the period's end, whichever is first).
 */
export function stepChart(
  series: { earlier: number; points: readonly UsedPoint[] },
  status: Pick<QuotaStatus, 'period' | 'end_year' | 'total_places'>,
  frame: Frame,
  now: number,
): StepChart {
  const left = frame.left;
  const right = frame.width - frame.right;
  const top = frame.top;
  const bottom = frame.height - frame.bottom;
  const times = series.points.map((p) => p.time);
  const from = Math.min(startOfYear(status.period), ...times);
  const to = Math.max(startOfYear(status.end_year + 1), ...times);
  const last = series.points.at(-1);
  const reach = Math.min(to, Math.max(now, last?.time ?? from));
  const scale = axis(Math.max(status.total_places, last?.total ?? 0, 1) * 1.05);
  const x = (t: number) => left + ((t - from) / (to - from)) * (right - left);
  const y = (v: number) => bottom - (v / scale.max) * (bottom - top);
  const r = (v: number) => Math.round(v * 10) / 10;
  let path = `M${r(x(from))},${r(y(series.earlier))}`;
  for (const p of series.points) path += ` H${r(x(p.time))} V${r(y(p.total))}`;
  path += ` H${r(x(reach))}`;
  const years: YearTick[] = [];
  for (let year = new Date(from).getUTCFullYear(); startOfYear(year) < to; year++) {
    const start = Math.max(from, startOfYear(year));
    const end = Math.min(to, startOfYear(year + 1));
    years.push({ year, x: x(start), centre: x((start + end) / 2) });
  }
  return {
    path,
    end: last ? { x: r(x(reach)), y: r(y(last.total)) } : null,
    years,
    ticks: scale.ticks.map((value) => ({ value, y: y(value) })),
    places: { value: status.total_places, y: y(status.total_places) },
    left,
    right,
    top,
    bottom,
  };
}

// ---------------------------------------------------------------- forms

/** What a form calls after a change: the period's new figures, the message to announce,
 * and the year the change was made in (the view shows it). */
export type OnChanged = (status: QuotaStatus, message: string, year?: number) => void;

/** A form's fields with what is wrong with them, as message keys. */
export type FieldErrors<F extends string> = Partial<Record<F, MessageKey>>;

export function hasErrors(errors: Partial<Record<string, unknown>>): boolean {
  return Object.values(errors).some(Boolean);
}

const U32_MAX = 4_294_967_295;

/** The whole number typed in a field (digits only, spaces around allowed), or null. */
export function parseWhole(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value <= U32_MAX ? value : null;
}

/** What is wrong with a count typed in a field: missing, not whole, or below `min`. */
export function countError(text: string, min = 0): MessageKey | undefined {
  if (text.trim() === '') return 'quota.err.required';
  const value = parseWhole(text);
  if (value === null) return min > 0 ? 'quota.err.positive' : 'quota.err.whole';
  return value < min ? 'quota.err.positive' : undefined;
}

export function reasonError(text: string): MessageKey | undefined {
  return text.trim() === '' ? 'quota.err.reason' : undefined;
}

export interface CreatePeriodInput {
  start_year: string;
  places: string;
  years: string;
  annual_cap: string;
  reason: string;
}

export function validateCreatePeriod(
  input: CreatePeriodInput,
): FieldErrors<'start_year' | 'places' | 'years' | 'annual_cap' | 'reason'> {
  const start = parseWhole(input.start_year);
  const years = parseWhole(input.years);
  return {
    start_year:
      input.start_year.trim() === ''
        ? 'quota.err.required'
        : start === null || start < 1900 || start > 9000
          ? 'quota.err.startYear'
          : undefined,
    places: countError(input.places, 1),
    years:
      input.years.trim() === ''
        ? 'quota.err.required'
        : years === null || years < 1 || years > 3
          ? 'quota.err.years'
          : undefined,
    annual_cap: countError(input.annual_cap),
    reason: reasonError(input.reason),
  };
}

export interface AllocateInput {
  /** Whether the chosen year is closed already. */
  yearClosed: boolean;
  places: string;
  reason: string;
}

export function validateAllocate(input: AllocateInput): FieldErrors<'year' | 'places' | 'reason'> {
  return {
    year: input.yearClosed ? 'quota.err.closed' : undefined,
    places: countError(input.places),
    reason: reasonError(input.reason),
  };
}

export interface ReallocateInput {
  yearClosed: boolean;
  from: SubQuota;
  to: SubQuota;
  places: string;
  reason: string;
}

export function validateReallocate(
  input: ReallocateInput,
): FieldErrors<'year' | 'to' | 'places' | 'reason'> {
  return {
    year: input.yearClosed ? 'quota.err.closed' : undefined,
    to: input.from === input.to ? 'quota.err.same' : undefined,
    places: countError(input.places, 1),
    reason: reasonError(input.reason),
  };
}

export function validateCloseYear(input: { reason: string }): FieldErrors<'reason'> {
  return { reason: reasonError(input.reason) };
}

/**
 * Where a refusal from the shell belongs: the form field it names, when the form has
 * that field, or null for the form as a whole.
 */
export function refusalField<F extends string>(error: CommandError, fields: readonly F[]): F | null {
  return fields.find((f) => f === error.field) ?? null;
}
