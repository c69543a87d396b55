// Generated from the #[tauri::command] functions in src-tauri/src by
// `cargo xtask gen-types`; do not edit. The front end calls the shell only through
// these functions: a command renamed or retyped in Rust changes them, and `tsc`
// then fails at every call that no longer fits.
import { Channel, invoke } from './tauri';
import type {
  AllocateForm,
  AppInfo,
  AttendanceForm,
  BalanceReport,
  CaseDeadline,
  CaseQuery,
  CaseSearch,
  CheckedIn,
  CheckoutDone,
  CheckoutForm,
  CloseYearForm,
  ComputeQuotasForm,
  ComputedQuotas,
  ConfidentialNote,
  Conflict,
  ConsentForm,
  CreatePeriodForm,
  Dashboard,
  DatabaseChoice,
  DecisionForm,
  DeclarationForm,
  DocumentProgress,
  DocumentRequest,
  Dossier,
  EntryKind,
  ErasureRun,
  Exported,
  FlagDecisionForm,
  FlagForm,
  HouseholdWishesForm,
  ImportForm,
  ImportResult,
  InterviewForm,
  JobOfferForm,
  JobOfferOverrideForm,
  JobOfferRecord,
  KeyInputsForm,
  KeyInputsResult,
  KeySlotList,
  LedgerEntry,
  Mission,
  MissionForm,
  MissionSummary,
  ModelVersion,
  MoveCheck,
  MoveForm,
  MoveProposalForm,
  MunicipalQuotaForm,
  MunicipalityTable,
  NeedsForm,
  Overview,
  Permission,
  PoolEntry,
  Proposal,
  ProposalTransitionForm,
  ProposeForm,
  Proposed,
  QuotaPeriod,
  QuotaStatus,
  ReallocateForm,
  ReceiptWritten,
  Received,
  RefugeeWish,
  Released,
  RenderedDocument,
  ResolveForm,
  RetentionSchedule,
  ReturnDone,
  ReturnForm,
  Rubric,
  TeamForm,
  User,
  VisitationFileForm,
  VisitationFileResult,
  VisitationState,
  Weights,
} from './bindings';

export function overview(): Promise<Overview> {
  return invoke<Overview>('overview');
}

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}

/**
 * Keeps `location` (a file's full path, or a `postgres://` URL whose server answers) as
 * the database of the next start. Nothing is kept when it is refused.
 */
export function chooseDatabase(location: string): Promise<DatabaseChoice> {
  return invoke<DatabaseChoice>('choose_database', { location });
}

/**
 * Forgets the choice: the next start opens `RESETTLE_DB` or the default file again.
 */
export function forgetDatabaseChoice(): Promise<DatabaseChoice> {
  return invoke<DatabaseChoice>('forget_database_choice');
}

/**
 * Tells the shell that the Overview shows data: the start-up benchmark waits for this, once per run.
 */
export function overviewShown(): Promise<void> {
  return invoke<void>('overview_shown');
}

/**
 * Opens the encrypted database with the passphrase typed in the window, in the key slot of
 * the member chosen (or its only one). A wrong one is refused with its code, and the
 * database stays locked and unchanged.
 */
export function unlock(member: string | null, passphrase: string): Promise<void> {
  return invoke<void>('unlock', { member, passphrase });
}

/**
 * The names in the laptop database's key slots, readable while it is locked: the unlock
 * screen offers them.
 */
export function keySlotMembers(): Promise<string[]> {
  return invoke<string[]>('key_slot_members');
}

/**
 * Who can unlock the laptop database, and its recovery key.
 */
export function keySlots(): Promise<KeySlotList> {
  return invoke<KeySlotList>('key_slots');
}

/**
 * Gives a user of the database their own key slot; they type their passphrase.
 */
export function addKeySlot(name: string, passphrase: string): Promise<KeySlotList> {
  return invoke<KeySlotList>('add_key_slot', { name, passphrase });
}

/**
 * Takes a member's key slot away: the database is re-encrypted under a new key while its
 * connections are closed, then opened again under it.
 */
export function removeKeySlot(name: string): Promise<KeySlotList> {
  return invoke<KeySlotList>('remove_key_slot', { name });
}

/**
 * Sets the office's public key for the recovery slot (replacing one rekeys the database).
 */
export function setRecoveryKey(recipient: string): Promise<KeySlotList> {
  return invoke<KeySlotList>('set_recovery_key', { recipient });
}

/**
 * Closes the encrypted database and forgets the document on preview; the window shows the
 * passphrase screen again.
 */
export function lock(): Promise<void> {
  return invoke<void>('lock');
}

