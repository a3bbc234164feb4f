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

/// The English text on English pages where an editor filled it in, else the Vietnamese.
pub fn either<'a>(vi: &'a str, en: &'a str) -> &'a str {
    if current() == Lang::En && !en.trim().is_empty() {
        en
    } else {
        vi
    }
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
                let resource =
                    FluentResource::try_new(text).map_err(|(_, errors)| CatalogueError {
                        file: file.clone(),
                        problem: format!("{errors:?}"),
                    })?;
                for entry in resource.entries() {
                    if let fluent_syntax::ast::Entry::Message(m) = entry {
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
        self.bundles
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, b)| b)
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
                tracing::warn!(
                    key,
                    lang = l.code(),
                    ?errors,
                    "message formatted with errors"
                );
            }
            Some(text.into_owned())
        })
    }

    /// A message in the current language, for text made in Rust (errors, titles).
    pub fn text(&self, key: &str) -> String {
        self.message(current(), key, None)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` with its arguments (numbers stay numbers, for plural rules), in
    /// the current language; the key itself when no catalogue has it.
    pub fn say(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Number(n) => fluent.set(*name, FluentValue::from(*n)),
                Arg::Text(t) => fluent.set(*name, FluentValue::from(t.clone())),
            }
        }
        self.message(current(), key, Some(&fluent))
            .unwrap_or_else(|| key.to_owned())
    }
}

/// One argument of a message said from Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Number(i64),
    Text(String),
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<String> for Arg {
    fn from(t: String) -> Self {
        Arg::Text(t)
    }
}

impl From<&str> for Arg {
    fn from(t: &str) -> Self {
        Arg::Text(t.to_owned())
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
    let shared = [
        "/media/",
        "/static/",
        "/tep/",
        "/quan-tri",
        "/dang-nhap",
        "/en/",
    ];
    if shared.iter().any(|p| url.starts_with(p)) || url == "/en" {
        return url.to_owned();
    }
    format!("/{}{url}", lang.code())
}

/// The language of a request path, and the path without its language prefix: `/en/…` is
/// English, any other path Vietnamese (each language but Vietnamese has its prefix).
pub fn split_path(path: &str) -> (Lang, &str) {
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::Vi) {
        match path
            .strip_prefix('/')
            .and_then(|p| p.strip_prefix(lang.code()))
        {
            Some("") => return (lang, "/"),
            Some(rest) if rest.starts_with('/') => return (lang, rest),
            _ => {}
        }
    }
    (Lang::Vi, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Letters only Vietnamese writes (with its tone marks); English text has none of them.
    pub(crate) fn vietnamese(text: &str) -> Option<char> {
        const LETTERS: &str = "àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ";
        text.chars()
            .flat_map(char::to_lowercase)
            .find(|c| LETTERS.contains(*c))
    }

    /// The literal text of a template: what is left outside `{{ }}`, `{% %}` and `{# #}`,
    /// plus the string literals inside them.
    fn literal_text(source: &str) -> String {
        let mut out = String::new();
        let mut rest = source;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let after = &rest[i..];
            let close = match after.get(..2) {
                Some("{{") => "}}",
                Some("{%") => "%}",
                Some("{#") => "#}",
                _ => {
                    out.push('{');
                    rest = &after[1..];
                    continue;
                }
            };
            let end = after.find(close).map_or(after.len(), |e| e + 2);
            if close != "#}" {
                // String literals inside an expression are text too ("Xem thêm").
                for (n, part) in after[..end].split(['"', '\'']).enumerate() {
                    if n % 2 == 1 {
                        out.push_str(part);
                        out.push(' ');
                    }
                }
            }
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }

    fn catalogue() -> Catalogue {
        Catalogue::load(None).expect("the default theme's catalogues load")
    }

    #[test]
    fn both_languages_have_every_message_and_english_has_no_vietnamese() {
        let c = catalogue();
        let vi: std::collections::BTreeSet<&String> = c.keys(Lang::Vi).iter().collect();
        let en: std::collections::BTreeSet<&String> = c.keys(Lang::En).iter().collect();
        assert!(
            vi.len() > 30,
            "the catalogue is loaded ({} messages)",
            vi.len()
        );
        let only_vi: Vec<_> = vi.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&vi).collect();
        assert!(
            only_vi.is_empty(),
            "not translated into English: {only_vi:?}"
        );
        assert!(only_en.is_empty(), "English only: {only_en:?}");
        for key in c.keys(Lang::En) {
            let text = c.message(Lang::En, key, None).expect("message");
            assert!(
                vietnamese(&text).is_none(),
                "English message {key} reads Vietnamese: {text:?}"
            );
            assert!(!text.trim().is_empty(), "English message {key} is empty");
        }
    }

    #[test]
    fn every_public_template_takes_its_text_from_the_catalogue() {
        let c = catalogue();
        // A whole message id; one built from parts (`t('weekday-' ~ n)`) is checked by
        // the prefix's own test below.
        let call = regex::Regex::new(r#"\bt\(\s*['"]([a-z0-9-]+)['"]\s*[,)]"#).expect("regex");
        let built = regex::Regex::new(r#"\bt\(\s*['"]([a-z0-9-]+-)['"]\s*~"#).expect("regex");
        let mut missing = Vec::new();
        let mut literal = Vec::new();
        for name in crate::Theme::iter().filter(|n| n.starts_with("templates/")) {
            let source =
                String::from_utf8(crate::theme_file(None, &name).expect("file")).expect("UTF-8");
            for cap in call.captures_iter(&source) {
                if c.message(Lang::En, &cap[1], None).is_none() {
                    missing.push(format!("{name}: {}", &cap[1]));
                }
            }
            for cap in built.captures_iter(&source) {
                if !c.keys(Lang::En).iter().any(|k| k.starts_with(&cap[1])) {
                    missing.push(format!("{name}: {}…", &cap[1]));
                }
            }
            let public =
                !name.starts_with("templates/admin/") && !name.starts_with("templates/mail/");
            if public {
                for (n, line) in literal_text(&source).lines().enumerate() {
                    if let Some(ch) = vietnamese(line) {
                        literal.push(format!(
                            "{name} (text line {}): {ch:?} in {:?}",
                            n + 1,
                            line.trim()
                        ));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "templates ask for messages the catalogue lacks: {missing:#?}"
        );
        assert!(
            literal.is_empty(),
            "Vietnamese text written into public templates instead of the catalogue: {literal:#?}"
        );
    }

    #[test]
    fn literal_text_skips_expressions_but_keeps_their_strings() {
        assert_eq!(
            literal_text("<p>{{ t('a') }} x {# chú thích #}{% if y == \"Xem\" %}</p>"),
            "<p>a  x Xem </p>"
        );
    }

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
