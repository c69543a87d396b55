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
database: string, 
/**
 * Whether it is encrypted (and so opens with a passphrase, and can be locked).
 */
encrypted: boolean, 
/**
 * Whether it is locked now: the window shows only the passphrase screen.
 */
locked: boolean, 
/**
 * The database chosen in Settings for the next start, if any (a server's URL without
 * its password).
 */
chosen: string | null, 
/**
 * Whether the database itself authenticated who works (the office server's login),
 * rather than the operating system's login standing for them (a file).
 */
server_login: boolean, 
/**
 * The member whose key slot unlocked a laptop's file: who works, proven by their
 * passphrase.
 */
unlocked_as: string | null, 
/**
 * The folder the app's log files are written to (one a day, the last fourteen kept),
 * or None if it could not be made.
 */
log_dir: string | null, };

export type Assessment = "supports" | "concerns" | "incomplete" | "not_applied";

export type Attendance = { person_id: string, society_lessons: number, danish_lessons: number, };

export type AttendanceForm = { person_id: string, society_lessons: number, danish_lessons: number, };

export type CaseDeadline = { case_id: string, unhcr_case_no: string, priority: Priority, case_status: CaseStatus, submission_date: string, deadline: string, departed_on: string | null, status: DeadlineStatus, 
/**
 * Days from today to the deadline; negative when overdue.
 */
days_left: number, };

export type CaseQuery = { 
/**
 * Words that start a case number, RRF reference or member's name.
 */
text: string | null, nationality: string | null, priority: Priority | null, status: CaseStatus | null, mission: string | null, 
/**
 * At most this many rows (default 200).
 */
limit: number | null, };

export type CaseRow = { unhcr_case_no: string, principal: string, members: number, nationality: string, priority: Priority, status: CaseStatus, submission_date: string, mission: string | null, };

export type CaseSearch = { 
/**
 * All matches; `rows` holds the first of them, newest submission first.
 */
total: number, rows: Array<CaseRow>, };

export type CapacityUse = { capacity: string, units: number, used: number, };

export type CaseStatus = "submitted" | "interviewed" | "examined" | "accepted" | "rejected" | "deferred" | "pending_departure" | "departed" | "arrived" | "withdrawn";

export type Category = "LPN" | "SVT" | "MED" | "AWR" | "FAM" | "CHL" | "LAS";

export type CloseYearForm = { period: number, year: number, reason: string, };

export type CommandError = { message: string, field: string | null, code: string | null, params: { [key in string]?: string }, };

export type Commitment = { period: number, year: number, sub_quota: SubQuota, places: number, used: boolean, };

export type Consent = { id: string, released: Array<ReleaseItem>, 
/**
 * ISO 639 code of the language the consent was explained and signed in.
 */
language: string, recorded_by: string, recorded_at: string, withdrawn: Withdrawal | null, };

export type ConsentForm = { case_no: string, released: Array<ReleaseItem>, language: string, };

export type CreatePeriodForm = { start_year: number, places: number, years: number, carry_over: boolean, annual_cap: number, reason: string, };

export type Criterion = { key: string, name: Text, method: Method, weight: number, levels: Array<Level>, };

export type CriterionScore = { key: string, name: Text, 
/**
 * None when an assessed criterion was not assessed yet.
 */
level: string | null, points: number, max_points: number, weight: number, weighted: number, max_weighted: number, explanation: Text, };

export type Level = { key: string, points: number, label: Text, };

export type Method = "derived" | "assessed";

export type Rubric = { version: number, 
/**
 * A household scoring below this share of the maximum is marked "concerns".
 */
threshold_percent: number, criteria: Array<Criterion>, };

export type DatabaseChoice = { 
/**
 * Where it is, as shown (a server's URL without its password); None for the default.
 */
chosen: string | null, };

export type DeadlineStatus = "overdue" | "at_risk" | "on_track" | "met" | "missed";