/**
 * Minutes without a key press or pointer movement before the window locks itself.
 */
export function idleLockMinutes(): Promise<number> {
  return invoke<number>('idle_lock_minutes');
}

export function setIdleLockMinutes(minutes: number): Promise<number> {
  return invoke<number>('set_idle_lock_minutes', { minutes });
}

export function retentionSchedule(): Promise<RetentionSchedule> {
  return invoke<RetentionSchedule>('retention_schedule');
}

export function setRetentionSchedule(schedule: RetentionSchedule): Promise<RetentionSchedule> {
  return invoke<RetentionSchedule>('set_retention_schedule', { schedule });
}

/**
 * Runs the schedule on today's date; `dry_run` only lists what is due.
 */
export function runRetention(dryRun: boolean): Promise<ErasureRun> {
  return invoke<ErasureRun>('run_retention', { dryRun });
}

/**
 * Erases a closed case's personal data on the person's request.
 */
export function eraseCase(caseNo: string, reason: string): Promise<ErasureRun> {
  return invoke<ErasureRun>('erase_case', { caseNo, reason });
}

/**
 * This database's public bundle key (age1...), or None before one is made.
 */
export function bundleRecipient(): Promise<string | null> {
  return invoke<string | null>('bundle_recipient');
}

/**
 * Makes this database's bundle key (an administrator's work) and returns its public key.
 */
export function initBundleKey(): Promise<string> {
  return invoke<string>('init_bundle_key');
}

/**
 * Checks a mission out to a laptop: the bundle is written whole to the form's path.
 */
export function checkoutMission(form: CheckoutForm): Promise<CheckoutDone> {
  return invoke<CheckoutDone>('checkout_mission', { form });
}

/**
 * Receives a mission bundle from the file at `path`, all or nothing.
 */
export function receiveBundle(path: string): Promise<Received> {
  return invoke<Received>('receive_bundle', { path });
}

export function returnMission(form: ReturnForm): Promise<ReturnDone> {
  return invoke<ReturnDone>('return_mission', { form });
}

/**
 * Checks a return in; with `receipt`, also writes the laptop's receipt there (whole or
 * not at all; checking the same file in again writes it again).
 */
export function checkInBundle(path: string, receipt?: string | null): Promise<CheckedIn> {
  return invoke<CheckedIn>('check_in_bundle', { path, receipt });
}

/**
 * On the laptop: erases its copy of the mission the office's receipt at `path` is for.
 */
export function releaseFieldCopy(path: string): Promise<Released> {
  return invoke<Released>('release_field_copy', { path });
}

export function checkinConflicts(all: boolean): Promise<Conflict[]> {
  return invoke<Conflict[]>('checkin_conflicts', { all });
}

export function resolveConflict(form: ResolveForm): Promise<Conflict> {
  return invoke<Conflict>('resolve_conflict', { form });
}

/**
 * The user the window acts as (the operating system's login), or None when that login is
 * not a user of this database.
 */
export function whoami(): Promise<User | null> {
  return invoke<User | null>('whoami');
}

/**
 * What the window's user may do, as the core decides it (`User::may`): the views offer
 * only these; the core still checks each call.
 */
export function permissions(): Promise<Permission[]> {
  return invoke<Permission[]>('permissions');
}

/**
 * Writes a receipt of the audit chain's head to `out`, signed with the office's key at
 * `key` (an administrator's; the key stays a file outside the database).
 */
export function writeAuditReceipt(key: string, out: string): Promise<ReceiptWritten> {
  return invoke<ReceiptWritten>('write_audit_receipt', { key, out });
}

/**
 * The login the window acts as, registered or not.
 */
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

/**
 * Every quota period, oldest first.
 */
export function quotaPeriods(): Promise<QuotaPeriod[]> {
  return invoke<QuotaPeriod[]>('quota_periods');
}

/**
 * A period's figures; a period is named by its first year.
 */
export function quotaStatus(period: number): Promise<QuotaStatus> {
  return invoke<QuotaStatus>('quota_status', { period });
}

/**
 * The period's newest `limit` ledger entries, newest first; only those of `kind` if given.
 */
export function quotaHistory(period: number, limit: number, kind?: EntryKind | null): Promise<LedgerEntry[]> {
  return invoke<LedgerEntry[]>('quota_history', { period, limit, kind });
}

export function createPeriod(form: CreatePeriodForm): Promise<QuotaStatus> {
  return invoke<QuotaStatus>('create_period', { form });
}

/**
 * Sets (does not add to) a sub-quota's allocation for a year.
 */
