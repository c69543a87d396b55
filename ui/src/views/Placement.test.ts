import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type {
  BalanceReport,
  HouseholdWishesForm,
  JobOfferForm,
  JobOfferOverrideForm,
  JobOfferRecord,
  ModelVersion,
  MoveCheck,
  MoveProposalForm,
  MunicipalityQuota,
  MunicipalityTable,
  PoolEntry,
  Proposal,
  ProposalTransitionForm,
  Proposed,
  ProposeForm,
  RefugeeWish,
  VisitationFileForm,
  VisitationFileResult,
  VisitationState,
} from '../lib/bindings';
import { setLanguage } from '../lib/i18n.svelte';

// The shell, played by a mock: the view only ever talks to it through `invoke`.
const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import Placement from './Placement.svelte';

function municipality(code: number, name: string, quota: number | null, used: number): MunicipalityQuota {
  return {
    code,
    name,
    region_name: code < 400 ? 'Region Hovedstaden' : 'Region Nordjylland',
    computed: quota,
    quota,
    used,
    left: (quota ?? 0) - used,
    edit_reason: null,
    capacities: code === 101 ? [{ capacity: 'wheelchair', units: 2, used: 1 }] : [],
    profile: { labour_market: [], services: [], languages: [] },
  };
}

const waiting: PoolEntry[] = [
  { case_no: 'SYR-26C00001', persons: 4, mission: 'Lebanon 2026', needs: ['wheelchair'], link_group: null },
  { case_no: 'COD-26C00002', persons: 2, mission: null, needs: [], link_group: 'G1' },
];

function proposal(entry: PoolEntry, code: number, name: string): Proposal {
  return {
    case_no: entry.case_no,
    persons: entry.persons,
    needs: entry.needs,
    link_group: entry.link_group,
    year: 2026,
    municipality: code,
    municipality_name: name,
    status: 'proposed',
    score: 7.5,
    reasons: ['scores 7.50 here, the most any municipality offers it', 'family or network already lives here'],
    method: 'optimal',
    override_reason: null,
    proposed_by: 'ane',
    proposed_at: '2026-04-01T10:00:00Z',
    model_version: 2,
    forecast: { samples: 5, households: 120.4, persons: 431.6, places_left: 436, unplaced_persons: 0, expected_score: 512.3 },
  };
}

let rows: MunicipalityQuota[];
let synthetic: boolean;
let pool: PoolEntry[];
let list: Proposal[];
let proposeGate: Promise<void> | null;

// The visitation as the shell keeps it.
let offers: Record<string, JobOfferRecord>;
let householdWishList: Record<string, RefugeeWish[]>;
let visitation: VisitationState;

// The year's balance as the shell reports it: København 40 % full by March, Frederiksberg 3
// over its quota, Aalborg with no one yet, Aabenraa (not in the table) with 2 placed by a
// job offer and no quota, Tårnby with neither (left out).
let balance: BalanceReport;
let balanceGate: Promise<void> | null;

function balanceReport(modelVersion: number | null): BalanceReport {
  const outcome = (predicted: number, best: number) =>
    modelVersion === null ? { predicted: null, best: null, cost: null } : { predicted, best, cost: best - predicted };
  return {
    year: 2026,
    municipalities: [
      { code: '101', quota: 10, placed_by_month: [2, 2, 4, 4, 4, 6, 6, 8, 8, 8, 8, 10], fill_by_month: [0.2, 0.2, 0.4, 0.4, 0.4, 0.6, 0.6, 0.8, 0.8, 0.8, 0.8, 1] },
      { code: '147', quota: 10, placed_by_month: [0, 0, 5, 5, 5, 9, 9, 13, 13, 13, 13, 13], fill_by_month: [0, 0, 0.5, 0.5, 0.5, 0.9, 0.9, 1.3, 1.3, 1.3, 1.3, 1.3] },
      { code: '185', quota: 0, placed_by_month: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], fill_by_month: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
      { code: '580', quota: 0, placed_by_month: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2], fill_by_month: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
      { code: '851', quota: 20, placed_by_month: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], fill_by_month: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    ],
    by_nationality: [
      { group: 'COD', households: 2, persons: 5, ...outcome(0.5, 0.51) },
      { group: 'SYR', households: 3, persons: 14, ...outcome(0.425, 0.47) },
      { group: 'unknown', households: 1, persons: 6, ...outcome(0.3, 0.3) },
    ],
    by_household_type: [
      { group: 'family_with_children', households: 4, persons: 21, ...outcome(0.41, 0.44) },
      { group: 'single', households: 2, persons: 4, ...outcome(0.6, 0.6) },
    ],
    model_version: modelVersion,
  };
}

function model(version: number, inUse: boolean): ModelVersion {
  return {
    version,
    trained_by: 'ane',
    trained_at: '2026-04-02T09:00:00Z',
    history_file: 'outcome-history.csv',
    history_sha256: 'ab12',
    rows: 1200,
    folds: 5,
    learned: { auc: 0.7312, brier: 0.1904 },
    hand_weighted: { auc: 0.6123, brier: 0.2211 },
    in_use: inUse,
  };
}

function offerRecord(form: JobOfferForm, overridden: string | null = null): JobOfferRecord {
  const qualifies = form.permanent && form.hours_per_week >= 15;
  return {
    case_no: form.case_no,
    offer: { municipality: form.municipality, hours_per_week: form.hours_per_week, permanent: form.permanent, document: form.document, overridden },
    municipality_name: form.municipality === 101 ? 'København' : 'Frederiksberg',
    qualifies,
    decides: qualifies && overridden === null,
    overridden_by: overridden === null ? null : 'kim',
    recorded_by: 'ane',
    recorded_at: '2026-04-03T08:30:00Z',
  };
}

const checks: Record<number, MoveCheck> = {
  101: { problems: [], over_quota: null, score: 7.5, reasons: ['family or network already lives here'] },
  147: {
    problems: [],
    over_quota: { code: 'over_quota', municipality: 147, persons: 4, left: 0 },
    score: 2.25,
    reasons: ['language support in ar'],
  },
  851: {
    problems: [{ code: 'no_capacity', municipality: 851, capacity: 'wheelchair' }],
    over_quota: null,
    score: 1,
    reasons: [],
  },
};

