// `sqlx::migrate!` embeds the migrations when this crate compiles; a migration added
// without a change to any .rs file must still rebuild it (sqlx's documented build script).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