export type Decision = { id: string, verdict: Verdict, by: string, reasons: string, at: string, 
/**
 * The members accepted (all of them unless the decision was split); empty unless
 * the verdict is accept.
 */
accepted: Array<string>, };

export type DecisionForm = { case_no: string, verdict: Verdict, by: string, reasons: string, 
/**
 * For a split acceptance, the members accepted; None accepts the household.
 */
accepted: Array<string> | null, 
/**
 * The quota year to charge; None charges the open year of this year's period.
 */
quota_year: number | null, };

export type Declaration = { person_id: string, signed_on: string, place: string, };

export type DeclarationForm = { case_no: string, person_id: string, signed_on: string, place: string, };

export type Dossier = { household: Household, mission: MissionRef | null, deadline: CaseDeadline, interviews: Array<Interview>, flags: Array<ScreeningFlag>, 
/**
 * The latest score, if any.
 */
score: StoredScore | null, 
/**
 * Every decision, oldest first; the last is in force.
 */
decisions: Array<Decision>, transitions: Array<Transition>, declarations: Array<Declaration>, attendance: Array<Attendance>, commitments: Array<Commitment>, 
/**
 * The erasures done on the case, oldest first: a tombstone's `—` is explained by them.
 */
erasures: Array<ErasureRecord>, 
/**
 * Releases to the municipality, oldest first (withdrawn ones included).
 */
consents: Array<Consent>, 
/**
 * The statuses the case may move to next.
 */
next: Array<CaseStatus>, 
/**
 * Adults (18 and over today), who sign the declaration.
 */
adults: Array<string>, };

export type EntryKind = "allocation" | "reallocation" | "commitment" | "release" | "arrival" | "carry_over" | "lapse" | "year_closed";

export type ExclusionGround = "article_1f" | "security" | "serious_crime";

export type Exemption = "emergency" | "urgent" | "medical" | "strategic_mission";

export type FlagDecision = { resolution: FlagResolution, by: string, reason: string, at: string, };

export type FlagDecisionForm = { case_no: string, flag_id: string, resolution: FlagResolution, by: string, reason: string, };

export type FlagForm = { case_no: string, ground: ExclusionGround, note: string, };

export type FlagResolution = "cleared" | "excluded";

export type Household = { id: string, unhcr_case_no: string, rrf_ref: string, 
/**
 * ISO 3166-1 alpha-3.
 */
country_of_asylum: string, 
/**
 * ISO 3166-1 alpha-3.
 */
nationality: string, primary_category: Category, secondary_category: Category | null, priority: Priority, route: Route, submission_date: string, mission_id: string | null, status: CaseStatus, members: Array<Person>, };

export type ImportForm = { path: string, mission: string | null, dry_run: boolean, };

export type ImportReport = { 
/**
 * New households written.
 */
households: number, persons: number, 
/**
 * Households already in the database exactly as the file has them.
 */
unchanged: number, dry_run: boolean, };

export type ImportResult = { file: string, report: ImportReport | null, problems: Array<Problem>, };

export type Interview = { id: string, held_on: string, interviewer: string, 
/**
 * Sensitive: never leaves the agency.
 */
notes: string, 
/**
 * Assessed rubric criteria: criterion key to level key.
 */
assessments: { [key in string]?: string }, };

export type InterviewForm = { case_no: string, held_on: string, interviewer: string, notes: string, assessments: { [key in string]?: string }, };

export type LedgerEntry = { seq: number, kind: EntryKind, year: number, sub_quota: SubQuota | null, to_year: number | null, to_sub_quota: SubQuota | null, places: number, 
/**
 * The UNHCR case number for commitments, releases and arrivals.
 */
case_no: string | null, exceptional_id: string | null, author: string, at: string, reason: string, };