export function allocate(form: AllocateForm): Promise<QuotaStatus> {
  return invoke<QuotaStatus>('allocate', { form });
}

export function reallocate(form: ReallocateForm): Promise<QuotaStatus> {
  return invoke<QuotaStatus>('reallocate', { form });
}

export function closeYear(form: CloseYearForm): Promise<QuotaStatus> {
  return invoke<QuotaStatus>('close_year', { form });
}

/**
 * Open cases against their deadlines, most urgent first; `today` (YYYY-MM-DD) defaults
 * to the computer's date.
 */
export function deadlines(today?: string | null): Promise<CaseDeadline[]> {
  return invoke<CaseDeadline[]>('deadlines', { today });
}

/**
 * What needs the user's attention today (the Overview's work list), for a user who reads
 * cases; the counts link to the views that resolve them.
 */
export function dashboard(): Promise<Dashboard> {
  return invoke<Dashboard>('dashboard');
}

/**
 * Cases matching every given filter, newest submission first.
 */
export function searchCases(query: CaseQuery): Promise<CaseSearch> {
  return invoke<CaseSearch>('search_cases', { query });
}

export function caseDossier(caseNo: string): Promise<Dossier> {
  return invoke<Dossier>('case_dossier', { caseNo });
}

/**
 * The integration rubric in force.
 */
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

/**
 * Records what the household released to the receiving municipality.
 */
export function recordConsent(form: ConsentForm): Promise<Dossier> {
  return invoke<Dossier>('record_consent', { form });
}

/**
 * Withdraws a consent in force; `consent` is its id.
 */
export function withdrawConsent(caseNo: string, consent: string): Promise<Dossier> {
  return invoke<Dossier>('withdraw_consent', { caseNo, consent });
}

/**
 * Sets one member's special needs and whether they are a TOM patient; the dossier as it
 * now is comes back.
 */
export function setMedicalNeeds(form: NeedsForm): Promise<Dossier> {
  return invoke<Dossier>('set_medical_needs', { form });
}

/**
 * The case's confidential member information, for a user with the confidential grant;
 * the core records the read in the audit log when it shows any note.
 */
export function confidentialNotes(caseNo: string): Promise<ConfidentialNote[]> {
  return invoke<ConfidentialNote[]>('confidential_notes', { caseNo });
}

/**
 * Records member `position`'s confidential information (from 1); blank text clears it.
 * Nothing comes back: reading the notes again would be a read of its own.
 */
export function setConfidentialNote(caseNo: string, position: number, note: string): Promise<void> {
  return invoke<void>('set_confidential_note', { caseNo, position, note });
}

/**
 * Imports a submission file the user picked (or typed the path of). Problems in the
 * file come back as a list, not as an error, so the view can show every one of them.
 */
export function importSubmissions(form: ImportForm): Promise<ImportResult> {
  return invoke<ImportResult>('import_submissions', { form });
}

/**
 * Every mission with its progress and team.
 */
export function missions(): Promise<MissionSummary[]> {
  return invoke<MissionSummary[]>('missions');
}

export function createMission(form: MissionForm): Promise<Mission> {
  return invoke<Mission>('create_mission', { form });
}

export function addTeamMember(form: TeamForm): Promise<void> {
  return invoke<void>('add_team_member', { form });
}

/**
 * Records a person's orientation attendance; it gives nothing back (read the dossier again).
 */
export function recordAttendance(form: AttendanceForm): Promise<void> {
  return invoke<void>('record_attendance', { form });
}

/**
 * The year's 98 municipalities with their quotas (None before they are computed), use and capacities.
 */
export function municipalityTable(year: number): Promise<MunicipalityTable> {
  return invoke<MunicipalityTable>('municipality_table', { year });
}

/**
 * Accepted households without an active proposal.
 */