beforeEach(() => {
  rows = [municipality(101, 'København', 40, 28), municipality(147, 'Frederiksberg', 10, 10), municipality(851, 'Aalborg', 20, 22)];
  synthetic = true;
  pool = [...waiting];
  list = [];
  proposeGate = null;
  offers = {};
  householdWishList = { 'SYR-26C00001': [{ municipality: '147', reason: 'work' }] };
  visitation = {
    year: 2026,
    municipality_wishes: [
      { code: 101, name: 'København', wishes: { household_types: ['family_with_children'], languages: ['ar'], services: ['trauma_therapy'] } },
    ],
    history: null,
    models: [model(1, false)],
  };
  balance = balanceReport(2);
  balanceGate = null;
  invoke.mockReset();
  invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) => {
    switch (command) {
      case 'municipality_table':
        return { year: args?.year as number, synthetic_inputs: synthetic, rows } satisfies MunicipalityTable;
      case 'placement_pool':
        return pool;
      case 'proposals':
        return list;
      case 'missions':
        return [];
      case 'placement_weights':
        return { network: 4, skills: 3, services: 3, language: 1, spread: 0.5, wish: 3, municipality_wish: 1, outcome: 10 };
      case 'set_placement_weights':
        return null;
      case 'propose_placements': {
        const form = args?.form as ProposeForm;
        if (proposeGate) await proposeGate;
        if (form.batch.startsWith('cases:')) {
          throw {
            message: 'no plan places the whole batch; nothing was saved: ...',
            field: null,
            code: 'infeasible',
            params: {
              why: '3 places missing: 40 persons to place and 37 places of quota left in all; household SYR-26C00001 (4 persons, needs wheelchair) cannot be placed anywhere',
            },
          };
        }
        list = [proposal(pool[0], 101, 'København'), proposal(pool[1], 101, 'København')];
        pool = [];
        return {
          batch: form.batch,
          method: form.method,
          objective: 15,
          bound: 15.0004,
          gap: 0.0000266,
          proven_optimal: true,
          solve_ms: 1234,
          proposals: list,
          forecast: list[0].forecast,
          no_forecast: null,
        } satisfies Proposed;
      }
      case 'check_move':
        return checks[args?.municipality as number];
      case 'move_proposal': {
        const form = args?.form as MoveProposalForm;
        list = list.map((p) =>
          p.case_no === form.case_no
            ? { ...p, municipality: form.municipality, municipality_name: 'Frederiksberg', method: 'hand', override_reason: form.override_reason }
            : p,
        );
        return list.find((p) => p.case_no === form.case_no);
      }
      case 'transition_proposal': {
        const form = args?.form as ProposalTransitionForm;
        list = list.map((p) => (p.case_no === form.case_no ? { ...p, status: form.to } : p));
        if (form.to === 'declined') pool = waiting.filter((w) => w.case_no === form.case_no);
        return list.find((p) => p.case_no === form.case_no);
      }
      case 'set_municipal_quota': {
        const form = args?.form as { code: number; quota: number; reason: string };
        rows = rows.map((r) => (r.code === form.code ? { ...r, quota: form.quota, left: form.quota - r.used, edit_reason: form.reason } : r));
        return null;
      }
      case 'visitation_state':
        return { ...visitation, year: args?.year as number } satisfies VisitationState;
      case 'job_offer':
        return offers[args?.caseNo as string] ?? null;
      case 'set_job_offer': {
        const form = args?.form as JobOfferForm;
        if (form.municipality === 999) {
          throw { message: 'there is no municipality 999', field: 'municipality', code: 'no_such_municipality', params: { municipality: '999' } };
        }
        offers[form.case_no] = offerRecord(form);
        return offers[form.case_no];
      }
      case 'override_job_offer': {
        const form = args?.form as JobOfferOverrideForm;
        const was = offers[form.case_no];
        offers[form.case_no] = offerRecord({ case_no: form.case_no, ...was.offer }, form.reason);
        return offers[form.case_no];
      }
      case 'household_wishes':
        return householdWishList[args?.caseNo as string] ?? [];
      case 'set_household_wishes': {
        const form = args?.form as HouseholdWishesForm;
        householdWishList[form.case_no] = form.wishes;
        return form.wishes;
      }
      case 'import_municipality_wishes': {
        const form = args?.form as VisitationFileForm;
        visitation.municipality_wishes = [
          ...visitation.municipality_wishes,
          { code: 147, name: 'Frederiksberg', wishes: { household_types: ['single', 'couple'], languages: [], services: [] } },
        ];
        return { file: form.path, rows: 2, problems: [] } satisfies VisitationFileResult;
      }
      case 'import_outcome_history': {
        const form = args?.form as VisitationFileForm;
        if (form.path.includes('bad')) {
          return {
            file: form.path,
            rows: null,
            problems: ['row 3, size "0": persons must be a whole number from 1 to 30', 'row 7, outcome "2": the outcome is 0 or 1'],
          } satisfies VisitationFileResult;
        }
        visitation.history = {
          seq: 1,
          file_name: 'history.csv',
          sha256: 'cd34',
          rows: 1200,
          first_year: 2015,
          last_year: 2023,
          imported_by: 'ane',
          imported_at: '2026-04-02T08:00:00Z',
        };
        return { file: form.path, rows: 1200, problems: [] } satisfies VisitationFileResult;
      }
      case 'train_model': {
        const next = model(visitation.models.length + 1, false);
        visitation.models = [...visitation.models, next];
        return next;
      }
      case 'use_model': {
        const version = args?.version as number | null;
        visitation.models = visitation.models.map((m) => ({ ...m, in_use: m.version === version }));
        return null;
      }
      case 'placement_balance':
        if (balanceGate) await balanceGate;
        if (args?.year !== 2026) {
          throw { message: 'no quotas', field: null, code: 'no_quotas_for_year', params: { year: String(args?.year) } };
        }
        return balance;
      default:
        throw new Error(`unexpected command ${command}`);
    }
  });
});

