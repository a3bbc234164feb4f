//! Rebuild and query timings at portal scale: 100,000 generated Vietnamese articles of about
//! 300 words each, a full rebuild into a temporary directory, then a fixed mix of 200
//! queries (with and without marks, phrases, section and date filters, later pages).
//!
//! `cargo run --release -p cong-search --example bench [-- ARTICLES [DIR [PASSES]]]`
//!
//! With DIR, the index is built there and reused by the next run (for profiling queries);
//! without, it goes to a temporary directory. PASSES repeats the query mix (default 5).
//!
//! `DOCS=n` in the environment adds n legal documents (ids 1 to n, the articles' too), each
//! with about 4 KB of files text, to the rebuild.

use std::time::{Duration, Instant};

use cong_search::{Doc, Index, Kind, Opened, Query};

const SECTIONS: [&str; 12] = [
    "Tin tức - Sự kiện",
    "Xây dựng Đảng",
    "Kinh tế",
    "Giao thông - Xây dựng",
    "Cải cách hành chính",
    "Khoa học - Công nghệ",
    "Văn hóa - Xã hội",
    "Nông nghiệp - Nông thôn",
    "Giáo dục - Đào tạo",
    "Y tế",
    "Tài nguyên - Môi trường",
    "Quốc phòng - An ninh",
];

const EVENTS: [&str; 24] = [
    "Hội nghị tập huấn về",
    "Hội thảo khoa học về",
    "Triển khai kế hoạch",
    "Đẩy mạnh",
    "Sơ kết công tác",
    "Tổng kết chương trình",
    "Phát động phong trào",
    "Kiểm tra tiến độ",
    "Khởi công dự án",
    "Khánh thành công trình",
    "Tăng cường",
    "Nâng cao hiệu quả",
    "Đại hội Đảng bộ về",
    "Đăng ký trực tuyến",
    "Hướng dẫn thủ tục",
    "Giải quyết kiến nghị về",
    "Tuyên truyền",
    "Hỗ trợ người dân về",
    "Ra quân",
    "Công bố quy hoạch",
    "Thí điểm mô hình",
    "Đánh giá kết quả",
    "Lấy ý kiến về",
    "Biểu dương điển hình",
];

const TOPICS: [&str; 40] = [
    "chuyển đổi số",
    "cải cách hành chính",
    "đường giao thông nông thôn",
    "xây dựng nông thôn mới",
    "dịch vụ công trực tuyến",
    "phòng chống thiên tai",
    "an toàn giao thông",
    "bảo vệ môi trường",
    "phát triển kinh tế tập thể",
    "thu hút đầu tư",
    "giảm nghèo bền vững",
    "chăm sóc sức khỏe ban đầu",
    "phòng chống dịch bệnh",
    "đào tạo nghề",
    "khuyến học khuyến tài",
    "trồng rừng phòng hộ",
    "cây dương liễu ven biển",
    "nhà ở xã hội",
    "bảo hiểm y tế",
    "cấp thẻ căn cước",
    "đăng ký kết hôn",
    "sản phẩm OCOP",
    "hợp tác xã kiểu mới",
    "năng lượng tái tạo",
    "kinh tế biển",
    "du lịch cộng đồng",
    "văn hóa các dân tộc",
    "thể dục thể thao",
    "an ninh trật tự",
    "phòng cháy chữa cháy",
    "quản lý đất đai",
    "tài nguyên nước",
    "xuất khẩu nông sản",
    "chương trình mục tiêu quốc gia",
    "công tác cán bộ",
    "kết nạp đảng viên",
    "chính quyền số",
    "trí tuệ nhân tạo",
    "khởi nghiệp sáng tạo",
    "đô thị thông minh",
];

const PLACES: [&str; 20] = [
    "tại xã Tân Lập",
    "ở huyện Đồng Xuân",
    "trên địa bàn tỉnh",
    "tại thành phố",
    "ở các xã miền núi",
    "tại huyện Sơn Hòa",
    "ở thị xã Sông Cầu",
    "tại phường Hòa Bình",
    "ở vùng ven biển",
    "tại khu công nghiệp",
    "ở xã Hòa Thịnh",
    "tại huyện Tây Hòa",
    "ở thôn Phú Lâm",
    "tại xã An Ninh Đông",
    "ở huyện Phú Hòa",
    "tại xã Xuân Lộc",
    "ở phường Xuân Đài",
    "tại huyện Đông Hòa",
    "ở xã Ea Bar",
    "tại thị trấn Củng Sơn",
];

