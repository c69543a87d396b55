import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { CaseDeadline, QuotaStatus, SubQuota, SubQuotaStatus } from '../lib/bindings';
import { setLanguage } from '../lib/i18n.svelte';

// The shell, played by a mock: the view only ever talks to it through `invoke`.
const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import Quotas from './Quotas.svelte';

function sub(sub_quota: SubQuota, allocated: number): SubQuotaStatus {
  return {
    sub_quota,
    allocated,
    carried_in: 0,
    committed: 0,
    used: 0,
    available: allocated,
    carried_out: 0,
    lapsed: 0,
  };
}

function status(geographical2026 = 395): QuotaStatus {
  return {
    period: 2026,
    end_year: 2028,
    total_places: 1500,
    annual_cap: 500,
    carry_over: true,
    open_year: 2026,
    years: [2026, 2027, 2028].map((year) => ({
      year,
      closed: false,
      sub_quotas: [
        sub('geographical', year === 2026 ? geographical2026 : 395),
        sub('emergency_urgent', 75),
        sub('medical', 30),
      ],
    })),
  };
}

const overdue: CaseDeadline = {
  case_id: '00000000-0000-0000-0000-000000000001',
  unhcr_case_no: 'DNK-26-C00001',
  priority: 'emergency',
  case_status: 'submitted',
  submission_date: '2026-01-01',
  deadline: '2026-01-08',
  departed_on: null,
  status: 'overdue',
  days_left: -3,
};

let current: QuotaStatus;
let created: QuotaStatus | null;

