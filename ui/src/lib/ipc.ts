// The typed client of the desktop shell's commands. Types come from bindings.ts, which is
// generated from the Rust types; nothing here redeclares them.
import { invoke } from '@tauri-apps/api/core';
import type {
  AllocateForm,
  AppInfo,
  CaseDeadline,
  CloseYearForm,
  CommandError,
  CreatePeriodForm,
  EntryKind,
  LedgerEntry,
  Overview,
  QuotaPeriod,
  QuotaStatus,
  ReallocateForm,
} from './bindings';

export function overview(): Promise<Overview> {
  return invoke<Overview>('overview');
}

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}

let overviewSignalled = false;

/**
 * Tells the shell, once per run, that the Overview shows data (the start-up benchmark
 * waits for this); later visits to the Overview send nothing.
 */
export function overviewShown(): Promise<void> {
  if (overviewSignalled) return Promise.resolve();
  overviewSignalled = true;
  return invoke<void>('overview_shown');
}

// The Quotas view. Argument names are the Rust parameters' names in camelCase.

/** Every quota period, oldest first. */
export function quotaPeriods(): Promise<QuotaPeriod[]> {
  return invoke<QuotaPeriod[]>('quota_periods');
}

/** A period's figures; a period is named by its first year. */
export function quotaStatus(period: number): Promise<QuotaStatus> {
  return invoke<QuotaStatus>('quota_status', { period });
}

/** The period's newest `limit` ledger entries, newest first. */
/** The period's newest ledger entries, newest first; only those of `kind` if given. */
export function quotaHistory(period: number, limit: number, kind?: EntryKind): Promise<LedgerEntry[]> {
  return invoke<LedgerEntry[]>('quota_history', { period, limit, kind: kind ?? null });
}

export function createPeriod(form: CreatePeriodForm): Promise<QuotaStatus> {
  return invoke<QuotaStatus>('create_period', { form });
}

/** Sets (does not add to) a sub-quota's allocation for a year. */
export function allocate(form: AllocateForm): Promise<QuotaStatus> {
  return invoke<QuotaStatus>('allocate', { form });
}

export function reallocate(form: ReallocateForm): Promise<QuotaStatus> {
  return invoke<QuotaStatus>('reallocate', { form });
}

export function closeYear(form: CloseYearForm): Promise<QuotaStatus> {
  return invoke<QuotaStatus>('close_year', { form });
}

/** Open cases against their deadlines, most urgent first; `today` is YYYY-MM-DD. */
export function deadlines(today?: string): Promise<CaseDeadline[]> {
  return invoke<CaseDeadline[]>('deadlines', today === undefined ? {} : { today });
}

export function isCommandError(error: unknown): error is CommandError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    'field' in error &&
    ((error as { field: unknown }).field === null || typeof (error as { field: unknown }).field === 'string')
  );
}

/**
 * Any failure as a CommandError: the quota commands reject with one (the message and the
 * form field it belongs to); older commands and the IPC layer itself reject with text.
 */
export function commandError(error: unknown): CommandError {
  if (isCommandError(error)) return error;
  return { message: error instanceof Error ? error.message : String(error), field: null, code: null, params: {} };
}

/** A command's error as text, whether it came as text, an Error or a CommandError. */
export function errorText(error: unknown): string {
  return commandError(error).message;
}
