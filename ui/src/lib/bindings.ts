// Generated from the Rust types in src/ by `cargo xtask gen-types`. Do not edit.

export type AllocateForm = { period: number, year: number, sub_quota: SubQuota, places: number, 
/**
 * The id of a recorded exceptional situation, to pass the annual cap.
 */
exceptional_id: string | null, reason: string, };

export type AppInfo = { version: string, 
/**
 * Where the database is: a file path for SQLite.
 */
database: string, };

export type CaseDeadline = { case_id: string, unhcr_case_no: string, priority: Priority, case_status: CaseStatus, submission_date: string, deadline: string, departed_on: string | null, status: DeadlineStatus, 
/**
 * Days from today to the deadline; negative when overdue.
 */
days_left: number, };

export type CaseStatus = "submitted" | "interviewed" | "examined" | "accepted" | "rejected" | "deferred" | "pending_departure" | "departed" | "arrived" | "withdrawn";

export type CloseYearForm = { period: number, year: number, reason: string, };

export type CommandError = { message: string, field: string | null, code: string | null, params: { [key in string]?: string }, };

export type CreatePeriodForm = { start_year: number, places: number, years: number, carry_over: boolean, annual_cap: number, reason: string, };

export type DeadlineStatus = "overdue" | "at_risk" | "on_track" | "met" | "missed";

export type EntryKind = "allocation" | "reallocation" | "commitment" | "release" | "arrival" | "carry_over" | "lapse" | "year_closed";

export type LedgerEntry = { seq: number, kind: EntryKind, year: number, sub_quota: SubQuota | null, to_year: number | null, to_sub_quota: SubQuota | null, places: number, 
/**
 * The UNHCR case number for commitments, releases and arrivals.
 */
case_no: string | null, exceptional_id: string | null, author: string, at: string, reason: string, };

export type Municipality = { code: number, name: string, region_code: number, region_name: string, };

export type Overview = { households: number, persons: number, missions: number, municipalities: number, by_priority: PriorityCounts, period: PeriodSummary | null, };

export type PeriodSummary = { start_year: number, end_year: number, total_places: number, };

export type Priority = "emergency" | "urgent" | "normal";

export type PriorityCounts = { emergency: number, urgent: number, normal: number, };

export type QuotaPeriod = { id: string, 
/**
 * A period is named by its first year.
 */
start_year: number, 
/**
 * 1 to 3 calendar years: the regime is configuration, not code.
 */
years: number, 
/**
 * Persons, not cases.
 */
total_places: number, 
/**
 * Whether a closed year's unused places move to the next year of the period (they
 * lapse otherwise, and always at the end of the period).
 */
carry_over: boolean, 
/**
 * Persons admitted in one year, unless an exceptional situation is recorded.
 */
annual_cap: number, };

export type QuotaStatus = { 
/**
 * The period's first year, which names it.
 */
period: number, end_year: number, total_places: number, annual_cap: number, carry_over: boolean, 
/**
 * The first year not yet closed; None once the whole period is closed.
 */
open_year: number | null, years: Array<YearStatus>, };

export type ReallocateForm = { period: number, year: number, from: SubQuota, to: SubQuota, places: number, reason: string, };

export type SubQuota = "geographical" | "emergency_urgent" | "medical";

export type SubQuotaStatus = { sub_quota: SubQuota, allocated: number, carried_in: number, committed: number, used: number, available: number, carried_out: number, lapsed: number, };

export type YearStatus = { year: number, closed: boolean, sub_quotas: Array<SubQuotaStatus>, };

export const REFUSAL_CODES = ['invalid_regime', 'period_overlaps', 'no_such_period', 'year_outside_period', 'year_closed', 'earlier_year_open', 'no_places', 'same_sub_quota', 'exceeds_period_total', 'exceeds_annual_cap', 'exceptional_for_other_year', 'no_such_exceptional', 'below_committed', 'not_enough_places', 'nothing_committed', 'already_committed', 'no_such_case', 'reason_required', 'not_an_exceptional_id'] as const;
