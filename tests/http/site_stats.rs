//! Statistics per site over real HTTP: two sites on one node each have their own widget;
//! reading one site's pages (and an article) moves only that site's numbers, and a reader of
//! both sites is one visitor of each.

use crate::support::*;
use std::time::Duration;

const ARTICLE: &str = "/bai-viet/nghiem-thu-nhiem-vu-khoa-hoc-va-cong-nghe-cap-tinh-ve-ung-dung-cong-nghe-cao-trong-nong-nghiep";

/// A client from the source address `ip` with the User-Agent `ua` that reaches the node
/// under `hosts`.
fn reader(app: &TestApp, ip: &str, ua: &str, hosts: &[&str]) -> reqwest::Client {
    let node = std::net::SocketAddr::from(([127, 0, 0, 1], app.port));
    crypto();
    let mut b = reqwest::Client::builder()
        .user_agent(ua)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<std::net::IpAddr>().expect("ip"))
        .timeout(Duration::from_secs(60));
    for h in hosts {
        b = b.resolve(h, node);
    }
    b.build().expect("client")
}

async fn html(client: &reqwest::Client, url: &str) -> String {
    let res = client.get(url).send().await.expect("request");
    assert_eq!(res.status(), 200, "{url}");
    res.text().await.expect("body")
}

#[tokio::test]
async fn each_site_counts_its_own_readers_and_views() {
    let app = TestApp::start().await;
    let hosts = ["skhcn.test", "stp.test"];
    let (a, b) = (app.address("skhcn.test"), app.address("stp.test"));
    app.site_command(&["set", "1", "--address", &a]);
    app.site_command(&["add", "Sở Tư pháp", "--address", &b]);
    let bot = reader(&app, "127.0.0.1", GOOGLEBOT, &hosts);
    // Until the node knows site B (before, site 1 answers on every name).
    let mut known = false;
    for _ in 0..200 {
        if let Ok(res) = bot.get(format!("{b}/")).send().await
            && res.status() == 200
            && res.text().await.is_ok_and(|t| t.contains("Sở Tư pháp"))
        {
            known = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(known, "site B never answered");
    // A bot reads the numbers without counting.
    let peek_a = || async { html(&bot, &format!("{a}/")).await };
    let peek_b = || async { html(&bot, &format!("{b}/")).await };
    assert_eq!(widget(&peek_a().await), [0; 5]);
    assert_eq!(widget(&peek_b().await), [0; 5]);
    let views_before = views(&html(&bot, &format!("{a}{ARTICLE}")).await);

    // Two readers of site A: its home page and an article.
    let one = reader(&app, "127.0.0.21", CHROME, &hosts);
    let two = reader(&app, "127.0.0.22", CHROME, &hosts);
    html(&one, &format!("{a}/")).await;
    let page = html(&one, &format!("{a}{ARTICLE}")).await;
    assert_eq!(views(&page), views_before + 1, "own view at once");
    let page = html(&two, &format!("{a}{ARTICLE}")).await;
    assert_eq!(views(&page), views_before + 2);
    assert_eq!(widget(&page), [2, 2, 2, 2, 2], "site A's widget");
    assert_eq!(widget(&peek_b().await), [0; 5], "site B moved not");
    after_flush().await;
    assert_eq!(widget(&peek_a().await), [2, 2, 2, 2, 2], "stored");
    assert_eq!(widget(&peek_b().await), [0; 5], "stored: site B has none");
    assert_eq!(
        views(&html(&bot, &format!("{a}{ARTICLE}")).await),
        views_before + 2
    );

    // Reader one on site B too: one visitor of each site.
    let page = html(&one, &format!("{b}/")).await;
    assert_eq!(widget(&page), [1, 1, 1, 1, 1], "a first visit of site B");
    after_flush().await;
    assert_eq!(widget(&peek_b().await), [1, 1, 1, 1, 1]);
    assert_eq!(widget(&peek_a().await), [2, 2, 2, 2, 2], "site A unchanged");
    // Site B's article path is not site A's article: no views counted for it there.
    let res = one.get(format!("{b}{ARTICLE}")).send().await.expect("get");
    assert_eq!(res.status(), 404);
    after_flush().await;
    assert_eq!(
        views(&html(&bot, &format!("{a}{ARTICLE}")).await),
        views_before + 2
    );

    // Site B's own starting offset, set in its back office, shows in its total only; a
    // value that is not a number is refused and nothing is saved.
    app.add_user("quantri", "admin", "mat-khau-du-dai-123");
    let mut admin = app.browser_at("stp.test");
    let res = admin.try_login("quantri", "mat-khau-du-dai-123").await;
    assert_eq!(res.status(), 303);
    let res = save_offset(&mut admin, "5.000 lượt").await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("Số lượt cộng thêm phải là một số nguyên không âm")
    );
    let res = save_offset(&mut admin, "5000").await;
    assert_eq!(res.status(), 303);
    let mut total_b = 0;
    for _ in 0..100 {
        total_b = widget(&peek_b().await)[4];
        if total_b == 5001 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(total_b, 5001, "site B: its visit and its offset");
    assert_eq!(widget(&peek_a().await)[4], 2, "site A: no offset");
}

/// Posts site settings form back with `stats.total_offset` set to `offset`.
async fn save_offset(b: &mut Browser, offset: &str) -> reqwest::Response {
    let (status, html) = b.get_page("/quan-tri/cai-dat").await;
    assert_eq!(status, 200);
    let re =
        regex::Regex::new(r#"<input id="set-\d+" name="([^"]+)" value="([^"]*)">"#).expect("re");
    let mut fields: Vec<(String, String)> = re
        .captures_iter(&html)
        .map(|c| (c[1].to_owned(), c[2].replace("&amp;", "&")))
        .collect();
    let field = fields
        .iter_mut()
        .find(|(k, _)| k == "stats.total_offset")
        .expect("the settings form has the starting offset");
    field.1 = offset.to_owned();
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    b.post("/quan-tri/cai-dat", &pairs).await
}
