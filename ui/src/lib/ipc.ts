// The front end's way to the desktop shell. The calls themselves are generated from the
// Rust commands (commands.ts, by `cargo xtask gen-types`) and their types from the Rust
// types (bindings.ts); this module adds only what is not a plain call: the errors as the
// views show them, and the Overview's one-time start-up signal.
import type { CommandError } from './bindings';
import { overviewShown } from './commands';

export * from './commands';

let overviewSignalled = false;

/**
 * Tells the shell, once per run, that the Overview shows data (the start-up benchmark
 * waits for this); later visits to the Overview send nothing.
 */
export function signalOverviewShown(): Promise<void> {
  if (overviewSignalled) return Promise.resolve();
  overviewSignalled = true;
  return overviewShown();
}

export function isCommandError(error: unknown): error is CommandError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    'field' in error &&
    ((error as { field: unknown }).field === null || typeof (error as { field: unknown }).field === 'string')
  );
}

/**
 * Any failure as a CommandError: the quota commands reject with one (the message and the
 * form field it belongs to); older commands and the IPC layer itself reject with text.
 */
export function commandError(error: unknown): CommandError {
  if (isCommandError(error)) return error;
  return { message: error instanceof Error ? error.message : String(error), field: null, code: null, params: {} };
}

/** A command's error as text, whether it came as text, an Error or a CommandError. */
export function errorText(error: unknown): string {
  return commandError(error).message;
}