const SUBJECTS: [&str; 16] = [
    "Ủy ban nhân dân tỉnh",
    "Sở Khoa học và Công nghệ",
    "Sở Nông nghiệp và Môi trường",
    "Ban Thường vụ Tỉnh ủy",
    "Hội Nông dân tỉnh",
    "Công an tỉnh",
    "Sở Giáo dục và Đào tạo",
    "Trung tâm Phục vụ hành chính công",
    "Đoàn Thanh niên",
    "Sở Y tế",
    "Ban quản lý dự án",
    "Mặt trận Tổ quốc",
    "Hội Liên hiệp Phụ nữ",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Sở Xây dựng",
    "Liên đoàn Lao động tỉnh",
];

const VERBS: [&str; 16] = [
    "đã tổ chức",
    "vừa triển khai",
    "đang khẩn trương thực hiện",
    "phối hợp tổ chức",
    "chỉ đạo quyết liệt",
    "đề nghị các địa phương đẩy mạnh",
    "đánh giá cao kết quả",
    "yêu cầu rà soát",
    "tiếp tục hướng dẫn",
    "đã hoàn thành",
    "cam kết hỗ trợ",
    "kiến nghị bổ sung",
    "thống nhất chủ trương",
    "đã phê duyệt",
    "vận động nhân dân tham gia",
    "kiểm tra thực tế",
];

const TAILS: [&str; 16] = [
    "với sự tham gia của hơn 300 đại biểu",
    "nhằm nâng cao chất lượng phục vụ người dân và doanh nghiệp",
    "góp phần hoàn thành các chỉ tiêu kinh tế - xã hội năm nay",
    "theo đúng tinh thần nghị quyết của Đảng bộ",
    "bảo đảm công khai, minh bạch và đúng quy định",
    "trong bối cảnh còn nhiều khó khăn, thách thức",
    "để người dân được hưởng lợi trực tiếp",
    "với tổng kinh phí hàng chục tỷ đồng",
    "và được người dân đồng tình hưởng ứng",
    "trước mùa mưa bão",
    "trong giai đoạn 2025 - 2030",
    "đến từng thôn, buôn, khu phố",
    "qua đó rút ra nhiều bài học kinh nghiệm",
    "và sẽ nhân rộng trong thời gian tới",
    "dưới sự chủ trì của lãnh đạo tỉnh",
    "nhân dịp kỷ niệm ngày thành lập",
];

/// A small deterministic generator: the same corpus on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const START: i64 = 1_609_459_200; // 2021-01-01T00:00:00Z
const FIVE_YEARS: i64 = 5 * 365 * 86_400;

fn article(id: i64, rng: &mut Rng) -> Doc {
    let topic = rng.pick(&TOPICS);
    let title = format!("{} {} {}", rng.pick(&EVENTS), topic, rng.pick(&PLACES));
    let sentence = |rng: &mut Rng| {
        format!(
            "{} {} {} {} {}.",
            rng.pick(&SUBJECTS),
            rng.pick(&VERBS),
            rng.pick(&TOPICS),
            rng.pick(&PLACES),
            rng.pick(&TAILS)
        )
    };
    let summary = format!(
        "{} {} {} {}.",
        rng.pick(&SUBJECTS),
        rng.pick(&VERBS),
        topic,
        rng.pick(&TAILS)
    );
    let mut body = String::with_capacity(2_400);
    let mut words = 0;
    while words < 300 {
        body.push_str("<p>");
        for _ in 0..3 {
            let s = sentence(rng);
            words += s.split_whitespace().count();
            body.push_str(&s);
            body.push(' ');
        }
        body.push_str("</p>");
    }
    let section = (rng.next() % SECTIONS.len() as u64) as i64 + 1;
    Doc {
        site_id: 1,
        id,
        slug: format!("bai-viet-{id}"),
        title,
        summary,
        body_html: body,
        section_id: section,
        section_name: SECTIONS[section as usize - 1].to_owned(),
        published_at: START + (rng.next() % FIVE_YEARS as u64) as i64,
        ..Doc::default()
    }
}

const DOC_TYPES: [&str; 4] = ["Quyết định", "Kế hoạch", "Thông báo", "Công văn"];
const DOC_SYMBOLS: [&str; 4] = ["QĐ", "KH", "TB", "CV"];

