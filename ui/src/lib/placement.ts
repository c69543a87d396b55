// The Placement view's pure parts: the batch a proposal run places, what a proposal's
// status allows, the municipality table's filter, the forms' checks and the refusals of a
// move in words. No I/O and no Svelte here, so all of it is unit-tested.
import type {
  CapacityUse,
  CommandError,
  MunicipalityQuota,
  ProposalError,
  ProposalMethod,
  ProposalStatus,
  QuotaExemption,
  Weights,
} from './bindings';
import type { MessageKey } from './messages';
import { countError, parseWhole, reasonError, type FieldErrors } from './quota';

/** The year the view opens on: the demo data has municipal quotas for 2026 only. */
export const DEFAULT_YEAR = 2026;

// Records over the generated unions: a code added in Rust fails the type check here.
const statusOrder: Record<ProposalStatus, number> = { proposed: 0, consulted: 1, confirmed: 2, declined: 3 };
const methodOrder: Record<ProposalMethod, number> = { optimal: 0, greedy: 1, hand: 2 };

function ordered<T extends string>(order: Record<T, number>): readonly T[] {
  return (Object.keys(order) as T[]).sort((a, b) => order[a] - order[b]);
}

export const proposalStatuses = ordered(statusOrder);

/** The methods a proposal run offers (a move by hand is not a run). */
export const runMethods: readonly ProposalMethod[] = ordered(methodOrder).filter((m) => m !== 'hand');

export function isProposalMethod(value: unknown): value is ProposalMethod {
  return typeof value === 'string' && Object.hasOwn(methodOrder, value);
}

/** Whether the proposal can still be moved, consulted, confirmed or declined. */
export function isOpen(status: ProposalStatus): boolean {
  return status === 'proposed' || status === 'consulted';
}

/** The status a proposal may go on to by one press of a button (a decline asks for a reason). */
export function nextStatus(status: ProposalStatus): 'consulted' | 'confirmed' | null {
  if (status === 'proposed') return 'consulted';
  if (status === 'consulted') return 'confirmed';
  return null;
}

/** How many proposals are in each status. */
export function countByStatus(list: readonly { status: ProposalStatus }[]): Record<ProposalStatus, number> {
  const counts = Object.fromEntries(proposalStatuses.map((s) => [s, 0])) as Record<ProposalStatus, number>;
  for (const p of list) counts[p.status] += 1;
  return counts;
}

// ---------------------------------------------------------------- the batch

/** The batch choice that asks for case numbers; the others are batches as the shell names them. */
export const CASES_CHOICE = 'cases';

/** The case numbers typed in a field, separated by commas, semicolons or spaces. */
export function caseNumbers(text: string): string[] {
  const seen: string[] = [];
  for (const no of text.split(/[\s,;]+/)) if (no !== '' && !seen.includes(no)) seen.push(no);
  return seen;
}

/**
 * The batch as the shell names it: the choice itself (`accepted`, `mission:<id>`), or
 * `cases:<no>,<no>` for the case numbers typed.
 */
export function batchOf(choice: string, cases: string): string {
  return choice === CASES_CHOICE ? `cases:${caseNumbers(cases).join(',')}` : choice;
}

export function validatePropose(input: { choice: string; cases: string }): FieldErrors<'cases'> {
  return {
    cases: input.choice === CASES_CHOICE && caseNumbers(input.cases).length === 0 ? 'placement.err.cases' : undefined,
  };
}

/** The missions a batch can be made of: those with households waiting in the pool. */
export function poolMissions<M extends { id: string; name: string }>(
  missions: readonly M[],
  pool: readonly { mission: string | null }[],
): M[] {
  const waiting = new Set(pool.map((p) => p.mission).filter((m): m is string => m !== null));
  return missions.filter((m) => waiting.has(m.name));
}

/** The reasons an infeasible batch was refused, one per item; null for another refusal. */
export function infeasibleReasons(error: CommandError): string[] | null {
  if (error.code !== 'infeasible') return null;
  const why = (error.params.why ?? '')
    .split('; ')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  return why.length > 0 ? why : [error.message];
}

/** A year typed in a field, or null when it is not one (1900 to 9000). */
export function parseYear(text: string): number | null {
  const year = parseWhole(text);
  return year !== null && year >= 1900 && year <= 9000 ? year : null;
}

// ---------------------------------------------------------------- municipalities

/** A capacity as "wheelchair 1/2": used of units. */
export function capacityText(c: CapacityUse): string {
  return `${c.capacity} ${c.used}/${c.units}`;
}

/** Whether any municipality has a quota for the year (none before they are computed). */
export function hasQuotas(rows: readonly Pick<MunicipalityQuota, 'quota'>[]): boolean {
  return rows.some((r) => r.quota !== null);
}

