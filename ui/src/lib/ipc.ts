// The typed client of the desktop shell's commands. Types come from bindings.ts, which is
// generated from the Rust types; nothing here redeclares them.
import { invoke } from '@tauri-apps/api/core';
import type { AppInfo, Overview } from './bindings';

export function overview(): Promise<Overview> {
  return invoke<Overview>('overview');
}

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}

let overviewSignalled = false;

/**
 * Tells the shell, once per run, that the Overview shows data (the start-up benchmark
 * waits for this); later visits to the Overview send nothing.
 */
export function overviewShown(): Promise<void> {
  if (overviewSignalled) return Promise.resolve();
  overviewSignalled = true;
  return invoke<void>('overview_shown');
}

/** A command's error as text: the shell sends errors as strings. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
