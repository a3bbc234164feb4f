//! Mail templates from the theme (`templates/mail/NAME.txt` and `NAME.html`), for the queue.

use crate::{escape_html, theme_file};
use cong_domain::mail::MailTemplates;
use minijinja::Environment;
use std::path::PathBuf;

/// Every mail cong sends; each is parsed at start, so a broken theme stops the start.
pub const MAILS: [&str; 1] = ["password_reset"];

pub struct MailTheme {
    env: Environment<'static>,
}

impl MailTheme {
    /// Loads the mail templates: the embedded theme's, overridden file by file from `theme_dir`.
    pub fn new(theme_dir: Option<PathBuf>) -> Result<MailTheme, crate::Error> {
        let mut env = Environment::new();
        env.set_loader(move |name| {
            Ok(theme_file(theme_dir.as_ref(), &format!("templates/{name}"))
                .map(|b| String::from_utf8_lossy(&b).into_owned()))
        });
        // .html escapes as pages do; .txt is plain text, never escaped.
        env.set_formatter(escape_html);
        let theme = MailTheme { env };
        for name in MAILS {
            for ext in ["txt", "html"] {
                let template = format!("mail/{name}.{ext}");
                theme
                    .env
                    .get_template(&template)
                    .map_err(|source| crate::Error { template, source })?;
            }
        }
        Ok(theme)
    }
}

impl MailTemplates for MailTheme {
    fn render_mail(
        &self,
        name: &str,
        context: &serde_json::Value,
    ) -> Result<(String, String), String> {
        let render = |ext: &str| {
            self.env
                .get_template(&format!("mail/{name}.{ext}"))
                .and_then(|t| t.render(minijinja::value::Serde(context)))
                .map_err(|e| e.to_string())
        };
        Ok((render("txt")?, render("html")?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reset_mail_renders_in_both_forms() {
        let theme = MailTheme::new(None).expect("theme");
        let ctx = serde_json::json!({
            "site_name": "Sở <KH&CN>",
            "display_name": "Nguyễn Văn A",
            "username": "nva",
            "link": "https://example.vn/quan-tri/dat-lai-mat-khau?t=a&b",
            "minutes": 30,
        });
        let (text, html) = theme.render_mail("password_reset", &ctx).expect("render");
        assert!(text.starts_with("Đặt lại mật khẩu"), "{text}");
        assert!(
            text.contains("https://example.vn/quan-tri/dat-lai-mat-khau?t=a&b"),
            "{text}"
        );
        assert!(
            text.contains("Sở <KH&CN>"),
            "plain text is not escaped: {text}"
        );
        assert!(html.contains("?t=a&amp;b"), "{html}");
        assert!(html.contains("Sở &lt;KH&amp;CN&gt;"), "{html}");
    }
}
