import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { setLanguage } from '../lib/i18n.svelte';

// The shell, played by a mock: the form only ever talks to it through `invoke`.
const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import DatabaseChoice from './DatabaseChoice.svelte';

let kept: string | null;

beforeEach(() => {
  kept = null;
  invoke.mockReset();
  invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) => {
    switch (command) {
      case 'choose_database': {
        const location = args?.location as string;
        if (location.includes('nowhere')) {
          throw {
            message: 'cannot open the database at postgres://kim@nowhere/resettle: refused',
            field: 'database',
            code: null,
            params: {},
          };
        }
        if (!location.startsWith('/') && !location.startsWith('postgres')) {
          throw { message: 'no', field: 'database', code: 'database_path_relative', params: {} };
        }
        kept = location.replace(/:[^:@/]*@/, ':***@');
        return { chosen: kept };
      }
      case 'forget_database_choice':
        kept = null;
        return { chosen: null };
      default:
        throw new Error(`unexpected command ${command}`);
    }
  });
});

afterEach(() => {
  cleanup();
  setLanguage('en');
});

const field = () => screen.getByLabelText(/A database file/) as HTMLInputElement;

describe('the database of the next start', () => {
  it('keeps a server that answers and says the next start opens it', async () => {
    render(DatabaseChoice, { chosen: null });
    await fireEvent.input(field(), { target: { value: '  postgres://kim:pw@db.office/resettle ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Use from the next start' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toContain('The next start opens postgres://kim:***@db.office/resettle.'),
    );
    expect(invoke).toHaveBeenCalledWith('choose_database', { location: 'postgres://kim:pw@db.office/resettle' });
    expect(field().value).toBe('');
    await fireEvent.click(screen.getByRole('button', { name: 'Use the default again' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('the default database'));
    expect(kept).toBeNull();
  });

  it('refuses an empty field without calling the shell, and shows the shell refusals at the field', async () => {
    render(DatabaseChoice, { chosen: '/srv/old.db' });
    expect(screen.getByRole('status').textContent).toContain('The next start opens /srv/old.db.');
    await fireEvent.click(screen.getByRole('button', { name: 'Use from the next start' }));
    expect((await screen.findByRole('alert')).textContent).toContain('a file\'s full path or a postgres:// URL');
    expect(invoke).not.toHaveBeenCalled();
    await fireEvent.input(field(), { target: { value: 'postgres://kim@nowhere/resettle' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Use from the next start' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('cannot open the database'));
    expect(field().getAttribute('aria-invalid')).toBe('true');
    // The old choice stands.
    expect(screen.getByRole('status').textContent).toContain('/srv/old.db');
  });

  it('speaks Danish', async () => {
    setLanguage('da');
    render(DatabaseChoice, { chosen: null });
    await fireEvent.input(screen.getByLabelText(/En databasefil/), { target: { value: 'resettle.db' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Brug fra næste start' }));
    expect((await screen.findByRole('alert')).textContent).toContain('fulde sti');
  });
});
