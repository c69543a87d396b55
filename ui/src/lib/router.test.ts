import { describe, expect, it } from 'vitest';
import { hashParams, hrefFor, viewForShortcut, viewFromHash } from './router.svelte';
import { views } from './messages';

describe('router', () => {
  it('round-trips every view through its link', () => {
    for (const view of views) expect(viewFromHash(hrefFor(view))).toBe(view);
  });

  it('carries parameters to the view without changing which view it is', () => {
    const href = hrefFor('documents', { kind: 'access_report', case: 'DOS 1/2' });
    expect(viewFromHash(href)).toBe('documents');
    expect(hashParams(href).kind).toBe('access_report');
    expect(hashParams(href).case).toBe('DOS 1/2');
    expect(hashParams('#/documents').case).toBeUndefined();
  });

  it('falls back to the overview for unknown or empty hashes', () => {
    expect(viewFromHash('')).toBe('overview');
    expect(viewFromHash('#/nowhere')).toBe('overview');
  });

  it('maps Alt+1..Alt+7 to the menu in order and ignores other keys', () => {
    const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
      viewForShortcut({ altKey: true, ctrlKey: false, metaKey: false, key: k, ...mods });
    expect(key('1')).toBe('overview');
    expect(key('7')).toBe('settings');
    expect(key('8')).toBeNull();
    expect(key('0')).toBeNull();
    expect(key('a')).toBeNull();
    expect(key('2', { altKey: false })).toBeNull();
    expect(key('2', { ctrlKey: true })).toBeNull();
  });
});
