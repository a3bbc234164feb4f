//! English pages under `/en/`: the demo's English section, articles and pages, with their
//! own menu and home page, `lang` and `hreflang`, a switch that lands on the translation, no
//! Vietnamese interface text, and kept apart from the Vietnamese pages by the page cache.

use crate::support::{CHROME, TestApp};

async fn page(app: &TestApp, path: &str) -> String {
    let res = app.get_from("127.0.0.1", CHROME, path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.expect("body")
}

/// Where `path` redirects to, with the status.
async fn redirect(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    let to = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (res.status().as_u16(), to)
}

fn html_lang(html: &str) -> &str {
    let start = html.find("<html lang=\"").expect("<html lang>") + 12;
    let end = start + html[start..].find('"').expect("end");
    &html[start..end]
}

/// The language switch's link: (href, hreflang).
fn switch(html: &str) -> (String, String) {
    let start = html
        .find("class=\"lang-switch\"")
        .expect("a language switch");
    let tag = &html[start..start + html[start..].find('>').expect("end of tag")];
    let attr = |name: &str| {
        let s = tag.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        tag[s..s + tag[s..].find('"').expect("quote")].to_owned()
    };
    (attr("href"), attr("hreflang"))
}

/// The `hreflang` alternates of a page, as (language, path after the host).
fn alternates(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in html.split("<link rel=\"alternate\" hreflang=\"").skip(1) {
        let lang = part[..part.find('"').expect("lang")].to_owned();
        let href = part.split("href=\"").nth(1).expect("href");
        let url = &href[..href.find('"').expect("url")];
        let path = url
            .splitn(4, '/')
            .nth(3)
            .map_or("/".to_owned(), |p| format!("/{p}"));
        out.push((lang, path));
    }
    out
}

/// The first link of the page to an article in English.
fn first_english_article(html: &str) -> String {
    let start = html
        .find("href=\"/en/bai-viet/")
        .expect("an English article")
        + 6;
    html[start..start + html[start..].find('"').expect("quote")].to_owned()
}

/// Letters only Vietnamese writes.
fn vietnamese(text: &str) -> Option<char> {
    const LETTERS: &str = "àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ";
    text.chars()
        .flat_map(char::to_lowercase)
        .find(|c| LETTERS.contains(*c))
}

/// The page without its scripts and without what is marked as Vietnamese (`lang="vi"`: the
/// language switch's "Tiếng Việt").
fn english_part(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let script = rest.find("<script");
        let marked = rest.find(" lang=\"vi\"").and_then(|i| rest[..i].rfind('<'));
        let Some(start) = [script, marked].into_iter().flatten().min() else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..start]);
        let name_end = rest[start + 1..]
            .find([' ', '>'])
            .map_or(rest.len(), |e| start + 1 + e);
        let name = &rest[start + 1..name_end];
        let close = format!("</{name}>");
        let end = rest[start..]
            .find(&close)
            .map_or(rest.len(), |e| start + e + close.len());
        rest = &rest[end..];
    }
}

#[tokio::test]
async fn english_pages_have_their_own_menu_home_and_language() {
    let app = TestApp::start().await;
    // The Vietnamese home page, kept; then the English one; then the Vietnamese one again:
    // the cache keeps each language apart.
    page(&app, "/").await;
    let vi = page(&app, "/").await;
    let en = page(&app, "/en/").await;
    let en_again = page(&app, "/en/").await;
    let vi_again = page(&app, "/").await;
    assert_eq!(html_lang(&vi), "vi");
    assert_eq!(html_lang(&en), "en");
    assert_eq!(html_lang(&en_again), "en", "the English page as kept");
    assert_eq!(html_lang(&vi_again), "vi", "the Vietnamese page as kept");

    // Its own names, menu and articles.
    assert!(
        en.contains("Department of Science and Technology"),
        "the site's English name"
    );
    assert!(
        en.contains("href=\"/en/chuyen-muc/news\""),
        "the English section in the menu"
    );
    assert!(
        en.contains("href=\"/en/co-cau-to-chuc\""),
        "the organisation in the English menu"
    );
    assert!(
        en.contains("href=\"/en/danh-ba\""),
        "the directory in the English menu"
    );
    assert!(en.contains("Science and technology conference reviews the year"));
    assert!(
        !vi.contains("Science and technology conference reviews the year"),
        "English articles stay off the Vietnamese home page"
    );
    assert!(
        !en.contains("href=\"/chuyen-muc/"),
        "no Vietnamese section in the English menu"
    );
    assert!(
        en.contains("href=\"/en/trang/introduction\""),
        "the English footer pages"
    );
    assert!(en.contains("Skip to main content"));
    assert!(vi.contains("Chuyển đến nội dung chính"));

    // Both home pages name each other; each switch leads to the other.
    assert_eq!(
        alternates(&en),
        vec![
            ("vi".to_owned(), "/".to_owned()),
            ("en".to_owned(), "/en/".to_owned())
        ]
    );
    assert_eq!(switch(&en), ("/".to_owned(), "vi".to_owned()));
    assert_eq!(switch(&vi), ("/en/".to_owned(), "en".to_owned()));

    // One address for the English home page; the back office and files have no English one.
    assert_eq!(redirect(&app, "/en").await, (301, "/en/".to_owned()));
    assert_eq!(app.get("/en/quan-tri").await.status(), 404);
    assert_eq!(app.get("/en/dang-nhap").await.status(), 404);
    assert_eq!(app.get("/en/bai-viet/khong-co-bai-nay").await.status(), 404);
}

