//! Mail templates from the theme (`templates/mail/NAME.txt` and `NAME.html`), for the queue.

use crate::{escape_html, theme_file};
use cong_domain::mail::MailTemplates;
use minijinja::Environment;
use std::path::PathBuf;

/// Every mail cong sends; each is parsed at start, so a broken theme stops the start.
pub const MAILS: [&str; 4] = [
    "password_reset",
    "article_submitted",
    "article_returned",
    "article_published",
];

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

    #[test]
    fn the_workflow_notices_render_and_escape() {
        let theme = MailTheme::new(None).expect("theme");
        let ctx = serde_json::json!({
            "site_name": "Sở KH&CN",
            "display_name": "Nguyễn Văn A",
            "title": "Hội nghị <tổng kết>",
            "section": "Tin tức - Sự kiện",
            "by": "Biên tập <B>",
            "note": "Sửa \"tít\" & ảnh",
            "scheduled": "",
            "edit_link": "https://example.vn/quan-tri/bai-viet/7",
            "public_link": "https://example.vn/bai-viet/hoi-nghi?a=1&b=2",
        });
        for (name, subject) in [
            ("article_submitted", "Bài chờ duyệt: Hội nghị <tổng kết>"),
            ("article_returned", "Bài bị trả lại: Hội nghị <tổng kết>"),
            ("article_published", "Bài đã xuất bản: Hội nghị <tổng kết>"),
        ] {
            let (text, html) = theme.render_mail(name, &ctx).expect("render");
            assert!(text.starts_with(subject), "{text}");
            assert!(text.contains("Biên tập <B>"), "{text}");
            assert!(html.contains("Hội nghị &lt;tổng kết&gt;"), "{html}");
            assert!(html.contains("Biên tập &lt;B&gt;"), "{html}");
            assert!(!html.contains("<tổng kết>"), "{html}");
        }
        let (text, html) = theme.render_mail("article_returned", &ctx).expect("render");
        assert!(text.contains("Sửa \"tít\" & ảnh"), "{text}");
        assert!(html.contains("Sửa &quot;tít&quot; &amp; ảnh"), "{html}");
        let (text, html) = theme
            .render_mail("article_published", &ctx)
            .expect("render");
        assert!(text.contains("https://example.vn/bai-viet/hoi-nghi?a=1&b=2"));
        assert!(html.contains("hoi-nghi?a=1&amp;b=2"), "{html}");
        let later = serde_json::json!({"scheduled": "14:30 08/12/2026", "title": "T"});
        let (text, _) = theme
            .render_mail("article_published", &later)
            .expect("render");
        assert!(
            text.contains("sẽ tự xuất bản lúc 14:30 08/12/2026"),
            "{text}"
        );
    }
}
