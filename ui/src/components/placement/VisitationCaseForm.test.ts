import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { FormState } from '../../lib/form.svelte';
import { setLanguage } from '../../lib/i18n.svelte';
import VisitationCaseForm from './VisitationCaseForm.svelte';

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const refusal = { message: 'the store is locked', field: null, code: null, params: {} };

function setup(onload: (caseNo: string) => Promise<void>) {
  const ui = new FormState(['case_no', 'note'] as const);
  const onsave = vi.fn(async (form: HTMLFormElement) => {
    await ui.submit(form, {}, async () => {
      throw refusal;
    });
  });
  render(VisitationCaseForm, {
    props: {
      id: 'c',
      heading: 'A household',
      hint: 'Give its case.',
      ui,
      loadLabel: 'Load',
      submitLabel: 'Save',
      onload,
      onsave,
      children: createRawSnippet(() => ({ render: () => '<p id="c-more">more fields</p>' })),
    },
  });
  return { ui, onsave };
}

async function type(id: string, value: string) {
  await fireEvent.input(byId(id), { target: { value } });
}

beforeEach(() => setLanguage('en'));
afterEach(() => cleanup());

describe('VisitationCaseForm', () => {
  it('asks for the case before a Load, and hands on the case trimmed', async () => {
    const onload = vi.fn(async () => {});
    setup(onload);
    expect(byId('c-more').textContent).toBe('more fields');
    await fireEvent.click(byId('c-load'));
    expect(byId('c-case-error').textContent).toBe('Enter the household’s UNHCR case number.');
    expect(onload).not.toHaveBeenCalled();

    await type('c-case', ' SYR-26C00001 ');
    await fireEvent.click(byId('c-load'));
    await waitFor(() => expect(onload).toHaveBeenCalledWith('SYR-26C00001'));
  });

  it('words a refused Load as not loaded, and a refused Save as not saved', async () => {
    let finish: () => void = () => {};
    const onload = vi.fn(
      () =>
        new Promise<void>((_, reject) => {
          finish = () => reject(refusal);
        }),
    );
    const { onsave } = setup(onload);
    await type('c-case', 'SYR-26C00001');
    await fireEvent.click(byId('c-load'));
    await waitFor(() => expect(byId('c').textContent).toContain('Loading…'));
    expect(byId<HTMLButtonElement>('c-save').disabled).toBe(true);
    finish();
    await waitFor(() => expect(byId('c-alert').textContent).toBe('Not loaded: the store is locked'));
    await waitFor(() => expect(byId<HTMLButtonElement>('c-save').disabled).toBe(false));

    await fireEvent.click(byId('c-save'));
    expect(onsave).toHaveBeenCalled();
    await waitFor(() => expect(byId('c-alert').textContent).toBe('Not saved: the store is locked'));
  });
});