#[tokio::test]
async fn an_article_and_a_page_lead_to_their_translations() {
    let app = TestApp::start().await;
    let home = page(&app, "/en/").await;
    let en_path = first_english_article(&home);
    let en = page(&app, &en_path).await;
    assert_eq!(html_lang(&en), "en");
    // Its Vietnamese original, named as its alternate and by its switch.
    let (vi_path, lang) = switch(&en);
    assert_eq!(lang, "vi");
    assert!(vi_path.starts_with("/bai-viet/"), "{vi_path}");
    assert_eq!(
        alternates(&en),
        vec![
            ("vi".to_owned(), vi_path.clone()),
            ("en".to_owned(), en_path.clone())
        ]
    );
    // Dates the English way.
    let date = regex::Regex::new(
        r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b",
    )
    .expect("regex");
    assert!(date.is_match(&en), "an English date on the article");
    // The original leads back.
    let vi = page(&app, &vi_path).await;
    assert_eq!(html_lang(&vi), "vi");
    assert_eq!(switch(&vi), (en_path.clone(), "en".to_owned()));
    assert_eq!(alternates(&vi), alternates(&en));

    // An article asked for in the other language is at its own address.
    let en_slug = en_path.trim_start_matches("/en");
    assert_eq!(redirect(&app, en_slug).await, (307, en_path.clone()));
    assert_eq!(
        redirect(&app, &format!("/en{vi_path}")).await,
        (307, vi_path.clone())
    );

    // An article without a translation: no alternates, and the switch to the English home.
    let vi_home = page(&app, "/").await;
    let mut untranslated = None;
    for p in vi_home.split("href=\"/bai-viet/").skip(1) {
        let path = format!("/bai-viet/{}", &p[..p.find('"').expect("quote")]);
        let html = page(&app, &path).await;
        if alternates(&html).is_empty() {
            untranslated = Some(html);
            break;
        }
    }
    let other = untranslated.expect("a Vietnamese article without a translation");
    assert_eq!(switch(&other), ("/en/".to_owned(), "en".to_owned()));

    // The introduction in both languages.
    let intro = page(&app, "/en/trang/introduction").await;
    assert_eq!(html_lang(&intro), "en");
    assert_eq!(
        alternates(&intro),
        vec![
            ("vi".to_owned(), "/trang/gioi-thieu".to_owned()),
            ("en".to_owned(), "/en/trang/introduction".to_owned())
        ]
    );
    assert_eq!(
        switch(&page(&app, "/trang/gioi-thieu").await),
        ("/en/trang/introduction".to_owned(), "en".to_owned())
    );
    assert_eq!(
        redirect(&app, "/trang/introduction").await,
        (307, "/en/trang/introduction".to_owned())
    );
    // A section in English lists its English articles on English pages only.
    let news = page(&app, "/en/chuyen-muc/news").await;
    assert!(news.contains(&format!("href=\"{en_path}\"")));
    assert_eq!(
        redirect(&app, "/chuyen-muc/news").await,
        (307, "/en/chuyen-muc/news".to_owned())
    );
}

#[tokio::test]
async fn english_pages_carry_no_vietnamese_interface_text() {
    let app = TestApp::start().await;
    let home = page(&app, "/en/").await;
    let article = first_english_article(&home);
    let mut found = Vec::new();
    for path in [
        "/en/",
        article.as_str(),
        "/en/chuyen-muc/news",
        "/en/trang/introduction",
        "/en/trang/contact",
        "/en/tim-kiem",
        "/en/tim-kiem?q=science",
        "/en/khong-co-trang-nay",
    ] {
        let res = app.get_from("127.0.0.1", CHROME, path).await;
        let html = res.text().await.expect("body");
        assert_eq!(html_lang(&html), "en", "{path}");
        let text = english_part(&html);
        if let Some(c) = vietnamese(&text) {
            let at = text.find(c).unwrap_or(0);
            let from = text[..at]
                .char_indices()
                .rev()
                .nth(60)
                .map_or(0, |(i, _)| i);
            let to = text[at..]
                .char_indices()
                .nth(60)
                .map_or(text.len(), |(i, _)| at + i);
            found.push(format!("{path}: …{}…", &text[from..to]));
        }
    }
    assert!(
        found.is_empty(),
        "Vietnamese on English pages:\n{}",
        found.join("\n")
    );
    // The question form's own words (its topics are the agency's data, in Vietnamese).
    let ask = page(&app, "/en/hoi-dap/gui").await;
    assert!(ask.contains("Ask a question") && ask.contains("Subject of the question"));
    assert!(!ask.contains("Gửi câu hỏi") && !ask.contains("Nội dung câu hỏi"));
    let hoi = page(&app, "/hoi-dap/gui").await;
    assert!(hoi.contains("Gửi câu hỏi") && hoi.contains("Nội dung câu hỏi"));
}
