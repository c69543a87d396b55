import { describe, expect, it } from 'vitest';
import type { CommandError, Consent, Dossier, Person } from './bindings';
import {
  assessedCriteria,
  assessmentsOf,
  attendanceForm,
  awaitsDecision,
  caseShortcut,
  consentForm,
  decisionForm,
  importSummary,
  isDay,
  isTyping,
  languageCodeError,
  languageName,
  lessonsRefusal,
  levelLabel,
  moveTargets,
  nationalityFilter,
  neighbourCase,
  problemLine,
  releasedNow,
  takesInterview,
  today,
  unsignedAdults,
  validateAttendance,
  validateConsent,
  validateDecision,
  validateDeclaration,
  validateFlag,
  validateFlagDecision,
  validateImport,
  validateInterview,
  validateMission,
  validateMove,
  withAttendance,
  type DecisionInput,
  type Rubric,
} from './cases';
import { formatNumber } from './messages';

const keys = (key: string, mods: Partial<KeyboardEvent> = {}) => ({
  key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('keyboard shortcuts', () => {
  it('focuses the search with / (unless typing) or Ctrl+K (even while typing)', () => {
    expect(caseShortcut(keys('/'), false)).toBe('search');
    expect(caseShortcut(keys('/'), true)).toBeNull();
    // A Danish keyboard types / with Shift+7.
    expect(caseShortcut(keys('/', { shiftKey: true }), false)).toBe('search');
    expect(caseShortcut(keys('k', { ctrlKey: true }), true)).toBe('search');
    expect(caseShortcut(keys('K', { ctrlKey: true }), false)).toBe('search');
    expect(caseShortcut(keys('k'), false)).toBeNull();
    expect(caseShortcut(keys('k', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(caseShortcut(keys('/', { ctrlKey: true }), false)).toBeNull();
  });

  it('opens the next and previous case with Alt+ArrowDown and Alt+ArrowUp, typing or not', () => {
    expect(caseShortcut(keys('ArrowDown', { altKey: true }), true)).toBe('next');
    expect(caseShortcut(keys('ArrowUp', { altKey: true }), false)).toBe('previous');
    expect(caseShortcut(keys('ArrowDown'), false)).toBeNull();
    expect(caseShortcut(keys('ArrowDown', { altKey: true, ctrlKey: true }), false)).toBeNull();
    expect(caseShortcut(keys('ArrowDown', { altKey: true, shiftKey: true }), false)).toBeNull();
    // Alt+digits belong to the menu.
    expect(caseShortcut(keys('4', { altKey: true }), false)).toBeNull();
  });

  it('knows when keys are typed into a field', () => {
    expect(isTyping({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTyping({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTyping({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTyping({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTyping({ tagName: 'SELECT' })).toBe(true);
    expect(isTyping({ tagName: 'BUTTON' })).toBe(false);
    expect(isTyping({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTyping(null)).toBe(false);
  });

  it('moves through the results and stops at either end', () => {
    const rows = ['A', 'B', 'C'].map((unhcr_case_no) => ({ unhcr_case_no }));
    expect(neighbourCase(rows, null, 1)).toBe('A');
    expect(neighbourCase(rows, null, -1)).toBe('C');
    expect(neighbourCase(rows, 'A', 1)).toBe('B');
    expect(neighbourCase(rows, 'B', -1)).toBe('A');
    expect(neighbourCase(rows, 'C', 1)).toBeNull();
    expect(neighbourCase(rows, 'A', -1)).toBeNull();
    // An open case the search no longer lists: start again from an end.
    expect(neighbourCase(rows, 'Z', 1)).toBe('A');
    expect(neighbourCase([], 'A', 1)).toBeNull();
  });
});

describe('form checks', () => {
  it('accepts only real calendar days written YYYY-MM-DD', () => {
    expect(isDay('2026-03-05')).toBe(true);
    expect(isDay(' 2028-02-29 ')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('5/3/2026')).toBe(false);
    expect(isDay('2026-3-5')).toBe(false);
    expect(today(new Date(2026, 2, 5, 23, 30))).toBe('2026-03-05');
  });

  it('checks the interview, flag, move, declaration and import forms', () => {
    expect(validateInterview({ held_on: '', interviewer: ' ' })).toEqual({
      held_on: 'quota.err.required',
      interviewer: 'quota.err.required',
    });
    expect(validateInterview({ held_on: '2026-02-30', interviewer: 'Ane' }).held_on).toBe('case.err.date');
    expect(validateInterview({ held_on: '2026-02-03', interviewer: 'Ane' })).toEqual({
      held_on: undefined,
      interviewer: undefined,
    });
    expect(validateFlag({ note: '' }).note).toBe('case.err.reasons');
    expect(validateFlagDecision({ by: '', reason: 'x' })).toEqual({ by: 'quota.err.required', reason: undefined });
    expect(validateMove({ on: 'tomorrow', reason: '' })).toEqual({ on: 'case.err.date', reason: 'case.err.reasons' });
    expect(validateDeclaration({ signed_on: '2026-04-01', place: '' })).toEqual({
      signed_on: undefined,
      place: 'quota.err.required',
    });
    expect(validateImport({ path: '  ' }).path).toBe('quota.err.required');
  });

  it('checks a mission: names, a country code, days in order and a whole target', () => {
    const ok = {
      name: 'Lebanon 2026',
      country_of_asylum: 'lbn',
      location: 'Beirut',
      start_date: '2026-03-02',
      end_date: '2026-03-13',
      target_places: '150',
    };
    expect(Object.values(validateMission(ok)).filter(Boolean)).toEqual([]);
    expect(validateMission({ ...ok, country_of_asylum: 'Lebanon' }).country_of_asylum).toBe('case.err.country');
    expect(validateMission({ ...ok, end_date: '2026-03-01' }).end_date).toBe('case.err.endBeforeStart');
    expect(validateMission({ ...ok, end_date: '13/03/2026' }).end_date).toBe('case.err.date');
    expect(validateMission({ ...ok, target_places: '1.5' }).target_places).toBe('quota.err.whole');
    expect(validateMission({ ...ok, name: '', location: '' })).toMatchObject({
      name: 'quota.err.required',
      location: 'quota.err.required',
    });
  });

  it('sends a nationality filter once it is a whole code', () => {
    expect(nationalityFilter('sy')).toBeNull();
    expect(nationalityFilter(' syr ')).toBe('SYR');
    expect(nationalityFilter('')).toBeNull();
  });
});

describe('the decision', () => {
  const input = (more: Partial<DecisionInput> = {}): DecisionInput => ({
    case_no: 'SYR-26C00001',
    verdict: 'accept',
    by: ' Ane Holm ',
    reasons: ' Meets the criteria ',
    quota_year: '',
    members: ['p1', 'p2', 'p3'],
    checked: [true, true, true],
    ...more,
  });

  it('accepts the household when every member is ticked', () => {
    expect(decisionForm(input())).toEqual({
      case_no: 'SYR-26C00001',
      verdict: 'accept',
      by: 'Ane Holm',
      reasons: 'Meets the criteria',
      accepted: null,
      quota_year: null,
    });
  });

  it('names the ticked members of a split acceptance, and the quota year if given', () => {
    const form = decisionForm(input({ checked: [true, false, true], quota_year: '2027' }));
    expect(form.accepted).toEqual(['p1', 'p3']);
    expect(form.quota_year).toBe(2027);
  });

  it('names no member and no year for a rejection or a deferral', () => {
    for (const verdict of ['reject', 'defer'] as const) {
      const form = decisionForm(input({ verdict, checked: [false, true, false], quota_year: '2027' }));
      expect(form.accepted).toBeNull();
      expect(form.quota_year).toBeNull();
    }
  });

  it('needs a decider, reasons, at least one member and a real year', () => {
    expect(validateDecision(input({ by: '', reasons: '' }))).toMatchObject({
      by: 'quota.err.required',
      reasons: 'case.err.reasons',
    });
    expect(validateDecision(input({ checked: [false, false, false] })).members).toBe('case.err.members');
    expect(validateDecision(input({ verdict: 'reject', checked: [false, false, false] })).members).toBeUndefined();
    expect(validateDecision(input({ quota_year: '27' })).quota_year).toBe('case.err.year');
    expect(validateDecision(input({ quota_year: '2027' })).quota_year).toBeUndefined();
  });
});

describe('the import', () => {
  it('writes a problem line with its row and column, or its row alone', () => {
    expect(problemLine('en', { row: 5, column: 'date_of_birth', reason: 'not a date' })).toBe(
      'Row 5, column date_of_birth: not a date',
    );
    expect(problemLine('da', { row: 1, column: null, reason: 'the file has no rows' })).toBe(
      'Række 1: the file has no rows',
    );
  });

  it('says what an import did, would do, or why it did nothing', () => {
    const report = { households: 12, persons: 41, unchanged: 3, dry_run: false };
    const format = (n: number) => formatNumber('en', n);
    expect(importSummary('en', { file: 'f.csv', report, problems: [] }, format)).toBe(
      'Imported 12 new households (41 persons); 3 already imported, unchanged.',
    );
    expect(importSummary('en', { file: 'f.csv', report: { ...report, unchanged: 0 }, problems: [] })).toBe(
      'Imported 12 new households (41 persons).',
    );
    expect(importSummary('en', { file: 'f.csv', report: { ...report, dry_run: true }, problems: [] })).toMatch(
      /^Dry run: 12 new households \(41 persons\) would be imported; 3 already imported, unchanged\. Nothing was written\.$/,
    );
    const problems = [1, 2, 3].map((row) => ({ row, column: null, reason: 'x' }));
    expect(importSummary('da', { file: 'f.csv', report: null, problems })).toBe('3 problemer; intet er importeret.');
  });
});

const rubric: Rubric = {
  version: 1,
  threshold_percent: 50,
  criteria: [
    {
      key: 'language',
      name: { en: 'Language', da: 'Sprog' },
      method: 'derived',
      weight: 2,
      levels: [{ key: 'literate', points: 2, label: { en: 'Literate', da: 'Kan læse og skrive' } }],
    },
    {
      key: 'network',
      name: { en: 'Social network', da: 'Socialt netværk' },
      method: 'assessed',
      weight: 1,
      levels: [
        { key: 'strong', points: 2, label: { en: 'Strong network', da: 'Stærkt netværk' } },
        { key: 'none', points: 0, label: { en: 'No network', da: 'Intet netværk' } },
      ],
    },
  ],
};

describe('the rubric and what applies to a case', () => {
  it('offers only the assessed criteria at the interview, and sends only chosen levels', () => {
    expect(assessedCriteria(rubric).map((c) => c.key)).toEqual(['network']);
    expect(assessedCriteria(null)).toEqual([]);
    expect(levelLabel(rubric, 'network', 'none')?.da).toBe('Intet netværk');
    expect(levelLabel(rubric, 'network', 'gone')).toBeNull();
    expect(assessmentsOf({ network: 'strong', motivation: '' })).toEqual({ network: 'strong' });
  });

  it('moves on only to the statuses no decision or interview sets', () => {
    expect(moveTargets({ next: ['accepted', 'rejected', 'deferred', 'withdrawn'] })).toEqual(['withdrawn']);
    expect(moveTargets({ next: ['pending_departure', 'withdrawn'] })).toEqual(['pending_departure', 'withdrawn']);
    expect(moveTargets({ next: ['interviewed', 'withdrawn'] })).toEqual(['withdrawn']);
    expect(awaitsDecision({ next: ['accepted', 'rejected', 'deferred', 'withdrawn'] })).toBe(true);
    expect(awaitsDecision({ next: ['examined', 'withdrawn'] })).toBe(false);
    expect(takesInterview({ next: ['examined', 'withdrawn'] })).toBe(true);
    expect(takesInterview({ next: ['departed', 'withdrawn'] })).toBe(false);
  });

  it('asks the accepted adults without a declaration to sign', () => {
    const person = (id: string): Person => ({
      id,
      relationship: 'other',
      given_name: id,
      family_name: 'X',
      sex: 'F',
      date_of_birth: '1980-01-01',
      languages: [],
      literate: true,
      education_years: 0,
      occupation: null,
      special_needs: null,
      tom_patient: false,
    });
    const dossier = {
      household: { status: 'accepted', members: ['a', 'b', 'c', 'd'].map(person) },
      adults: ['a', 'b', 'd'],
      declarations: [{ person_id: 'a', signed_on: '2026-01-01', place: 'Beirut' }],
      decisions: [{ verdict: 'accept', accepted: ['a', 'b', 'c'] }],
    } as unknown as Dossier;
    // a signed, c is a child, d was not accepted.
    expect(unsignedAdults(dossier).map(({ person, index }) => [person.id, index])).toEqual([['b', 1]]);
    const submitted = { ...dossier, household: { ...dossier.household, status: 'submitted' } } as Dossier;
    expect(unsignedAdults(submitted)).toEqual([]);
  });
});

describe('consent and orientation', () => {
  const consent = (withdrawn: Consent['withdrawn'], released: Consent['released'] = ['special_needs']): Consent => ({
    id: 'c1',
    released,
    language: 'ar',
    recorded_by: 'kim',
    recorded_at: '2026-03-07T10:00:00Z',
    withdrawn,
  });

  it('releases special needs only by a consent in force that lists them', () => {
    expect(releasedNow([], 'special_needs')).toBe(false);
    expect(releasedNow([consent(null)], 'special_needs')).toBe(true);
    expect(releasedNow([consent({ at: '2026-04-01T08:30:00Z', by: 'ane' })], 'special_needs')).toBe(false);
    expect(releasedNow([consent({ at: '2026-04-01T08:30:00Z', by: 'ane' }), consent(null)], 'special_needs')).toBe(true);
    expect(releasedNow([consent(null, [])], 'special_needs')).toBe(false);
  });

  it('takes a consent that releases something, in an ISO 639 code, and sends it trimmed', () => {
    expect(languageCodeError(' ar ')).toBeUndefined();
    expect(languageCodeError('som')).toBeUndefined();
    expect(languageCodeError('')).toBe('quota.err.required');
    for (const bad of ['AR', 'a', 'arab', 'Arabic', 'a1', 'ar-SY']) expect(languageCodeError(bad)).toBe('case.err.language');
    const input = { case_no: 'SYR-26C00001', checked: { special_needs: true }, language: ' ar ' };
    expect(validateConsent(input)).toEqual({ released: undefined, language: undefined });
    expect(validateConsent({ ...input, checked: { special_needs: false } }).released).toBe('case.err.released');
    expect(consentForm(input)).toEqual({ case_no: 'SYR-26C00001', released: ['special_needs'], language: 'ar' });
    expect(consentForm({ ...input, checked: {} }).released).toEqual([]);
  });

  it('names a language in the UI language, or gives the code alone', () => {
    expect(languageName('en', 'ar')).toBe('Arabic (ar)');
    expect(languageName('da', 'ar')).toBe('arabisk (ar)');
    expect(languageName('en', 'qqq')).toBe('qqq');
    expect(languageName('en', 'not a code')).toBe('not a code');
  });

  it('takes whole numbers of lessons from 0 to 10 and sends them as numbers', () => {
    expect(validateAttendance({ person_id: 'p', society: '0', danish: ' 10 ' })).toEqual({ society: undefined, danish: undefined });
    expect(validateAttendance({ person_id: 'p', society: '11', danish: '' })).toEqual({
      society: 'case.err.lessons',
      danish: 'quota.err.required',
    });
    expect(validateAttendance({ person_id: 'p', society: '-1', danish: '2.5' })).toEqual({
      society: 'case.err.lessons',
      danish: 'case.err.lessons',
    });
    expect(attendanceForm({ person_id: 'p', society: ' 4 ', danish: '10' })).toEqual({
      person_id: 'p',
      society_lessons: 4,
      danish_lessons: 10,
    });
  });

  it('puts a refusal of lessons next to the subject it names', () => {
    const refusal = (lessons: string): CommandError => ({
      message: 'out of range',
      field: 'lessons',
      code: 'lessons_out_of_range',
      params: { lessons, max: '10' },
    });
    const sent = { person_id: 'p', society_lessons: 12, danish_lessons: 14 };
    expect(lessonsRefusal(refusal('14'), sent).field).toBe('danish');
    expect(lessonsRefusal(refusal('12'), sent).field).toBe('society');
    expect(lessonsRefusal(refusal('12'), { ...sent, danish_lessons: 12 }).field).toBe('society');
    const other: CommandError = { message: 'no person', field: 'person', code: 'no_such_person', params: {} };
    expect(lessonsRefusal(other, sent)).toBe(other);
  });

  it('shows an attendance just recorded when the dossier cannot be read again', () => {
    const dossier = {
      attendance: [
        { person_id: 'a', society_lessons: 1, danish_lessons: 1 },
        { person_id: 'b', society_lessons: 2, danish_lessons: 2 },
      ],
    } as unknown as Dossier;
    const next = withAttendance(dossier, { person_id: 'a', society_lessons: 5, danish_lessons: 6 });
    expect(next.attendance).toEqual([
      { person_id: 'b', society_lessons: 2, danish_lessons: 2 },
      { person_id: 'a', society_lessons: 5, danish_lessons: 6 },
    ]);
    expect(dossier.attendance[0].society_lessons).toBe(1);
  });
});
