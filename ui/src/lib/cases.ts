// The Cases and Missions views' pure parts: the vocabularies in the order the views show
// them, the keyboard shortcuts, which forms apply to a case, the forms' checks and the
// values they send, and the import's words. No I/O and no Svelte here, so all of it is
// unit-tested.
import type {
  AttendanceForm,
  CaseStatus,
  Category,
  CommandError,
  Consent,
  Criterion,
  ConsentForm,
  DecisionForm,
  Dossier,
  ExclusionGround,
  FlagResolution,
  ImportResult,
  Organisation,
  Person,
  Priority,
  Problem,
  Relationship,
  ReleaseItem,
  Rubric,
  Text,
  Verdict,
} from './bindings';
import { translate, type Language, type MessageKey } from './messages';
import { parseWhole, type FieldErrors } from './quota';

// ---------------------------------------------------------------- the rubric

// The rubric's types are generated from crates/domain/src/scoring/mod.rs.
export type { Criterion, Level, Method, Rubric } from './bindings';

/** The criteria the caseworker assesses at the interview (the others are derived). */
export function assessedCriteria(rubric: Rubric | null): Criterion[] {
  return rubric ? rubric.criteria.filter((c) => c.method === 'assessed') : [];
}

/** A level's label, if the rubric has that criterion and level. */
export function levelLabel(rubric: Rubric | null, criterion: string, level: string): Text | null {
  return rubric?.criteria.find((c) => c.key === criterion)?.levels.find((l) => l.key === level)?.label ?? null;
}

// ---------------------------------------------------------------- vocabularies

// Records over the generated unions: a code added in Rust fails the type check here.
const statusOrder: Record<CaseStatus, number> = {
  submitted: 0,
  interviewed: 1,
  examined: 2,
  accepted: 3,
  rejected: 4,
  deferred: 5,
  pending_departure: 6,
  departed: 7,
  arrived: 8,
  withdrawn: 9,
};
const priorityOrder: Record<Priority, number> = { emergency: 0, urgent: 1, normal: 2 };
const verdictOrder: Record<Verdict, number> = { accept: 0, reject: 1, defer: 2 };
const verdictStatus: Record<Verdict, CaseStatus> = { accept: 'accepted', reject: 'rejected', defer: 'deferred' };
const groundOrder: Record<ExclusionGround, number> = { article_1f: 0, security: 1, serious_crime: 2 };
const resolutionOrder: Record<FlagResolution, number> = { cleared: 0, excluded: 1 };
const organisationOrder: Record<Organisation, number> = {
  immigration_service: 0,
  refugee_council: 1,
  municipality: 2,
  interpreter: 3,
  other: 4,
};
const relationshipOrder: Record<Relationship, number> = {
  principal: 0,
  spouse: 1,
  child: 2,
  parent: 3,
  sibling: 4,
  other: 5,
};
const categoryOrder: Record<Category, number> = { LPN: 0, SVT: 1, MED: 2, AWR: 3, FAM: 4, CHL: 5, LAS: 6 };
const releaseOrder: Record<ReleaseItem, number> = { special_needs: 0 };

function ordered<T extends string>(order: Record<T, number>): readonly T[] {
  return (Object.keys(order) as T[]).sort((a, b) => order[a] - order[b]);
}

export const caseStatuses = ordered(statusOrder);
export const priorities = ordered(priorityOrder);
export const verdicts = ordered(verdictOrder);
export const exclusionGrounds = ordered(groundOrder);
export const flagResolutions = ordered(resolutionOrder);
export const organisations = ordered(organisationOrder);
export const relationships = ordered(relationshipOrder);
export const categories = ordered(categoryOrder);
export const releaseItems = ordered(releaseOrder);

export function isCaseStatus(value: unknown): value is CaseStatus {
  return typeof value === 'string' && Object.hasOwn(statusOrder, value);
}

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && Object.hasOwn(priorityOrder, value);
}

/** The status a case takes with a verdict. */
export function statusOfVerdict(verdict: Verdict): CaseStatus {
  return verdictStatus[verdict];
}

// ---------------------------------------------------------------- keyboard

export type CaseShortcut = 'search' | 'next' | 'previous';

type Keys = Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

/**
 * The Cases view's shortcuts: `/` (unless the user is typing in a field) or Ctrl+K
 * focuses the search; Alt+ArrowDown and Alt+ArrowUp open the next and previous case.
 */