/** The rows whose name or code contains `text` (any case), only those with places left if asked. */
export function filterMunicipalities<R extends Pick<MunicipalityQuota, 'code' | 'name' | 'quota' | 'left'>>(
  rows: readonly R[],
  text: string,
  onlyLeft: boolean,
): R[] {
  const wanted = text.trim().toLocaleLowerCase();
  return rows.filter(
    (r) =>
      (wanted === '' || r.name.toLocaleLowerCase().includes(wanted) || String(r.code).includes(wanted)) &&
      (!onlyLeft || (r.quota !== null && r.left > 0)),
  );
}

/**
 * A move's refusal (from its live check) as a refusal of the shell, with the municipality
 * named by its code and name, so that it reads like any other refusal.
 */
export function proposalRefusal(problem: ProposalError, name: (code: number) => string): CommandError {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(problem)) {
    if (key === 'code') continue;
    params[key] = key === 'municipality' ? name(Number(value)) : String(value);
  }
  return { message: problem.code, field: null, code: problem.code, params };
}

/** A refusal with its municipality (a code) named by code and name. */
export function namingMunicipality(error: CommandError, name: (code: number) => string): CommandError {
  const code = error.params.municipality;
  if (code === undefined || !/^\d+$/.test(code)) return error;
  return { ...error, params: { ...error.params, municipality: name(Number(code)) } };
}

// ---------------------------------------------------------------- the forms' checks

export function validateDecline(input: { note: string }): FieldErrors<'note'> {
  return { note: input.note.trim() === '' ? 'placement.err.declineReason' : undefined };
}

export function validateMove(input: {
  municipality: number | null;
  overQuota: boolean;
  override: string;
}): FieldErrors<'municipality' | 'override_reason'> {
  return {
    municipality: input.municipality === null ? 'placement.err.municipality' : undefined,
    override_reason: input.overQuota && input.override.trim() === '' ? 'placement.err.override' : undefined,
  };
}

export function validateQuotaEdit(input: { quota: string; reason: string }): FieldErrors<'quota' | 'reason'> {
  return { quota: countError(input.quota), reason: reasonError(input.reason) };
}

// ---------------------------------------------------------------- weights

/** The features of the match score, in the order the form shows them. */
export const weightNames = ['network', 'skills', 'services', 'language', 'spread', 'wish', 'municipality_wish', 'outcome'] as const satisfies readonly (keyof Weights)[];
export type WeightName = (typeof weightNames)[number];

/** A weight typed in a field (a decimal point or comma), or null when it is not a number. */
export function parseWeight(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(trimmed)) return null;
  return Number(trimmed);
}

function weightError(text: string): MessageKey | undefined {
  if (text.trim() === '') return 'quota.err.required';
  const value = parseWeight(text);
  return value === null || value > 100 ? 'placement.err.weight' : undefined;
}

export function validateWeights(input: Record<WeightName, string>): FieldErrors<WeightName> {
  return Object.fromEntries(weightNames.map((w) => [w, weightError(input[w])])) as FieldErrors<WeightName>;
}

/** The weights typed, once they pass `validateWeights`. */
export function weightsOf(input: Record<WeightName, string>): Weights {
  return Object.fromEntries(weightNames.map((w) => [w, parseWeight(input[w]) ?? 0])) as Weights;
}

/** A weight as the field shows it: with a decimal comma in Danish. */
export function weightText(value: number, decimalComma: boolean): string {
  const text = String(value);
  return decimalComma ? text.replace('.', ',') : text;
}

/** A municipality named by its code and name ("101 København"), or by its code alone when unknown. */
export function municipalityLabel(rows: readonly Pick<MunicipalityQuota, 'code' | 'name'>[], code: number): string {
  const row = rows.find((r) => r.code === code);
  return row ? `${row.code} ${row.name}` : String(code);
}

// ---------------------------------------------------------------- the distribution key

/** A municipality code as the forms take it: one to three digits. */
function municipalityCode(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,3}$/.test(trimmed) ? Number(trimmed) : null;
}

/**
 * Exemptions typed as `FROM:TO` pairs of municipality codes, separated by commas or spaces
 * (`825:860, 741:740`); empty text is none. Null when any pair is not two codes, or a
 * municipality passes its amount to itself.
 */
export function parseExemptions(text: string): QuotaExemption[] | null {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  const pairs: QuotaExemption[] = [];
  for (const part of parts) {
    const [from, to, ...rest] = part.split(':');
    const f = municipalityCode(from ?? '');
    const t = municipalityCode(to ?? '');
    if (f === null || t === null || rest.length > 0 || f === t) return null;
    pairs.push({ from: f, to: t });
  }
  return pairs;
}

export function validateKeyInputs(input: { path: string }): FieldErrors<'path'> {
  return { path: input.path.trim() === '' ? 'quota.err.required' : undefined };
}

export function validateComputeQuotas(input: { national: string; exemptions: string }): FieldErrors<'national' | 'exemptions'> {
  return {
    national: countError(input.national, 1),
    exemptions: parseExemptions(input.exemptions) === null ? 'placement.err.exemptions' : undefined,
  };
}