afterEach(() => {
  cleanup();
  setLanguage('en');
});

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

async function type(id: string, value: string) {
  await fireEvent.input(byId<HTMLInputElement>(id), { target: { value } });
}

async function choose(id: string, value: string) {
  await fireEvent.change(byId<HTMLSelectElement>(id), { target: { value } });
}

/** Renders the view with two proposals made. */
async function withProposals() {
  list = [proposal(waiting[0], 101, 'København'), { ...proposal(waiting[1], 101, 'København'), status: 'consulted' }];
  pool = [];
  render(Placement);
  await waitFor(() => expect(document.querySelectorAll('#proposals tr[data-case]').length).toBe(2));
}

describe('Placement view', () => {
  it('shows the pool, the municipalities and the synthetic notice for the default year', async () => {
    render(Placement);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Placement');
    await waitFor(() => expect(byId('placement-pool').querySelectorAll('tr[data-case]').length).toBe(2));
    expect(invoke).toHaveBeenCalledWith('municipality_table', { year: 2026 });
    expect(invoke).toHaveBeenCalledWith('proposals', { year: 2026 });
    expect(byId('synthetic-notice').textContent).toMatch(/synthetic demo figures/);
    expect(byId('proposals-empty').textContent).toBe('There are no proposals for 2026 yet.');
    const copenhagen = document.querySelector('#municipality-table tr[data-code="101"]') as HTMLElement;
    expect(copenhagen.textContent).toContain('wheelchair 1/2');
    const aalborg = document.querySelector('#municipality-table tr[data-code="851"]') as HTMLElement;
    expect(aalborg.querySelector('.negative')?.textContent).toContain('-2');
    expect(aalborg.textContent).toContain('over the quota');

    await type('municipality-filter', 'frede');
    expect(document.querySelectorAll('#municipality-table tr[data-code]').length).toBe(1);
    await type('municipality-filter', '');
    await fireEvent.click(byId('municipality-only-left'));
    expect(Array.from(document.querySelectorAll<HTMLElement>('#municipality-table tr[data-code]')).map((r) => r.dataset.code)).toEqual(['101']);
  });

  it('says when the year has no quotas and how to compute them', async () => {
    rows = rows.map((r) => ({ ...r, quota: null, computed: null, left: 0, used: 0 }));
    synthetic = false;
    render(Placement);
    await waitFor(() => expect(byId('no-quotas')).toBeTruthy());
    expect(byId('no-quotas').textContent).toContain('resettle municipality compute-quotas');
    expect(byId('no-quotas').textContent).toContain('resettle municipality key-inputs');
    expect(document.getElementById('synthetic-notice')).toBeNull();
    expect(document.getElementById('quota-edit-101')).toBeNull();
  });

  it('proposes the batch, waits meanwhile, then shows the summary and the proposals', async () => {
    let open = () => {};
    proposeGate = new Promise((resolve) => (open = resolve));
    render(Placement);
    await waitFor(() => expect(byId('placement-pool').querySelectorAll('tr[data-case]').length).toBe(2));
    await fireEvent.click(byId('propose-run'));
    await waitFor(() => expect(byId<HTMLButtonElement>('propose-run').disabled).toBe(true));
    expect(byId('propose-busy').textContent).toMatch(/can take a few seconds/);
    open();
    await waitFor(() => expect(byId('propose-summary').textContent).toBe(
      'Proposed 2 households (Optimal (exact solver)): objective 15.00; proven optimal, gap 0.00%; solved in 1,234 ms.',
    ));
    expect(invoke).toHaveBeenCalledWith('propose_placements', { form: { batch: 'accepted', year: 2026, method: 'optimal' } });
    await waitFor(() => expect(byId<HTMLButtonElement>('propose-run').disabled).toBe(false));
    expect(byId('propose-busy').textContent).toBe('');
    await waitFor(() => expect(document.querySelectorAll('#proposals tr[data-case]').length).toBe(2));
    const row = document.querySelector('#proposals tr[data-case="SYR-26C00001"]') as HTMLElement;
    expect(row.textContent).toContain('101 København');
    expect(row.querySelector('.proposal-status')?.textContent).toBe('Proposed');
    expect(row.textContent).toContain('7.50');
    expect(within(row).getByText('family or network already lives here')).toBeTruthy();
    // What the rest of the year still needs, and the model that scored it.
    expect(row.querySelector('.forecast')?.textContent?.trim()).toBe(
      'What the rest of the year still needs (5 samples from the outcome history): 120 households, 432 persons expected for 436 places left.',
    );
    expect(within(row).getByText('Scored by learned model version 2.')).toBeTruthy();
    expect(byId('proposals-support').textContent).toMatch(/supports the decision and does not make it/);
    expect(byId('proposal-consult-SYR-26C00001')).toBeTruthy();
    expect(document.getElementById('proposal-confirm-SYR-26C00001')).toBeNull();
    expect(byId('placement-pool').textContent).toContain('No accepted household is waiting');
  });

  it('shows why an infeasible batch cannot be placed, reason by reason', async () => {
    render(Placement);
    await waitFor(() => expect(byId('propose-batch')).toBeTruthy());
    await choose('propose-batch', 'cases');
    await fireEvent.click(byId('propose-run'));
    expect(byId('propose-cases-error').textContent).toBe('Enter at least one UNHCR case number.');
    expect(invoke).not.toHaveBeenCalledWith('propose_placements', expect.anything());

    await type('propose-cases', 'SYR-26C00001, COD-26C00002');
    await choose('propose-method', 'greedy');
    await fireEvent.click(byId('propose-run'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('No plan places the whole batch, so nothing was saved.');
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '3 places missing: 40 persons to place and 37 places of quota left in all',
      'household SYR-26C00001 (4 persons, needs wheelchair) cannot be placed anywhere',
    ]);
    expect(invoke).toHaveBeenCalledWith('propose_placements', {
      form: { batch: 'cases:SYR-26C00001,COD-26C00002', year: 2026, method: 'greedy' },
    });
    expect(byId('propose-summary').textContent).toBe('');
  });

  it('checks a move live, refuses a hard problem, and asks for a reason over the quota', async () => {
    await withProposals();
    await fireEvent.click(byId('proposal-move-SYR-26C00001'));
    const select = byId<HTMLSelectElement>('move-municipality');
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual([
      'Choose a municipality',
      '101 København — 12 left (now)',
      '147 Frederiksberg — 0 left',
      '851 Aalborg — -2 left',
    ]);
    expect(byId<HTMLButtonElement>('move-save').disabled).toBe(true);

    await choose('move-municipality', '851');
    expect(invoke).toHaveBeenCalledWith('check_move', { caseNo: 'SYR-26C00001', municipality: 851 });
    await waitFor(() => expect(byId('move-check').textContent).toContain('851 Aalborg has no wheelchair free.'));
    expect(byId('move-check').textContent).toContain('This move is refused');
    expect(byId<HTMLButtonElement>('move-save').disabled).toBe(true);

    await choose('move-municipality', '147');
    expect(invoke).toHaveBeenCalledWith('check_move', { caseNo: 'SYR-26C00001', municipality: 147 });
    await waitFor(() => expect(byId('move-score').textContent).toBe('Score in 147 Frederiksberg: 2.25'));
    expect(byId('move-check').textContent).toContain('language support in ar');
    expect(byId('move-check').textContent).toContain('147 Frederiksberg has 0 places left for 4 persons');
    // Over the quota, the move waits for its reason.
    expect(byId('move-override-hint').textContent).toMatch(/^Required/);
    expect(byId<HTMLButtonElement>('move-save').disabled).toBe(true);
    await type('move-override', '   ');
    expect(byId<HTMLButtonElement>('move-save').disabled).toBe(true);
    expect(invoke).not.toHaveBeenCalledWith('move_proposal', expect.anything());

    await type('move-override', 'Family reunification agreed with the municipality');
    expect(byId<HTMLButtonElement>('move-save').disabled).toBe(false);
    await fireEvent.click(byId('move-save'));
    expect(invoke).toHaveBeenCalledWith('move_proposal', {
      form: { case_no: 'SYR-26C00001', municipality: 147, override_reason: 'Family reunification agreed with the municipality' },
    });
    await waitFor(() => expect(byId('placement-message').textContent).toBe('SYR-26C00001 is now proposed to 147 Frederiksberg.'));
    expect(document.getElementById('move-municipality')).toBeNull();
    const row = document.querySelector('#proposals tr[data-case="SYR-26C00001"]') as HTMLElement;
    expect(row.textContent).toContain('147 Frederiksberg');
  });

  it('closes the move form on Escape, and sends no override reason within the quota', async () => {
    await withProposals();
    await fireEvent.click(byId('proposal-move-SYR-26C00001'));
    await choose('move-municipality', '101');
    await waitFor(() => expect(byId('move-score').textContent).toBe('Score in 101 København: 7.50'));
    expect(document.getElementById('move-override')).toBeNull();
    await fireEvent.keyDown(byId('move-municipality'), { key: 'Escape' });
    await waitFor(() => expect(document.getElementById('move-municipality')).toBeNull());
    expect(document.activeElement?.id).toBe('proposal-move-SYR-26C00001');
    expect(invoke).not.toHaveBeenCalledWith('move_proposal', expect.anything());

    await fireEvent.click(byId('proposal-move-SYR-26C00001'));
    await choose('move-municipality', '101');
    await waitFor(() => expect(byId<HTMLButtonElement>('move-save').disabled).toBe(false));
    await fireEvent.click(byId('move-save'));
    expect(invoke).toHaveBeenCalledWith('move_proposal', {
      form: { case_no: 'SYR-26C00001', municipality: 101, override_reason: null },
    });
  });

  it('declines only with a reason', async () => {
    await withProposals();
    await fireEvent.click(byId('proposal-decline-SYR-26C00001'));
    expect(document.activeElement?.id).toBe('decline-reason-SYR-26C00001');
    await fireEvent.click(byId('decline-save-SYR-26C00001'));
    expect(byId('decline-reason-SYR-26C00001-error').textContent).toBe('Give the reason for the decline.');
    expect(byId('decline-reason-SYR-26C00001').getAttribute('aria-invalid')).toBe('true');
    expect(invoke).not.toHaveBeenCalledWith('transition_proposal', expect.anything());

    await type('decline-reason-SYR-26C00001', 'No suitable housing');
    await fireEvent.click(byId('decline-save-SYR-26C00001'));
    expect(invoke).toHaveBeenCalledWith('transition_proposal', {
      form: { case_no: 'SYR-26C00001', to: 'declined', note: 'No suitable housing' },
    });
    await waitFor(() =>
      expect(byId('placement-message').textContent).toBe('The proposal of SYR-26C00001 is declined; the household is waiting again.'),
    );
    const row = document.querySelector('#proposals tr[data-case="SYR-26C00001"]') as HTMLElement;
    expect(row.querySelector('.proposal-status')?.textContent).toBe('Declined');
    expect(row.querySelector('button')).toBeNull();
    expect(byId('placement-pool').querySelector('tr[data-case="SYR-26C00001"]')).toBeTruthy();
  });

  it('marks a proposal consulted, then confirms a consulted one', async () => {
    await withProposals();
    expect(document.getElementById('proposal-consult-COD-26C00002')).toBeNull();
    await fireEvent.click(byId('proposal-consult-SYR-26C00001'));
    expect(invoke).toHaveBeenCalledWith('transition_proposal', { form: { case_no: 'SYR-26C00001', to: 'consulted', note: '' } });
    // Focus goes on to the row's next action.
    await waitFor(() => expect(document.activeElement?.id).toBe('proposal-confirm-SYR-26C00001'));
    await fireEvent.click(byId('proposal-confirm-COD-26C00002'));
    await waitFor(() =>
      expect(byId('placement-message').textContent).toBe('The placement of COD-26C00002 in 101 København is confirmed.'),
    );
    const row = document.querySelector('#proposals tr[data-case="COD-26C00002"]') as HTMLElement;
    expect(row.querySelector('.proposal-status')?.textContent).toBe('Confirmed');
    expect(byId('proposal-counts').textContent).toBe('0 proposed, 1 consulted, 1 confirmed, 0 declined.');
  });

  it('edits a municipality’s quota with its reason', async () => {
    render(Placement);
    await waitFor(() => expect(byId('quota-edit-147')).toBeTruthy());
    await fireEvent.click(byId('quota-edit-147'));
    expect((byId<HTMLInputElement>('quota-value')).value).toBe('10');
    await type('quota-value', '14');
    await fireEvent.click(byId('quota-save'));
    expect(byId('quota-reason-error').textContent).toBe('Every change to the quota needs its reason.');
    expect(invoke).not.toHaveBeenCalledWith('set_municipal_quota', expect.anything());
    await type('quota-reason', 'Agreed in the KKR');
    await fireEvent.click(byId('quota-save'));
    expect(invoke).toHaveBeenCalledWith('set_municipal_quota', {
      form: { year: 2026, code: 147, quota: 14, reason: 'Agreed in the KKR' },
    });
    await waitFor(() => expect(byId('placement-message').textContent).toBe('The 2026 quota of Frederiksberg is now 14.'));
    const row = document.querySelector('#municipality-table tr[data-code="147"]') as HTMLElement;
    expect(row.textContent).toContain('Changed by hand: Agreed in the KKR');
    expect(document.getElementById('quota-value')).toBeNull();
  });

  it('saves the weights', async () => {
    render(Placement);
    await waitFor(() => expect(byId<HTMLInputElement>('weight-spread').value).toBe('0.5'));
    await type('weight-network', '150');
    await fireEvent.click(byId('weights-save'));
    expect(byId('weight-network-error').textContent).toBe('Enter a number from 0 to 100, e.g. 2.5.');
    await type('weight-network', '5');
    await fireEvent.click(byId('weights-save'));
    expect(invoke).toHaveBeenCalledWith('set_placement_weights', {
      weights: { network: 5, skills: 3, services: 3, language: 1, spread: 0.5, wish: 3, municipality_wish: 1, outcome: 10 },
    });
    await waitFor(() => expect(byId('placement-message').textContent).toMatch(/The weights are saved/));
  });

  it('reloads for another year', async () => {
    render(Placement);
    await waitFor(() => expect(byId('municipality-table')).toBeTruthy());
    await type('placement-year', '20x');
    await fireEvent.click(byId('placement-year-show'));
    expect(byId('placement-year-error').textContent).toBe('Enter a year between 1900 and 9000.');
    await type('placement-year', '2027');
    await fireEvent.click(byId('placement-year-show'));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('municipality_table', { year: 2027 }));
    expect(invoke).toHaveBeenCalledWith('proposals', { year: 2027 });
  });

  it('speaks Danish', async () => {
    setLanguage('da');
    await withProposals();
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Placering');
    expect(screen.getByRole('button', { name: 'Foreslå placeringer' })).toBeTruthy();
    const row = document.querySelector('#proposals tr[data-case="SYR-26C00001"]') as HTMLElement;
    expect(row.querySelector('.proposal-status')?.textContent).toBe('Foreslået');
    expect(row.textContent).toContain('7,50');
    expect(byId('proposal-move-SYR-26C00001').textContent).toBe('Flyt…');
    expect(byId('synthetic-notice').textContent).toMatch(/opdigtede demotal/);
  });
});