export type Mission = { id: string, name: string, 
/**
 * ISO 3166-1 alpha-3.
 */
country_of_asylum: string, location: string, start_date: string, end_date: string, 
/**
 * Persons the mission aims to select.
 */
target_places: number, 
/**
 * Strategic operations are exempt from integration scoring.
 */
strategic: boolean, };

export type MissionForm = { name: string, country_of_asylum: string, location: string, start_date: string, end_date: string, target_places: number, strategic: boolean, };

export type MissionProgress = { cases: number, persons: number, interviewed: number, scored: number, decided: number, accepted_cases: number, 
/**
 * Persons accepted, against `target_places`.
 */
accepted_persons: number, target_places: number, 
/**
 * Adults of accepted cases who signed the declaration, of all such adults.
 */
declarations_signed: number, declarations_due: number, 
/**
 * Persons who attended all 20 orientation lessons.
 */
orientation_complete: number, };

export type MissionRef = { id: string, name: string, strategic: boolean, };

export type MissionSummary = { mission: Mission, progress: MissionProgress, team: Array<TeamMember>, };

export type MoveCheck = { 
/**
 * Hard problems: the move is refused while any remains.
 */
problems: Array<ProposalError>, 
/**
 * The municipality's quota would be exceeded: allowed only with an override reason.
 */
over_quota: ProposalError | null, score: number, reasons: Array<string>, };

export type MoveForm = { case_no: string, to: CaseStatus, on: string, reason: string, };

export type MoveProposalForm = { case_no: string, municipality: number, 
/**
 * Needed to go over the municipality's quota.
 */
override_reason: string | null, };

export type Municipality = { code: number, name: string, region_code: number, region_name: string, };

export type MunicipalityProfile = { 
/**
 * Sectors with demand for labour.
 */
labour_market: Array<string>, 
/**
 * Services offered (e.g. `trauma_therapy`, `special_school`).
 */
services: Array<string>, 
/**
 * Languages with local support.
 */
languages: Array<string>, };

export type MunicipalityQuota = { code: number, name: string, region_name: string, 
/**
 * What the distribution key gave; None before the year's quotas are computed.
 */
computed: number | null, quota: number | null, 
/**
 * Persons in active proposals (proposed, consulted, confirmed) of the year.
 */
used: number, 
/**
 * quota − used; negative when an override placed more.
 */
left: number, 
/**
 * The reason of the latest hand edit, if the quota was edited.
 */
edit_reason: string | null, capacities: Array<CapacityUse>, profile: MunicipalityProfile, };

export type MunicipalityTable = { year: number, 
/**
 * The year's key inputs are invented demo figures.
 */
synthetic_inputs: boolean, rows: Array<MunicipalityQuota>, };

export type KeyInputsForm = { year: number, path: string, 
/**
 * The figures are invented (demo or test data), not official statistics.
 */
synthetic: boolean, };

export type KeyInputsResult = { file: string, imported: KeyInputSet | null, problems: Array<string>, };

export type KeyInputSet = { year: number, source: string, 
/**
 * Invented figures for demonstration, not official statistics.
 */
synthetic: boolean, municipalities: number, };

export type QuotaExemption = { from: number, to: number, };

export type ComputeQuotasForm = { year: number, 
/**
 * The national number of refugees (landstal) for the year.
 */
national: number, exemptions: Array<QuotaExemption>, };

export type ComputedQuotas = { year: number, national: number, 
/**
 * Municipalities given a quota above 0.
 */
given: number, municipalities: number, };

export type DocumentRequest = { "kind": "declaration", case_no: string, language: string, } | { "kind": "referral", case_no: string, } | { "kind": "pack", municipality: number, year: number, } | { "kind": "quota_report", period: number, } | { "kind": "statistics", year: number, format: StatisticsFormat, } | { "kind": "access_report", case_no: string, member: number | null, language: string | null, };

export type StatisticsFormat = "xlsx" | "csv" | "pdf";

export type Exported = { file: string, kind: string, document_ids: Array<string>, sha256: string, bytes: number, };