export function placementPool(): Promise<PoolEntry[]> {
  return invoke<PoolEntry[]>('placement_pool');
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

/**
 * What moving a household's proposal to `municipality` would break; changes nothing.
 */
export function checkMove(caseNo: string, municipality: number): Promise<MoveCheck> {
  return invoke<MoveCheck>('check_move', { caseNo, municipality });
}

export function moveProposal(form: MoveProposalForm): Promise<Proposal> {
  return invoke<Proposal>('move_proposal', { form });
}

/**
 * Consulted, confirmed or declined (a decline needs its reason as the note).
 */
export function transitionProposal(form: ProposalTransitionForm): Promise<Proposal> {
  return invoke<Proposal>('transition_proposal', { form });
}

/**
 * Changes one municipality's quota of a year by hand, with its reason.
 */
export function setMunicipalQuota(form: MunicipalQuotaForm): Promise<void> {
  return invoke<void>('set_municipal_quota', { form });
}

/**
 * Imports the year's key inputs from a CSV file the user picked (or typed the path of).
 * Problems in the file come back as a list, not as an error, so the view shows each.
 */
export function importKeyInputs(form: KeyInputsForm): Promise<KeyInputsResult> {
  return invoke<KeyInputsResult>('import_key_inputs', { form });
}

/**
 * Computes the year's municipal quotas from its key inputs and the national number.
 */
export function computeQuotas(form: ComputeQuotasForm): Promise<ComputedQuotas> {
  return invoke<ComputedQuotas>('compute_quotas', { form });
}

export function placementWeights(): Promise<Weights> {
  return invoke<Weights>('placement_weights');
}

export function setPlacementWeights(weights: Weights): Promise<void> {
  return invoke<void>('set_placement_weights', { weights });
}

/**
 * What the visitation panel shows for a year: the municipalities' wishes, the history in
 * use and the model versions.
 */
export function visitationState(year: number): Promise<VisitationState> {
  return invoke<VisitationState>('visitation_state', { year });
}

export function jobOffer(caseNo: string): Promise<JobOfferRecord | null> {
  return invoke<JobOfferRecord | null>('job_offer', { caseNo });
}

/**
 * Records (or replaces) a household's job offer.
 */
export function setJobOffer(form: JobOfferForm): Promise<JobOfferRecord> {
  return invoke<JobOfferRecord>('set_job_offer', { form });
}

/**
 * Overrides a job offer with its reason, or follows it again (no reason).
 */
export function overrideJobOffer(form: JobOfferOverrideForm): Promise<JobOfferRecord> {
  return invoke<JobOfferRecord>('override_job_offer', { form });
}

/**
 * A household's own wishes, first wish first.
 */
export function householdWishes(caseNo: string): Promise<RefugeeWish[]> {
  return invoke<RefugeeWish[]>('household_wishes', { caseNo });
}

/**
 * Sets a household's own wishes (the rest of its placement notes unchanged) and gives
 * them back as recorded.
 */
export function setHouseholdWishes(form: HouseholdWishesForm): Promise<RefugeeWish[]> {
  return invoke<RefugeeWish[]>('set_household_wishes', { form });
}

/**
 * Replaces a year's municipality wishes with a CSV file's; problems come back as a list.
 */
export function importMunicipalityWishes(form: VisitationFileForm): Promise<VisitationFileResult> {
  return invoke<VisitationFileResult>('import_municipality_wishes', { form });
}

/**
 * Keeps an outcome history CSV file; problems come back as a list.
 */
export function importOutcomeHistory(form: VisitationFileForm): Promise<VisitationFileResult> {
  return invoke<VisitationFileResult>('import_outcome_history', { form });
}

/**
 * Trains a model on the history and keeps it as the next version, not yet in use.
 */
export function trainModel(): Promise<ModelVersion> {
  return invoke<ModelVersion>('train_model');
}

/**
 * Puts a model version in use for proposals, or none.
 */
export function useModel(version?: number | null): Promise<void> {
  return invoke<void>('use_model', { version });
}

/**
 * The year's balance: fill over the months per municipality, and predicted outcomes by
 * nationality and household type with the model in use.
 */
export function placementBalance(year: number): Promise<BalanceReport> {
  return invoke<BalanceReport>('placement_balance', { year });
}

/**
 * The languages a declaration can be printed in (those with a complete translation).
 */
export function declarationLanguages(): Promise<string[]> {
  return invoke<string[]>('declaration_languages');
}

/**
 * Makes a document for the preview; a pack reports its progress form by form. Nothing
 * is recorded until `save_document`.
 */
export function renderDocument(request: DocumentRequest, onProgress: (message: DocumentProgress) => void): Promise<RenderedDocument> {
  const onProgressChannel = new Channel<DocumentProgress>();
  onProgressChannel.onmessage = onProgress;
  return invoke<RenderedDocument>('render_document', { request, onProgress: onProgressChannel });
}

/**
 * Stops the document being made (a pack stops between two forms).
 */
export function cancelDocument(): Promise<void> {
  return invoke<void>('cancel_document');
}

/**
 * The PDF on preview, as raw bytes (no JSON array of numbers).
 */
export async function documentBytes(): Promise<Uint8Array> {
  return new Uint8Array(await invoke<ArrayBuffer>('document_bytes'));
}

/**
 * Saves the document on preview to `path`, recording the export in the audit log.
 */
export function saveDocument(path: string): Promise<Exported> {
  return invoke<Exported>('save_document', { path });
}
