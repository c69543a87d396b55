// What a form knows about its submission: the client's checks (message keys, so they
// follow the language), the shell's refusal (next to the field it names, or for the whole
// form), and whether it is saving.
import { tick } from 'svelte';
import type { CommandError } from './bindings';
import { commandError } from './ipc';
import { refusalText, t } from './i18n.svelte';
import { hasErrors, refusalField, type FieldErrors } from './quota';

export class FormState<F extends string> {
  client: FieldErrors<F> = $state({});
  server: Partial<Record<F, CommandError>> = $state({});
  /** A refusal that names no field of this form. */
  refusal: CommandError | null = $state(null);
  busy = $state(false);
  readonly fields: readonly F[];
  /** The shell's names for fields this form names otherwise (`reason` for `reasons`). */
  readonly aliases: Readonly<Record<string, F>>;

  constructor(fields: readonly F[], aliases: Readonly<Record<string, F>> = {}) {
    this.fields = fields;
    this.aliases = aliases;
  }

  /** The field's error in the current language, the client's first. */
  error(field: F): string | undefined {
    const key = this.client[field];
    if (key) return t(key);
    const refusal = this.server[field];
    return refusal ? refusalText(refusal) : undefined;
  }

  /** The refusal that names no field, in the current language. */
  get general(): string | null {
    return this.refusal ? refusalText(this.refusal) : null;
  }

  /** Records the client's checks; true when there is nothing to fix. */
  check(errors: FieldErrors<F>): boolean {
    this.client = errors;
    this.server = {};
    this.refusal = null;
    return !hasErrors(errors);
  }

  /** Records the shell's refusal where it belongs. */
  refuse(error: unknown): CommandError {
    const refusal = commandError(error);
    const named = refusal.field !== null && Object.hasOwn(this.aliases, refusal.field) ? this.aliases[refusal.field] : null;
    const field = named ?? refusalField(refusal, this.fields);
    if (field) this.server = { [field]: refusal } as Partial<Record<F, CommandError>>;
    else this.refusal = refusal;
    return refusal;
  }

  /**
   * Checks, then saves with `save`; on a refusal, moves focus to the field in question
   * (its error is its description). What was typed stays in the form either way.
   */
  async submit(form: HTMLFormElement, errors: FieldErrors<F>, save: () => Promise<void>): Promise<boolean> {
    if (this.busy) return false;
    if (!this.check(errors)) {
      await focusInvalid(form);
      return false;
    }
    this.busy = true;
    try {
      await save();
      return true;
    } catch (e) {
      this.refuse(e);
      await focusInvalid(form);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

async function focusInvalid(form: HTMLFormElement): Promise<void> {
  await tick();
  form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

/**
 * Calls `close` when Escape is pressed inside `form` (an inline form that closes like its
 * Cancel button); gives back what undoes it, for `$effect`.
 */
export function closeOnEscape(form: HTMLFormElement | undefined, close: () => void): (() => void) | undefined {
  if (!form) return undefined;
  const onkeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    close();
  };
  form.addEventListener('keydown', onkeydown);
  return () => form.removeEventListener('keydown', onkeydown);
}
