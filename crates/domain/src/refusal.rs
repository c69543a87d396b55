//! What an error a user can meet gives the front ends, declared once per error type.
//!
//! A *refusal* (a rule said no) has a stable code that the window and the CLI translate,
//! its values by name, and the form field it belongs to. A *fault* (the database is down,
//! a stored value cannot be read) has none of them: its text is all there is to say.
//! `refusal_table!` writes `code`, `field`, `params` and the list `CODES` from one row per
//! variant, so none of them can drift from the others or from the enum: a variant left
//! out of the table does not compile, and the list the front end's translations are
//! checked against is the table's own.

/// A code as an error type gives it: a type with faults gives `Option<&str>`, a type of
/// refusals only gives `&str`. Lets a table delegate to either.
pub trait IntoCode {
    fn into_code(self) -> Option<&'static str>;
}

impl IntoCode for &'static str {
    fn into_code(self) -> Option<&'static str> {
        Some(self)
    }
}

impl IntoCode for Option<&'static str> {
    fn into_code(self) -> Option<&'static str> {
        self
    }
}

/// The table of an error type's refusals. Each row is a pattern over the type, its code,
/// `in "field"` when the refusal belongs to a form field, and `[names]` for its values:
/// `name` is the pattern's binding of that name, `name = expr` a value worked out from
/// the bindings (bind the whole error with `e @ Self::...`). For example:
///
/// ```ignore
/// refusal_table! {
///     impl CaseError {
///         Self::NoSuchFlag(flag) => "no_such_flag" in "flag" [flag],
///         Self::DeciderRequired => "decider_required" in "by",
///     }
/// }
/// ```
///
/// A type of refusals only gets `code() -> &'static str`. A type that wraps others or
/// holds faults adds `delegated { Self::Quota(e) => e, ... }` (the wrapped error's code,
/// values and field; `=> e in "path"` names the field instead) and `faults { ... }`, and
/// gets `code() -> Option<&'static str>`, None exactly for the faults.
#[macro_export]
macro_rules! refusal_table {
    (
        impl $ty:ident {
            $( $pat:pat => $code:literal $(in $field:literal)?
                $([ $($param:ident $(= $value:expr)?),* $(,)? ])? ),* $(,)?
        }
    ) => {
        impl $ty {
            /// Every code the type gives, in its table's order.
            pub const CODES: &'static [&'static str] = &[$($code),*];

            /// The refusal's stable name, which the front ends translate with `params`.
            #[allow(unused_variables)]
            pub fn code(&self) -> &'static str {
                match self {
                    $($pat => $code,)*
                }
            }

            /// The form field the refusal belongs to, as the app's forms name them.
            #[allow(unused_variables)]
            pub fn field(&self) -> Option<&'static str> {
                match self {
                    $($pat => $crate::refusal_table!(@field $($field)?),)*
                }
            }

            /// The values the refusal's message names, by name.
            #[allow(unused_variables)]
            pub fn params(&self) -> Vec<(&'static str, String)> {
                match self {
                    $($pat => $crate::refusal_table!(@params $([$($param $(= $value)?),*])?),)*
                }
            }
        }
    };
    (
        impl $ty:ident {
            $( $pat:pat => $code:literal $(in $field:literal)?
                $([ $($param:ident $(= $value:expr)?),* $(,)? ])? ),* $(,)?
        }
        $( delegated { $( $dpat:pat => $inner:ident $(in $dfield:literal)? ),* $(,)? } )?
        $( faults { $( $fpat:pat ),* $(,)? } )?
    ) => {
        impl $ty {
            /// The codes of the type's own refusals (not those of the errors it wraps), in
            /// its table's order.
            pub const CODES: &'static [&'static str] = &[$($code),*];

            /// The refusal's stable name, which the front ends translate with `params`;
            /// None for a fault.
            #[allow(unused_variables)]
            pub fn code(&self) -> Option<&'static str> {
                match self {
                    $($pat => Some($code),)*
                    $($($dpat => $crate::refusal::IntoCode::into_code($inner.code()),)*)?
                    $($($fpat => None,)*)?
                }
            }

            /// The form field the refusal belongs to, as the app's forms name them.
            #[allow(unused_variables)]
            pub fn field(&self) -> Option<&'static str> {
                match self {
                    $($pat => $crate::refusal_table!(@field $($field)?),)*
                    $($($dpat => $crate::refusal_table!(@delegated_field $inner $($dfield)?),)*)?
                    $($($fpat => None,)*)?
                }
            }

            /// The values the refusal's message names, by name; none for a fault.
            #[allow(unused_variables)]
            pub fn params(&self) -> Vec<(&'static str, String)> {
                match self {
                    $($pat => $crate::refusal_table!(@params $([$($param $(= $value)?),*])?),)*
                    $($($dpat => $inner.params(),)*)?
                    $($($fpat => Vec::new(),)*)?
                }
            }
        }
    };
    (@field $field:literal) => { Some($field) };
    (@field) => { None };
    (@delegated_field $inner:ident $field:literal) => { Some($field) };
    (@delegated_field $inner:ident) => { $inner.field() };
    (@params) => { Vec::new() };
    (@params [$($param:ident $(= $value:expr)?),*]) => {
        vec![$((stringify!($param), $crate::refusal_table!(@value $param $(= $value)?))),*]
    };
    (@value $param:ident) => { $param.to_string() };
    (@value $param:ident = $value:expr) => { ($value).to_string() };
}
