import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import Nav from './Nav.svelte';
import { setLanguage } from '../lib/i18n.svelte';

afterEach(() => {
  cleanup();
  setLanguage('en');
});

describe('Nav', () => {
  it('offers one link per view, by accessible name, and marks the current one', () => {
    render(Nav, { current: 'missions' });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav).toBeTruthy();
    const links = screen.getAllByRole('link').map((a) => a.textContent);
    expect(links).toEqual(['Overview', 'Quotas', 'Missions', 'Cases', 'Placement', 'Documents', 'Settings']);
    expect(screen.getByRole('link', { name: 'Missions' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Cases' }).getAttribute('aria-current')).toBeNull();
  });

  it('speaks Danish when the language is switched', async () => {
    render(Nav, { current: 'overview' });
    setLanguage('da');
    await Promise.resolve();
    expect(await screen.findByRole('link', { name: 'Indstillinger' })).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Hovedmenu' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Settings' })).toBeNull();
  });
});
