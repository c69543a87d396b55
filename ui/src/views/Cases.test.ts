import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type {
  Attendance,
  AttendanceForm,
  CaseRow,
  CaseSearch,
  Consent,
  ConsentForm,
  Dossier,
  ImportResult,
  MissionSummary,
  Person,
} from '../lib/bindings';
import type { Rubric } from '../lib/cases';
import { setLanguage } from '../lib/i18n.svelte';

// The shell, played by a mock: the view only ever talks to it through `invoke` (and the
// file dialog plugin).
const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
const dialogOpen = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: dialogOpen }));

import Cases from './Cases.svelte';

const rows: CaseRow[] = [
  {
    unhcr_case_no: 'SYR-26C00001',
    principal: 'Amal Haddad',
    members: 3,
    nationality: 'SYR',
    priority: 'normal',
    status: 'interviewed',
    submission_date: '2026-02-10',
    mission: 'Lebanon 2026',
  },
  {
    unhcr_case_no: 'COD-26C00002',
    principal: 'Amani Fiktivi',
    members: 1,
    nationality: 'COD',
    priority: 'emergency',
    status: 'submitted',
    submission_date: '2026-01-20',
    mission: null,
  },
];

function person(id: string, given: string, relationship: Person['relationship'], born: string): Person {
  return {
    id,
    relationship,
    given_name: given,
    family_name: 'Haddad',
    sex: relationship === 'spouse' ? 'M' : 'F',
    date_of_birth: born,
    languages: ['ar', 'en'],
    literate: true,
    education_years: 12,
    occupation: relationship === 'child' ? null : 'teacher',
    special_needs: null,
    tom_patient: false,
  };
}

const members = [
  person('00000000-0000-0000-0000-0000000000a1', 'Amal', 'principal', '1985-04-02'),
  person('00000000-0000-0000-0000-0000000000a2', 'Karim', 'spouse', '1983-09-12'),
  person('00000000-0000-0000-0000-0000000000a3', 'Lina', 'child', '2015-06-30'),
];

function dossier(status: Dossier['household']['status'] = 'interviewed'): Dossier {
  const next: Dossier['next'] =
    status === 'interviewed' ? ['accepted', 'rejected', 'deferred', 'withdrawn'] : ['pending_departure', 'withdrawn'];
  return {
    household: {
      id: '00000000-0000-0000-0000-000000000001',
      unhcr_case_no: 'SYR-26C00001',
      rrf_ref: 'RRF-0001',
      country_of_asylum: 'LBN',
      nationality: 'SYR',
      primary_category: 'LPN',
      secondary_category: null,
      priority: 'normal',
      route: 'mission',
      submission_date: '2026-02-10',
      mission_id: '00000000-0000-0000-0000-0000000000m1',
      status,
      members,
    },
    mission: { id: '00000000-0000-0000-0000-0000000000m1', name: 'Lebanon 2026', strategic: false },
    deadline: {
      case_id: '00000000-0000-0000-0000-000000000001',
      unhcr_case_no: 'SYR-26C00001',
      priority: 'normal',
      case_status: status,
      submission_date: '2026-02-10',
      deadline: '2026-08-10',
      departed_on: null,
      status: 'on_track',
      days_left: 120,
    },
    interviews: [
      {
        id: 'i1',
        held_on: '2026-03-04',
        interviewer: 'Ane Holm',
        notes: 'Talked about the family in Aleppo.',
        assessments: { network: 'strong' },
      },
    ],
    flags: [],
    score: {
      id: 's1',
      scored_at: '2026-03-05T10:00:00Z',
      scored_by: 'ane',
      card: {
        rubric_version: 1,
        assessment: 'supports',
        exemption: null,
        total: 30,
        max: 40,
        percent: 75,
        threshold_percent: 50,
        criteria: [
          {
            key: 'network',
            name: { en: 'Social network', da: 'Socialt netværk' },
            level: 'strong',
            points: 2,
            max_points: 2,
            weight: 1,
            weighted: 2,
            max_weighted: 2,
            explanation: { en: 'Assessed at the interview.', da: 'Vurderet ved samtalen.' },
          },
        ],
        summary: { en: '30 of 40 points (75%), at or above the 50% threshold.', da: '30 af 40 point (75 %).' },
      },
    },
    decisions:
      status === 'accepted'
        ? [{ id: 'd1', verdict: 'accept', by: 'Ane Holm', reasons: 'Meets the criteria', at: '2026-03-06T09:00:00Z', accepted: members.map((m) => m.id) }]
        : [],
    transitions: [
      { from: 'submitted', to: 'interviewed', at: '2026-03-04T12:00:00Z', actor: 'ane', reason: 'interview recorded' },
    ],
    declarations: [],
    attendance: attendance.map((a) => ({ ...a })),
    consents: consents.map((c) => ({ ...c })),
    commitments: status === 'accepted' ? [{ period: 2026, year: 2026, sub_quota: 'geographical', places: 3, used: false }] : [],
    erasures: [],
    next,
    adults: [members[0].id, members[1].id],
  };
}

