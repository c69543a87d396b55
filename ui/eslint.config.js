import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default ts.config(
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  { languageOptions: { globals: { ...globals.browser, ...globals.node } } },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  // The shell is reached only through the generated client (src/lib/commands.ts): nothing
  // else imports @tauri-apps, and only the client takes `invoke` and `Channel` from the one
  // module that does (src/lib/tauri.ts), so a hand-written call cannot bypass `tsc`.
  {
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    ignores: ['src/lib/tauri.ts', 'src/lib/commands.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tauri-apps/*'], message: 'Import from src/lib/tauri.ts, the one module that knows Tauri.' },
            {
              regex: '(^|/)tauri$',
              importNames: ['invoke', 'Channel'],
              message: 'Call the shell through the generated client (lib/ipc.ts, from lib/commands.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/lib/commands.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@tauri-apps/*'], message: 'Import from ./tauri, the one module that knows Tauri.' }] },
      ],
    },
  },
  { ignores: ['dist/', 'node_modules/'] },
);
