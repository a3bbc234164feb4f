//! cong's rendering: the theme's templates, its static files, and the view structs that
//! templates receive.
//!
//! The default theme is embedded in the binary; `site.theme_dir` overrides any template
//! (`templates/…`) or static file (`static/…`) file by file. Templates auto-escape; the only
//! HTML they print unescaped is article and page bodies, which were sanitized on save.

mod assets;
pub mod chart;
pub mod feeds;
mod format;
pub mod i18n;
pub mod ical;
pub mod live;
pub mod mail;
pub mod urls;
pub mod views;

pub use assets::{Asset, Assets};
pub use format::{date, date_time, iso, number};

use minijinja::Environment;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(rust_embed::Embed)]
#[folder = "theme/"]
pub(crate) struct Theme;

/// A rendering failure: a template that does not parse or refers to something missing.
#[derive(Debug, thiserror::Error)]
#[error("template {template}: {source}")]
pub struct Error {
    pub template: String,
    #[source]
    pub source: minijinja::Error,
}

/// The template environment and the static files of the active theme.
pub struct Renderer {
    env: Environment<'static>,
    assets: Arc<Assets>,
    catalogue: Arc<i18n::Catalogue>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer").finish_non_exhaustive()
    }
}

/// Reads a theme file: from the override folder if it has it, else the embedded default.
pub(crate) fn theme_file(theme_dir: Option<&PathBuf>, path: &str) -> Option<Vec<u8>> {
    if let Some(dir) = theme_dir {
        // Names come from templates and the asset list, never from a request.
        if let Ok(bytes) = std::fs::read(dir.join(path)) {
            return Some(bytes);
        }
    }
    Theme::get(path).map(|f| f.data.into_owned())
}

/// minijinja's HTML escaping also turns `/` into `&#x2f;`, which no browser needs and
/// which bloats every URL and date ("17&#x2f;05&#x2f;2023"); this escapes the five
/// characters that matter and leaves the rest to the default formatter.
pub(crate) fn escape_html(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    match value.as_str() {
        Some(s) if *state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() => {
            let mut last = 0;
            for (i, b) in s.bytes().enumerate() {
                let rep = match b {
                    b'&' => "&amp;",
                    b'<' => "&lt;",
                    b'>' => "&gt;",
                    b'"' => "&quot;",
                    b'\'' => "&#39;",
                    _ => continue,
                };
                out.write_str(&s[last..i]).map_err(minijinja::Error::from)?;
                out.write_str(rep).map_err(minijinja::Error::from)?;
                last = i + 1;
            }
            out.write_str(&s[last..]).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

impl Renderer {
    /// Loads the theme: the embedded default, overridden file by file from `theme_dir`.
    pub fn new(theme_dir: Option<PathBuf>) -> Result<Renderer, Error> {
        let assets = Arc::new(Assets::load(theme_dir.as_ref()));
        assets.pack();
        let mut env = Environment::new();
        let dir = theme_dir.clone();
        env.set_loader(move |name| {
            Ok(theme_file(dir.as_ref(), &format!("templates/{name}"))
                .map(|b| String::from_utf8_lossy(&b).into_owned()))
        });
        env.set_formatter(escape_html);
        let for_templates = Arc::clone(&assets);
        env.add_function(
            "asset",
            move |name: &str| -> Result<String, minijinja::Error> {
                for_templates.url(name).ok_or_else(|| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("no static file {name:?} in the theme"),
                    )
                })
            },
        );
        let catalogue = Arc::new(
            i18n::Catalogue::load(theme_dir.as_ref()).map_err(|e| Error {
                template: e.file.clone(),
                source: minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.problem),
            })?,
        );
        add_language(&mut env, Arc::clone(&catalogue));
        let renderer = Renderer {
            env,
            assets,
            catalogue,
        };
        // Parse every page template now, so a broken theme stops the start, not a reader.
        for name in views::TEMPLATES {
            renderer.env.get_template(name).map_err(|source| Error {
                template: name.to_owned(),
                source,
            })?;
        }
        Ok(renderer)
    }

    /// Renders a page template with its view.
    pub fn render<V: Serialize>(&self, template: &str, view: &V) -> Result<String, Error> {
        let err = |source| Error {
            template: template.to_owned(),
            source,
        };
        self.env
            .get_template(template)
            .map_err(err)?
            .render(minijinja::value::Serde(view))
            .map_err(err)
    }

    pub fn assets(&self) -> &Assets {
        &self.assets
    }

    /// The interface's messages, for text made outside templates.
    pub fn catalogue(&self) -> &i18n::Catalogue {
        &self.catalogue
    }
}

/// What templates have for language: `t("key", name=value…)` (a catalogue message in the
/// page's language), `lang()` (its code) and `|l` (a path of this site in that language).
fn add_language(env: &mut Environment<'static>, catalogue: Arc<i18n::Catalogue>) {
    env.add_function(
        "t",
        move |key: &str, kwargs: minijinja::value::Kwargs| -> Result<String, minijinja::Error> {
            let mut args = fluent_bundle::FluentArgs::new();
            for name in kwargs.args() {
                let value: minijinja::Value = kwargs.get(name)?;
                args.set(name.to_owned(), i18n::argument(&value));
            }
            let args = kwargs.args().next().is_some().then_some(&args);
            catalogue
                .message(i18n::current(), key, args)
                .ok_or_else(|| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("no message {key:?} in the catalogue"),
                    )
                })
        },
    );
    env.add_function("lang", || i18n::current().code());
    env.add_filter("l", |url: &str| i18n::localize(url));
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_english;