const rubric: Rubric = {
  version: 1,
  threshold_percent: 50,
  criteria: [
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

const lebanon: MissionSummary = {
  mission: {
    id: '00000000-0000-0000-0000-0000000000m1',
    name: 'Lebanon 2026',
    country_of_asylum: 'LBN',
    location: 'Beirut',
    start_date: '2026-03-02',
    end_date: '2026-03-13',
    target_places: 150,
    strategic: false,
  },
  progress: {
    cases: 1,
    persons: 3,
    interviewed: 1,
    scored: 1,
    decided: 0,
    accepted_cases: 0,
    accepted_persons: 0,
    target_places: 150,
    declarations_signed: 0,
    declarations_due: 0,
    orientation_complete: 0,
  },
  team: [],
};

let decide: (form: unknown) => Dossier;
let imported: ImportResult;
// What the shell holds of the open case's consents and orientation.
let consents: Consent[];
let attendance: Attendance[];
let consentRefusal: unknown;
let attendanceRefusal: unknown;

const arabic: Consent = {
  id: '00000000-0000-0000-0000-0000000000c1',
  released: ['special_needs'],
  language: 'ar',
  recorded_by: 'kim',
  recorded_at: '2026-03-07T10:00:00Z',
  withdrawn: null,
};

beforeEach(() => {
  decide = () => dossier('accepted');
  imported = { file: '/tmp/submissions.csv', report: { households: 12, persons: 41, unchanged: 3, dry_run: false }, problems: [] };
  consents = [];
  attendance = [];
  consentRefusal = null;
  attendanceRefusal = null;
  invoke.mockReset();
  dialogOpen.mockReset();
  invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) => {
    switch (command) {
      case 'search_cases': {
        const query = args?.query as { text: string | null; status: string | null };
        const found = rows.filter(
          (r) => (!query.text || r.unhcr_case_no.startsWith(query.text)) && (!query.status || r.status === query.status),
        );
        return { total: found.length, rows: found } satisfies CaseSearch;
      }
      case 'missions':
        return [lebanon];
      case 'rubric':
        return rubric;
      case 'case_dossier':
        if (args?.caseNo === 'SYR-26C00001') return dossier();
        return { ...dossier('submitted'), household: { ...dossier('submitted').household, unhcr_case_no: String(args?.caseNo), status: 'submitted' }, next: ['interviewed', 'withdrawn'] };
      case 'decide_case':
        return decide(args?.form);
      case 'import_submissions':
        return imported;
      case 'record_consent': {
        if (consentRefusal) throw consentRefusal;
        const form = args?.form as ConsentForm;
        consents.push({ ...arabic, id: `c${consents.length + 2}`, released: form.released, language: form.language, recorded_by: 'ane' });
        return dossier();
      }
      case 'withdraw_consent': {
        const held = consents.find((c) => c.id === args?.consent && c.withdrawn === null);
        if (!held) {
          throw { message: 'no such consent', field: 'consent', code: 'no_such_consent', params: { consent: String(args?.consent) } };
        }
        held.withdrawn = { at: '2026-04-01T08:30:00Z', by: 'ane' };
        return dossier();
      }
      case 'record_attendance': {
        if (attendanceRefusal) throw attendanceRefusal;
        const form = args?.form as AttendanceForm;
        attendance = [...attendance.filter((a) => a.person_id !== form.person_id), { ...form }];
        return null;
      }
      default:
        throw new Error(`unexpected command ${command}`);
    }
  });
});