describe('Placement view: the visitation', () => {
  /** Renders the view and waits for the visitation panel's state. */
  async function withPanel() {
    render(Placement);
    await waitFor(() => expect(byId('visit-models')).toBeTruthy());
  }

  it('loads the year’s visitation and lists the municipalities’ wishes', async () => {
    await withPanel();
    expect(invoke).toHaveBeenCalledWith('visitation_state', { year: 2026 });
    expect(screen.getByRole('heading', { level: 2, name: 'Visitation' })).toBeTruthy();
    const row = document.querySelector('#visit-muni-table tr[data-code="101"]') as HTMLElement;
    expect(row.textContent).toContain('Family with children');
    expect(row.textContent).toContain('trauma_therapy');
    expect(byId('visit-history').textContent).toMatch(/No outcome history is imported/);
    expect(byId('visit-model-note').textContent).toMatch(/not used until someone chooses it/);
    expect(byId('visit-model-note').textContent).toMatch(/proposed → consulted → confirmed/);

    await type('visit-muni-path', '/data/visitation-2026.csv');
    await fireEvent.click(byId('visit-muni-submit'));
    expect(invoke).toHaveBeenCalledWith('import_municipality_wishes', { form: { path: '/data/visitation-2026.csv', year: 2026 } });
    await waitFor(() =>
      expect(byId('visit-muni-summary').textContent).toBe('Imported the wishes of 2 municipalities for 2026 from /data/visitation-2026.csv.'),
    );
    await waitFor(() => expect(document.activeElement?.id).toBe('visit-muni-result'));
    await waitFor(() => expect(document.querySelector('#visit-muni-table tr[data-code="147"]')?.textContent).toContain('Single, Couple'));

    // Another year reads the visitation again.
    await type('placement-year', '2027');
    await fireEvent.click(byId('placement-year-show'));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('visitation_state', { year: 2027 }));
    await waitFor(() => expect(byId('visit-muni-section').textContent).toBe('Municipality wishes for 2027'));
  });

  it('records a job offer, shows that it qualifies and decides, then overrides it and follows it again', async () => {
    await withPanel();
    await type('visit-offer-case', 'SYR-26C00001');
    await type('visit-offer-municipality', '101');
    expect(byId('visit-offer-municipality-hint').textContent).toBe('101 København');
    await type('visit-offer-hours', '37,5');
    await fireEvent.click(byId('visit-offer-permanent'));
    await type('visit-offer-document', 'Letter 2026-118');
    await fireEvent.click(byId('visit-offer-save'));
    expect(invoke).toHaveBeenCalledWith('set_job_offer', {
      form: { case_no: 'SYR-26C00001', municipality: 101, hours_per_week: 37.5, permanent: true, document: 'Letter 2026-118' },
    });
    await waitFor(() => expect(byId('visit-offer-qualifies').textContent?.trim()).toBe('Qualifies: the offer is permanent and at least 15 hours a week.'));
    expect(byId('visit-offer-decides').textContent).toContain('Decides: the household is placed in 101 København by rule');
    expect(byId('visit-offer-summary').textContent).toContain('permanent job in 101 København, 37.5 hours a week');
    await waitFor(() => expect(document.activeElement?.id).toBe('visit-offer-result'));
    // The rest of the view is not read again.
    expect(invoke.mock.calls.filter(([c]) => c === 'municipality_table')).toHaveLength(1);

    // An override needs its reason.
    await fireEvent.click(byId('visit-override-save'));
    expect(byId('visit-override-reason-error').textContent).toBe('Give the reason for not following the offer.');
    expect(invoke).not.toHaveBeenCalledWith('override_job_offer', expect.anything());
    await type('visit-override-reason', 'Housing agreed in Aarhus');
    await fireEvent.click(byId('visit-override-save'));
    expect(invoke).toHaveBeenCalledWith('override_job_offer', { form: { case_no: 'SYR-26C00001', reason: 'Housing agreed in Aarhus' } });
    await waitFor(() => expect(byId('visit-offer-decides').textContent).toContain('Does not decide: overridden by kim. Reason: Housing agreed in Aarhus'));

    await waitFor(() => expect(byId<HTMLButtonElement>('visit-override-clear').disabled).toBe(false));
    await fireEvent.click(byId('visit-override-clear'));
    expect(invoke).toHaveBeenCalledWith('override_job_offer', { form: { case_no: 'SYR-26C00001', reason: null } });
    await waitFor(() => expect(byId('visit-offer-done').textContent).toBe('The job offer of SYR-26C00001 is followed again.'));
    expect(byId('visit-offer-decides').textContent).toContain('Decides');
    expect(document.getElementById('visit-override-clear')).toBeNull();
  });

  it('refuses bad hours before sending anything, and shows the shell’s refusal next to its field', async () => {
    await withPanel();
    await fireEvent.click(byId('visit-offer-save'));
    expect(byId('visit-offer-case-error').textContent).toBe('Enter the household’s UNHCR case number.');
    expect(byId('visit-offer-document-error').textContent).toMatch(/reference of the document/);

    await type('visit-offer-case', 'SYR-26C00001');
    await type('visit-offer-municipality', '101');
    await type('visit-offer-hours', '90');
    await type('visit-offer-document', 'Letter 2026-118');
    await fireEvent.click(byId('visit-offer-save'));
    expect(byId('visit-offer-hours-error').textContent).toBe('Enter the hours per week: a number above 0 and at most 80, e.g. 37 or 37.5.');
    const hours = byId('visit-offer-hours');
    expect(hours.getAttribute('aria-invalid')).toBe('true');
    expect(hours.getAttribute('aria-describedby')).toContain('visit-offer-hours-error');
    await waitFor(() => expect(document.activeElement?.id).toBe('visit-offer-hours'));
    expect(invoke).not.toHaveBeenCalledWith('set_job_offer', expect.anything());

    await type('visit-offer-hours', '37');
    await type('visit-offer-municipality', '999');
    await fireEvent.click(byId('visit-offer-save'));
    await waitFor(() => expect(byId('visit-offer-municipality-error').textContent).toBe('There is no municipality 999.'));
    expect(document.getElementById('visit-offer-result')).toBeNull();
  });

  it('loads a case’s job offer, or says it has none', async () => {
    offers['COD-26C00002'] = offerRecord({ case_no: 'COD-26C00002', municipality: 147, hours_per_week: 10, permanent: true, document: 'J.nr. 44' });
    await withPanel();
    await type('visit-offer-case', 'COD-26C00002');
    await fireEvent.click(byId('visit-offer-load'));
    expect(invoke).toHaveBeenCalledWith('job_offer', { caseNo: 'COD-26C00002' });
    await waitFor(() => expect(byId('visit-offer-qualifies').textContent).toMatch(/^\s*Does not qualify/));
    expect(byId<HTMLInputElement>('visit-offer-hours').value).toBe('10');
    expect(byId<HTMLInputElement>('visit-offer-document').value).toBe('J.nr. 44');

    await type('visit-offer-case', 'SYR-26C00001');
    await fireEvent.click(byId('visit-offer-load'));
    await waitFor(() => expect(byId('visit-offer-none').textContent).toBe('SYR-26C00001 has no job offer recorded.'));
  });

  it('loads and saves the household’s wishes, leaving empty rows out', async () => {
    await withPanel();
    await type('visit-wishes-case', 'SYR-26C00001');
    await fireEvent.click(byId('visit-wishes-load'));
    expect(invoke).toHaveBeenCalledWith('household_wishes', { caseNo: 'SYR-26C00001' });
    await waitFor(() => expect(byId<HTMLInputElement>('visit-wish-code-1').value).toBe('147'));
    expect(byId<HTMLSelectElement>('visit-wish-reason-1').value).toBe('work');
    expect(byId('visit-wish-code-1-hint').textContent).toBe('147 Frederiksberg');

    await choose('visit-wish-reason-1', 'relatives');
    await choose('visit-wish-kind-3', 'region');
    await type('visit-wish-code-3', '1084');
    await choose('visit-wish-reason-3', 'community');
    await fireEvent.click(byId('visit-wishes-save'));
    expect(invoke).toHaveBeenCalledWith('set_household_wishes', {
      form: {
        case_no: 'SYR-26C00001',
        wishes: [
          { municipality: '147', reason: 'relatives' },
          { region: '1084', reason: 'community' },
        ],
      },
    });
    await waitFor(() => expect(byId('visit-wishes-done').textContent).toBe('The wishes of SYR-26C00001 are saved: 2 wishes.'));
    expect(within(byId('visit-wishes-list')).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '147 Frederiksberg (Relatives)',
      '1084 Region Hovedstaden (Community)',
    ]);
    await waitFor(() => expect(document.activeElement?.id).toBe('visit-wishes-result'));
  });

  it('refuses a wish without a place before sending it', async () => {
    await withPanel();
    await type('visit-wishes-case', 'SYR-26C00001');
    await choose('visit-wish-reason-2', 'work');
    await fireEvent.click(byId('visit-wishes-save'));
    expect(byId('visit-wish-code-2-error').textContent).toMatch(/Give the municipality or region of this wish/);
    expect(invoke).not.toHaveBeenCalledWith('set_household_wishes', expect.anything());
  });

  it('lists each problem of a refused history file, then imports a good one', async () => {
    await withPanel();
    await type('visit-history-path', '/data/bad-history.csv');
    await fireEvent.click(byId('visit-history-submit'));
    expect(invoke).toHaveBeenCalledWith('import_outcome_history', { form: { path: '/data/bad-history.csv', year: null } });
    await waitFor(() => expect(byId('visit-history-summary').textContent).toBe('2 problems in /data/bad-history.csv; nothing was imported.'));
    expect(within(byId('visit-history-problems')).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'row 3, size "0": persons must be a whole number from 1 to 30',
      'row 7, outcome "2": the outcome is 0 or 1',
    ]);
    await waitFor(() => expect(document.activeElement?.id).toBe('visit-history-result'));
    expect(byId('visit-history').textContent).toMatch(/No outcome history/);

    await type('visit-history-path', '/data/history.csv');
    await fireEvent.click(byId('visit-history-submit'));
    await waitFor(() => expect(byId('visit-history').textContent).toMatch(/History in use: history\.csv, 1,200 rows, arrivals 2015–2023, imported by ane/));
    expect(byId('visit-history-summary').textContent).toBe('Imported 1,200 rows of outcome history from /data/history.csv.');
  });

  it('trains a model, which is not in use until it is chosen, then uses it and then none', async () => {
    let finish = () => {};
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const shell = invoke.getMockImplementation()!;
    invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) => {
      if (command === 'train_model') await gate;
      return shell(command, args);
    });
    await withPanel();
    expect(byId('visit-model-in-use').textContent?.trim()).toBe('In use: no model; proposals are scored with the weights.');
    await fireEvent.click(byId('visit-train'));
    expect(invoke).toHaveBeenCalledWith('train_model');
    await waitFor(() => expect(byId<HTMLButtonElement>('visit-train').disabled).toBe(true));
    expect(byId('visit-train-busy').textContent).toMatch(/a second or two/);
    finish();
    await waitFor(() => expect(byId('visit-train-result').textContent).toContain('Trained model version 2 on 1,200 rows (5-fold cross-validation): AUC 0.731, Brier 0.190'));
    expect(byId('visit-train-result').textContent).toMatch(/It is not in use/);
    await waitFor(() => expect(document.activeElement?.id).toBe('visit-train-result'));
    expect(byId<HTMLButtonElement>('visit-train').disabled).toBe(false);
    expect(byId('visit-train-busy').textContent).toBe('');
    await waitFor(() => expect(document.querySelector('#visit-models tr[data-version="2"]')).toBeTruthy());
    expect(byId('visit-model-in-use').textContent?.trim()).toBe('In use: no model; proposals are scored with the weights.');

    expect(screen.getByRole('button', { name: 'Use this model (version 2)' })).toBe(byId('visit-use-2'));
    await fireEvent.click(byId('visit-use-2'));
    expect(invoke).toHaveBeenCalledWith('use_model', { version: 2 });
    await waitFor(() => expect(byId('visit-model-result').textContent).toBe('Proposals are now scored with model version 2.'));
    await waitFor(() => expect(document.activeElement?.id).toBe('visit-model-result'));
    await waitFor(() => expect(byId('visit-model-in-use').textContent?.trim()).toBe('In use: model version 2.'));
    expect(document.getElementById('visit-use-2')).toBeNull();
    expect(byId('visit-in-use-2').textContent).toBe('In use');

    await fireEvent.click(byId('visit-use-none'));
    expect(invoke).toHaveBeenCalledWith('use_model', { version: null });
    await waitFor(() => expect(byId('visit-model-in-use').textContent?.trim()).toBe('In use: no model; proposals are scored with the weights.'));
    expect(invoke.mock.calls.filter(([c]) => c === 'municipality_table')).toHaveLength(1);
  });

  it('shows a refused training as an alert beside the button', async () => {
    const shell = invoke.getMockImplementation()!;
    invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) => {
      if (command === 'train_model') throw { message: 'no history', field: 'history', code: 'no_history', params: {} };
      return shell(command, args);
    });
    await withPanel();
    await fireEvent.click(byId('visit-train'));
    await waitFor(() =>
      expect(byId('visit-train-error').textContent).toBe('Not trained: No outcome history has been imported: import one first.'),
    );
    expect(byId('visit-train-error').getAttribute('role')).toBe('alert');
    expect(byId('visit-train').getAttribute('aria-describedby')).toBe('visit-train-error');
  });

  it('speaks Danish', async () => {
    setLanguage('da');
    await withPanel();
    expect(screen.getByRole('heading', { level: 2, name: 'Visitering' })).toBeTruthy();
    expect(byId('visit-offer-section').textContent).toBe('En husstands jobtilbud');
    expect(byId('visit-model-section').textContent).toBe('Udfaldshistorik og lært model');
    expect(byId('visit-muni-section').textContent).toBe('Kommunernes ønsker for 2026');
    expect(screen.getByRole('button', { name: 'Træn en model' })).toBe(byId('visit-train'));
  });
});

