//! The end-to-end tests live in `tests/`; `cargo xtask test` builds the app, starts a
//! virtual display and runs them. This library target is empty.
