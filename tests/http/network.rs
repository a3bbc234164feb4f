//! IPv4 and IPv6 on one dual-stack port.

use crate::support::*;

#[tokio::test]
async fn one_port_answers_ipv4_and_ipv6_and_counts_both() {
    let app = TestApp::builder().listen("[::]:0").start().await;
    let v4 = client_from(Some("127.0.0.2".parse().expect("ip")), CHROME)
        .get(format!("http://127.0.0.1:{}/", app.port))
        .send()
        .await
        .expect("IPv4 request");
    assert_eq!(v4.status(), 200);
    let v6 = client_from(None, CHROME)
        .get(format!("http://[::1]:{}/", app.port))
        .send()
        .await
        .expect("IPv6 request");
    assert_eq!(v6.status(), 200);
    let html = v6.text().await.expect("body");
    assert_eq!(widget(&html)[1], 2, "an IPv4 and an IPv6 reader");
    // The IPv4 reader again, over the same dual-stack socket: still one visitor.
    client_from(Some("127.0.0.2".parse().expect("ip")), CHROME)
        .get(format!("http://127.0.0.1:{}/", app.port))
        .send()
        .await
        .expect("IPv4 again");
    assert_eq!(widget(&app.peek("/").await)[1], 2);
}