describe('Placement view: the balance', () => {
  /** Renders the view with its municipalities and presses "Show the balance". */
  async function showBalance() {
    render(Placement);
    await waitFor(() => expect(document.querySelector('#municipality-table tr[data-code="101"]')).toBeTruthy());
    await fireEvent.click(byId('balance-show'));
  }

  const fillRow = (code: string) => document.querySelector(`#balance-fill tr[data-code="${code}"]`) as HTMLElement;
  const cells = (row: HTMLElement) => Array.from(row.querySelectorAll('th, td')).map((c) => c.textContent?.trim());

  it('loads the balance only on the button, busy meanwhile, and shows the fill of each quota', async () => {
    let open = () => {};
    balanceGate = new Promise((resolve) => (open = resolve));
    render(Placement);
    await waitFor(() => expect(document.querySelector('#municipality-table tr[data-code="101"]')).toBeTruthy());
    expect(screen.getByRole('heading', { level: 2, name: 'Balance of the year' })).toBeTruthy();
    expect(byId('balance-intro').textContent).toMatch(/who bears the cost of a trade-off/);
    expect(invoke).not.toHaveBeenCalledWith('placement_balance', expect.anything());

    await fireEvent.click(byId('balance-show'));
    expect(invoke).toHaveBeenCalledWith('placement_balance', { year: 2026 });
    await waitFor(() => expect(byId<HTMLButtonElement>('balance-show').disabled).toBe(true));
    expect(byId('balance-show').textContent).toBe('Loading…');
    expect(byId('balance-show-busy').textContent).toMatch(/this can take a moment/);
    open();
    await waitFor(() => expect(byId('balance-fill')).toBeTruthy());
    await waitFor(() => expect(document.activeElement?.id).toBe('balance-result'));
    expect(byId<HTMLButtonElement>('balance-show').disabled).toBe(false);
    expect(byId('balance-show-busy').textContent).toBe('');

    // Those with a quota or anyone placed, by code; Tårnby (185) has neither.
    expect(Array.from(document.querySelectorAll<HTMLElement>('#balance-fill tr[data-code]')).map((r) => r.dataset.code)).toEqual(['101', '147', '580', '851']);
    expect(cells(fillRow('101'))).toEqual(['101 København', '10', '40 % (4)', '60 % (6)', '80 % (8)', '100 % (10)', '–']);
    expect(cells(fillRow('147'))).toEqual(['147 Frederiksberg', '10', '50 % (5)', '90 % (9)', '130 % (13)', '130 % (13)', 'over by 3']);
    // No quota, 2 placed by a job offer: over by all of them.
    expect(cells(fillRow('580'))).toEqual(['580', '0', '– (0)', '– (0)', '– (0)', '– (2)', 'over by 2']);
    expect(fillRow('147').classList.contains('over')).toBe(true);
    expect(fillRow('101').classList.contains('over')).toBe(false);
    expect(byId('balance-idle').textContent).toBe('1 municipality with a quota has no one placed yet.');
    expect(byId('balance-fill').querySelector('caption')?.textContent).toMatch(/by the end of each quarter/);

    // Pressed again, it is read again.
    await fireEvent.click(byId('balance-show'));
    await waitFor(() => expect(invoke.mock.calls.filter(([c]) => c === 'placement_balance')).toHaveLength(2));
  });

  it('shows the predicted outcomes by nationality and household type, the largest cost first', async () => {
    await showBalance();
    await waitFor(() => expect(byId('balance-nationality')).toBeTruthy());
    expect(byId('balance-outcome-hint').textContent).toContain('model version 2');
    const nationalities = Array.from(document.querySelectorAll<HTMLElement>('#balance-nationality tr[data-group]'));
    expect(nationalities.map((r) => r.dataset.group)).toEqual(['SYR', 'COD', 'unknown']);
    expect(cells(nationalities[0])).toEqual(['Syrian Arab Republic (SYR)', '3', '14', '42.5 %', '47.0 %', '4.5']);
    expect(cells(nationalities[2])[0]).toBe('Not recorded');
    const family = document.querySelector('#balance-household-type tr[data-group="family_with_children"]') as HTMLElement;
    expect(cells(family)).toEqual(['Family with children', '4', '21', '41.0 %', '44.0 %', '3.0']);
    expect(document.getElementById('balance-no-model')).toBeNull();
  });

  it('says that no outcomes are predicted without a model', async () => {
    balance = balanceReport(null);
    await showBalance();
    await waitFor(() => expect(byId('balance-no-model')).toBeTruthy());
    expect(byId('balance-no-model').textContent).toMatch(/No learned model is in use, so no outcomes are predicted/);
    expect(byId('balance-no-model').textContent).toMatch(/chosen in the Visitation panel/);
    expect(document.getElementById('balance-nationality')).toBeNull();
    expect(document.getElementById('balance-household-type')).toBeNull();
    expect(byId('balance-fill')).toBeTruthy();
  });

  it('shows a refusal in an alert, and no balance of another year', async () => {
    await showBalance();
    await waitFor(() => expect(byId('balance-fill')).toBeTruthy());
    await type('placement-year', '2027');
    await fireEvent.click(byId('placement-year-show'));
    // The balance of 2026 is not shown as 2027's.
    await waitFor(() => expect(document.getElementById('balance-result')).toBeNull());
    await fireEvent.click(byId('balance-show'));
    expect(invoke).toHaveBeenCalledWith('placement_balance', { year: 2027 });
    await waitFor(() => expect(byId('balance-show-error')).toBeTruthy());
    const alert = byId('balance-show-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toBe(
      'The balance could not be shown: There are no municipal quotas for 2027: compute them from the key inputs first (resettle municipality compute-quotas).',
    );
    expect(byId('balance-show').getAttribute('aria-describedby')).toBe('balance-show-error');
    await waitFor(() => expect(document.activeElement?.id).toBe('balance-show'));
  });

  it('speaks Danish, with decimal commas', async () => {
    setLanguage('da');
    await showBalance();
    await waitFor(() => expect(byId('balance-nationality')).toBeTruthy());
    expect(screen.getByRole('heading', { level: 2, name: 'Årets balance' })).toBeTruthy();
    expect(byId('balance-show').textContent).toBe('Vis balancen');
    expect(cells(fillRow('147'))).toContain('3 for mange');
    expect(cells(document.querySelector('#balance-nationality tr[data-group="SYR"]') as HTMLElement)).toEqual([
      'Syrien (SYR)',
      '3',
      '14',
      '42,5 %',
      '47,0 %',
      '4,5',
    ]);
    expect(byId('balance-idle').textContent).toBe('1 kommune med en kvote har endnu ingen placeret.');
  });
});
