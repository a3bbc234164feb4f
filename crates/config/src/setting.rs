//! The `section!` macro: declares a config section once, giving it serde defaults and docs.

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
        format!("{self:?}")
    }
}
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
