//! The `section!` macro: declares a config section once, giving it serde defaults and docs.

use std::borrow::Cow;

/// One effective setting, as `cong config check` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// Dotted key, as in the TOML file (`stats.view_dedupe`).
    pub key: String,
    /// The doc line of the field.
    pub doc: &'static str,
    /// The effective value, in TOML syntax.
    pub value: String,
}

/// Renders a value as it would be written in the TOML file.
pub(crate) trait TomlValue {
    fn toml(&self) -> String;
}

impl TomlValue for String {
    fn toml(&self) -> String {
        format!("{:?}", redact_url(self))
    }
}

/// A setting whose value is secret (a token, a password): read like a string, printed as
/// asterisks by `cong config check` and by `Debug`, so neither can leak it.
#[derive(Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(********)")
    }
}

impl TomlValue for Secret {
    fn toml(&self) -> String {
        if self.0.is_empty() {
            "\"\"".to_owned()
        } else {
            "\"********\"".to_owned()
        }
    }
}

/// `s` with the password of a URL in it (`scheme://user:password@host`, or a `password=`
/// parameter) replaced by asterisks; anything else unchanged. Every string setting passes
/// through here on its way to `cong config check`, so no URL setting can print a password.
pub fn redact_url(s: &str) -> Cow<'_, str> {
    let Some(scheme_end) = s.find("://") else {
        return Cow::Borrowed(s);
    };
    let mut out = s.to_owned();
    let host_start = scheme_end + 3;
    let rest = &s[host_start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if let Some(at) = authority.rfind('@')
        && let Some(colon) = authority[..at].find(':')
    {
        out.replace_range(host_start + colon + 1..host_start + at, MASK);
    }
    if let Some(q) = out.find('?') {
        let (head, query) = out.split_at(q + 1);
        let query: Vec<String> = query
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) if k.eq_ignore_ascii_case("password") && !v.is_empty() => {
                    format!("{k}={MASK}")
                }
                _ => kv.to_owned(),
            })
            .collect();
        out = format!("{head}{}", query.join("&"));
    }
    if out == s {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(out)
    }
}

const MASK: &str = "********";
impl TomlValue for bool {
    fn toml(&self) -> String {
        self.to_string()
    }
}
impl TomlValue for u32 {
    fn toml(&self) -> String {
        self.to_string()
    }
}
impl TomlValue for u64 {
    fn toml(&self) -> String {
        self.to_string()
    }
}
impl TomlValue for jiff::SignedDuration {
    fn toml(&self) -> String {
        format!("\"{self:#}\"")
    }
}
impl<T: TomlValue> TomlValue for Vec<T> {
    fn toml(&self) -> String {
        let items: Vec<String> = self.iter().map(TomlValue::toml).collect();
        format!("[{}]", items.join(", "))
    }
}
impl<T: TomlValue> TomlValue for Option<T> {
    fn toml(&self) -> String {
        match self {
            Some(v) => v.toml(),
            None => "# (not set)".to_owned(),
        }
    }
}
impl TomlValue for ipnet::IpNet {
    fn toml(&self) -> String {
        format!("\"{self}\"")
    }
}

/// Declares a config section: the struct with `serde(default)`, its `Default`, and
/// `settings()` listing each field's key, doc and effective value.
macro_rules! section {
    (
        $(#[$meta:meta])*
        pub struct $name:ident ($key:literal) {
            $(
                #[doc = $doc:literal]
                pub $field:ident : $ty:ty = $default:expr,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            $(
                #[doc = $doc]
                pub $field: $ty,
            )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $($field: $default,)* }
            }
        }

        impl $name {
            /// This section's settings with their docs and effective values.
            pub fn settings(&self) -> Vec<$crate::Setting> {
                use $crate::setting::TomlValue as _;
                vec![$(
                    $crate::Setting {
                        key: format!("{}.{}", $key, stringify!($field)),
                        doc: $doc.trim(),
                        value: self.$field.toml(),
                    },
                )*]
            }
        }
    };
}

pub(crate) use section;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_masked() {
        assert_eq!(
            redact_url("postgres://cong:hunter2@db/cong"),
            "postgres://cong:********@db/cong"
        );
        assert_eq!(
            redact_url("postgres://cong:p%40ss@db:5432/cong?sslmode=require"),
            "postgres://cong:********@db:5432/cong?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://db/cong?user=cong&password=hunter2"),
            "postgres://db/cong?user=cong&password=********"
        );
        for clear in [
            "sqlite://data/cong.db",
            "postgres://cong@db/cong",
            "https://sokhcn.example.gov.vn",
            "data/secret.key",
        ] {
            assert!(matches!(redact_url(clear), Cow::Borrowed(_)), "{clear}");
        }
        assert_eq!(
            String::from("postgres://u:pw@h/d").toml(),
            "\"postgres://u:********@h/d\""
        );
    }

    #[test]
    fn secret_settings_never_print() {
        let s = Secret::new("token-123");
        assert_eq!(s.expose(), "token-123");
        assert_eq!(format!("{s:?}"), "Secret(********)");
        assert_eq!(s.toml(), "\"********\"");
        assert_eq!(Secret::default().toml(), "\"\"");
    }
}