export function caseShortcut(event: Keys, typing: boolean): CaseShortcut | null {
  const { key, altKey, ctrlKey, metaKey, shiftKey } = event;
  if (ctrlKey && !altKey && !metaKey && !shiftKey && key.toLowerCase() === 'k') return 'search';
  if (altKey && !ctrlKey && !metaKey && !shiftKey) {
    if (key === 'ArrowDown') return 'next';
    if (key === 'ArrowUp') return 'previous';
    return null;
  }
  if (key === '/' && !typing && !ctrlKey && !altKey && !metaKey) return 'search';
  return null;
}

/** Whether keys pressed in `target` are typed into it (a text field, not a checkbox). */
export function isTyping(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const element = target as { tagName?: unknown; type?: unknown; isContentEditable?: unknown };
  if (element.isContentEditable === true) return true;
  const tag = typeof element.tagName === 'string' ? element.tagName.toUpperCase() : '';
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = typeof element.type === 'string' ? element.type : 'text';
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'image', 'range', 'color'].includes(type);
}

/**
 * The case to open for "next" or "previous" in the results: from nothing open, the first
 * (next) or the last (previous); null at either end, where the open case stays.
 */
export function neighbourCase(
  rows: readonly { unhcr_case_no: string }[],
  current: string | null,
  step: 1 | -1,
): string | null {
  if (rows.length === 0) return null;
  const index = current === null ? -1 : rows.findIndex((r) => r.unhcr_case_no === current);
  if (index === -1) return (step === 1 ? rows[0] : rows[rows.length - 1]).unhcr_case_no;
  return rows[index + step]?.unhcr_case_no ?? null;
}

// ---------------------------------------------------------------- what applies to a case

/** What a case form calls after a write: the case's new dossier and the message to announce. */
export type OnDossier = (dossier: Dossier, message: string) => void;

/** The statuses the move form offers: the next ones a decision or an interview does not set. */
export function moveTargets(dossier: Pick<Dossier, 'next'>): CaseStatus[] {
  const set: readonly CaseStatus[] = ['accepted', 'rejected', 'deferred', 'interviewed', 'examined'];
  return dossier.next.filter((s) => !set.includes(s));
}

/** Whether the case waits for a decision (it may be accepted, rejected or deferred). */
export function awaitsDecision(dossier: Pick<Dossier, 'next'>): boolean {
  return dossier.next.includes('accepted');
}

/** Whether an interview (or examination) may be recorded: before and up to the decision. */
export function takesInterview(dossier: Pick<Dossier, 'next'>): boolean {
  return dossier.next.includes('interviewed') || dossier.next.includes('examined') || awaitsDecision(dossier);
}

/** The decision in force: the last one recorded. */
export function decisionInForce(dossier: Pick<Dossier, 'decisions'>): Dossier['decisions'][number] | null {
  return dossier.decisions.at(-1) ?? null;
}

const accepting: readonly CaseStatus[] = ['accepted', 'pending_departure', 'departed', 'arrived'];

/**
 * The adults who still sign the declaration, with their place in the household: once a
 * case is accepted, each accepted adult without a declaration.
 */
export function unsignedAdults(dossier: Dossier): { person: Person; index: number }[] {
  if (!accepting.includes(dossier.household.status)) return [];
  const decision = decisionInForce(dossier);
  const accepted = decision?.verdict === 'accept' && decision.accepted.length > 0 ? decision.accepted : null;
  return dossier.household.members
    .map((person, index) => ({ person, index }))
    .filter(({ person }) => dossier.adults.includes(person.id))
    .filter(({ person }) => accepted === null || accepted.includes(person.id))
    .filter(({ person }) => !dossier.declarations.some((d) => d.person_id === person.id));
}

export function fullName(person: Pick<Person, 'given_name' | 'family_name'>): string {
  return `${person.given_name} ${person.family_name}`;
}

// ---------------------------------------------------------------- form checks

/** Whether a text is a calendar day written YYYY-MM-DD. */
export function isDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const time = new Date(Date.UTC(year, month - 1, day));
  return time.getUTCFullYear() === year && time.getUTCMonth() === month - 1 && time.getUTCDate() === day;
}

/** Today on this computer's calendar, as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function requiredError(text: string): MessageKey | undefined {
  return text.trim() === '' ? 'quota.err.required' : undefined;
}

export function dateError(text: string): MessageKey | undefined {
  if (text.trim() === '') return 'quota.err.required';
  return isDay(text) ? undefined : 'case.err.date';
}

/** A quota year typed in a field: empty (the default year), or a year. */
export function optionalYearError(text: string): MessageKey | undefined {
  if (text.trim() === '') return undefined;
  const year = parseWhole(text);
  return year === null || year < 1900 || year > 9000 ? 'case.err.year' : undefined;
}

