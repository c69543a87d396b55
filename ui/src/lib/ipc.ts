// The typed client of the desktop shell's commands. Types come from bindings.ts, which is
// generated from the Rust types; nothing here redeclares them.
import { Channel, invoke } from '@tauri-apps/api/core';
import type {
  AllocateForm,
  AppInfo,
  AttendanceForm,
  CaseDeadline,
  CaseQuery,
  CaseSearch,
  CheckoutDone,
  CheckoutForm,
  CloseYearForm,
  CommandError,
  ConsentForm,
  CreatePeriodForm,
  DatabaseChoice,
  DecisionForm,
  DeclarationForm,
  DocumentProgress,
  DocumentRequest,
  Dossier,
  EntryKind,
  Exported,
  FlagDecisionForm,
  FlagForm,
  ImportForm,
  ImportResult,
  InterviewForm,
  LedgerEntry,
  Mission,
  MissionForm,
  MissionSummary,
  MoveCheck,
  MoveForm,
  MoveProposalForm,
  MunicipalityTable,
  MunicipalQuotaForm,
  Overview,
  PoolEntry,
  Proposal,
  ProposalTransitionForm,
  Proposed,
  ProposeForm,
  QuotaPeriod,
  QuotaStatus,
  ReallocateForm,
  Received,
  ReturnDone,
  ReturnForm,
  CheckedIn,
  Conflict,
  ResolveForm,
  NeedsForm,
  RenderedDocument,
  TeamForm,
  User,
  Weights,
} from './bindings';
import type { Rubric } from './cases';

export function overview(): Promise<Overview> {
  return invoke<Overview>('overview');
}

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}

/** Keeps a database (a file's full path or a postgres:// URL) for the next start. */
export function chooseDatabase(location: string): Promise<DatabaseChoice> {
  return invoke<DatabaseChoice>('choose_database', { location });
}

/** Forgets the chosen database: the next start opens the default again. */
export function forgetDatabaseChoice(): Promise<DatabaseChoice> {
  return invoke<DatabaseChoice>('forget_database_choice');
}

/** Opens the encrypted database with its passphrase; a wrong one rejects with its code. */
export function unlock(passphrase: string): Promise<void> {
  return invoke<void>('unlock', { passphrase });
}

/** Closes the encrypted database: the window shows the passphrase screen again. */
export function lock(): Promise<void> {
  return invoke<void>('lock');
}

export function idleLockMinutes(): Promise<number> {
  return invoke<number>('idle_lock_minutes');
}

export function setIdleLockMinutes(minutes: number): Promise<number> {
  return invoke<number>('set_idle_lock_minutes', { minutes });
}

/** The user the window acts as, or null when its login is not a user of the database. */
export function whoami(): Promise<User | null> {
  return invoke<User | null>('whoami');
}

/** The computer's login the window acts as. */
export function loginName(): Promise<string> {
  return invoke<string>('login_name');
}

export function users(): Promise<User[]> {
  return invoke<User[]>('users');
}

export function addUser(user: User): Promise<User> {
  return invoke<User>('add_user', { user });
}

