// The Placement view's visitation panel, its pure parts: the checks of the job-offer,
// override and wishes forms, the forms as the shell takes them, the household's wishes as
// rows of the form and back, and a refused wish named by the row it came from. No I/O and
// no Svelte here, so all of it is unit-tested.
import type { CommandError, JobOfferForm, ModelVersion, MunicipalityQuota, RefugeeWish } from './bindings';
import type { MessageKey } from './messages';
import { municipalityLabel, parseWeight } from './placement';
import type { FieldErrors } from './quota';

/** The municipalities by code and name, as the visitation names places. */
export type MunicipalityNames = readonly Pick<MunicipalityQuota, 'code' | 'name'>[];

/** The most hours a week an offer can state (the shell refuses more as a typing error). */
export const MOST_HOURS = 80;

/** The hours a week from which a permanent offer qualifies (shown, decided by the shell). */
export const QUALIFYING_HOURS = 15;

/** The wish rows the form starts with. */
export const WISH_ROWS = 3;

/** The most wishes the shell records: a household loaded with more gets a row for each. */
export const MOST_WISHES = 5;

/** Why a household wishes for a place (`WISH_REASONS` in Rust). */
export const wishReasons = ['relatives', 'community', 'work', 'other'] as const;
export type WishReason = (typeof wishReasons)[number];

/** The household types a municipality may wish for (`HOUSEHOLD_TYPES` in Rust). */
export const householdTypes = ['single', 'couple', 'single_parent', 'family_with_children', 'other'] as const;
export type HouseholdType = (typeof householdTypes)[number];

export const wishKinds = ['municipality', 'region'] as const;
export type WishKind = (typeof wishKinds)[number];

/** The five regions by their official codes (data/municipalities.csv). */
export const regions: readonly { code: number; name: string }[] = [
  { code: 1081, name: 'Region Nordjylland' },
  { code: 1082, name: 'Region Midtjylland' },
  { code: 1083, name: 'Region Syddanmark' },
  { code: 1084, name: 'Region Hovedstaden' },
  { code: 1085, name: 'Region Sjælland' },
];

export function isWishReason(value: unknown): value is WishReason {
  return typeof value === 'string' && (wishReasons as readonly string[]).includes(value);
}

export function isHouseholdType(value: unknown): value is HouseholdType {
  return typeof value === 'string' && (householdTypes as readonly string[]).includes(value);
}

// ---------------------------------------------------------------- codes and hours

/** A municipality code typed in a field: one to three digits (101, 851), or null. */
export function parseMunicipalityCode(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,3}$/.test(trimmed) ? Number(trimmed) : null;
}

/** A region code typed in a field: one of the five regions' codes, or null. */
export function parseRegionCode(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{4}$/.test(trimmed)) return null;
  const code = Number(trimmed);
  return regions.some((r) => r.code === code) ? code : null;
}

/** Hours a week typed in a field (a decimal point or comma), above 0 and at most 80; or null. */
export function parseHours(text: string): number | null {
  const hours = parseWeight(text);
  return hours !== null && hours > 0 && hours <= MOST_HOURS ? hours : null;
}

/** A place of a wish named: "101 København", "Region Hovedstaden", or its code when unknown. */
export function placeLabel(municipalities: MunicipalityNames, kind: WishKind, code: string): string {
  const trimmed = code.trim();
  if (kind === 'region') {
    const region = regions.find((r) => String(r.code) === trimmed);
    return region ? `${region.code} ${region.name}` : trimmed;
  }
  const number = parseMunicipalityCode(trimmed);
  return number === null ? trimmed : municipalityLabel(municipalities, number);
}

/** A recorded wish's place named, as `placeLabel` names it. */
export function wishPlace(municipalities: MunicipalityNames, wish: RefugeeWish): string {
  return wish.region != null ? placeLabel(municipalities, 'region', wish.region) : placeLabel(municipalities, 'municipality', wish.municipality ?? '');
}

// ---------------------------------------------------------------- the job offer

export interface JobOfferInput {
  case_no: string;
  municipality: string;
  hours: string;
  permanent: boolean;
  document: string;
}

export type JobOfferField = 'case_no' | 'municipality' | 'hours_per_week' | 'document';

export function caseError(text: string): MessageKey | undefined {
  return text.trim() === '' ? 'visit.err.case' : undefined;
}

/** The check of a case number alone (before a Load). */
export function validateCase(input: { case_no: string }): FieldErrors<'case_no'> {
  return { case_no: caseError(input.case_no) };
}

export function validateJobOffer(input: JobOfferInput): FieldErrors<JobOfferField> {
  return {
    case_no: caseError(input.case_no),
    municipality:
      input.municipality.trim() === ''
        ? 'quota.err.required'
        : parseMunicipalityCode(input.municipality) === null
          ? 'visit.err.municipality'
          : undefined,
    hours_per_week:
      input.hours.trim() === '' ? 'quota.err.required' : parseHours(input.hours) === null ? 'visit.err.hours' : undefined,
    document: input.document.trim() === '' ? 'visit.err.document' : undefined,
  };
}

