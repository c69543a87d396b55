// The one module that knows the front end runs in Tauri: everything from @tauri-apps comes
// through here (the linter refuses an import of it anywhere else). Only the generated
// client, commands.ts, may take `invoke` and `Channel`: a call of the shell written by
// hand would not fail `tsc` when the Rust command changes.
export { Channel, invoke } from '@tauri-apps/api/core';
export { open, save } from '@tauri-apps/plugin-dialog';