beforeEach(() => {
  current = status();
  created = null;
  invoke.mockReset();
  invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) => {
    switch (command) {
      case 'quota_periods':
        return [
          { id: 'p', start_year: 2026, years: 3, total_places: 1500, carry_over: true, annual_cap: 500 },
          ...(created ? [{ id: 'q', start_year: created.period, years: 2, total_places: 1000, carry_over: true, annual_cap: 500 }] : []),
        ];
      case 'quota_status':
        return args?.period === created?.period ? created : current;
      case 'quota_history':
        return [];
      case 'deadlines':
        return [overdue];
      case 'permissions':
        return ['read_cases', 'change_quotas'];
      case 'reallocate': {
        const form = args?.form as { places: number; reason: string };
        current = status(395 + form.places);
        return current;
      }
      case 'create_period': {
        const form = args?.form as { start_year: number; years: number };
        created = {
          ...status(),
          period: form.start_year,
          end_year: form.start_year + form.years - 1,
          open_year: form.start_year,
        };
        created.years = created.years.slice(0, form.years).map((y, i) => ({ ...y, year: form.start_year + i }));
        return created;
      }
      case 'close_year':
        current = { ...current, open_year: 2027, years: current.years.map((y) => ({ ...y, closed: y.year === 2026 })) };
        return current;
      case 'allocate':
        throw {
          message: '2027 would reach 595 persons, above the annual cap of 500; ...',
          field: 'places',
          code: 'exceeds_annual_cap',
          params: { year: '2027', would_be: '595', cap: '500' },
        };
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

describe('Quotas view', () => {
  it('shows the open year, says there are no arrivals, and marks overdue cases in words', async () => {
    render(Quotas);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Quotas');
    await waitFor(() => expect(document.getElementById('q-2026-geographical-allocated')?.textContent).toBe('395'));
    expect(document.getElementById('q-2026-total-allocated')?.textContent).toBe('500');
    expect((screen.getByLabelText('Show year') as HTMLSelectElement).value).toBe('2026');
    expect(screen.getByText(/No arrivals have been recorded/)).toBeTruthy();
    expect(screen.getByRole('img', { name: /Places per year by sub-quota/ })).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith('quota_history', { period: 2026, limit: 200, kind: null });
    // The used-over-time line reads every arrival, not only the newest entries.
    expect(invoke).toHaveBeenCalledWith('quota_history', { period: 2026, limit: 100_000, kind: 'arrival' });
    expect(invoke).toHaveBeenCalledWith('deadlines', {});
    const row = (await screen.findByText('DNK-26-C00001')).closest('tr');
    expect(row?.classList.contains('overdue')).toBe(true);
    expect(row?.textContent).toContain('Overdue');
  });

  it('checks a form before sending it and shows the errors next to the fields', async () => {
    render(Quotas);
    await screen.findByRole('button', { name: 'Move places' });
    await choose('reallocate-to', 'geographical');
    await fireEvent.click(screen.getByRole('button', { name: 'Move places' }));
    const to = screen.getByLabelText('To sub-quota');
    expect(to.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(to.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Choose two different sub-quotas.',
    );
    const places = screen.getByLabelText('Places', { selector: '#reallocate-places' });
    expect(places.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Reason', { selector: '#reallocate-reason' }).getAttribute('aria-invalid')).toBe('true');
    expect(invoke).not.toHaveBeenCalledWith('reallocate', expect.anything());
  });

  it('shows the refusal next to the field it names and keeps what was typed', async () => {
    render(Quotas);
    await screen.findByRole('button', { name: 'Set allocation' });
    await choose('allocate-year', '2027');
    await type('allocate-places', '490');
    await type('allocate-reason', 'Kenya mission');
    await fireEvent.click(screen.getByRole('button', { name: 'Set allocation' }));
    await waitFor(() => expect(document.getElementById('allocate-places-error')?.textContent).toMatch(/annual cap/));
    expect(invoke).toHaveBeenCalledWith('allocate', {
      form: {
        period: 2026,
        year: 2027,
        sub_quota: 'geographical',
        places: 490,
        exceptional_id: null,
        reason: 'Kenya mission',
      },
    });
    const places = document.getElementById('allocate-places') as HTMLInputElement;
    expect(places.value).toBe('490');
    expect(places.getAttribute('aria-invalid')).toBe('true');
    expect((document.getElementById('allocate-reason') as HTMLInputElement).value).toBe('Kenya mission');
  });

  it('announces a change and shows the new figures', async () => {
    render(Quotas);
    await screen.findByRole('button', { name: 'Move places' });
    await choose('reallocate-from', 'emergency_urgent');
    await choose('reallocate-to', 'geographical');
    await type('reallocate-places', '20');
    await type('reallocate-reason', 'Syrian families');
    await fireEvent.click(screen.getByRole('button', { name: 'Move places' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(
      '20 places moved from Emergency and urgent to Geographical in 2026.',
    ));
    await waitFor(() => expect(document.getElementById('q-2026-geographical-allocated')?.textContent).toBe('415'));
    // The form stays usable: the reason is cleared for the next change, the rest is kept.
    expect((document.getElementById('reallocate-reason') as HTMLInputElement).value).toBe('');
    expect((document.getElementById('reallocate-places') as HTMLInputElement).value).toBe('20');
  });

  it('asks before closing a year', async () => {
    render(Quotas);
    const close = await screen.findByRole('button', { name: 'Close 2026…' });
    await type('close-reason', 'End of 2026');
    await fireEvent.click(close);
    expect(await screen.findByText(/Close 2026 for good\? Its unused places will carry over to 2027/)).toBeTruthy();
    expect(invoke).not.toHaveBeenCalledWith('close_year', expect.anything());
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Close 2026…' })).toBeTruthy();
  });

  it('closes the year once confirmed, and marks it closed in words', async () => {
    render(Quotas);
    const close = await screen.findByRole('button', { name: 'Close 2026…' });
    await type('close-reason', 'End of 2026');
    await fireEvent.click(close);
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, close 2026' }));
    expect(invoke).toHaveBeenCalledWith('close_year', { form: { period: 2026, year: 2026, reason: 'End of 2026' } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('2026 is closed.'));
    // The view shows the year that closed, marked as closed in text.
    await waitFor(() => expect(document.getElementById('quota-year-state')?.textContent).toBe('Closed'));
    expect(screen.getByText(/2026 is closed: its unused places/)).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Close 2027…' })).toBeTruthy();
  });

  it('creates a period and shows it', async () => {
    render(Quotas);
    await screen.findByRole('button', { name: 'Create period' });
    expect((document.getElementById('create-start_year') as HTMLInputElement).value).toBe('2029');
    await fireEvent.click(screen.getByRole('button', { name: 'Create period' }));
    // Places and reason are missing: nothing is sent.
    expect(document.getElementById('create-places-error')?.textContent).toBe('Fill this in.');
    expect(document.getElementById('create-reason-error')?.textContent).toBe('Every change to the quota needs its reason.');
    expect(invoke).not.toHaveBeenCalledWith('create_period', expect.anything());
    await type('create-places', '1000');
    await choose('create-years', '2');
    await type('create-reason', 'Finance act 2029');
    await fireEvent.click(screen.getByRole('button', { name: 'Create period' }));
    expect(invoke).toHaveBeenCalledWith('create_period', {
      form: { start_year: 2029, places: 1000, years: 2, carry_over: true, annual_cap: 500, reason: 'Finance act 2029' },
    });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('The period 2029–2030 was created.'));
    await waitFor(() => expect((document.getElementById('quota-period') as HTMLSelectElement).value).toBe('2029'));
    await waitFor(() => expect(document.getElementById('q-2029-geographical-allocated')).toBeTruthy());
  });

  it('offers only a new period when there is none', async () => {
    const shell = invoke.getMockImplementation();
    invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) =>
      command === 'quota_periods' ? [] : shell?.(command, args),
    );
    render(Quotas);
    expect(await screen.findByText(/No quota period has been set up yet/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create period' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Set allocation' })).toBeNull();
    expect(invoke).not.toHaveBeenCalledWith('quota_status', expect.anything());
  });

  it('offers a caseworker no quota controls, and says why', async () => {
    const shell = invoke.getMockImplementation();
    invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) =>
      command === 'permissions' ? ['read_cases', 'record_fieldwork', 'plan_missions'] : shell?.(command, args),
    );
    render(Quotas);
    expect(await screen.findByText(/Changing the quota needs the quota manager role/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Set allocation' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Create period' })).toBeNull();
  });

  it('speaks Danish', async () => {
    setLanguage('da');
    render(Quotas);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Kvoter');
    await screen.findByRole('button', { name: 'Flyt pladser' });
    expect(await screen.findByText('Overskredet')).toBeTruthy();
    expect(screen.getAllByText('Geografisk').length).toBeGreaterThan(0);
  });
});
