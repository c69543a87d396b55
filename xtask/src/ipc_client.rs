//! The generator of the front end's IPC client (`ui/src/lib/commands.ts`) from the shell's
//! commands: every `#[tauri::command]` function in `src-tauri/src`, its arguments and its
//! result, in the order `generate_handler!` in `main.rs` registers them.
//!
//! It reads the Rust source (with `syn`) rather than a list kept beside it, so a command
//! that is renamed, retyped, added or dropped changes the generated client; the staleness
//! test below then fails until `cargo xtask gen-types` rewrites it, and the rewritten client
//! fails `tsc` wherever the front end still calls the old one. The types the client names
//! come from `bindings.ts` (generated from the same Rust types by ts-rs): a type the
//! bindings do not declare fails `tsc` too.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context, Result};
use syn::{FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

/// Where the generated client is written, from the workspace root.
pub const CLIENT_PATH: &str = "ui/src/lib/commands.ts";
/// The shell's sources, from the workspace root.
const SHELL_SRC: &str = "src-tauri/src";

/// Arguments Tauri fills in itself: the front end never passes them.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow", "Webview"];

/// One command as the front end sees it.
struct Command {
    /// The Rust name, which is also the IPC name (`quota_status`).
    name: String,
    docs: Vec<String>,
    args: Vec<Arg>,
    result: Ts,
}

struct Arg {
    /// The Rust name; the wire and the TypeScript parameter use its camelCase.
    name: String,
    ty: Ts,
}

/// A Rust type as TypeScript writes it.
enum Ts {
    /// A plain type (`number`, `Dossier[]`, `string | null`).
    Plain(String),
    /// `Option<T>`: `T | null`, and optional when no required argument follows it.
    Optional(String),
    /// `Channel<T>`: the caller passes a callback, the client makes the channel.
    Channel(String),
    /// `tauri::ipc::Response`: raw bytes, not JSON.
    Bytes,
    Void,
}

/// The generated client for the workspace at `root`.
pub fn generate(root: &Path) -> Result<String> {
    let src = root.join(SHELL_SRC);
    let registered = registered_commands(&src.join("main.rs"))?;
    let mut found = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&src)
        .with_context(|| format!("reading {}", src.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    for file in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let text = std::fs::read_to_string(file)?;
        let ast = syn::parse_file(&text).with_context(|| format!("parsing {}", file.display()))?;
        for item in ast.items {
            if let Item::Fn(function) = item {
                if is_command(&function.attrs) {
                    let module = file.file_stem().unwrap().to_string_lossy().into_owned();
                    found.push((
                        module,
                        command(&function).with_context(|| {
                            format!("in {}: fn {}", file.display(), function.sig.ident)
                        })?,
                    ));
                }
            }
        }
    }
    // Every command written is registered, and every registered one is written.
    let mut ordered = Vec::new();
    for path in &registered {
        let Some(i) = found
            .iter()
            .position(|(module, c)| format!("{module}::{}", c.name) == *path)
        else {
            bail!("main.rs registers {path}, which is not a #[tauri::command] in src-tauri/src");
        };
        ordered.push(found.remove(i).1);
    }
    if let Some((module, c)) = found.first() {
        bail!(
            "{module}::{} is a #[tauri::command] that main.rs does not register",
            c.name
        );
    }
    Ok(render(&ordered))
}

/// The `module::command` paths in main.rs's `generate_handler![...]`, in its order.
fn registered_commands(main: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(main)?;
    let start = text
        .find("generate_handler![")
        .context("main.rs has no generate_handler![")?;
    let list = &text[start + "generate_handler![".len()..];
    let end = list.find(']').context("generate_handler![ is not closed")?;
    Ok(list[..end]
        .split(',')
        .map(|s| s.split_whitespace().collect::<String>())
        .filter(|s| !s.is_empty())
        .collect())
}

fn is_command(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let segments: Vec<_> = a
            .path()
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        segments == ["tauri", "command"]
    })
}

