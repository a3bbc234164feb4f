//! Which User-Agents are bots and crawlers, and so never counted.
//!
//! The list is the npm package isbot's (maintained; pinned in `bots/isbot-patterns.txt`,
//! refreshed by `scripts/update-bot-patterns.sh`), plus cong's additions and the site's own
//! (`stats.extra_bot_patterns`). A request without a User-Agent is never counted either.
//! `cong bots list` prints every pattern, `cong bots check UA` the one that matches.

/// Patterns shipped with cong, each with the file it came from.
const SHIPPED: [(&str, &str); 2] = [
    ("isbot", include_str!("bots/isbot-patterns.txt")),
    ("cong", include_str!("bots/local-patterns.txt")),
];

/// One pattern and where it came from ("isbot", "cong" or "config").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotPattern {
    pub source: &'static str,
    pub pattern: String,
}

/// A compiled bot filter. Patterns the `regex` crate can take go into one alternation (a
/// single pass over the UA); the few with look-around go to `fancy_regex` one by one.
#[derive(Debug)]
pub struct BotFilter {
    patterns: Vec<BotPattern>,
    fast: regex::Regex,
    fast_each: Vec<(usize, regex::Regex)>,
    slow: Vec<(usize, fancy_regex::Regex)>,
}

/// A pattern that does not compile.
#[derive(Debug, thiserror::Error)]
#[error("bot pattern {pattern:?} ({source_name}) does not compile: {reason}")]
pub struct PatternError {
    pub pattern: String,
    pub source_name: &'static str,
    pub reason: String,
}

/// Why a User-Agent is not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotMatch<'a> {
    /// No User-Agent, or only blanks.
    Missing,
    /// Matched this pattern.
    Pattern(&'a BotPattern),
}

impl BotFilter {
    /// The shipped lists plus `extra` (from configuration).
    pub fn new(extra: &[String]) -> Result<BotFilter, PatternError> {
        let mut patterns: Vec<BotPattern> = SHIPPED
            .iter()
            .flat_map(|(source, text)| {
                text.lines()
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(|l| BotPattern {
                        source,
                        pattern: l.to_owned(),
                    })
            })
            .collect();
        patterns.extend(extra.iter().map(|p| BotPattern {
            source: "config",
            pattern: p.clone(),
        }));

        let mut fast_each = Vec::new();
        let mut slow = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let ci = format!("(?i:{})", from_js(&p.pattern));
            match regex::Regex::new(&ci) {
                Ok(re) => fast_each.push((i, re)),
                Err(_) => {
                    let re = fancy_regex::Regex::new(&ci).map_err(|e| PatternError {
                        pattern: p.pattern.clone(),
                        source_name: p.source,
                        reason: e.to_string(),
                    })?;
                    slow.push((i, re));
                }
            }
        }
        let alternation = fast_each
            .iter()
            .map(|(i, _)| format!("(?i:{})", from_js(&patterns[*i].pattern)))
            .collect::<Vec<_>>()
            .join("|");
        let fast = regex::RegexBuilder::new(&alternation)
            .size_limit(64 << 20)
            .build()
            .map_err(|e| PatternError {
                pattern: "(all)".to_owned(),
                source_name: "isbot",
                reason: e.to_string(),
            })?;
        Ok(BotFilter {
            patterns,
            fast,
            fast_each,
            slow,
        })
    }

    /// True when a request with this User-Agent must not be counted.
    pub fn is_bot(&self, user_agent: Option<&str>) -> bool {
        match user_agent.map(str::trim) {
            None | Some("") => true,
            Some(ua) => {
                self.fast.is_match(ua)
                    || self
                        .slow
                        .iter()
                        .any(|(_, re)| re.is_match(ua).unwrap_or(true))
            }
        }
    }

    /// Why a User-Agent is not counted, or `None` when it is a reader's.
    pub fn find_match(&self, user_agent: Option<&str>) -> Option<BotMatch<'_>> {
        let ua = match user_agent.map(str::trim) {
            None | Some("") => return Some(BotMatch::Missing),
            Some(ua) => ua,
        };
        let fast = self.fast_each.iter().find(|(_, re)| re.is_match(ua));
        let slow = || {
            self.slow
                .iter()
                .find(|(_, re)| re.is_match(ua).unwrap_or(true))
        };
        fast.map(|(i, _)| *i)
            .or_else(|| slow().map(|(i, _)| *i))
            .map(|i| BotMatch::Pattern(&self.patterns[i]))
    }

    /// Every pattern, in order, with its source.
    pub fn patterns(&self) -> &[BotPattern] {
        &self.patterns
    }
}