export type RenderedDocument = { kind: string, document_ids: Array<string>, bytes: number, 
/**
 * Where to offer to save it: the user's documents folder and a name such as
 * `referral-UGA-25C90012.pdf`.
 */
suggested_path: string, };

export type DocumentProgress = { done: number, total: number, };

export type MunicipalQuotaForm = { year: number, code: number, quota: number, reason: string, };

export type Organisation = "immigration_service" | "refugee_council" | "municipality" | "interpreter" | "other";

export type Overview = { households: number, persons: number, missions: number, municipalities: number, by_priority: PriorityCounts, period: PeriodSummary | null, };

export type Dashboard = { 
/**
 * The day the deadlines and waits are counted on.
 */
today: string, 
/**
 * Open cases past their UNHCR deadline (emergency 7 days, urgent 6 weeks, normal
 * 12 months from submission to departure).
 */
overdue: number, 
/**
 * Open cases with less than a quarter of their time left.
 */
at_risk: number, 
/**
 * Cases interviewed, examined or deferred: waiting for a decision.
 */
awaiting_decision: number, 
/**
 * Placements proposed and not yet put to the municipality.
 */
proposals_to_send: number, 
/**
 * Placements put to the municipality and waiting for its answer.
 */
awaiting_answer: number, 
/**
 * Days the longest of those has waited since it was put to the municipality.
 */
longest_wait_days: number | null, 
/**
 * Accepted cases, not yet departed, with an adult who has not signed the declaration.
 */
declarations_missing: number, 
/**
 * Missions checked out to a laptop and not returned since.
 */
missions_in_field: number, 
/**
 * Check-in conflicts no quota manager has resolved yet.
 */
open_conflicts: number, 
/**
 * This year's quota, when a period covers the year.
 */
quota: YearQuota | null, };

export type YearQuota = { 
/**
 * The period's first year, which names it.
 */
period: number, year: number, annual_cap: number, 
/**
 * Allocated to the year plus carried in from the year before.
 */
allocated: number, committed: number, used: number, available: number, };

export type PeriodSummary = { start_year: number, end_year: number, total_places: number, };

export type Person = { id: string, relationship: Relationship, given_name: string, family_name: string, sex: Sex, date_of_birth: string, 
/**
 * ISO 639 codes, most used first.
 */
languages: Array<string>, literate: boolean, education_years: number, occupation: string | null, 
/**
 * Sensitive: released to a municipality only with the refugee's consent.
 */
special_needs: string | null, 
/**
 * A patient under UNHCR's Twenty-or-More programme (charged to the medical sub-quota).
 */
tom_patient: boolean, };

export type PlacementProfile = { 
/**
 * Municipality codes where family or a social network lives.
 */
network: Array<number>, 
/**
 * Capacities needed beyond those derived from the members (see `derived_needs`).
 */
needs: Array<string>, 
/**
 * Service tags wanted (e.g. `trauma_therapy`).
 */
services: Array<string>, 
/**
 * Households with the same link group are placed in the same municipality.
 */
link_group: string | null, 
/**
 * The household's own wishes, recorded at the interview, first wish first.
 */
wishes: Array<RefugeeWish>, };

export type RefugeeWish = { 
/**
 * A municipality code; or else
 */
municipality?: string | null, 
/**
 * a region code (every municipality of the region honours the wish).
 */
region?: string | null, 
/**
 * `WISH_REASONS` code.
 */
reason?: string | null, };

export type BalanceReport = { year: number, municipalities: Array<MunicipalityFill>, by_nationality: Array<GroupOutcome>, by_household_type: Array<GroupOutcome>, 
/**
 * The model version the outcomes were predicted with (none: no model in use, and
 * no outcomes predicted).
 */
model_version: number | null, };

