import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, waitFor, within } from '@testing-library/svelte';
import type { VisitationFileResult } from '../../lib/bindings';
import { setLanguage } from '../../lib/i18n.svelte';

// The system's file dialog, played by a mock (the form's only other I/O is `run`).
const dialogOpen = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: dialogOpen }));

import FileImportForm from './FileImportForm.svelte';

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

async function type(id: string, value: string) {
  await fireEvent.input(byId(id), { target: { value } });
}

function props(run: (path: string) => Promise<VisitationFileResult>, more: Record<string, unknown> = {}) {
  return {
    id: 'f',
    heading: 'Import the file',
    pathHint: 'A CSV file.',
    filterName: 'Wishes',
    submitLabel: 'Import',
    run,
    ...more,
  };
}

const refused: VisitationFileResult = { file: '/data/bad.csv', rows: null, problems: ['Row 2: no code', 'Row 3: no name'] };
const imported: VisitationFileResult = { file: '/data/good.csv', rows: 3, problems: [] };

beforeEach(() => {
  setLanguage('en');
  dialogOpen.mockReset();
});

afterEach(() => cleanup());

describe('FileImportForm', () => {
  it('asks for a path before it imports, next to the field', async () => {
    const run = vi.fn();
    render(FileImportForm, { props: props(run) });
    expect(byId('f-import')).toBeTruthy();
    await fireEvent.click(byId('f-submit'));
    expect(byId('f-path-error').textContent).toBe('Fill this in.');
    expect(byId('f-path').getAttribute('aria-describedby')).toBe('f-path-hint f-path-error');
    expect(run).not.toHaveBeenCalled();
    expect(document.getElementById('f-result')).toBeNull();
  });

  it('fills the path from the dialog, and says when the dialog cannot be opened', async () => {
    dialogOpen.mockResolvedValueOnce('/data/picked.csv');
    render(FileImportForm, { props: props(vi.fn()) });
    await fireEvent.click(byId('f-browse'));
    await waitFor(() => expect(byId<HTMLInputElement>('f-path').value).toBe('/data/picked.csv'));
    expect(dialogOpen).toHaveBeenCalledWith({ multiple: false, directory: false, filters: [{ name: 'Wishes', extensions: ['csv'] }] });

    dialogOpen.mockRejectedValueOnce(new Error('no portal'));
    await fireEvent.click(byId('f-browse'));
    const alert = await waitFor(() => within(byId('f-import')).getByRole('alert'));
    expect(alert.textContent).toBe('The file dialog could not be opened: no portal');
    expect(byId<HTMLInputElement>('f-path').value).toBe('/data/picked.csv');
  });

  it('lists a refused file’s problems and sums up a file imported, focus going to what it did', async () => {
    const run = vi.fn(async (path: string) => (path.includes('bad') ? refused : imported));
    const onresult = vi.fn(async () => {});
    render(FileImportForm, { props: props(run, { importedLine: (r: VisitationFileResult) => `Imported ${r.rows} rows.`, onresult }) });

    await type('f-path', '  /data/bad.csv ');
    await fireEvent.click(byId('f-submit'));
    await waitFor(() => expect(document.activeElement?.id).toBe('f-result'));
    expect(run).toHaveBeenCalledWith('/data/bad.csv');
    expect(onresult).toHaveBeenCalledWith(refused);
    const box = byId('f-result');
    expect(box.classList.contains('failed')).toBe(true);
    expect(box.getAttribute('tabindex')).toBe('-1');
    expect(box.getAttribute('aria-live')).toBeNull();
    expect(byId('f-summary').textContent).toBe('2 problems in /data/bad.csv; nothing was imported.');
    expect(byId('f-problems').getAttribute('aria-label')).toBe('Problems in /data/bad.csv');
    expect(within(byId('f-problems')).getAllByRole('listitem').map((li) => li.textContent)).toEqual(refused.problems);

    await type('f-path', '/data/good.csv');
    await fireEvent.click(byId('f-submit'));
    await waitFor(() => expect(byId('f-summary').textContent).toBe('Imported 3 rows.'));
    expect(byId('f-result').classList.contains('failed')).toBe(false);
    expect(document.getElementById('f-problems')).toBeNull();
    expect(onresult).toHaveBeenLastCalledWith(imported);
  });

  it('as a live region, shows only a refused file, in its own words, and leaves focus alone', async () => {
    const run = vi.fn(async (path: string) => (path.includes('bad') ? refused : imported));
    render(FileImportForm, {
      props: props(run, { formId: 'keys', live: true, problemsLine: (r: VisitationFileResult) => `${r.problems.length} problem(s)` }),
    });
    expect(byId('keys')).toBeTruthy();

    await type('f-path', '/data/bad.csv');
    await fireEvent.click(byId('f-submit'));
    await waitFor(() => expect(byId('f-summary').textContent).toBe('2 problem(s)'));
    const box = byId('f-result');
    expect(box.getAttribute('aria-live')).toBe('polite');
    expect(box.hasAttribute('tabindex')).toBe(false);
    expect(document.activeElement?.id).not.toBe('f-result');

    await type('f-path', '/data/good.csv');
    await fireEvent.click(byId('f-submit'));
    await waitFor(() => expect(document.getElementById('f-result')).toBeNull());
  });
});