fn command(function: &syn::ItemFn) -> Result<Command> {
    let mut args = Vec::new();
    for input in &function.sig.inputs {
        let FnArg::Typed(typed) = input else {
            bail!("a command takes no self");
        };
        if INJECTED.contains(&last_segment(&typed.ty).as_deref().unwrap_or("")) {
            continue;
        }
        let Pat::Ident(name) = &*typed.pat else {
            bail!("a command's arguments are plain names");
        };
        args.push(Arg {
            name: name.ident.to_string(),
            ty: argument(&typed.ty)?,
        });
    }
    let result = match &function.sig.output {
        ReturnType::Default => Ts::Void,
        ReturnType::Type(_, ty) => match generic(ty, "Result") {
            Some(ok) => result(ok)?,
            None => result(ty)?,
        },
    };
    Ok(Command {
        name: function.sig.ident.to_string(),
        docs: docs(&function.attrs),
        args,
        result,
    })
}

fn argument(ty: &Type) -> Result<Ts> {
    if let Some(inner) = generic(ty, "Option") {
        return Ok(Ts::Optional(typescript(inner)?));
    }
    if let Some(inner) = generic(ty, "Channel") {
        return Ok(Ts::Channel(typescript(inner)?));
    }
    Ok(Ts::Plain(typescript(ty)?))
}

fn result(ty: &Type) -> Result<Ts> {
    if last_segment(ty).as_deref() == Some("Response") {
        return Ok(Ts::Bytes);
    }
    if matches!(ty, Type::Tuple(t) if t.elems.is_empty()) {
        return Ok(Ts::Void);
    }
    Ok(Ts::Plain(typescript(ty)?))
}

/// A value's type in TypeScript, as serde sends it and ts-rs declares it.
fn typescript(ty: &Type) -> Result<String> {
    if let Type::Reference(r) = ty {
        return typescript(&r.elem);
    }
    if let Some(inner) = generic(ty, "Option") {
        return Ok(format!("{} | null", typescript(inner)?));
    }
    if let Some(inner) = generic(ty, "Vec") {
        let inner = typescript(inner)?;
        return Ok(if inner.contains(' ') {
            format!("({inner})[]")
        } else {
            format!("{inner}[]")
        });
    }
    let Some(name) = last_segment(ty) else {
        bail!("a command's type must be a named type");
    };
    Ok(match name.as_str() {
        "String" | "str" | "Uuid" | "NaiveDate" | "PathBuf" => "string".to_owned(),
        "bool" => "boolean".to_owned(),
        "u8" | "u16" | "u32" | "i8" | "i16" | "i32" | "f32" | "f64" | "usize" => {
            "number".to_owned()
        }
        // ts-rs declares these as bigint, which serde_json does not send: refuse rather
        // than generate a client that lies.
        "u64" | "i64" | "u128" | "i128" => bail!("{name} does not cross IPC as a number"),
        _ if name.chars().next().is_some_and(char::is_uppercase) => name,
        _ => bail!("no TypeScript type is known for {name}"),
    })
}

/// `T` when `ty` is `Name<T>` (by its last segment).
fn generic<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