/// A legal document: abstract as title, number · type · issuer as summary, about 4 KB of
/// attachment text.
fn document(id: i64, rng: &mut Rng) -> Doc {
    let t = (rng.next() % DOC_TYPES.len() as u64) as usize;
    let issuer = rng.pick(&SUBJECTS);
    let mut files = String::with_capacity(4_400);
    while files.len() < 4_000 {
        files.push_str(&format!(
            "{} {} {} {} {}. ",
            rng.pick(&SUBJECTS),
            rng.pick(&VERBS),
            rng.pick(&TOPICS),
            rng.pick(&PLACES),
            rng.pick(&TAILS)
        ));
    }
    Doc {
        kind: Kind::Document,
        id,
        title: format!(
            "Về việc {} {}",
            rng.pick(&EVENTS).to_lowercase(),
            rng.pick(&TOPICS)
        ),
        summary: format!("{id}/{}-UBND · {} · {issuer}", DOC_SYMBOLS[t], DOC_TYPES[t]),
        body_html: String::new(),
        files_text: files,
        section_id: 0,
        site_id: 1,
        section_name: DOC_TYPES[t].to_owned(),
        slug: format!("van-ban-{id}"),
        published_at: START + (rng.next() % FIVE_YEARS as u64) as i64,
    }
}

