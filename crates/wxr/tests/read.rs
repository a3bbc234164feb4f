//! A small export written for this test (the shapes WordPress 6 writes: CDATA bodies, an
//! entity in a title, categories twice, post meta, a comment) read into values.

use cong_wxr::{PostType, Status, WxrError, parse};

const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Sở KH&amp;CN</title>
  <link>http://old.example.vn</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>http://old.example.vn/</wp:base_site_url>
  <wp:base_blog_url>http://old.example.vn</wp:base_blog_url>
  <wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[hoa]]></wp:author_login><wp:author_email><![CDATA[h@example.vn]]></wp:author_email><wp:author_display_name><![CDATA[Nguyễn Thị Hoa]]></wp:author_display_name><wp:author_first_name><![CDATA[]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>
  <wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[hoat-dong]]></wp:category_nicename><wp:category_parent><![CDATA[tin-tuc]]></wp:category_parent><wp:cat_name><![CDATA[Hoạt động &amp; sự kiện]]></wp:cat_name></wp:category>
  <wp:tag><wp:term_id>5</wp:term_id><wp:tag_slug><![CDATA[hoi-nghi]]></wp:tag_slug><wp:tag_name><![CDATA[Hội nghị]]></wp:tag_name></wp:tag>
  <wp:term><wp:term_id>3</wp:term_id><wp:term_taxonomy><![CDATA[category]]></wp:term_taxonomy><wp:term_slug><![CDATA[hoat-dong]]></wp:term_slug><wp:term_parent><![CDATA[tin-tuc]]></wp:term_parent><wp:term_name><![CDATA[Hoạt động &amp; sự kiện]]></wp:term_name></wp:term>
  <wp:term><wp:term_id>9</wp:term_id><wp:term_taxonomy><![CDATA[nav_menu]]></wp:term_taxonomy><wp:term_slug><![CDATA[menu-chinh]]></wp:term_slug><wp:term_parent><![CDATA[]]></wp:term_parent><wp:term_name><![CDATA[Menu chính]]></wp:term_name></wp:term>
  <item>
    <title>Hội nghị KH&amp;CN &#8211; 2023</title>
    <link>http://old.example.vn/2023/05/17/hoi-nghi/</link>
    <guid isPermaLink="false">http://old.example.vn/?p=12</guid>
    <dc:creator><![CDATA[hoa]]></dc:creator>
    <content:encoded><![CDATA[<p>Nội dung <b>đậm</b> & [gallery ids="4,5"]</p>]]></content:encoded>
    <excerpt:encoded><![CDATA[Tóm tắt]]></excerpt:encoded>
    <wp:post_id>12</wp:post_id>
    <wp:post_date><![CDATA[2023-05-17 08:30:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[2023-05-17 01:30:00]]></wp:post_date_gmt>
    <wp:post_modified_gmt><![CDATA[2023-05-18 02:00:00]]></wp:post_modified_gmt>
    <wp:post_name><![CDATA[hoi-nghi]]></wp:post_name>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_parent>0</wp:post_parent>
    <wp:menu_order>0</wp:menu_order>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <wp:is_sticky>1</wp:is_sticky>
    <category domain="category" nicename="hoat-dong"><![CDATA[Hoạt động &amp; sự kiện]]></category>
    <category domain="post_tag" nicename="hoi-nghi"><![CDATA[Hội nghị]]></category>
    <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[4]]></wp:meta_value></wp:postmeta>
    <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author><![CDATA[Bạn đọc]]></wp:comment_author><wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_content><![CDATA[Hay.]]></wp:comment_content></wp:comment>
  </item>
  <item>
    <title>Bản nháp</title>
    <wp:post_id>13</wp:post_id>
    <wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>
    <wp:status><![CDATA[draft]]></wp:status>
    <wp:post_type><![CDATA[wp_block]]></wp:post_type>
  </item>
</channel>
</rss>"#;

#[test]
fn an_export_reads_into_its_site_authors_terms_and_items() {
    let e = parse(SAMPLE.as_bytes()).expect("parsed");
    assert_eq!(e.title, "Sở KH&CN", "an entity outside CDATA is kept");
    assert_eq!(e.wxr_version, "1.2");
    assert_eq!(
        e.base_site_url, "http://old.example.vn",
        "no trailing slash"
    );
    assert_eq!(e.authors.len(), 1);
    assert_eq!(e.author("hoa").expect("author").byline(), "Nguyễn Thị Hoa");
    let categories: Vec<_> = e.taxonomy("category").collect();
    assert_eq!(categories.len(), 1, "a category written twice is one");
    assert_eq!(
        categories[0].name, "Hoạt động &amp; sự kiện",
        "as written: WordPress keeps names HTML-escaped"
    );
    assert_eq!(categories[0].parent, "tin-tuc");
    assert_eq!(e.taxonomy("post_tag").count(), 1);
    assert_eq!(e.taxonomy("nav_menu").count(), 1);

    let post = e.item(12).expect("post");
    assert_eq!(
        post.title, "Hội nghị KH&CN \u{2013} 2023",
        "character references"
    );
    assert_eq!(post.post_type, PostType::Post);
    assert_eq!(post.status, Status::Publish);
    assert!(post.sticky);
    assert_eq!(
        post.content,
        r#"<p>Nội dung <b>đậm</b> & [gallery ids="4,5"]</p>"#
    );
    assert_eq!(post.excerpt, "Tóm tắt");
    assert_eq!(post.thumbnail(), Some(4));
    assert_eq!(post.terms("post_tag").next().expect("tag").slug, "hoi-nghi");
    assert_eq!(post.comments.len(), 1);
    assert_eq!(
        post.published().expect("date").to_string(),
        "2023-05-17T01:30:00Z"
    );
    let block = e.item(13).expect("block");
    assert_eq!(block.post_type, PostType::Other("wp_block".to_owned()));
    assert_eq!(block.published(), None, "zeros are never");
}

#[test]
fn what_is_not_an_export_says_so() {
    assert!(matches!(
        parse("<rss><channel><title>x</title></channel></rss>".as_bytes()),
        Err(WxrError::NotWxr)
    ));
    let broken =
        parse("<rss><channel><wp:wxr_version>1.2</wp:wxr_version></item></rss>".as_bytes());
    assert!(matches!(broken, Err(WxrError::Xml { .. })), "{broken:?}");
}