export function updateUser(user: User): Promise<User> {
  return invoke<User>('update_user', { user });
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

// The Cases view. Each write hands back the case's dossier as it now is.

/** Cases matching every given filter, newest submission first. */
export function searchCases(query: CaseQuery): Promise<CaseSearch> {
  return invoke<CaseSearch>('search_cases', { query });
}

export function caseDossier(caseNo: string): Promise<Dossier> {
  return invoke<Dossier>('case_dossier', { caseNo });
}

/** The integration rubric in force (its type is declared in cases.ts: it is not generated). */
export function rubric(): Promise<Rubric> {
  return invoke<Rubric>('rubric');
}

export function recordInterview(form: InterviewForm): Promise<Dossier> {
  return invoke<Dossier>('record_interview', { form });
}

export function scoreCase(caseNo: string): Promise<Dossier> {
  return invoke<Dossier>('score_case', { caseNo });
}

export function raiseFlag(form: FlagForm): Promise<Dossier> {
  return invoke<Dossier>('raise_flag', { form });
}

export function decideFlag(form: FlagDecisionForm): Promise<Dossier> {
  return invoke<Dossier>('decide_flag', { form });
}

export function decideCase(form: DecisionForm): Promise<Dossier> {
  return invoke<Dossier>('decide_case', { form });
}

export function moveCase(form: MoveForm): Promise<Dossier> {
  return invoke<Dossier>('move_case', { form });
}

export function signDeclaration(form: DeclarationForm): Promise<Dossier> {
  return invoke<Dossier>('sign_declaration', { form });
}

/** Records what the household released to the receiving municipality. */
export function recordConsent(form: ConsentForm): Promise<Dossier> {
  return invoke<Dossier>('record_consent', { form });
}

/** Withdraws a consent in force; `consent` is its id. */
export function setMedicalNeeds(form: NeedsForm): Promise<Dossier> {
  return invoke<Dossier>('set_medical_needs', { form });
}

export function withdrawConsent(caseNo: string, consent: string): Promise<Dossier> {
  return invoke<Dossier>('withdraw_consent', { caseNo, consent });
}

/** Imports a submission file; its problems come back in the result, not as an error. */
export function importSubmissions(form: ImportForm): Promise<ImportResult> {
  return invoke<ImportResult>('import_submissions', { form });
}

// The Missions view.

/** Every mission with its progress and team. */
export function missions(): Promise<MissionSummary[]> {
  return invoke<MissionSummary[]>('missions');
}

export function createMission(form: MissionForm): Promise<Mission> {
  return invoke<Mission>('create_mission', { form });
}

export function addTeamMember(form: TeamForm): Promise<void> {
  return invoke<void>('add_team_member', { form });
}

/** Records a person's orientation attendance; it gives nothing back (read the dossier again). */
export function recordAttendance(form: AttendanceForm): Promise<void> {
  return invoke<void>('record_attendance', { form });
}

// The Placement view.

/** The year's 98 municipalities with their quotas (null before they are computed), use and capacities. */
export function municipalityTable(year: number): Promise<MunicipalityTable> {
  return invoke<MunicipalityTable>('municipality_table', { year });
}

/** Accepted households without an active proposal. */
export function placementPool(): Promise<PoolEntry[]> {
  return invoke<PoolEntry[]>('placement_pool');
}

/** The year's proposals, active first, declined last. */
export function declarationLanguages(): Promise<string[]> {
  return invoke<string[]>('declaration_languages');
}

/**
 * Makes a document for the preview; a pack reports its progress form by form. Nothing
 * is recorded until `saveDocument`.
 */
export function renderDocument(request: DocumentRequest, onProgress: (p: DocumentProgress) => void): Promise<RenderedDocument> {
  const channel = new Channel<DocumentProgress>();
  channel.onmessage = onProgress;
  return invoke<RenderedDocument>('render_document', { request, onProgress: channel });
}

export function cancelDocument(): Promise<void> {
  return invoke<void>('cancel_document');
}

/** The PDF on preview, as bytes (the shell sends them raw, not as JSON). */
export async function documentBytes(): Promise<Uint8Array> {
  return new Uint8Array(await invoke<ArrayBuffer>('document_bytes'));
}

/** Saves the document on preview; the export is recorded in the audit log. */
export function saveDocument(path: string): Promise<Exported> {
  return invoke<Exported>('save_document', { path });
}

export function proposals(year: number): Promise<Proposal[]> {
  return invoke<Proposal[]>('proposals', { year });
}

/**
 * Proposes a municipality for every household of a batch (`accepted`, `mission:<id>` or
 * `cases:<no>,<no>`); all or nothing. May take a few seconds.
 */
export function proposePlacements(form: ProposeForm): Promise<Proposed> {
  return invoke<Proposed>('propose_placements', { form });
}

/** What moving a household's proposal to `municipality` would break; changes nothing. */
export function checkMove(caseNo: string, municipality: number): Promise<MoveCheck> {
  return invoke<MoveCheck>('check_move', { caseNo, municipality });
}

export function moveProposal(form: MoveProposalForm): Promise<Proposal> {
  return invoke<Proposal>('move_proposal', { form });
}

/** Consulted, confirmed or declined (a decline needs its reason as the note). */
export function transitionProposal(form: ProposalTransitionForm): Promise<Proposal> {
  return invoke<Proposal>('transition_proposal', { form });
}

/** Changes one municipality's quota of a year by hand, with its reason. */
export function setMunicipalQuota(form: MunicipalQuotaForm): Promise<void> {
  return invoke<void>('set_municipal_quota', { form });
}

export function placementWeights(): Promise<Weights> {
  return invoke<Weights>('placement_weights');
}

export function setPlacementWeights(weights: Weights): Promise<void> {
  return invoke<void>('set_placement_weights', { weights });
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

/** This database's public bundle key (age1...), or null before one is made. */
export function bundleRecipient(): Promise<string | null> {
  return invoke<string | null>('bundle_recipient');
}

/** Makes this database's bundle key (an administrator's work) and returns its public key. */
export function initBundleKey(): Promise<string> {
  return invoke<string>('init_bundle_key');
}

/** Checks a mission out to a laptop: the bundle is written whole to the form's path. */
export function checkoutMission(form: CheckoutForm): Promise<CheckoutDone> {
  return invoke<CheckoutDone>('checkout_mission', { form });
}

/** Receives a mission bundle from the file at `path`, all or nothing. */
export function receiveBundle(path: string): Promise<Received> {
  return invoke<Received>('receive_bundle', { path });
}

export function returnMission(form: ReturnForm): Promise<ReturnDone> {
  return invoke<ReturnDone>('return_mission', { form });
}

export function checkInBundle(path: string): Promise<CheckedIn> {
  return invoke<CheckedIn>('check_in_bundle', { path });
}

export function checkinConflicts(all: boolean): Promise<Conflict[]> {
  return invoke<Conflict[]>('checkin_conflicts', { all });
}

export function resolveConflict(form: ResolveForm): Promise<Conflict> {
  return invoke<Conflict>('resolve_conflict', { form });
}