afterEach(() => {
  cleanup();
  setLanguage('en');
});

async function type(id: string, value: string) {
  const input = document.getElementById(id) as HTMLInputElement;
  await fireEvent.input(input, { target: { value } });
}

async function choose(id: string, value: string) {
  const select = document.getElementById(id) as HTMLSelectElement;
  await fireEvent.change(select, { target: { value } });
}

const searches = () => invoke.mock.calls.filter(([command]) => command === 'search_cases');

async function openFirstCase() {
  render(Cases);
  const row = await waitFor(() => {
    const button = document.querySelector<HTMLButtonElement>('[data-case="SYR-26C00001"]');
    if (!button) throw new Error('no row yet');
    return button;
  });
  await fireEvent.click(row);
  await waitFor(() => expect(document.getElementById('dossier')).toBeTruthy());
}

describe('Cases view', () => {
  it('lists the cases found with their total, and opens a dossier', async () => {
    render(Cases);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Cases');
    await waitFor(() => expect(document.getElementById('case-total')?.textContent).toBe('2 cases'));
    expect(invoke).toHaveBeenCalledWith('search_cases', {
      query: { text: null, nationality: null, priority: null, status: null, mission: null, limit: null },
    });
    const first = document.querySelector('[data-case="SYR-26C00001"]') as HTMLElement;
    expect(first.tagName).toBe('BUTTON');
    expect(first.textContent).toContain('Amal Haddad');
    expect(first.textContent).toContain('3 persons');
    expect(first.textContent).toContain('Interviewed');
    expect(first.textContent).toContain('Normal');
    expect(first.textContent).toContain('submitted 10 Feb 2026');
    // The missions fill the filter.
    await waitFor(() =>
      expect(within(document.getElementById('case-filter-mission') as HTMLElement).getByText('Lebanon 2026')).toBeTruthy(),
    );

    await fireEvent.click(first);
    await waitFor(() => expect(document.getElementById('dossier')?.getAttribute('data-status')).toBe('interviewed'));
    expect(invoke).toHaveBeenCalledWith('case_dossier', { caseNo: 'SYR-26C00001' });
    expect(first.getAttribute('aria-current')).toBe('true');
    const dossierEl = document.getElementById('dossier') as HTMLElement;
    expect(within(dossierEl).getByRole('heading', { level: 2 }).textContent).toBe('Case SYR-26C00001');
    expect(document.getElementById('dossier-deadline')?.textContent).toBe('10 Aug 2026: On track, 120 days left');
    expect(document.getElementById('dossier-mission')?.textContent?.trim()).toBe('Lebanon 2026');
    // Members, with their relationship in words.
    const table = document.getElementById('dossier-members') as HTMLElement;
    expect(within(table).getByText('Karim Haddad')).toBeTruthy();
    expect(within(table).getByText('Spouse')).toBeTruthy();
    // The interview's notes sit under a "Sensitive" label.
    const notes = screen.getByRole('group', { name: 'Sensitive' });
    expect(notes.textContent).toContain('Talked about the family in Aleppo.');
    // The score card in words, each criterion with its level label.
    const assessment = document.getElementById('score-assessment') as HTMLElement;
    expect(assessment.getAttribute('data-assessment')).toBe('supports');
    expect(assessment.textContent).toBe('Supports acceptance');
    expect(document.getElementById('score-total')?.textContent?.trim()).toBe('30 of 40 points (75%); the threshold is 50%.');
    const card = document.getElementById('score-card') as HTMLElement;
    expect(within(card).getByText('Strong network')).toBeTruthy();
    expect((document.getElementById('score-submit') as HTMLButtonElement).textContent?.trim()).toBe('Score again');
    // Only the forms that apply: this case awaits its decision.
    expect(document.getElementById('decision-submit')).toBeTruthy();
    expect(document.getElementById('interview-assess-network')).toBeTruthy();
    expect((document.getElementById('interview-assess-network') as HTMLSelectElement).value).toBe('strong');
    expect((document.getElementById('move-to') as HTMLSelectElement).value).toBe('withdrawn');
    expect(document.getElementById('declaration-0-submit')).toBeNull();
  });

  it('searches as the user types (after a pause) and at once when a filter changes', async () => {
    render(Cases);
    await waitFor(() => expect(document.getElementById('case-total')?.textContent).toBe('2 cases'));
    const before = searches().length;
    await type('case-search', 'COD');
    expect(searches().length).toBe(before);
    await waitFor(() => expect(document.getElementById('case-total')?.textContent).toBe('1 case'));
    expect(invoke).toHaveBeenCalledWith('search_cases', {
      query: { text: 'COD', nationality: null, priority: null, status: null, mission: null, limit: null },
    });
    await type('case-search', '');
    await choose('case-filter-status', 'interviewed');
    expect(invoke).toHaveBeenLastCalledWith('search_cases', {
      query: { text: null, nationality: null, priority: null, status: 'interviewed', mission: null, limit: null },
    });
    await waitFor(() => expect(document.querySelectorAll('#case-results [data-case]').length).toBe(1));
  });

  it('moves through the results with Alt+arrows and focuses the search with /', async () => {
    render(Cases);
    await waitFor(() => expect(document.getElementById('case-total')?.textContent).toBe('2 cases'));
    expect(screen.getByText(/Alt\+↓ and Alt\+↑ open the next and the previous case/)).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'ArrowDown', altKey: true });
    await waitFor(() => expect(document.getElementById('dossier')?.getAttribute('data-case')).toBe('SYR-26C00001'));
    await fireEvent.keyDown(document.body, { key: 'ArrowDown', altKey: true });
    await waitFor(() => expect(document.getElementById('dossier')?.getAttribute('data-case')).toBe('COD-26C00002'));
    await fireEvent.keyDown(document.body, { key: 'ArrowUp', altKey: true });
    await waitFor(() => expect(document.getElementById('dossier')?.getAttribute('data-case')).toBe('SYR-26C00001'));
    await fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement?.id).toBe('case-search');
  });

  it('checks the decision before sending it and shows a refusal of places in #decision-error', async () => {
    decide = () => {
      throw {
        message: '2 places missing: geographical/2026/3/1',
        field: 'places',
        code: 'not_enough_places',
        params: { missing: '2', shortfalls: 'geographical/2026/3/1' },
      };
    };
    await openFirstCase();
    await fireEvent.click(document.getElementById('decision-submit') as HTMLElement);
    expect(document.getElementById('decision-by-error')?.textContent).toBe('Fill this in.');
    expect(document.getElementById('decision-reasons-error')?.textContent).toBe('Give the reasons.');
    expect(invoke).not.toHaveBeenCalledWith('decide_case', expect.anything());

    await type('decision-by', 'Ane Holm');
    await type('decision-reasons', 'Meets the criteria');
    await fireEvent.click(document.getElementById('decision-submit') as HTMLElement);
    await waitFor(() =>
      expect(document.getElementById('decision-error')?.textContent).toBe(
        'Not saved: 2 places missing: Geographical 2026 needs 3, 1 available.',
      ),
    );
    expect(invoke).toHaveBeenCalledWith('decide_case', {
      form: {
        case_no: 'SYR-26C00001',
        verdict: 'accept',
        by: 'Ane Holm',
        reasons: 'Meets the criteria',
        accepted: null,
        quota_year: null,
      },
    });
    // What was typed stays.
    expect((document.getElementById('decision-by') as HTMLInputElement).value).toBe('Ane Holm');
  });

  it('shows the shell refusal of the reasons next to them', async () => {
    decide = () => {
      throw { message: 'a decision gives its reasons', field: 'reason', code: 'reasons_required', params: {} };
    };
    await openFirstCase();
    await type('decision-by', 'Ane Holm');
    await type('decision-reasons', 'x');
    await fireEvent.click(document.getElementById('decision-submit') as HTMLElement);
    await waitFor(() => expect(document.getElementById('decision-reasons-error')?.textContent).toBe('Give the reasons.'));
    expect(document.getElementById('decision-reasons')?.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('decision-error')).toBeNull();
  });

  it('sends a split acceptance, announces it and shows the dossier as it now is', async () => {
    await openFirstCase();
    await type('decision-by', 'Ane Holm');
    await type('decision-reasons', 'Meets the criteria');
    await type('decision-quota_year', '2026');
    await fireEvent.click(document.getElementById('decision-member-1') as HTMLElement);
    const before = searches().length;
    await fireEvent.click(document.getElementById('decision-submit') as HTMLElement);
    expect(invoke).toHaveBeenCalledWith('decide_case', {
      form: {
        case_no: 'SYR-26C00001',
        verdict: 'accept',
        by: 'Ane Holm',
        reasons: 'Meets the criteria',
        accepted: [members[0].id, members[2].id],
        quota_year: 2026,
      },
    });
    await waitFor(() => expect(document.getElementById('case-message')?.textContent).toBe('The decision is recorded: Accepted.'));
    expect(document.getElementById('dossier')?.getAttribute('data-status')).toBe('accepted');
    await waitFor(() => expect(searches().length).toBeGreaterThan(before));
    // The decision form is gone; the adults now sign their declarations.
    expect(document.getElementById('decision-submit')).toBeNull();
    expect(document.getElementById('declaration-0-signed_on')).toBeTruthy();
    expect(document.getElementById('declaration-1-place')).toBeTruthy();
    expect(document.getElementById('declaration-2-place')).toBeNull();
    expect(
      Array.from((document.getElementById('move-to') as HTMLSelectElement).options).map((o) => o.value),
    ).toEqual(['pending_departure', 'withdrawn']);
  });

  it('lists every problem of an import and that nothing was imported', async () => {
    imported = {
      file: '/tmp/bad.csv',
      report: null,
      problems: [
        { row: 5, column: 'date_of_birth', reason: 'not a date (YYYY-MM-DD)' },
        { row: 7, column: null, reason: 'the row has 3 fields, the header 20' },
      ],
    };
    render(Cases);
    expect(screen.getByRole('heading', { name: 'Import submissions' })).toBeTruthy();
    await fireEvent.click(document.getElementById('import-submit') as HTMLElement);
    expect(document.getElementById('import-path-error')?.textContent).toBe('Fill this in.');
    expect(invoke).not.toHaveBeenCalledWith('import_submissions', expect.anything());

    await type('import-path', '/tmp/bad.csv');
    await fireEvent.click(document.getElementById('import-submit') as HTMLElement);
    expect(invoke).toHaveBeenCalledWith('import_submissions', {
      form: { path: '/tmp/bad.csv', mission: null, dry_run: false },
    });
    await waitFor(() => expect(document.getElementById('import-problems')).toBeTruthy());
    expect(document.getElementById('import-result')?.getAttribute('aria-live')).toBe('polite');
    expect(document.getElementById('import-summary')?.textContent).toBe('2 problems; nothing was imported.');
    expect(Array.from(document.querySelectorAll('#import-problems li')).map((li) => li.textContent)).toEqual([
      'Row 5, column date_of_birth: not a date (YYYY-MM-DD)',
      'Row 7: the row has 3 fields, the header 20',
    ]);
  });

  it('imports a picked file into a mission, says what it did and searches again', async () => {
    dialogOpen.mockResolvedValue('/home/ane/submissions.csv');
    render(Cases);
    await waitFor(() => expect(document.getElementById('case-total')?.textContent).toBe('2 cases'));
    await fireEvent.click(document.getElementById('import-browse') as HTMLElement);
    await waitFor(() => expect((document.getElementById('import-path') as HTMLInputElement).value).toBe('/home/ane/submissions.csv'));
    expect(dialogOpen).toHaveBeenCalledWith({
      multiple: false,
      directory: false,
      filters: [{ name: 'Submissions', extensions: ['csv', 'json'] }],
    });
    await waitFor(() => expect(document.querySelector('#import-mission option[value="00000000-0000-0000-0000-0000000000m1"]')).toBeTruthy());
    await choose('import-mission', lebanon.mission.id);
    const before = searches().length;
    await fireEvent.click(document.getElementById('import-submit') as HTMLElement);
    expect(invoke).toHaveBeenCalledWith('import_submissions', {
      form: { path: '/home/ane/submissions.csv', mission: lebanon.mission.id, dry_run: false },
    });
    await waitFor(() =>
      expect(document.getElementById('import-summary')?.textContent).toBe(
        'Imported 12 new households (41 persons); 3 already imported, unchanged.',
      ),
    );
    expect(document.getElementById('import-problems')).toBeNull();
    await waitFor(() => expect(searches().length).toBeGreaterThan(before));
  });

  it('shows that a long import is under way', async () => {
    let finish: (r: ImportResult) => void = () => {};
    const shell = invoke.getMockImplementation();
    invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) =>
      command === 'import_submissions' ? new Promise<ImportResult>((resolve) => (finish = resolve)) : shell?.(command, args),
    );
    render(Cases);
    await type('import-path', '/tmp/big.csv');
    await fireEvent.click(document.getElementById('import-dry-run') as HTMLElement);
    await fireEvent.click(document.getElementById('import-submit') as HTMLElement);
    const button = document.getElementById('import-submit') as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(true));
    expect(button.textContent?.trim()).toBe('Importing…');
    finish({ file: '/tmp/big.csv', report: { households: 2, persons: 5, unchanged: 0, dry_run: true }, problems: [] });
    await waitFor(() => expect(button.disabled).toBe(false));
    expect(button.textContent?.trim()).toBe('Import');
    expect(document.getElementById('import-summary')?.textContent).toBe(
      'Dry run: 2 new households (5 persons) would be imported. Nothing was written.',
    );
  });

  it('speaks Danish', async () => {
    setLanguage('da');
    await openFirstCase();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Sager');
    expect(document.getElementById('case-total')?.textContent).toBe('2 sager');
    expect(document.getElementById('dossier-status')?.textContent).toBe('Interviewet');
    expect(document.getElementById('score-assessment')?.textContent).toBe('Taler for accept');
    expect(screen.getByRole('heading', { name: 'Importér indstillinger' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Fortroligt' })).toBeTruthy();
  });
});

describe('Cases view: consent and orientation', () => {
  const status = () => document.getElementById('consent-status') as HTMLElement;

  it('says whether special needs are released now: by a consent in force, not by a withdrawn one', async () => {
    // None.
    await openFirstCase();
    expect(status().textContent?.trim()).toBe('Nothing is released to the municipality');
    expect(status().getAttribute('data-released')).toBe('false');
    expect(document.getElementById('consents')?.textContent).toContain('No consent has been recorded.');
    cleanup();

    // In force.
    consents = [{ ...arabic }];
    await openFirstCase();
    expect(status().textContent?.trim()).toBe('Special needs are released to the municipality');
    expect(status().getAttribute('data-released')).toBe('true');
    const entry = document.getElementById('consent-0') as HTMLElement;
    expect(entry.getAttribute('data-withdrawn')).toBe('false');
    expect(entry.textContent).toContain('Releases: Special needs from the RRF');
    expect(entry.textContent).toContain('Explained and signed in Arabic (ar)');
    expect(entry.textContent).toContain('Recorded by kim on');
    expect(document.getElementById('consent-0-withdraw')).toBeTruthy();
    cleanup();

    // Withdrawn.
    consents = [{ ...arabic, withdrawn: { at: '2026-04-01T08:30:00Z', by: 'ane' } }];
    await openFirstCase();
    expect(status().textContent?.trim()).toBe('Nothing is released to the municipality');
    const withdrawn = document.getElementById('consent-0') as HTMLElement;
    expect(withdrawn.getAttribute('data-withdrawn')).toBe('true');
    expect(withdrawn.textContent).toMatch(/Withdrawn on .*Apr 2026.* by ane/);
    expect(document.getElementById('consent-0-withdraw')).toBeNull();
  });

  it('checks a consent, sends it, announces it and shows the special needs released', async () => {
    await openFirstCase();
    await type('consent-language', 'Arabic');
    await fireEvent.click(document.getElementById('consent-submit') as HTMLElement);
    expect(document.getElementById('consent-released-error')?.textContent).toBe('Tick at least one item to release.');
    expect(document.getElementById('consent-language-error')?.textContent).toBe(
      'Enter an ISO 639 language code: two or three lower-case letters, e.g. ar.',
    );
    expect(invoke).not.toHaveBeenCalledWith('record_consent', expect.anything());

    await fireEvent.click(document.getElementById('consent-item-special_needs') as HTMLElement);
    await type('consent-language', ' so ');
    await fireEvent.click(document.getElementById('consent-submit') as HTMLElement);
    expect(invoke).toHaveBeenCalledWith('record_consent', {
      form: { case_no: 'SYR-26C00001', released: ['special_needs'], language: 'so' },
    });
    await waitFor(() =>
      expect(document.getElementById('case-message')?.textContent).toBe('The consent is recorded: Special needs from the RRF.'),
    );
    expect(status().textContent?.trim()).toBe('Special needs are released to the municipality');
    expect(document.getElementById('consent-0')?.textContent).toContain('Explained and signed in Somali (so)');
    // The form starts afresh.
    expect((document.getElementById('consent-item-special_needs') as HTMLInputElement).checked).toBe(false);
    expect((document.getElementById('consent-language') as HTMLInputElement).value).toBe('');
  });

  it('shows the shell refusal of the language code next to #consent-language', async () => {
    consentRefusal = { message: '"zz" is not an ISO 639 language code', field: 'language', code: 'language_code', params: { code: 'zz' } };
    await openFirstCase();
    await fireEvent.click(document.getElementById('consent-item-special_needs') as HTMLElement);
    await type('consent-language', 'zz');
    await fireEvent.click(document.getElementById('consent-submit') as HTMLElement);
    await waitFor(() =>
      expect(document.getElementById('consent-language-error')?.textContent).toBe(
        '“zz” is not a language code (ISO 639: two or three lower-case letters, e.g. ar).',
      ),
    );
    const field = document.getElementById('consent-language') as HTMLInputElement;
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe('consent-language-error');
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(document.getElementById('consent-alert')).toBeNull();
    expect(field.value).toBe('zz');
    expect(document.getElementById('case-message')?.textContent).toBe('');
  });

  it('withdraws a consent on a second press, and keeps it on Escape', async () => {
    consents = [{ ...arabic }];
    await openFirstCase();
    const button = document.getElementById('consent-0-withdraw') as HTMLButtonElement;
    expect(button.textContent?.trim()).toBe('Withdraw the consent');
    await fireEvent.click(button);
    expect(invoke).not.toHaveBeenCalledWith('withdraw_consent', expect.anything());
    expect(button.textContent?.trim()).toBe('Confirm: withdraw the consent');
    expect(document.getElementById('consent-0-confirm')?.textContent).toContain('Press again to withdraw it');
    expect(button.getAttribute('aria-describedby')).toBe('consent-0-confirm');
    await fireEvent.keyDown(button, { key: 'Escape' });
    expect(button.textContent?.trim()).toBe('Withdraw the consent');
    expect(document.getElementById('consent-0-keep')).toBeNull();

    await fireEvent.click(button);
    await fireEvent.click(button);
    expect(invoke).toHaveBeenCalledWith('withdraw_consent', { caseNo: 'SYR-26C00001', consent: arabic.id });
    await waitFor(() => expect(document.getElementById('case-message')?.textContent).toMatch(/^The consent recorded on .* is withdrawn\.$/));
    expect(status().textContent?.trim()).toBe('Nothing is released to the municipality');
    expect(document.getElementById('consent-0')?.getAttribute('data-withdrawn')).toBe('true');
    expect(document.getElementById('consent-0-withdraw')).toBeNull();
    await waitFor(() => expect(document.activeElement?.id).toBe('consent-0'));
  });

  it('shows a refused withdrawal next to its button', async () => {
    consents = [{ ...arabic }];
    await openFirstCase();
    // Withdrawn meanwhile, elsewhere.
    consents[0].withdrawn = { at: '2026-04-01T08:30:00Z', by: 'kim' };
    const button = document.getElementById('consent-0-withdraw') as HTMLButtonElement;
    await fireEvent.click(button);
    await fireEvent.click(button);
    await waitFor(() =>
      expect(document.getElementById('consent-0-withdraw-error')?.textContent).toBe(
        `There is no consent ${arabic.id} on this case, or it is already withdrawn.`,
      ),
    );
    expect(button.getAttribute('aria-describedby')).toBe('consent-0-withdraw-error');
    expect(button.textContent?.trim()).toBe('Withdraw the consent');
  });

  it('checks the lessons on the client, records the attendance and reads the dossier again', async () => {
    attendance = [{ person_id: members[1].id, society_lessons: 3, danish_lessons: 1 }];
    await openFirstCase();
    expect(document.getElementById('attendance-0-current')?.textContent?.trim()).toBe('Nothing recorded yet.');
    expect(document.getElementById('attendance-1-current')?.textContent?.trim()).toBe(
      'Recorded: 3 of 10 society lessons, 1 of 10 Danish lessons.',
    );
    expect((document.getElementById('attendance-1-society') as HTMLInputElement).value).toBe('3');

    await type('attendance-0-society', '11');
    await type('attendance-0-danish', '');
    await fireEvent.click(document.getElementById('attendance-0-submit') as HTMLElement);
    expect(document.getElementById('attendance-0-society-error')?.textContent).toBe('Enter a whole number of lessons from 0 to 10.');
    expect(document.getElementById('attendance-0-danish-error')?.textContent).toBe('Fill this in.');
    expect(invoke).not.toHaveBeenCalledWith('record_attendance', expect.anything());

    await type('attendance-0-society', '10');
    await type('attendance-0-danish', '4');
    const reads = invoke.mock.calls.filter(([command]) => command === 'case_dossier').length;
    await fireEvent.click(document.getElementById('attendance-0-submit') as HTMLElement);
    expect(invoke).toHaveBeenCalledWith('record_attendance', {
      form: { person_id: members[0].id, society_lessons: 10, danish_lessons: 4 },
    });
    await waitFor(() =>
      expect(document.getElementById('case-message')?.textContent).toBe('The orientation attendance of Amal Haddad is recorded.'),
    );
    expect(invoke.mock.calls.filter(([command]) => command === 'case_dossier').length).toBe(reads + 1);
    expect(document.getElementById('attendance-0-current')?.textContent?.trim()).toBe(
      'Recorded: 10 of 10 society lessons, 4 of 10 Danish lessons.',
    );
    expect(document.getElementById('attendance-0-society-error')).toBeNull();
  });

  it('shows the shell refusal of lessons next to the subject it names', async () => {
    attendanceRefusal = {
      message: '9 lessons is out of range',
      field: 'lessons',
      code: 'lessons_out_of_range',
      params: { lessons: '9', max: '8' },
    };
    await openFirstCase();
    await type('attendance-2-society', '2');
    await type('attendance-2-danish', '9');
    await fireEvent.click(document.getElementById('attendance-2-submit') as HTMLElement);
    await waitFor(() =>
      expect(document.getElementById('attendance-2-danish-error')?.textContent).toBe('9 lessons is more than the 8 the orientation has.'),
    );
    expect(document.getElementById('attendance-2-danish')?.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('attendance-2-society-error')).toBeNull();
    expect(document.getElementById('attendance-2-alert')).toBeNull();
  });

  it('has no orientation for a case without a mission', async () => {
    const shell = invoke.getMockImplementation();
    invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) =>
      command === 'case_dossier' ? { ...dossier(), mission: null } : shell?.(command, args),
    );
    await openFirstCase();
    expect(document.getElementById('attendance')).toBeNull();
    expect(document.getElementById('attendance-0-submit')).toBeNull();
    expect(document.getElementById('consents')).toBeTruthy();
  });

  it('speaks Danish', async () => {
    setLanguage('da');
    consents = [{ ...arabic }];
    await openFirstCase();
    expect(status().textContent?.trim()).toBe('Særlige behov videregives til kommunen');
    expect(document.getElementById('consent-0')?.textContent).toContain('Omfatter: Særlige behov fra RRF');
    expect(document.getElementById('consent-0')?.textContent).toContain('Forklaret og underskrevet på arabisk (ar)');
    expect(screen.getByRole('heading', { name: 'Samtykke til videregivelse' })).toBeTruthy();
    expect(document.getElementById('attendance-0-current')?.textContent?.trim()).toBe('Intet registreret endnu.');
  });
});