export type MunicipalityFill = { code: string, quota: number, 
/**
 * Persons placed by the end of January, February, ... December (12 numbers).
 */
placed_by_month: Array<number>, 
/**
 * The same as shares of the quota (0 when the quota is 0).
 */
fill_by_month: Array<number>, };

export type GroupOutcome = { 
/**
 * A nationality code or a household type; "unknown" when not recorded.
 */
group: string, households: number, persons: number, 
/**
 * The mean predicted chance where they were placed (none without a model).
 */
predicted: number | null, 
/**
 * The mean of each household's best predicted chance in any municipality.
 */
best: number | null, 
/**
 * best − predicted: what the year's trade-offs cost the group, in chance.
 */
cost: number | null, };

export type JobOffer = { 
/**
 * The municipality of the workplace.
 */
municipality: number, hours_per_week: number, permanent: boolean, 
/**
 * Where the offer is documented (a letter's reference, a file number).
 */
document: string, 
/**
 * A quota manager's reason for not following the offer; the offer then does not
 * place the household.
 */
overridden: string | null, };

export type JobOfferRecord = { case_no: string, offer: JobOffer, municipality_name: string, 
/**
 * Permanent and at least 15 hours a week.
 */
qualifies: boolean, 
/**
 * It qualifies and was not overridden: it places the household.
 */
decides: boolean, overridden_by: string | null, recorded_by: string, recorded_at: string, };

export type JobOfferForm = { case_no: string, municipality: number, hours_per_week: number, permanent: boolean, document: string, };

export type JobOfferOverrideForm = { case_no: string, reason: string | null, };

export type HouseholdWishesForm = { case_no: string, wishes: Array<RefugeeWish>, };

export type VisitationFileForm = { path: string, year: number | null, };

export type VisitationFileResult = { file: string, rows: number | null, problems: Array<string>, };

export type VisitationState = { year: number, municipality_wishes: Array<MunicipalityWishesRow>, history: HistoryImport | null, models: Array<ModelVersion>, };

export type MunicipalityWishes = { 
/**
 * `HOUSEHOLD_TYPES` codes.
 */
household_types: Array<string>, languages: Array<string>, services: Array<string>, };

export type MunicipalityWishesRow = { code: number, name: string, wishes: MunicipalityWishes, };

export type HistoryImport = { seq: number, file_name: string, sha256: string, rows: number, first_year: number, last_year: number, imported_by: string, imported_at: string, };

export type ModelVersion = { version: number, trained_by: string, trained_at: string, history_file: string, history_sha256: string, rows: number, folds: number, learned: Metrics, hand_weighted: Metrics, 
/**
 * The version `placement propose` scores with.
 */
in_use: boolean, };

export type Metrics = { auc: number, brier: number, };

export type ForecastSummary = { samples: number, 
/**
 * Households and persons still expected.
 */
households: number, persons: number, 
/**
 * Places of quota left in all once the batch is placed.
 */
places_left: number, 
/**
 * Persons of the forecast no plan could place after this batch: 0 when the year can
 * still be completed.
 */
unplaced_persons: number, 
/**
 * The forecast's expected score in what the batch leaves.
 */
expected_score: number, };

export type PoolEntry = { case_no: string, persons: number, mission: string | null, needs: Array<string>, link_group: string | null, };

export type Priority = "emergency" | "urgent" | "normal";

export type PriorityCounts = { emergency: number, urgent: number, normal: number, };

export type Proposal = { case_no: string, persons: number, needs: Array<string>, link_group: string | null, year: number, municipality: number, municipality_name: string, status: ProposalStatus, score: number, reasons: Array<string>, method: ProposalMethod, override_reason: string | null, proposed_by: string, proposed_at: string, 
/**
 * The learned model that scored it (none: the feature model's weights).
 */
model_version: number | null, 
/**
 * What the forecast said the rest of the year still needs once its batch was placed
 * (none: solved without a forecast).
 */
forecast: ForecastSummary | null, };