/** The job offer typed, as the shell takes it, once it passes `validateJobOffer`. */
export function jobOfferForm(input: JobOfferInput): JobOfferForm {
  return {
    case_no: input.case_no.trim(),
    municipality: parseMunicipalityCode(input.municipality) ?? 0,
    hours_per_week: parseHours(input.hours) ?? 0,
    permanent: input.permanent,
    document: input.document.trim(),
  };
}

export function validateOverride(input: { reason: string }): FieldErrors<'reason'> {
  return { reason: input.reason.trim() === '' ? 'visit.err.overrideReason' : undefined };
}

// ---------------------------------------------------------------- the household's wishes

/** One row of the wishes form: a municipality or region code, and why (empty: no reason). */
export interface WishRow {
  kind: WishKind;
  code: string;
  reason: WishReason | '';
}

/** The fields of the wishes form: the case, and the code of each row (`code-1` is the first). */
export const wishFields = ['case_no', 'code-1', 'code-2', 'code-3', 'code-4', 'code-5'] as const;
export type WishField = (typeof wishFields)[number];

/** The field of the row at `index` (from 0). */
export function wishField(index: number): WishField {
  return `code-${Math.min(Math.max(index, 0), MOST_WISHES - 1) + 1}` as WishField;
}

export function emptyWish(): WishRow {
  return { kind: 'municipality', code: '', reason: '' };
}

/** A row with neither a place nor a reason: left out when saving. */
export function isEmptyWish(row: WishRow): boolean {
  return row.code.trim() === '' && row.reason === '';
}

/** What is wrong with a row: a reason without a place, or a code that is not one. */
function wishError(row: WishRow): MessageKey | undefined {
  if (isEmptyWish(row)) return undefined;
  if (row.code.trim() === '') return 'visit.err.wishPlace';
  if (row.kind === 'municipality') return parseMunicipalityCode(row.code) === null ? 'visit.err.municipality' : undefined;
  return parseRegionCode(row.code) === null ? 'visit.err.region' : undefined;
}

export function validateWishes(input: { case_no: string; rows: readonly WishRow[] }): FieldErrors<WishField> {
  const errors: FieldErrors<WishField> = { case_no: caseError(input.case_no) };
  input.rows.slice(0, MOST_WISHES).forEach((row, i) => {
    errors[wishField(i)] = wishError(row);
  });
  return errors;
}

/**
 * The wishes typed, first wish first, as the shell takes them (each names only its
 * municipality or its region, and its reason when one is chosen), and the form row each
 * came from (empty rows are left out).
 */
export function wishesOf(rows: readonly WishRow[]): { wishes: RefugeeWish[]; rows: number[] } {
  const wishes: RefugeeWish[] = [];
  const from: number[] = [];
  rows.forEach((row, i) => {
    if (isEmptyWish(row)) return;
    const code = row.code.trim();
    const wish: RefugeeWish = row.kind === 'region' ? { region: code } : { municipality: code };
    if (row.reason !== '') wish.reason = row.reason;
    wishes.push(wish);
    from.push(i);
  });
  return { wishes, rows: from };
}

/** The recorded wishes as rows of the form: at least `min` rows, one for each wish. */
export function wishRows(wishes: readonly RefugeeWish[], min = WISH_ROWS): WishRow[] {
  const rows: WishRow[] = wishes.slice(0, MOST_WISHES).map((w) => ({
    kind: w.region != null ? 'region' : 'municipality',
    code: w.region ?? w.municipality ?? '',
    reason: isWishReason(w.reason) ? w.reason : '',
  }));
  while (rows.length < min) rows.push(emptyWish());
  return rows;
}

/**
 * A refused wish (the shell counts the wishes sent, from 1) next to the row it came
 * from, and numbered as the form numbers its rows; any other refusal as it is.
 */
export function wishRefusal(error: CommandError, rows: readonly number[]): CommandError {
  const rank = Number(error.params.rank);
  if (error.field !== 'wishes' || !Number.isInteger(rank) || rows[rank - 1] === undefined) return error;
  const row = rows[rank - 1];
  const params: CommandError['params'] = { ...error.params, rank: String(row + 1) };
  const first = Number(error.params.first);
  if (Number.isInteger(first) && rows[first - 1] !== undefined) params.first = String(rows[first - 1] + 1);
  return { ...error, field: wishField(row), params };
}

// ---------------------------------------------------------------- the models

/** The model versions, newest first. */
export function newestFirst<M extends Pick<ModelVersion, 'version'>>(models: readonly M[]): M[] {
  return [...models].sort((a, b) => b.version - a.version);
}

/** The version proposals are scored with, or null for the weights. */
export function modelInUse(models: readonly Pick<ModelVersion, 'version' | 'in_use'>[]): number | null {
  return models.find((m) => m.in_use)?.version ?? null;
}
