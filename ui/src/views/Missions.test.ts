import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { MissionSummary } from '../lib/bindings';
import { setLanguage } from '../lib/i18n.svelte';

// The shell, played by a mock: the view only ever talks to it through `invoke`.
const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import Missions from './Missions.svelte';

const lebanon: MissionSummary = {
  mission: {
    id: '00000000-0000-0000-0000-0000000000m1',
    name: 'Lebanon 2026',
    country_of_asylum: 'LBN',
    location: 'Beirut',
    start_date: '2026-03-02',
    end_date: '2026-03-13',
    target_places: 150,
    strategic: true,
  },
  progress: {
    cases: 40,
    persons: 160,
    interviewed: 38,
    scored: 30,
    decided: 25,
    accepted_cases: 20,
    accepted_persons: 75,
    target_places: 150,
    declarations_signed: 12,
    declarations_due: 30,
    orientation_complete: 4,
  },
  team: [{ id: 't1', name: 'Ane Holm', organisation: 'immigration_service', role: 'caseworker' }],
};

let list: MissionSummary[];

beforeEach(() => {
  list = [lebanon];
  invoke.mockReset();
  invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) => {
    switch (command) {
      case 'missions':
        return list;
      case 'create_mission': {
        const form = args?.form as MissionSummary['mission'];
        if (form.end_date < form.start_date) throw new Error('unreachable: the view checks the dates');
        if (form.country_of_asylum === 'XXX') {
          throw { message: 'bad', field: 'country_of_asylum', code: 'country_code', params: { code: 'XXX' } };
        }
        const mission = { ...form, id: 'm2' };
        list = [...list, { mission, progress: { ...lebanon.progress, cases: 0 }, team: [] }];
        return mission;
      }
      case 'add_team_member':
        return null;
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
  await fireEvent.input(document.getElementById(id) as HTMLInputElement, { target: { value } });
}

describe('Missions view', () => {
  it('shows each mission with its team and its progress in words', async () => {
    render(Missions);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Missions');
    expect(await screen.findByRole('heading', { name: 'Lebanon 2026' })).toBeTruthy();
    expect(screen.getByText('Strategic operation: exempt from integration scoring.')).toBeTruthy();
    expect(document.getElementById('mission-0-accepted')?.textContent?.trim()).toBe(
      '75 of a target of 150 (50%), in 20 cases',
    );
    expect(screen.getByText('12 of 30')).toBeTruthy();
    expect(screen.getByText('Ane Holm, caseworker (Immigration Service)')).toBeTruthy();
  });

  it('checks a new mission, shows a refusal next to its field, and lists it once created', async () => {
    render(Missions);
    await screen.findByRole('heading', { name: 'Lebanon 2026' });
    await type('mission-name', 'Kenya 2026');
    await type('mission-country_of_asylum', 'Kenya');
    await type('mission-location', 'Kakuma');
    await type('mission-start_date', '2026-09-14');
    await type('mission-end_date', '2026-09-01');
    await type('mission-target_places', '100');
    await fireEvent.click(document.getElementById('mission-submit') as HTMLElement);
    expect(document.getElementById('mission-country_of_asylum-error')?.textContent).toBe(
      'Enter a three-letter country code, e.g. LBN.',
    );
    expect(document.getElementById('mission-end_date-error')?.textContent).toBe('The end date is before the start date.');
    expect(invoke).not.toHaveBeenCalledWith('create_mission', expect.anything());

    await type('mission-country_of_asylum', 'xxx');
    await type('mission-end_date', '2026-09-25');
    await fireEvent.click(document.getElementById('mission-submit') as HTMLElement);
    await waitFor(() =>
      expect(document.getElementById('mission-country_of_asylum-error')?.textContent).toBe(
        '“XXX” is not a three-letter country code (ISO 3166-1 alpha-3), such as LBN.',
      ),
    );

    await type('mission-country_of_asylum', 'ken');
    await fireEvent.click(document.getElementById('mission-strategic') as HTMLElement);
    await fireEvent.click(document.getElementById('mission-submit') as HTMLElement);
    expect(invoke).toHaveBeenCalledWith('create_mission', {
      form: {
        name: 'Kenya 2026',
        country_of_asylum: 'KEN',
        location: 'Kakuma',
        start_date: '2026-09-14',
        end_date: '2026-09-25',
        target_places: 100,
        strategic: true,
      },
    });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('The mission Kenya 2026 is created.'));
    expect(await screen.findByRole('heading', { name: 'Kenya 2026' })).toBeTruthy();
    expect((document.getElementById('mission-name') as HTMLInputElement).value).toBe('');
  });

  it('adds a team member to a mission', async () => {
    render(Missions);
    await screen.findByRole('heading', { name: 'Lebanon 2026' });
    await type('team-0-name', 'Omar Said');
    await fireEvent.change(document.getElementById('team-0-organisation') as HTMLSelectElement, {
      target: { value: 'interpreter' },
    });
    await type('team-0-role', 'Arabic');
    await fireEvent.click(document.getElementById('team-0-submit') as HTMLElement);
    expect(invoke).toHaveBeenCalledWith('add_team_member', {
      form: { mission: lebanon.mission.id, name: 'Omar Said', organisation: 'interpreter', role: 'Arabic' },
    });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Omar Said joined the team of Lebanon 2026.'));
  });

  it('speaks Danish', async () => {
    setLanguage('da');
    render(Missions);
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Missioner');
    expect(await screen.findByText('Ane Holm, caseworker (Udlændingestyrelsen)')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Opret mission' })).toBeTruthy();
  });
});
