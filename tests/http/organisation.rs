//! Cơ cấu tổ chức and Danh bạ over HTTP on the demo: the four public pages and their JSON-LD,
//! the directory's folded search, the back office (refused to authors, bad input kept in
//! the form, a unit with people kept), and a kept structure page going stale on a change.

use crate::support::*;

const PASSWORD: &str = "Sơ đồ tổ chức 2026!";

/// The page's JSON-LD, parsed (and checked to hold no raw `</`).
fn json_ld(html: &str) -> serde_json::Value {
    let re = regex::Regex::new(r#"(?s)<script type="application/ld\+json">(.*?)</script>"#)
        .expect("regex");
    let raw = re.captures(html).expect("a JSON-LD block")[1].to_owned();
    assert!(!raw.contains("</"), "{raw}");
    serde_json::from_str(&raw).unwrap_or_else(|e| panic!("JSON-LD: {e}\n{raw}"))
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

/// The names of the directory table's rows.
fn rows(html: &str) -> Vec<String> {
    regex::Regex::new(r#"<th scope="row">([^<]+)</th>"#)
        .expect("regex")
        .captures_iter(html)
        .map(|c| c[1].to_owned())
        .collect()
}

#[tokio::test]
async fn the_public_pages_show_the_structure_people_and_contacts() {
    let app = TestApp::start().await;

    let (status, html) = page(&app, "/co-cau-to-chuc").await;
    assert_eq!(status, 200);
    // Nested lists, the leadership and its people first.
    let chart = &html[html.find(r#"<ul class="org-chart""#).expect("chart")..];
    let board = chart.find("Ban Giám đốc").expect("board");
    assert!(board < chart.find("Văn phòng Sở").expect("office"));
    assert!(
        chart
            .find("Giám đốc Sở</span>: Nguyễn Minh Khoa")
            .expect("director")
            < chart.find("Văn phòng Sở").expect("office")
    );
    assert!(
        chart.find("Văn phòng Sở").expect("office")
            < chart
                .find("Chi cục Tiêu chuẩn Đo lường Chất lượng")
                .expect("affiliate")
    );
    assert!(
        regex::Regex::new(r#"<link rel="canonical" href="http://[^"]+/co-cau-to-chuc">"#)
            .expect("regex")
            .is_match(&html),
        "a canonical address"
    );
    // Past directors are not in today's structure.
    assert!(!html.contains("Hoàng Văn Bình"));
    let ld = json_ld(&html);
    assert_eq!(ld["@type"], "GovernmentOrganization");
    let subs = ld["subOrganization"].as_array().expect("units");
    assert_eq!(subs.len(), 8, "{ld}");
    assert_eq!(subs[0]["name"], "Ban Giám đốc");
    assert_eq!(subs[0]["employee"][0]["@type"], "Person");
    assert_eq!(subs[0]["employee"][0]["jobTitle"], "Giám đốc Sở");
    assert_eq!(subs[0]["employee"][0]["worksFor"]["name"], "Ban Giám đốc");
    assert!(subs[1]["telephone"].is_string() && subs[1]["email"].is_string());

    let (status, html) = page(&app, "/co-cau-to-chuc/phong-ke-hoach-tai-chinh").await;
    assert_eq!(status, 200);
    assert!(html.contains("Chức năng, nhiệm vụ"), "{html}");
    assert!(html.contains("Huỳnh Ngọc Ánh"));
    assert!(html.contains(r#"href="tel:02523822131""#), "{html}");
    assert!(html.contains(r#"href="mailto:hnanh@skhcn.example.vn""#));
    let ld = json_ld(&html);
    assert_eq!(ld["@type"], "GovernmentOrganization");
    assert_eq!(ld["name"], "Phòng Kế hoạch – Tài chính");
    assert!(
        ld["address"]
            .as_str()
            .is_some_and(|a| a.contains("Bình Thuận"))
    );
    let people = ld["employee"].as_array().expect("people");
    assert_eq!(people[0]["name"], "Huỳnh Ngọc Ánh");
    assert_eq!(people[1]["name"], "Phan Văn Lộc", "precedence order");
    // The board's director has a photo from the library, in WebP too.
    let (_, html) = page(&app, "/co-cau-to-chuc/ban-giam-doc").await;
    assert!(html.contains(r#"<source type="image/webp""#), "{html}");
    assert!(
        json_ld(&html)["employee"][0]["image"]
            .as_str()
            .is_some_and(|i| i.contains("/media/"))
    );

    let (status, _) = page(&app, "/co-cau-to-chuc/khong-co-don-vi-nay").await;
    assert_eq!(status, 404);

    let (status, html) = page(&app, "/danh-ba").await;
    assert_eq!(status, 200);
    assert!(html.contains("<caption"), "{html}");
    assert!(html.contains(r#"<th scope="col">Điện thoại</th>"#));
    assert_eq!(
        rows(&html).len(),
        15,
        "every current person: {:?}",
        rows(&html)
    );
    assert_eq!(rows(&html)[0], "Nguyễn Minh Khoa");
    // Folded: "tram" finds "Trâm"; by unit name; and filtered by unit.
    let (_, html) = page(&app, "/danh-ba?q=ngoc+tram").await;
    assert_eq!(rows(&html), ["Đỗ Thị Ngọc Trâm"]);
    let (_, html) = page(&app, "/danh-ba?q=THANH%20TRA").await;
    assert_eq!(rows(&html), ["Bùi Văn Hải", "Ngô Thị Lan"]);
    let (_, html) = page(&app, "/danh-ba?don-vi=van-phong-so").await;
    assert_eq!(rows(&html), ["Đặng Thị Mai", "Võ Thanh Tùng"]);
    let (_, html) = page(&app, "/danh-ba?q=khong+ai+ten+nay").await;
    assert!(rows(&html).is_empty());
    assert!(html.contains("Không tìm thấy ai"));
    let (status, _) = page(&app, "/danh-ba?don-vi=khong-co").await;
    assert_eq!(status, 404);
    // A search is not kept as the plain directory.
    let (_, html) = page(&app, "/danh-ba").await;
    assert_eq!(rows(&html).len(), 15);

    let (status, html) = page(&app, "/lanh-dao-qua-cac-thoi-ky").await;
    assert_eq!(status, 200);
    let bình = html.find("Hoàng Văn Bình").expect("past director");
    assert!(bình < html.find("Phạm Đức Thắng").expect("earlier director"));
    assert!(html.contains("01/01/2015 – 30/09/2020"), "{html}");
    let ld = json_ld(&html);
    assert_eq!(ld["@graph"][0]["@type"], "Person");
    assert_eq!(ld["@graph"][0]["name"], "Hoàng Văn Bình");
}

#[tokio::test]
async fn the_back_office_edits_the_structure_and_the_kept_page_follows() {
    let app = TestApp::start().await;
    app.add_user("bientap", "editor", PASSWORD);
    app.add_user("phongvien", "author", PASSWORD);

    // Authors may not.
    let mut author = app.login("phongvien", PASSWORD).await;
    for path in [
        "/quan-tri/to-chuc",
        "/quan-tri/to-chuc/nguoi",
        "/quan-tri/to-chuc/moi",
    ] {
        let (status, _) = author.get_page(path).await;
        assert_eq!(status, 403, "{path}");
    }
    let res = author
        .post(
            "/quan-tri/to-chuc/moi",
            &[("kind", "department"), ("name", "Phòng X")],
        )
        .await;
    assert_eq!(res.status(), 403);

    // A kept structure page.
    let fetch = |path: &'static str| {
        let url = app.url(path);
        async move {
            let res = client_from(None, GOOGLEBOT)
                .get(&url)
                .send()
                .await
                .expect("get");
            let how = res
                .headers()
                .get("x-cache")
                .map(|v| v.to_str().unwrap_or("").to_owned());
            (how.unwrap_or_default(), res.text().await.expect("body"))
        }
    };
    fetch("/co-cau-to-chuc").await;
    let (how, _) = fetch("/co-cau-to-chuc").await;
    assert_eq!(how, "hit");

    let mut editor = app.login("bientap", PASSWORD).await;
    let (status, list) = editor.get_page("/quan-tri/to-chuc").await;
    assert_eq!(status, 200);
    assert!(list.contains("Phòng Quản lý khoa học"));
    let (_, form) = editor.get_page("/quan-tri/to-chuc/moi").await;
    let office = regex::Regex::new(r#"<option value="(\d+)"[^>]*>Văn phòng Sở</option>"#)
        .expect("regex")
        .captures(&form)
        .expect("the office")[1]
        .to_owned();

    // Bad input: 422, the form again with what was typed and why.
    let res = editor
        .post(
            "/quan-tri/to-chuc/moi",
            &[
                ("kind", "department"),
                ("name", "Tổ Một cửa"),
                ("email", "mot cua@"),
                ("parent", office.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("body");
    assert!(html.contains(r#"value="Tổ Một cửa""#), "{html}");
    assert!(html.contains(r#"aria-invalid="true" aria-describedby="loi-email""#));
    let res = editor
        .post("/quan-tri/to-chuc/moi", &[("kind", "khac"), ("name", "")])
        .await;
    assert_eq!(res.status(), 422);

    let res = editor
        .post(
            "/quan-tri/to-chuc/moi",
            &[
                ("kind", "department"),
                ("name", "Tổ Một cửa"),
                ("email", "motcua@skhcn.example.vn"),
                ("parent", office.as_str()),
                ("duties", "Tiếp nhận hồ sơ.\n\nTrả kết quả."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // The kept page shows it on the next request.
    let (how, html) = fetch("/co-cau-to-chuc").await;
    assert!(how == "miss" || how == "refresh", "{how}");
    assert!(html.contains("Tổ Một cửa"));
    let (status, html) = page(&app, "/co-cau-to-chuc/to-mot-cua").await;
    assert_eq!(status, 200);
    assert!(html.contains("<p>Trả kết quả.</p>"), "{html}");

    // Its unit under itself: refused, the form kept.
    let (_, list) = editor.get_page("/quan-tri/to-chuc").await;
    let id_of = |name: &str| {
        regex::Regex::new(&format!(r#"<a href="/quan-tri/to-chuc/(\d+)">{name}</a>"#))
            .expect("regex")
            .captures(&list)
            .unwrap_or_else(|| panic!("{name} in {list}"))[1]
            .to_owned()
    };
    let (team, office_id) = (id_of("Tổ Một cửa"), id_of("Văn phòng Sở"));
    assert_eq!(office_id, office);
    let res = editor
        .post(
            &format!("/quan-tri/to-chuc/{office}"),
            &[
                ("kind", "department"),
                ("name", "Văn phòng Sở"),
                ("parent", team.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("cấp dưới"));

    // A unit with people stays, and the list says why.
    let res = editor
        .post(&format!("/quan-tri/to-chuc/{office}/xoa"), &[])
        .await;
    assert_eq!(res.status(), 409);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("Không thể xóa “Văn phòng Sở”")
    );

    // A person added to the new unit appears in the directory; a bad date keeps the form.
    let res = editor
        .post(
            "/quan-tri/to-chuc/nguoi/moi",
            &[
                ("unit", team.as_str()),
                ("name", "Lý Thị Xuân"),
                ("title", "Tổ trưởng"),
                ("served_from", "32/13/2025"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains(r#"value="Lý Thị Xuân""#)
    );
    let res = editor
        .post(
            "/quan-tri/to-chuc/nguoi/moi",
            &[
                ("unit", team.as_str()),
                ("name", "Lý Thị Xuân"),
                ("title", "Tổ trưởng"),
                ("phone", "0252 3822 119"),
                ("served_from", "01/12/2025"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, "/danh-ba?q=ly+thi+xuan").await;
    assert_eq!(rows(&html), ["Lý Thị Xuân"]);

    // Lên: the moved unit comes before its neighbour.
    let (_, list) = editor.get_page("/quan-tri/to-chuc").await;
    let science =
        regex::Regex::new(r#"<a href="/quan-tri/to-chuc/(\d+)">Phòng Quản lý khoa học</a>"#)
            .expect("regex")
            .captures(&list)
            .expect("science")[1]
            .to_owned();
    let res = editor
        .post(
            &format!("/quan-tri/to-chuc/{science}/di-chuyen"),
            &[("huong", "len")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, "/co-cau-to-chuc").await;
    assert!(
        html.find("Phòng Quản lý khoa học").expect("science")
            < html.find("Phòng Kế hoạch – Tài chính").expect("plan")
    );
    let res = editor
        .post(
            &format!("/quan-tri/to-chuc/{science}/di-chuyen"),
            &[("huong", "ngang")],
        )
        .await;
    assert_eq!(res.status(), 400);
    let (status, _) = editor.get_page("/quan-tri/to-chuc/999999").await;
    assert_eq!(status, 404);

    // Every write is in the audit log (an administrator reads it).
    let store = app.store().await;
    let (entries, _) = store
        .audit()
        .list(&cong_store::audit::AuditFilter::default(), 50, 0)
        .await
        .expect("audit");
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for want in [
        "organisation.unit.create",
        "organisation.person.create",
        "organisation.unit.move",
    ] {
        assert!(actions.contains(&want), "{want} in {actions:?}");
    }
}

/// A picture that is someone's photo cannot go to the trash (it would vanish from the
/// structure without a word); the library says why.
#[tokio::test]
async fn a_persons_photo_stays_out_of_the_trash() {
    let app = TestApp::start().await;
    app.add_user("bientap", "editor", PASSWORD);
    let mut editor = app.login("bientap", PASSWORD).await;
    editor.get_page("/quan-tri/anh").await;
    let image = editor
        .upload_image("chan-dung.jpg", jpeg(400, 500))
        .await
        .to_string();
    let (_, form) = editor.get_page("/quan-tri/to-chuc/nguoi/moi").await;
    let unit = regex::Regex::new(r#"<select[^>]*name="unit"[^>]*>\s*(?:<option value="">[^<]*</option>\s*)?<option value="(\d+)""#)
        .expect("regex")
        .captures(&form)
        .expect("a unit to choose")[1]
        .to_owned();
    let res = editor
        .post(
            "/quan-tri/to-chuc/nguoi/moi",
            &[
                ("unit", unit.as_str()),
                ("name", "Lê Thị Thu"),
                ("title", "Chuyên viên"),
                ("title_en", ""),
                ("photo", image.as_str()),
                ("phone", ""),
                ("email", ""),
                ("precedence", "9"),
                ("served_from", ""),
                ("served_until", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "the person is added with the photo");
    let res = editor
        .post(&format!("/quan-tri/anh/{image}/xoa"), &[])
        .await;
    assert_eq!(res.status(), 409);
    assert!(
        res.text().await.expect("body").contains("Cơ cấu tổ chức"),
        "the library says where it is used"
    );
}

/// Whether `c` is a letter only Vietnamese writes (a vowel with a tone or a hat, or đ).
fn vietnamese_letter(c: char) -> bool {
    c.to_lowercase()
        .any(|c| "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ".contains(c))
}

/// The page without its JSON-LD (data, which keeps the Vietnamese names beside the English
/// ones) and without the elements marked `lang="vi"`.
fn outside_vietnamese(html: &str) -> String {
    let ld = regex::Regex::new(r#"(?s)<script type="application/ld\+json">.*?</script>"#)
        .expect("regex");
    let mut text = ld.replace_all(html, "").into_owned();
    for tag in [
        "p", "span", "a", "li", "option", "h1", "h2", "h3", "div", "td", "th",
    ] {
        let vi = regex::Regex::new(&format!(r#"(?s)<{tag}\b[^>]*\blang="vi"[^>]*>.*?</{tag}>"#))
            .expect("regex");
        text = vi.replace_all(&text, "").into_owned();
    }
    text
}

#[tokio::test]
async fn the_english_pages_show_the_english_names_positions_and_duties() {
    let app = TestApp::builder().empty().start().await;
    app.add_user("quantri", "admin", PASSWORD);
    let mut admin = app.login("quantri", PASSWORD).await;
    admin.get_page("/quan-tri/cai-dat").await;
    let res = admin
        .post("/quan-tri/cai-dat", &[("site.name", "Demo Portal")])
        .await;
    assert_eq!(res.status(), 303);
    let res = admin
        .post(
            "/quan-tri/to-chuc/moi",
            &[
                ("kind", "leadership"),
                ("name", "Ban Giám đốc"),
                ("name_en", "Board of Directors"),
                ("slug", "ban-giam-doc"),
                ("duties", "Lãnh đạo, điều hành hoạt động của Sở."),
                ("duties_en", "Leads and runs the work of the Department."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = admin
        .post(
            "/quan-tri/to-chuc/moi",
            &[
                ("kind", "department"),
                ("name", "Văn phòng Sở"),
                ("name_en", "Office of the Department"),
                ("slug", "van-phong-so"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, list) = admin.get_page("/quan-tri/to-chuc").await;
    let id_of = |name: &str| {
        regex::Regex::new(&format!(r#"<a href="/quan-tri/to-chuc/(\d+)">{name}</a>"#))
            .expect("regex")
            .captures(&list)
            .unwrap_or_else(|| panic!("{name} in {list}"))[1]
            .to_owned()
    };
    let (board, office) = (id_of("Ban Giám đốc"), id_of("Văn phòng Sở"));
    for (unit, name, title, title_en, from, until) in [
        (
            &board,
            "Nguyen Van An",
            "Giám đốc Sở",
            "Director",
            "01/10/2020",
            "",
        ),
        (
            &office,
            "Tran Thi Binh",
            "Chánh Văn phòng",
            "Chief of Office",
            "01/01/2021",
            "",
        ),
        (
            &board,
            "Le Van Cuong",
            "Giám đốc Sở",
            "Director",
            "01/01/2010",
            "30/09/2020",
        ),
    ] {
        let res = admin
            .post(
                "/quan-tri/to-chuc/nguoi/moi",
                &[
                    ("unit", unit.as_str()),
                    ("name", name),
                    ("title", title),
                    ("title_en", title_en),
                    ("served_from", from),
                    ("served_until", until),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "{name}");
    }

    let english = |html: &str, path: &str| {
        assert!(html.contains(r#"<html lang="en""#), "{path}: {html}");
        let rest = outside_vietnamese(html);
        let bad: String = rest.chars().filter(|c| vietnamese_letter(*c)).collect();
        assert!(
            bad.is_empty(),
            "{path}: Vietnamese letters {bad:?} in {rest}"
        );
    };

    let (status, html) = page(&app, "/en/co-cau-to-chuc").await;
    assert_eq!(status, 200);
    english(&html, "structure");
    assert!(
        html.contains(r#"<h1 class="page-title">Organisation</h1>"#),
        "{html}"
    );
    assert!(html.contains("Board of Directors"));
    assert!(
        html.contains(r#"href="/en/co-cau-to-chuc/ban-giam-doc""#),
        "{html}"
    );
    assert!(html.contains(r#"<span class="org-title">Director</span>: Nguyen Van An"#));
    assert!(html.contains("Past leaders"));
    let ld = json_ld(&html);
    assert_eq!(ld["subOrganization"][0]["name"], "Board of Directors");
    assert_eq!(ld["subOrganization"][0]["alternateName"], "Ban Giám đốc");
    assert_eq!(
        ld["subOrganization"][0]["employee"][0]["jobTitle"],
        "Director"
    );

    let (status, html) = page(&app, "/en/co-cau-to-chuc/ban-giam-doc").await;
    assert_eq!(status, 200);
    english(&html, "unit");
    assert!(
        html.contains(r#"<h1 class="page-title">Board of Directors</h1>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<p class="meta" lang="vi">Ban Giám đốc</p>"#),
        "{html}"
    );
    assert!(html.contains("Functions and duties"));
    assert!(html.contains("<p>Leads and runs the work of the Department.</p>"));

    let (status, html) = page(&app, "/en/danh-ba").await;
    assert_eq!(status, 200);
    english(&html, "directory");
    assert!(
        html.contains(r#"<h1 class="page-title">Contact directory</h1>"#),
        "{html}"
    );
    assert!(html.contains("2 people."), "{html}");
    assert!(html.contains("Office of the Department"));
    // Searched by English position and unit name.
    let (_, html) = page(&app, "/en/danh-ba?q=director").await;
    assert_eq!(rows(&html), ["Nguyen Van An"]);
    let (_, html) = page(&app, "/en/danh-ba?q=office").await;
    assert_eq!(rows(&html), ["Tran Thi Binh"]);
    assert!(html.contains("1 person matches."), "{html}");

    let (status, html) = page(&app, "/en/lanh-dao-qua-cac-thoi-ky").await;
    assert_eq!(status, 200);
    english(&html, "past leaders");
    assert!(
        html.contains(r#"<h1 class="page-title">Past leaders</h1>"#),
        "{html}"
    );
    assert!(html.contains("Le Van Cuong"));
    assert!(html.contains("Director, <a"), "{html}");
    assert!(html.contains("In office: "));

    // The Vietnamese pages keep the Vietnamese names.
    let (_, html) = page(&app, "/co-cau-to-chuc/ban-giam-doc").await;
    assert!(
        html.contains(r#"<h1 class="page-title">Ban Giám đốc</h1>"#),
        "{html}"
    );
    assert!(html.contains(r#"<p class="meta" lang="en">Board of Directors</p>"#));
}
