//! The interface in more than one language: message catalogues (Project Fluent, one folder
//! of `.ftl` files per language under the theme's `i18n/`) and the language of the request
//! being answered.
//!
//! The language is a task-local set once per request (from the `/en/` prefix) rather than a
//! parameter threaded through every view: dates, numbers, template text and the page cache's
//! live numbers all read it, and a page can never mix two languages.

use cong_domain::navigation::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::future::Future;
use std::path::PathBuf;

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the page being answered; Vietnamese outside any request (mail, tasks).
pub fn current() -> Lang {
    LANG.try_with(|l| *l).unwrap_or(Lang::Vi)
}

/// Runs `f` (a request's handling) in `lang`.
pub async fn scope<F: Future>(lang: Lang, f: F) -> F::Output {
    LANG.scope(lang, f).await
}

/// Runs `f` in `lang`, synchronously (tests, and rendering outside a request).
pub fn sync_scope<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    LANG.sync_scope(lang, f)
}

/// A catalogue that does not load: a file that is not Fluent, or a message defined twice.
#[derive(Debug, thiserror::Error)]
#[error("message catalogue {file}: {problem}")]
pub struct CatalogueError {
    pub file: String,
    pub problem: String,
}

/// Every language's messages.
pub struct Catalogue {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
    /// The message ids of each language, in file order (for the catalogue test and tools).
    keys: Vec<(Lang, Vec<String>)>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue").finish_non_exhaustive()
    }
}

/// The `.ftl` files of a language: the embedded ones, each replaced by the theme folder's
/// copy of the same name, plus any the folder adds.
fn files(theme_dir: Option<&PathBuf>, lang: Lang) -> Vec<String> {
    let prefix = format!("i18n/{}/", lang.code());
    let mut names: Vec<String> = super::Theme::iter()
        .filter(|p| p.starts_with(&prefix) && p.ends_with(".ftl"))
        .map(|p| p.into_owned())
        .collect();
    if let Some(dir) = theme_dir
        && let Ok(entries) = std::fs::read_dir(dir.join(&prefix))
    {
        for e in entries.flatten() {
            let name = format!("{prefix}{}", e.file_name().to_string_lossy());
            if name.ends_with(".ftl") && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names.sort();
    names
}

impl Catalogue {
    pub fn load(theme_dir: Option<&PathBuf>) -> Result<Catalogue, CatalogueError> {
        let mut bundles = Vec::new();
        let mut keys = Vec::new();
        for lang in Lang::ALL {
            let id: unic_langid::LanguageIdentifier =
                lang.code().parse().map_err(|_| CatalogueError {
                    file: lang.code().to_owned(),
                    problem: "not a language tag".to_owned(),
                })?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Messages go into HTML through the templates' escaping; Unicode isolation marks
            // around arguments would show up in titles and attributes.
            bundle.set_use_isolating(false);
            let mut ids = Vec::new();
            for file in files(theme_dir, lang) {
                let bytes = super::theme_file(theme_dir, &file).unwrap_or_default();
                let text = String::from_utf8(bytes).map_err(|_| CatalogueError {
                    file: file.clone(),
                    problem: "not UTF-8".to_owned(),
                })?;
                let resource = FluentResource::try_new(text).map_err(|(_, errors)| {
                    CatalogueError {
                        file: file.clone(),
                        problem: format!("{errors:?}"),
                    }
                })?;
                for entry in resource.entries() {
                    if let fluent_bundle::ast::Entry::Message(m) = entry {
                        ids.push(m.id.name.to_owned());
                    }
                }
                bundle
                    .add_resource(resource)
                    .map_err(|errors| CatalogueError {
                        file: file.clone(),
                        problem: format!("{errors:?}"),
                    })?;
            }
            bundles.push((lang, bundle));
            keys.push((lang, ids));
        }
        Ok(Catalogue { bundles, keys })
    }

    fn bundle(&self, lang: Lang) -> Option<&FluentBundle<FluentResource>> {
        self.bundles.iter().find(|(l, _)| *l == lang).map(|(_, b)| b)
    }

    /// The message ids of a language.
    pub fn keys(&self, lang: Lang) -> &[String] {
        self.keys
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, k)| k.as_slice())
            .unwrap_or_default()
    }

    /// A message in `lang`, else in Vietnamese (a theme that has not translated it yet),
    /// else `None`.
    pub fn message(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> Option<String> {
        [lang, Lang::Vi].into_iter().find_map(|l| {
            let bundle = self.bundle(l)?;
            let pattern = bundle.get_message(key)?.value()?;
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors);
            if !errors.is_empty() {
                tracing::warn!(key, lang = l.code(), ?errors, "message formatted with errors");
            }
            Some(text.into_owned())
        })
    }

    /// A message in the current language, for text made in Rust (errors, titles).
    pub fn text(&self, key: &str) -> String {
        self.message(current(), key, None)
            .unwrap_or_else(|| key.to_owned())
    }
}

/// A template value as a Fluent argument: numbers stay numbers (for plural rules).
pub(crate) fn argument(value: &minijinja::Value) -> FluentValue<'static> {
    if let Ok(n) = i64::try_from(value.clone()) {
        return FluentValue::from(n);
    }
    if let Ok(f) = f64::try_from(value.clone()) {
        return FluentValue::from(f);
    }
    FluentValue::from(value.to_string())
}

/// A path on this site in the current language: `/en` before it on English pages. Files,
/// pictures, theme files and the back office have one address in every language.
pub fn localize(url: &str) -> String {
    localize_in(current(), url)
}

pub fn localize_in(lang: Lang, url: &str) -> String {
    if lang == Lang::Vi || !url.starts_with('/') || url.starts_with("//") {
        return url.to_owned();
    }
    let shared = ["/media/", "/static/", "/tep/", "/quan-tri", "/dang-nhap", "/en/"];
    if shared.iter().any(|p| url.starts_with(p)) || url == "/en" {
        return url.to_owned();
    }
    format!("/{}{url}", lang.code())
}

/// The language of a request path, and the path without its language prefix.
pub fn split_path(path: &str) -> (Lang, &str) {
    match path.strip_prefix("/en") {
        Some("") => (Lang::En, "/"),
        Some(rest) if rest.starts_with('/') => (Lang::En, rest),
        _ => (Lang::Vi, path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_carry_their_language() {
        assert_eq!(split_path("/en/"), (Lang::En, "/"));
        assert_eq!(split_path("/en"), (Lang::En, "/"));
        assert_eq!(split_path("/en/danh-ba"), (Lang::En, "/danh-ba"));
        assert_eq!(split_path("/english"), (Lang::Vi, "/english"));
        assert_eq!(split_path("/danh-ba"), (Lang::Vi, "/danh-ba"));
        assert_eq!(localize_in(Lang::En, "/"), "/en/");
        assert_eq!(localize_in(Lang::En, "/danh-ba?q=a"), "/en/danh-ba?q=a");
        assert_eq!(localize_in(Lang::En, "/media/a.jpg"), "/media/a.jpg");
        assert_eq!(localize_in(Lang::En, "/en/danh-ba"), "/en/danh-ba");
        assert_eq!(localize_in(Lang::En, "https://x.vn/"), "https://x.vn/");
        assert_eq!(localize_in(Lang::En, "#noi-dung"), "#noi-dung");
        assert_eq!(localize_in(Lang::Vi, "/danh-ba"), "/danh-ba");
    }
}