export type ProposalError = { "code": "bad_transition", from: string, to: string, } | { "code": "closed" } | { "code": "over_quota", municipality: number, persons: number, left: number, } | { "code": "no_capacity", municipality: number, capacity: string, } | { "code": "link_group_split", group: string, municipality: number, } | { "code": "name_required" } | { "code": "reason_required" };

export type ProposalMethod = "optimal" | "greedy" | "hand";

export type ProposalStatus = "proposed" | "consulted" | "confirmed" | "declined";

export type ProposalTransitionForm = { case_no: string, to: ProposalStatus, note: string, };

export type Proposed = { batch: string, method: ProposalMethod, objective: number, 
/**
 * The LP bound and gap (optimal method only).
 */
bound: number | null, gap: number | null, proven_optimal: boolean, solve_ms: number, proposals: Array<Proposal>, 
/**
 * What the rest of the year still needs once the batch is placed, by the forecast
 * drawn from the outcome history (none: no history, or asked for none).
 */
forecast: ForecastSummary | null, 
/**
 * Why there was no forecast, when there was none.
 */
no_forecast: string | null, };

export type ProposeForm = { batch: string, year: number, method: ProposalMethod, };

export type Problem = { row: number, column: string | null, reason: string, };

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

export type Relationship = "principal" | "spouse" | "child" | "parent" | "sibling" | "other";

export type RetentionSchedule = { 
/**
 * Years after a case was rejected or withdrawn that its personal data is kept.
 * Default 5: UNHCR may submit the same household again in the next three-year
 * quota period, and the service must then see why it said no; five years covers the
 * rest of the period and the whole of the next.
 */
closed_case_years: number, 
/**
 * Days after a case's last decision in which it can still be complained about. The
 * interview notes of an arrived case are kept until this window is over. Default
 * 365: a complaint to the Parliamentary Ombudsman must be made within twelve months
 * of the final decision.
 */
complaint_window_days: number, 
/**
 * Years after arrival that an arrived case's identifying data is kept. Default 10:
 * the resettlement file is consulted when the person applies for permanent
 * residence (at the earliest after eight years) and for family reunification.
 */
arrived_case_years: number, };

export type RetentionRule = "closed_case" | "interview_notes" | "arrived_case" | "request" | "checked_in";

export type ErasureScope = "case" | "interview_notes";

export type Erasure = { case_no: string, rule: RetentionRule, scope: ErasureScope, 
/**
 * The day from which the schedule asked for it (the day of a request).
 */
due_on: string, };

export type ErasureRun = { erasures: Array<Erasure>, 
/**
 * Nothing was erased: the erasures are the ones due.
 */
dry_run: boolean, 
/**
 * Whether the erased bytes have left the database's files already. A SQLite file is
 * vacuumed at once; on the server only the tables' owner may rewrite them
 * (`resettle privacy compact`), so an administrator's erasure leaves that to it.
 */
compacted: boolean, };

export type ErasureRecord = { scope: ErasureScope, rule: RetentionRule, erased_at: string, erased_by: string, };

export type ReleaseItem = "special_needs";

export type Route = "mission" | "dossier";

export type ScoreCard = { rubric_version: number, assessment: Assessment, exemption: Exemption | null, total: number, max: number, percent: number, threshold_percent: number, criteria: Array<CriterionScore>, 
/**
 * The overall explanation: why the criteria were not applied, or what the total says.
 */
summary: Text, };

export type ScreeningFlag = { id: string, ground: ExclusionGround, raised_by: string, raised_at: string, 
/**
 * What prompted the flag. Sensitive: it never leaves the agency.
 */
note: string, decision: FlagDecision | null, };

export type Sex = "F" | "M" | "X";

export type StoredScore = { id: string, scored_at: string, scored_by: string, card: ScoreCard, };

export type SubQuota = "geographical" | "emergency_urgent" | "medical";