/// The fixed query mix: each base query plain, and with a filter or a later page.
fn queries() -> Vec<Query> {
    let base = [
        "chuyển đổi số",
        "chuyen doi so",
        "\"hội nghị tập huấn\"",
        "hội nghị tập huấn chuyển đổi số",
        "đường giao thông",
        "duong giao thong nong thon",
        "dương liễu",
        "Đảng bộ",
        "dang bo",
        "đăng ký kết hôn",
        "cai cach hanh chinh",
        "\"cải cách hành chính\" huyện",
        "nông thôn mới",
        "tỉnh",
        "người dân",
        "xã",
        "phòng chống thiên tai trước mùa mưa bão",
        "\"trước mùa mưa bão\"",
        "Sơn Hòa",
        "son hoa",
        "Đồng Xuân",
        "thu hút đầu tư khu công nghiệp",
        "trí tuệ nhân tạo",
        "tri tue nhan tao",
        "OCOP",
        "bảo hiểm y tế",
        "Ủy ban nhân dân tỉnh đã tổ chức",
        "\"Sở Khoa học và Công nghệ\" \"chuyển đổi số\"",
        "khởi nghiệp",
        "không có từ này",
        "hội",
        "đô thị thông minh",
        "an ninh trật tự",
        "kết nạp đảng viên",
        "phòng cháy chữa cháy",
        "năng lượng tái tạo",
        "du lịch cộng đồng",
        "xuất khẩu nông sản",
        "giảm nghèo",
        "cam kết hỗ trợ người dân và doanh nghiệp",
    ];
    let mut out = Vec::new();
    for (i, text) in base.iter().enumerate() {
        for variant in 0..5 {
            let mut q = Query::text(*text);
            match variant {
                1 => q.section_id = Some((i % 12) as i64 + 1),
                2 => {
                    q.from = Some(START + 365 * 86_400);
                    q.until = Some(START + 2 * 365 * 86_400);
                }
                3 => q.page = 3,
                4 => {
                    q.section_id = Some(((i + 5) % 12) as i64 + 1);
                    q.from = Some(START + 3 * 365 * 86_400);
                    q.page = 2;
                }
                _ => {}
            }
            out.push(q);
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// CPU time of the whole process so far (all threads), from /proc/self/stat, in seconds.
fn process_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may contain spaces) start at state.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Wall time of each query of the mix, in mix order, and the matches in all.
fn run_mix(index: &Index, mix: &[Query]) -> (Vec<Duration>, usize) {
    let mut wall = Vec::with_capacity(mix.len());
    let mut hits = 0;
    for q in mix {
        let t = Instant::now();
        let r = index.search(q).expect("search");
        wall.push(t.elapsed());
        hits += r.total;
    }
    (wall, hits)
}

fn summary(times: &[Duration]) -> String {
    let mut sorted = times.to_vec();
    sorted.sort();
    format!(
        "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(&sorted, 0.50)),
        ms(percentile(&sorted, 0.90)),
        ms(percentile(&sorted, 0.99)),
        ms(sorted[sorted.len() - 1]),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: i64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let documents: i64 = std::env::var("DOCS")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    let kept_dir = args.get(2).map(std::path::PathBuf::from);
    let passes: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(5);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = kept_dir.clone().unwrap_or_else(|| tmp.path().to_owned());
    let (index, opened) = Index::open_or_create(&dir).expect("open");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // The index of an earlier run with the same numbers (each run upserts one more article).
    let entries = index.len();
    let expected = (n + documents) as u64;
    if opened == Opened::Existing && (entries == expected || entries == expected + 1) {
        println!("reusing the index in {}", dir.display());
    } else {
        let t = Instant::now();
        let mut docs: Vec<Doc> = (1..=n).map(|id| article(id, &mut rng)).collect();
        let mut doc_rng = Rng(0x2545_F491_4F6C_DD1D);
        docs.extend((1..=documents).map(|id| document(id, &mut doc_rng)));
        let words: usize = docs
            .iter()
            .map(|d| {
                cong_search::html_to_text(&d.body_html)
                    .split_whitespace()
                    .count()
            })
            .sum();
        let bytes: usize = docs
            .iter()
            .map(|d| d.title.len() + d.summary.len() + d.body_html.len() + d.files_text.len())
            .sum();
        println!(
            "generated {n} articles and {documents} documents in {:.1?}: {} body words on average, {:.0} MB of text",
            t.elapsed(),
            words / n as usize,
            bytes as f64 / 1e6
        );
        let cpu_before = process_cpu();
        let t = Instant::now();
        let indexed = index
            .rebuild(docs, |count| {
                if count % 20_000 == 0 {
                    eprintln!("  {count} indexed, {:.1?}", t.elapsed());
                }
            })
            .expect("rebuild");
        let reindex = t.elapsed();
        let reindex_cpu = match (cpu_before, process_cpu()) {
            (Some(a), Some(b)) => format!("{:.1} s", b - a),
            _ => "unknown".to_owned(),
        };
        let size: u64 = std::fs::read_dir(&dir)
            .expect("read_dir")
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum();
        println!(
            "reindex: {indexed} entries in {:.1} s wall ({:.0} entries/s), {reindex_cpu} CPU over all threads, index {:.1} MB on disk",
            reindex.as_secs_f64(),
            indexed as f64 / reindex.as_secs_f64(),
            size as f64 / 1e6
        );
    }

    // THREADS=1: every search on one thread, as when the server is busy with others.
    if let Some(threads) = std::env::var("THREADS").ok().and_then(|t| t.parse().ok()) {
        index.set_search_threads(threads);
        println!("{threads} thread(s) per search");
    }
    let mix = queries();
    // Other engineers build on the same two cores: a single pass measures their load as much
    // as ours. Every pass is printed; each query's best time over the passes estimates an
    // idle machine.
    let mut best = vec![Duration::MAX; mix.len()];
    for pass in 1..=passes {
        let (wall, hits) = run_mix(&index, &mix);
        println!(
            "pass {pass}: {} queries, {} ({hits} matches in all)",
            wall.len(),
            summary(&wall)
        );
        for (b, w) in best.iter_mut().zip(&wall) {
            *b = (*b).min(*w);
        }
    }
    println!("best of {passes} passes per query: {}", summary(&best));
    let mut slowest: Vec<(Duration, &Query)> = best.iter().copied().zip(&mix).collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (d, q) in slowest.iter().take(5) {
        println!(
            "  slowest: {:.2} ms {:?} section={:?} from={:?} page={}",
            ms(*d),
            q.text,
            q.section_id,
            q.from,
            q.page
        );
    }

    // Worst cases the limits allow: 500 characters, and the most distinct words.
    let long: String = TOPICS.join(" ").chars().take(500).collect();
    let many: Vec<String> = (0..cong_search::MAX_QUERY_WORDS)
        .map(|i| format!("{}{i}", ["x", "ab", "đ"][i % 3]))
        .collect();
    let mut distinct: Vec<&str> = TOPICS.iter().flat_map(|t| t.split(' ')).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let real_words = distinct[..cong_search::MAX_QUERY_WORDS.min(distinct.len())].join(" ");
    for (label, text) in [
        ("500 characters of topics", long),
        ("64 made-up words", many.join(" ")),
        ("64 real words", real_words),
    ] {
        let t = Instant::now();
        let r = index.search(&Query::text(text.as_str()));
        println!(
            "  {label}: {:.2} ms ({})",
            ms(t.elapsed()),
            match r {
                Ok(r) => format!("{} matches", r.total),
                Err(e) => e.to_string(),
            }
        );
    }

    let t = Instant::now();
    let mut extra = article(n + 1, &mut rng);
    extra.title = "Bài kiểm tra cập nhật tức thì".to_owned();
    index.upsert(extra).expect("upsert");
    let found = index
        .search(&Query::text("kiểm tra cập nhật tức thì"))
        .expect("search")
        .total;
    println!(
        "upsert + search: {:.1} ms (found: {})",
        t.elapsed().as_secs_f64() * 1e3,
        found > 0
    );
}