fn last_segment(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn docs(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The names a TypeScript type refers to (`Dossier` in `Dossier[] | null`).
fn referenced(ts: &str, into: &mut BTreeSet<String>) {
    for word in ts.split(|c: char| !c.is_alphanumeric() && c != '_') {
        if word.chars().next().is_some_and(char::is_uppercase) {
            into.insert(word.to_owned());
        }
    }
}

fn render(commands: &[Command]) -> String {
    let mut types = BTreeSet::new();
    for c in commands {
        for a in &c.args {
            if let Ts::Plain(t) | Ts::Optional(t) | Ts::Channel(t) = &a.ty {
                referenced(t, &mut types);
            }
        }
        if let Ts::Plain(t) = &c.result {
            referenced(t, &mut types);
        }
    }
    let channels = commands
        .iter()
        .any(|c| c.args.iter().any(|a| matches!(a.ty, Ts::Channel(_))));
    let mut out = String::new();
    out.push_str(
        "// Generated from the #[tauri::command] functions in src-tauri/src by\n\
         // `cargo xtask gen-types`; do not edit. The front end calls the shell only through\n\
         // these functions: a command renamed or retyped in Rust changes them, and `tsc`\n\
         // then fails at every call that no longer fits.\n",
    );
    let bridge = if channels {
        "Channel, invoke"
    } else {
        "invoke"
    };
    writeln!(out, "import {{ {bridge} }} from './tauri';").unwrap();
    if !types.is_empty() {
        out.push_str("import type {\n");
        for t in &types {
            writeln!(out, "  {t},").unwrap();
        }
        out.push_str("} from './bindings';\n");
    }
    for c in commands {
        out.push('\n');
        if !c.docs.is_empty() {
            out.push_str("/**\n");
            for line in &c.docs {
                if line.is_empty() {
                    out.push_str(" *\n");
                } else {
                    writeln!(out, " * {line}").unwrap();
                }
            }
            out.push_str(" */\n");
        }
        // An optional argument may only be followed by optional ones.
        let required_until = c
            .args
            .iter()
            .rposition(|a| !matches!(a.ty, Ts::Optional(_)))
            .map_or(0, |i| i + 1);
        let params: Vec<String> = c
            .args
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let name = camel(&a.name);
                match &a.ty {
                    Ts::Plain(t) => format!("{name}: {t}"),
                    Ts::Optional(t) if i >= required_until => format!("{name}?: {t} | null"),
                    Ts::Optional(t) => format!("{name}: {t} | null"),
                    Ts::Channel(t) => format!("{name}: (message: {t}) => void"),
                    Ts::Bytes | Ts::Void => unreachable!("not an argument type"),
                }
            })
            .collect();
        let (returned, wire) = match &c.result {
            Ts::Plain(t) | Ts::Optional(t) | Ts::Channel(t) => (t.clone(), t.clone()),
            Ts::Bytes => ("Uint8Array".to_owned(), "ArrayBuffer".to_owned()),
            Ts::Void => ("void".to_owned(), "void".to_owned()),
        };
        let mut body = String::new();
        let mut passed = Vec::new();
        for a in &c.args {
            let name = camel(&a.name);
            if let Ts::Channel(t) = &a.ty {
                writeln!(body, "  const {name}Channel = new Channel<{t}>();").unwrap();
                writeln!(body, "  {name}Channel.onmessage = {name};").unwrap();
                passed.push(format!("{name}: {name}Channel"));
            } else {
                passed.push(name);
            }
        }
        let args = if passed.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", passed.join(", "))
        };
        let asynchronous = matches!(c.result, Ts::Bytes);
        writeln!(
            out,
            "export {}function {}({}): Promise<{returned}> {{",
            if asynchronous { "async " } else { "" },
            camel(&c.name),
            params.join(", ")
        )
        .unwrap();
        out.push_str(&body);
        if asynchronous {
            writeln!(
                out,
                "  return new Uint8Array(await invoke<{wire}>('{}'{args}));",
                c.name
            )
            .unwrap();
        } else {
            writeln!(out, "  return invoke<{wire}>('{}'{args});", c.name).unwrap();
        }
        out.push_str("}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails when the committed client differs from the shell's commands; with
    /// `UPDATE_BINDINGS=1` it rewrites it instead (what `cargo xtask gen-types` does).
    #[test]
    fn generated_client_is_up_to_date() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let expected = generate(&root).expect("generate the client");
        let path = root.join(CLIENT_PATH);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &expected).expect("write the client");
            return;
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{} is out of date with src-tauri's commands: run `cargo xtask gen-types`",
            path.display()
        );
    }

    #[test]
    fn an_unregistered_or_unknown_command_is_refused() {
        let dir = std::env::temp_dir().join(format!("ipc-client-{}", std::process::id()));
        let src = dir.join(SHELL_SRC);
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(
            src.join("quota.rs"),
            "#[tauri::command]\npub async fn quota_status(state: State<'_, AppState>, period: u16) -> Result<QuotaStatus, CommandError> { todo!() }\n",
        )
        .unwrap();
        std::fs::write(
            src.join("main.rs"),
            "fn main() { generate_handler![quota::quota_status, quota::gone] }",
        )
        .unwrap();
        let error = generate(&dir).unwrap_err().to_string();
        assert!(error.contains("quota::gone"), "{error}");

        std::fs::write(src.join("main.rs"), "fn main() { generate_handler![] }").unwrap();
        let error = generate(&dir).unwrap_err().to_string();
        assert!(error.contains("quota::quota_status"), "{error}");

        std::fs::write(
            src.join("main.rs"),
            "fn main() { generate_handler![quota::quota_status] }",
        )
        .unwrap();
        let client = generate(&dir).unwrap();
        assert!(
            client.contains("export function quotaStatus(period: number): Promise<QuotaStatus> {\n  return invoke<QuotaStatus>('quota_status', { period });\n}"),
            "{client}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