export type SubQuotaStatus = { sub_quota: SubQuota, allocated: number, carried_in: number, committed: number, used: number, available: number, carried_out: number, lapsed: number, };

export type TeamForm = { mission: string, name: string, organisation: Organisation, role: string, };

export type CheckoutForm = { mission: string, 
/**
 * The laptop's public bundle key (age1...).
 */
to: string, path: string, };

export type CheckoutDone = { bundle: string, households: number, 
/**
 * At most `bundle::MAX_BYTES`, so a u32 (a number, not a bigint, in TypeScript).
 */
bytes: number, sha256: string, file: string, };

export type Received = { bundle: string, mission: string, households: number, persons: number, 
/**
 * Households the laptop already held exactly as the bundle has them.
 */
unchanged: number, 
/**
 * The bundle had been received before: nothing was written.
 */
already_received: boolean, };

export type ReturnForm = { mission: string, path: string, };

export type ReturnDone = { bundle: string, households: number, 
/**
 * Rows of field work in the return.
 */
records: number, bytes: number, sha256: string, file: string, };

export type CheckedIn = { bundle: string, mission: string, households: number, 
/**
 * Fields of households the office took from the laptop (statuses, medical needs).
 */
fields_taken: number, 
/**
 * Rows of field work the office did not have.
 */
records_added: number, 
/**
 * New entries in the conflict queue.
 */
conflicts: number, 
/**
 * The return had been checked in before: nothing was written.
 */
already_checked_in: boolean, };

export type Released = { mission: string, mission_name: string, 
/**
 * The households whose personal data was erased from this laptop.
 */
households: number, 
/**
 * Whether the file was rewritten without the erased bytes at once.
 */
compacted: boolean, };

export type Conflict = { id: string, case_no: string, kind: ConflictKind, 
/**
 * What it is about: "status", a member ("member 2"), a decision, "consents", a record.
 */
subject: string, office: Array<Line>, laptop: Array<Line>, raised_at: string, resolution: Side | null, resolved_by: string | null, };

export type ConflictKind = "status" | "medical_needs" | "decision" | "consent" | "record";

export type Line = { field: string, value: string, };

export type ResolveForm = { id: string, side: Side, };

export type NeedsForm = { case_no: string, position: number, special_needs: string, tom_patient: boolean, };

export type ConfidentialNote = { 
/**
 * The member's number in the household, from 1, as the dossier lists them.
 */
member: number, person_id: string, note: string, recorded_by: string, recorded_at: string, };

export type Side = "office" | "laptop";

export type User = { name: string, roles: Array<Role>, 
/**
 * May save documents (declarations, referral forms, packs, reports) to files.
 */
export: boolean, 
/**
 * May read and record members' confidential information.
 */
confidential: boolean, 
/**
 * A user who left keeps their name in the records but may do nothing.
 */
active: boolean, };

export type Role = "caseworker" | "quota_manager" | "administrator";

export type Permission = "read_cases" | "record_fieldwork" | "plan_missions" | "edit_rubric" | "change_quotas" | "decide_cases" | "place_households" | "check_out_missions" | "export_documents" | "manage_users" | "manage_settings" | "load_demo_data" | "erase_personal_data" | "read_confidential";

export type ReceiptWritten = { 
/**
 * Where it was written.
 */
out: string, 
/**
 * The head entry's sequence number.
 */
seq: number, 
/**
 * The head entry's hash.
 */
head: string, };

export type KeySlotList = { members: Array<string>, 
/**
 * The office's public key of the recovery slot, if there is one.
 */
recovery: string | null, };

export type TeamMember = { id: string, name: string, organisation: Organisation, role: string, };

export type Text = { en: string, da: string, };

export type Transition = { from: CaseStatus, to: CaseStatus, at: string, actor: string, reason: string, };

export type Verdict = "accept" | "reject" | "defer";

export type Weights = { network: number, skills: number, services: number, language: number, spread: number, wish: number, municipality_wish: number, outcome: number, };

