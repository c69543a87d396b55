// The year's balance report in the Placement view, its pure parts: which municipalities
// the fill table lists and in what order, the fill at the end of each quarter, how far a
// municipality is over its quota, and the groups' predicted outcomes in percent, the
// largest cost first. No I/O and no Svelte here, so all of it is unit-tested.
import type { GroupOutcome, MunicipalityFill } from './bindings';

/** The months the fill table shows, as indexes into the report's twelve: March, June, September, December. */
export const QUARTER_ENDS = [2, 5, 8, 11] as const;
export type QuarterEnd = (typeof QUARTER_ENDS)[number];

/** The group of households whose nationality or household type is not recorded. */
export const UNKNOWN_GROUP = 'unknown';

/** Persons placed in the municipality by the end of the year. */
export function placedInYear(m: Pick<MunicipalityFill, 'placed_by_month'>): number {
  return m.placed_by_month[11] ?? 0;
}

/** How many persons the municipality is placed over its quota by the end of the year (0 within it). */
export function overQuota(m: Pick<MunicipalityFill, 'quota' | 'placed_by_month'>): number {
  return Math.max(0, placedInYear(m) - m.quota);
}

/** The municipalities with a quota or anyone placed, by code (the report's codes are text). */
export function fillRows<M extends Pick<MunicipalityFill, 'code' | 'quota' | 'placed_by_month'>>(municipalities: readonly M[]): M[] {
  return municipalities.filter((m) => m.quota > 0 || placedInYear(m) > 0).sort((a, b) => Number(a.code) - Number(b.code) || a.code.localeCompare(b.code));
}

/** How many municipalities with a quota have no one placed yet. */
export function idleCount(municipalities: readonly Pick<MunicipalityFill, 'quota' | 'placed_by_month'>[]): number {
  return municipalities.filter((m) => m.quota > 0 && placedInYear(m) === 0).length;
}

/** A share (0.4) in percent with one decimal (40), never −0. */
export function percentOf(share: number): number {
  return Math.round(share * 1000) / 10 || 0;
}

/**
 * The fill at the end of a month: the share of the quota in whole percent (null when the
 * quota is 0, where there is no share) and the persons placed by then.
 */
export function fillAt(m: MunicipalityFill, month: QuarterEnd): { percent: number | null; persons: number } {
  const persons = m.placed_by_month[month] ?? 0;
  return { percent: m.quota > 0 ? Math.round((m.fill_by_month[month] ?? 0) * 100) : null, persons };
}

/** The groups with the largest cost first (those without one last), then by their code. */
export function byCost<G extends Pick<GroupOutcome, 'group' | 'cost'>>(groups: readonly G[]): G[] {
  const cost = (g: G) => g.cost ?? Number.NEGATIVE_INFINITY;
  return [...groups].sort((a, b) => cost(b) - cost(a) || a.group.localeCompare(b.group));
}
