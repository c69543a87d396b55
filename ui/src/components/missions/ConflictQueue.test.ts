import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { Conflict } from '../../lib/bindings';
import { setLanguage } from '../../lib/i18n.svelte';

// The shell, played by a mock: the queue only ever talks to it through `invoke`.
const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import ConflictQueue from './ConflictQueue.svelte';

const needs: Conflict = {
  id: 'c1',
  case_no: 'UGA-26C00001',
  kind: 'medical_needs',
  subject: 'member 2',
  office: [
    { field: 'special_needs', value: 'uses a wheelchair' },
    { field: 'tom_patient', value: 'false' },
  ],
  laptop: [
    { field: 'special_needs', value: 'dialysis twice a week' },
    { field: 'tom_patient', value: 'false' },
  ],
  raised_at: '2026-12-01T10:00:00Z',
  resolution: null,
  resolved_by: null,
};

let open: Conflict[];
let refuse: boolean;

beforeEach(() => {
  open = [needs];
  refuse = false;
  invoke.mockReset();
  invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) => {
    switch (command) {
      case 'checkin_conflicts':
        return open;
      case 'resolve_conflict': {
        if (refuse) {
          throw {
            message: 'no',
            field: null,
            code: 'forbidden',
            params: { actor: 'kim', permission: 'decide_cases', role: 'quota_manager' },
          };
        }
        const form = args?.form as { id: string; side: string };
        open = open.filter((c) => c.id !== form.id);
        return { ...needs, resolution: form.side, resolved_by: 'boss' };
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

describe('the conflict queue', () => {
  it('shows both sides field by field, the differing one marked', async () => {
    const ondone = vi.fn();
    render(ConflictQueue, { version: 0, ondone });
    const heading = await screen.findByRole('heading', { name: 'Case UGA-26C00001: medical needs of member 2' });
    const card = heading.closest('article') as HTMLElement;
    const rows = Array.from(card.querySelectorAll('tbody tr'));
    expect(rows.map((r) => Array.from(r.children).map((c) => c.textContent))).toEqual([
      ['Special needs', 'uses a wheelchair', 'dialysis twice a week'],
      ['TOM patient', 'no', 'no'],
    ]);
    expect(rows.map((r) => r.classList.contains('differs'))).toEqual([true, false]);
  });

  it('takes the laptop side through the core and reads the queue again', async () => {
    const ondone = vi.fn();
    render(ConflictQueue, { version: 0, ondone });
    await fireEvent.click(await screen.findByRole('button', { name: "Take the laptop's" }));
    await waitFor(() => expect(screen.getByText('No conflicts are waiting.')).toBeTruthy());
    expect(invoke).toHaveBeenCalledWith('resolve_conflict', { form: { id: 'c1', side: 'laptop' } });
    expect(ondone).toHaveBeenCalledWith("Case UGA-26C00001: the laptop's side taken.");
  });

  it('shows a refusal in the conflict, in Danish too, and keeps it open', async () => {
    setLanguage('da');
    refuse = true;
    render(ConflictQueue, { version: 0, ondone: vi.fn() });
    await fireEvent.click(await screen.findByRole('button', { name: 'Behold kontorets' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('kvoteansvarlig');
    expect(screen.getByRole('heading', { name: 'Sag UGA-26C00001: medicinske behov for medlem 2' })).toBeTruthy();
  });
});