export type Withdrawal = { at: string, by: string, };

export type YearStatus = { year: number, closed: boolean, sub_quotas: Array<SubQuotaStatus>, };

export const REFUSAL_CODES = ['invalid_regime', 'period_overlaps', 'no_such_period', 'year_outside_period', 'year_closed', 'earlier_year_open', 'no_places', 'same_sub_quota', 'exceeds_period_total', 'exceeds_annual_cap', 'exceptional_for_other_year', 'no_such_exceptional', 'below_committed', 'not_enough_places', 'nothing_committed', 'already_committed', 'transition_not_allowed', 'exclusion_undecided', 'excluded', 'flag_already_decided', 'no_such_flag', 'decider_required', 'reasons_required', 'no_member_accepted', 'not_a_member', 'members_only_when_accepting', 'unknown_criterion', 'unknown_level', 'invalid_rubric', 'lessons_out_of_range', 'not_an_adult', 'mission_dates', 'country_code', 'name_required', 'date_in_future', 'no_such_person', 'nothing_released', 'language_code', 'no_such_consent', 'confidential_in_the_field', 'unknown_user', 'inactive_user', 'forbidden', 'no_users', 'bad_user_name', 'user_exists', 'no_such_user', 'last_administrator', 'bad_transition', 'closed', 'over_quota', 'no_capacity', 'link_group_split', 'reason_required', 'job_offer_hours', 'job_offer_document', 'job_offer_override_reason', 'too_many_wishes', 'wish_place', 'wish_municipality', 'wish_region', 'wish_reason', 'wish_twice', 'household_type', 'bad_tag', 'bundle_too_large', 'bundle_not_for_us', 'bundle_damaged', 'not_a_bundle', 'bundle_version', 'bundle_inconsistent', 'bad_recipient', 'checkin_receipt_other', 'checkin_receipt_stale', 'passphrase_required', 'wrong_passphrase', 'not_encrypted', 'passphrase_for_server', 'weak_passphrase', 'idle_lock_range', 'no_bundle_key', 'bundle_refused', 'no_checkout', 'field_copy_released', 'no_such_conflict', 'conflict_resolved', 'office_row_final', 'no_such_case', 'no_such_mission', 'no_period_for_year', 'no_such_rubric', 'no_key_inputs', 'key_error', 'no_quotas_for_year', 'no_such_municipality', 'capacity_name_required', 'bad_weight', 'bad_batch', 'nothing_to_place', 'not_placeable', 'no_active_proposal', 'infeasible', 'placement_changed', 'server_denied', 'connected_as', 'schema_behind', 'not_set_up', 'no_server_login', 'owner_cannot_create_roles', 'database_name_too_long', 'member_required', 'no_such_member', 'member_exists', 'last_member', 'remove_self', 'unlocked_as', 'no_recovery_slot', 'recovery_key_wrong', 'no_key_slots', 'laptop_rolled_back', 'file_access', 'backup_exists', 'backup_on_server', 'restore_would_overwrite', 'restore_chain_broken', 'move_needs_owner', 'compact_needs_owner', 'move_source_broken', 'server_not_empty', 'move_logins_missing', 'move_copy_failed', 'no_job_offer', 'no_history', 'no_such_model', 'retention_range', 'erasure_reason_required', 'already_erased', 'case_open', 'no_declaration_language', 'declaration_incomplete', 'no_adult', 'empty_pack', 'export_cancelled', 'cannot_write_file', 'access_report_format', 'no_checkin_receipt', 'pdf_unprintable', 'key_exists', 'bad_signing_key', 'bad_receipt', 'bad_public_key', 'receipt_other_key', 'receipt_altered', 'audit_chain_broken', 'not_an_exceptional_id', 'cannot_read_file', 'path_required', 'locked', 'database_required', 'database_path_relative', 'cannot_save_choice', 'training_failed'] as const;