/// isbot's patterns are JavaScript regular expressions. The one construct Rust reads
/// differently is a `-` after a class escape inside `[…]` (`[\w\d-.]`), a literal dash in
/// JavaScript and an error in Rust; it is escaped.
fn from_js(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    let mut after_class_escape = false;
    while let Some(c) = chars.next() {
        let mut class_escape = false;
        match c {
            '\\' => {
                out.push(c);
                if let Some(n) = chars.next() {
                    out.push(n);
                    class_escape = in_class && "wdsWDS".contains(n);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '-' if in_class && after_class_escape => out.push_str("\\-"),
            _ => out.push(c),
        }
        after_class_escape = class_escape;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter() -> BotFilter {
        BotFilter::new(&[]).expect("shipped patterns compile")
    }

    #[test]
    fn javascript_class_dashes_are_escaped() {
        assert_eq!(from_js(r"[\w\d-.]+"), r"[\w\d\-.]+");
        assert_eq!(from_js(r"[a-z][\w-]+"), r"[a-z][\w\-]+");
        assert_eq!(from_js(r"a-b\d-"), r"a-b\d-");
    }

    #[test]
    fn crawlers_and_tools_are_bots() {
        let f = filter();
        for ua in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
            "curl/8.5.0",
            "Wget/1.21",
            "python-requests/2.31.0",
            "Go-http-client/1.1",
            "Dart/3.0 (dart:io)",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Chrome-Lighthouse",
        ] {
            assert!(f.is_bot(Some(ua)), "should be a bot: {ua}");
            assert!(
                f.find_match(Some(ua)).is_some(),
                "no pattern named for {ua}"
            );
        }
    }

    #[test]
    fn readers_browsers_are_not_bots() {
        let f = filter();
        for ua in [
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/133.0.0 Chrome/127.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 12; SM-A515F) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 Zalo android/12100260 ZaloTheme/light ZaloLanguage/vn",
        ] {
            assert!(!f.is_bot(Some(ua)), "should be a reader: {ua}");
            assert_eq!(f.find_match(Some(ua)), None);
        }
    }

    #[test]
    fn look_around_patterns_work() {
        let f = filter();
        // `(?<! cu)bots?` must not match "cubot" phones, `(?<!cam)scan` not "camscanner".
        assert!(!f.is_bot(Some(
            "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"
        )));
        assert!(f.is_bot(Some("Mozilla/5.0 (compatible; SiteScanner/1.0)")));
        assert!(f.slow.len() >= 3, "look-around patterns go to fancy_regex");
    }

    #[test]
    fn missing_ua_and_configured_patterns() {
        let f = BotFilter::new(&["portalmonitorxyz".to_owned()]).expect("compiles");
        assert!(f.is_bot(None));
        assert!(f.is_bot(Some("  ")));
        assert_eq!(f.find_match(None), Some(BotMatch::Missing));
        let ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 PortalMonitorXYZ";
        assert!(f.is_bot(Some(ua)));
        match f.find_match(Some(ua)) {
            Some(BotMatch::Pattern(p)) => assert_eq!(p.source, "config"),
            other => panic!("unexpected {other:?}"),
        }
        assert!(BotFilter::new(&["(unclosed".to_owned()]).is_err());
    }
}