export function validateInterview(input: {
  held_on: string;
  interviewer: string;
}): FieldErrors<'held_on' | 'interviewer'> {
  return { held_on: dateError(input.held_on), interviewer: requiredError(input.interviewer) };
}

/** The assessments an interview sends: only the criteria a level was chosen for. */
export function assessmentsOf(chosen: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(chosen).filter(([, level]) => level !== ''));
}

export function validateFlag(input: { note: string }): FieldErrors<'note'> {
  return { note: input.note.trim() === '' ? 'case.err.reasons' : undefined };
}

export function validateFlagDecision(input: { by: string; reason: string }): FieldErrors<'by' | 'reason'> {
  return {
    by: requiredError(input.by),
    reason: input.reason.trim() === '' ? 'case.err.reasons' : undefined,
  };
}

export interface DecisionInput {
  case_no: string;
  verdict: Verdict;
  by: string;
  reasons: string;
  /** As typed; empty for the default year. */
  quota_year: string;
  /** The household's member ids, in order. */
  members: readonly string[];
  /** Whether each member (same order) is ticked as accepted. */
  checked: readonly boolean[];
}

export function validateDecision(input: DecisionInput): FieldErrors<'by' | 'reasons' | 'quota_year' | 'members'> {
  const ticked = input.members.filter((_, i) => input.checked[i]).length;
  return {
    by: requiredError(input.by),
    reasons: input.reasons.trim() === '' ? 'case.err.reasons' : undefined,
    quota_year: input.verdict === 'accept' ? optionalYearError(input.quota_year) : undefined,
    members: input.verdict === 'accept' && ticked === 0 ? 'case.err.members' : undefined,
  };
}

/**
 * The decision to send. An acceptance of every member accepts the household (`accepted`
 * null); unticking some makes a split acceptance naming the ticked ones. Other verdicts
 * name no member and charge no year.
 */
export function decisionForm(input: DecisionInput): DecisionForm {
  const accept = input.verdict === 'accept';
  const ticked = input.members.filter((_, i) => input.checked[i] === true);
  return {
    case_no: input.case_no,
    verdict: input.verdict,
    by: input.by.trim(),
    reasons: input.reasons.trim(),
    accepted: accept && ticked.length < input.members.length ? ticked : null,
    quota_year: accept ? parseWhole(input.quota_year) : null,
  };
}

export function validateMove(input: { on: string; reason: string }): FieldErrors<'on' | 'reason'> {
  return { on: dateError(input.on), reason: input.reason.trim() === '' ? 'case.err.reasons' : undefined };
}

export function validateDeclaration(input: { signed_on: string; place: string }): FieldErrors<'signed_on' | 'place'> {
  return { signed_on: dateError(input.signed_on), place: requiredError(input.place) };
}

// ---------------------------------------------------------------- consent and orientation

/** Whether a consent in force (not withdrawn) releases `item` now. */
export function releasedNow(consents: readonly Consent[], item: ReleaseItem): boolean {
  return consents.some((c) => c.withdrawn === null && c.released.includes(item));
}

/** An ISO 639 language code as the shell takes it: two or three lower-case letters. */
export function languageCodeError(text: string): MessageKey | undefined {
  const code = text.trim();
  if (code === '') return 'quota.err.required';
  return /^[a-z]{2,3}$/.test(code) ? undefined : 'case.err.language';
}

export interface ConsentInput {
  case_no: string;
  /** The release items ticked. */
  checked: Readonly<Partial<Record<ReleaseItem, boolean>>>;
  language: string;
}

export function validateConsent(input: ConsentInput): FieldErrors<'released' | 'language'> {
  return {
    released: releaseItems.some((item) => input.checked[item] === true) ? undefined : 'case.err.released',
    language: languageCodeError(input.language),
  };
}

/** The consent to send: the ticked items, in order, and the language code as typed (trimmed). */
export function consentForm(input: ConsentInput): ConsentForm {
  return {
    case_no: input.case_no,
    released: releaseItems.filter((item) => input.checked[item] === true),
    language: input.language.trim(),
  };
}

/**
 * A language code with its name in the UI's language ("Arabic (ar)"), or the code alone
 * where the platform does not know it.
 */
