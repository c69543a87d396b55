import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { setLanguage } from '../lib/i18n.svelte';

// The shell, played by a mock: the unlock screen only talks to it through `invoke`.
const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import Unlock from './Unlock.svelte';

let members: string[];
let unlocks: Array<Record<string, unknown>>;

beforeEach(() => {
  unlocks = [];
  invoke.mockReset();
  invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) => {
    switch (command) {
      case 'key_slot_members':
        return members;
      case 'unlock':
        unlocks.push(args ?? {});
        if (args?.passphrase !== 'bo passphrase long') {
          throw { message: 'no', field: 'passphrase', code: 'wrong_passphrase', params: { path: 'l.db' } };
        }
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

const passphrase = () => screen.getByLabelText('Passphrase') as HTMLInputElement;

describe('the unlock screen', () => {
  it('lists the members, asks who you are, and unlocks as the one chosen', async () => {
    members = ['ane', 'bo'];
    const onunlocked = vi.fn();
    render(Unlock, { database: 'l.db', onunlocked });
    await screen.findByRole('group', { name: 'Who are you?' });
    await fireEvent.input(passphrase(), { target: { value: 'bo passphrase long' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Choose your name');
    expect(unlocks).toEqual([]);
    await fireEvent.click(screen.getByLabelText('bo'));
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await waitFor(() => expect(onunlocked).toHaveBeenCalled());
    expect(unlocks).toEqual([{ member: 'bo', passphrase: 'bo passphrase long' }]);
  });

  it('names the only member and sends no choice; a wrong passphrase is refused in words', async () => {
    members = ['ane'];
    render(Unlock, { database: 'l.db', onunlocked: () => {} });
    expect((await screen.findByText(/Unlocking as ane/)).id).toBe('lock-member');
    await fireEvent.input(passphrase(), { target: { value: 'not it at all' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect((await screen.findByRole('alert')).textContent).toContain('does not open the database');
    expect(unlocks).toEqual([{ member: 'ane', passphrase: 'not it at all' }]);
    expect(passphrase().value).toBe('');
  });
});