export function languageName(language: Language, code: string): string {
  try {
    const name = new Intl.DisplayNames([language], { type: 'language', fallback: 'none' }).of(code);
    return name && name.toLowerCase() !== code.toLowerCase() ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** The lessons of each subject the cultural orientation has (as the shell checks). */
export const ORIENTATION_LESSONS = 10;

export function lessonsError(text: string): MessageKey | undefined {
  if (text.trim() === '') return 'quota.err.required';
  const value = parseWhole(text);
  return value === null || value > ORIENTATION_LESSONS ? 'case.err.lessons' : undefined;
}

export interface AttendanceInput {
  person_id: string;
  society: string;
  danish: string;
}

export function validateAttendance(input: AttendanceInput): FieldErrors<'society' | 'danish'> {
  return { society: lessonsError(input.society), danish: lessonsError(input.danish) };
}

/** The attendance to send (only once `validateAttendance` found nothing wrong). */
export function attendanceForm(input: AttendanceInput): AttendanceForm {
  return {
    person_id: input.person_id,
    society_lessons: parseWhole(input.society) ?? 0,
    danish_lessons: parseWhole(input.danish) ?? 0,
  };
}

/**
 * The shell names a refusal of lessons `lessons`, with the number refused: it belongs to
 * the subject that number was sent for (society first when both were).
 */
export function lessonsRefusal(error: CommandError, sent: AttendanceForm): CommandError {
  if (error.field !== 'lessons') return error;
  const refused = Number(error.params.lessons);
  const field = refused === sent.society_lessons || refused !== sent.danish_lessons ? 'society' : 'danish';
  return { ...error, field };
}

/** The dossier with a member's attendance as just recorded (when it cannot be read again). */
export function withAttendance(dossier: Dossier, sent: AttendanceForm): Dossier {
  const others = dossier.attendance.filter((a) => a.person_id !== sent.person_id);
  return { ...dossier, attendance: [...others, { ...sent }] };
}

export function validateImport(input: { path: string }): FieldErrors<'path'> {
  return { path: requiredError(input.path) };
}

export interface MissionInput {
  name: string;
  country_of_asylum: string;
  location: string;
  start_date: string;
  end_date: string;
  target_places: string;
}

export function validateMission(
  input: MissionInput,
): FieldErrors<'name' | 'country_of_asylum' | 'location' | 'start_date' | 'end_date' | 'target_places'> {
  const start = dateError(input.start_date);
  const end = dateError(input.end_date);
  const country = input.country_of_asylum.trim();
  return {
    name: requiredError(input.name),
    country_of_asylum: country === '' ? 'quota.err.required' : /^[A-Za-z]{3}$/.test(country) ? undefined : 'case.err.country',
    location: requiredError(input.location),
    start_date: start,
    end_date: end ?? (!start && input.end_date.trim() < input.start_date.trim() ? 'case.err.endBeforeStart' : undefined),
    target_places: input.target_places.trim() === '' ? 'quota.err.required' : parseWhole(input.target_places) === null ? 'quota.err.whole' : undefined,
  };
}

export function validateTeam(input: { name: string }): FieldErrors<'name'> {
  return { name: requiredError(input.name) };
}

/** A nationality filter is sent once it is a whole code (three letters), upper case. */
export function nationalityFilter(text: string): string | null {
  const code = text.trim();
  return /^[A-Za-z]{3}$/.test(code) ? code.toUpperCase() : null;
}

// ---------------------------------------------------------------- import

/** One problem of a submission file: "Row 5, column date_of_birth: <reason>". */
export function problemLine(language: Language, problem: Problem): string {
  return problem.column
    ? translate(language, 'import.problem', { row: problem.row, column: problem.column, reason: problem.reason })
    : translate(language, 'import.problemRow', { row: problem.row, reason: problem.reason });
}

/** What an import did, would do (dry run), or why it did nothing. */
export function importSummary(language: Language, result: ImportResult, format: (n: number) => string = String): string {
  const report = result.report;
  if (!report) return translate(language, 'import.problems', { count: result.problems.length });
  const key: MessageKey = report.dry_run
    ? report.unchanged > 0
      ? 'import.dryRunUnchanged'
      : 'import.dryRunDone'
    : report.unchanged > 0
      ? 'import.doneUnchanged'
      : 'import.done';
  return translate(language, key, {
    households: format(report.households),
    persons: format(report.persons),
    unchanged: format(report.unchanged),
  });
}
