//! The tracker's rules stepped across their boundaries: visits, dedupe, online, days,
//! sites, and the memory limits under a flood.

use super::*;

const MIN: i64 = 60;

fn rules() -> Rules {
    Rules {
        visit_idle: 30 * MIN,
        online_window: 5 * MIN,
        view_dedupe: 10 * MIN,
    }
}

fn tracker(rules: Rules) -> Tracker {
    Tracker::new(rules, Calendar::named("Asia/Ho_Chi_Minh").expect("zone"))
}

const S: SiteId = SiteId::FIRST;
const A: VisitorId = [1; 16];
const B: VisitorId = [2; 16];
const T0: i64 = 1_780_000_000;

#[test]
fn visit_boundary_is_thirty_idle_minutes() {
    let mut t = tracker(rules());
    assert!(t.record(S, A, T0, None).new_visit);
    assert!(
        !t.record(S, A, T0 + 29 * MIN, None).new_visit,
        "29 min later: same visit"
    );
    // 29:59 after the last view: still the same visit.
    assert!(
        !t.record(S, A, T0 + 29 * MIN + 29 * MIN + 59, None)
            .new_visit
    );
    // Exactly 30 minutes idle: the visit has ended.
    let last = T0 + 29 * MIN + 29 * MIN + 59;
    assert!(t.record(S, A, last + 30 * MIN, None).new_visit);
    let b = t.take_batch();
    assert_eq!(b.visitors[&(S, A)].later_starts, vec![last + 30 * MIN]);
    assert_eq!(b.visits.values().sum::<i64>(), 2);
}

#[test]
fn a_reader_of_two_sites_is_one_visitor_of_each() {
    let mut t = tracker(rules());
    let other = SiteId(2);
    assert!(t.record(S, A, T0, None).new_visit);
    assert!(
        t.record(other, A, T0 + 1, None).new_visit,
        "the first page of another site starts a visit there"
    );
    assert!(!t.record(S, A, T0 + 2, None).new_visit);
    assert!(!t.record(other, A, T0 + 3, None).new_visit);
    t.record(other, B, T0 + 4, None);
    let b = t.take_batch();
    assert_eq!(b.visitors.len(), 3);
    assert_eq!((b.newly_online_on(S), b.newly_online_on(other)), (1, 2));
    let keys = t.calendar.keys(T0);
    assert_eq!(b.visits_in(S, keys), (1, 1, 1, 1));
    assert_eq!(b.visits_in(other, keys), (2, 2, 2, 2));
    assert_eq!(b.visits_in(SiteId(3), keys), (0, 0, 0, 0));
}

#[test]
fn article_views_dedupe_within_the_window() {
    let mut t = tracker(rules());
    assert!(t.record(S, A, T0, Some(7)).view_counted);
    assert!(
        !t.record(S, A, T0 + 9 * MIN, Some(7)).view_counted,
        "repeat within 10 min"
    );
    assert!(
        t.record(S, A, T0 + 10 * MIN, Some(7)).view_counted,
        "10 min after the counted one"
    );
    assert!(
        t.record(S, B, T0, Some(7)).view_counted,
        "another visitor counts"
    );
    assert!(
        t.record(S, A, T0 + MIN, Some(8)).view_counted,
        "another article counts"
    );
    let b = t.take_batch();
    assert_eq!(b.article_views[&7], 3);
    assert_eq!(b.article_views[&8], 1);
    let v = &b.views[&(A, 7)];
    assert_eq!(
        (v.first, v.later_counted, v.last_counted),
        (T0, 1, Some(T0 + 10 * MIN))
    );
}

#[test]
fn dedupe_zero_counts_every_view() {
    let mut t = tracker(Rules {
        view_dedupe: 0,
        ..rules()
    });
    for i in 0..5 {
        assert!(t.record(S, A, T0 + i, Some(7)).view_counted);
    }
    let b = t.take_batch();
    assert_eq!(b.article_views[&7], 5);
    assert_eq!(t.remembered().1, 0, "no dedupe memory is kept");
}

#[test]
fn online_counts_visitors_not_already_online() {
    let mut t = tracker(rules());
    t.record(S, A, T0, None);
    t.record(S, A, T0 + 1, None);
    t.record(S, B, T0 + 2, None);
    assert_eq!(t.take_batch().newly_online_on(S), 2);
    // A again within 5 minutes: was online, so not newly online.
    t.record(S, A, T0 + 4 * MIN, None);
    assert_eq!(t.take_batch().newly_online_on(S), 0);
    // B after 5 minutes: no longer online before this view.
    t.record(S, B, T0 + 2 + 5 * MIN, None);
    assert_eq!(t.take_batch().newly_online_on(S), 1);
}

#[test]
fn remembered_visitors_resume_after_restart() {
    let mut t = tracker(rules());
    t.remember(&[((S, A), T0)], &[(A, 7, T0)]);
    let o = t.record(S, A, T0 + 60, Some(7));
    assert_eq!(o, Outcome::default(), "same visit, deduped view");
    assert_eq!(t.pending().newly_online_on(S), 0);
}

#[test]
fn visits_are_attributed_to_the_local_day_they_start() {
    let mut t = tracker(rules());
    // 23:50 and 00:10 local (+07): 16:50 and 17:10 UTC; one visit, started the first day.
    let before_midnight = "2026-05-17T16:50:00Z"
        .parse::<jiff::Timestamp>()
        .expect("ts")
        .as_second();
    t.record(S, A, before_midnight, None);
    t.record(S, A, before_midnight + 20 * MIN, None);
    let b = t.take_batch();
    let cal = Calendar::named("Asia/Ho_Chi_Minh").expect("zone");
    let next_day = cal.keys(before_midnight + 20 * MIN);
    assert_eq!(
        b.visits_in(S, next_day).0,
        0,
        "no visit started on the new day"
    );
    assert_eq!(b.visits_in(S, cal.keys(before_midnight)), (1, 1, 1, 1));
}

fn visitor(n: u64) -> VisitorId {
    let mut v = [0u8; 16];
    v[..8].copy_from_slice(&n.to_le_bytes());
    v
}

/// A flood of new visitors (every random User-Agent is one) while nothing is flushed:
/// memory stays within the limits; what was counted before the batch filled stays.
#[test]
fn a_flood_of_new_visitors_stays_within_the_limits() {
    let limits = Limits {
        max_visitors: 1_000,
        max_pending: 600,
    };
    let mut t = Tracker::with_limits(
        rules(),
        Calendar::named("Asia/Ho_Chi_Minh").expect("zone"),
        limits,
    );
    // A reader before the flood, who comes back during it.
    assert!(t.record(S, A, T0, Some(7)).view_counted);
    for i in 0..100_000u64 {
        let o = t.record(
            S,
            visitor(i + 10),
            T0 + 1 + i64::try_from(i / 100).expect("n"),
            Some(7),
        );
        assert!(
            i < 299 || o.dropped,
            "past the limit, new visitors are dropped"
        );
        let (seen, pairs) = t.remembered();
        assert!(
            seen <= 1_000 && pairs <= 1_000,
            "remembered: {seen}, {pairs}"
        );
        assert!(t.pending_len() <= 600, "pending: {}", t.pending_len());
    }
    // The reader already in the batch still counts (same visit, new article: dropped).
    let o = t.record(S, A, T0 + 1_001, None);
    assert!(!o.dropped && !o.new_visit);
    assert!(
        t.record(S, A, T0 + 1_002, Some(8)).dropped,
        "no room for a new pair"
    );
    let losses = t.losses();
    assert_eq!(losses.dropped, 100_000 - 299 + 1);
    let b = t.take_batch();
    assert_eq!(b.article_views[&7], 300, "A and the 299 that fitted");
    assert_eq!(b.visits.values().sum::<i64>(), 300);
    // Once flushed, counting resumes in full.
    assert!(!t.record(S, visitor(1_000_000), T0 + 3_000, Some(7)).dropped);
}

#[test]
fn past_max_visitors_the_longest_unseen_are_forgotten_first() {
    let limits = Limits {
        max_visitors: 800,
        max_pending: usize::MAX,
    };
    let mut t = Tracker::with_limits(
        rules(),
        Calendar::named("Asia/Ho_Chi_Minh").expect("zone"),
        limits,
    );
    for i in 0..800u64 {
        t.record(S, visitor(i), T0 + i64::try_from(i).expect("n"), None);
    }
    t.record(S, visitor(0), T0 + 1_000, None);
    t.record(S, visitor(5_000), T0 + 1_001, None);
    let (seen, _) = t.remembered();
    assert_eq!(seen, 701, "an eighth forgotten, then one added");
    assert_eq!(t.losses().forgotten, 100);
    assert!(
        !t.record(S, visitor(0), T0 + 1_002, None).new_visit,
        "seen again recently: kept"
    );
    assert!(
        t.record(S, visitor(50), T0 + 1_003, None).new_visit,
        "among the longest unseen: forgotten (the flush decides again against the store)"
    );
}

#[test]
fn forgetting_keeps_what_the_windows_need() {
    let mut t = tracker(rules());
    t.record(S, A, T0, Some(7));
    t.record(S, B, T0 + 25 * MIN, Some(7));
    t.forget_before(T0 + 30 * MIN);
    assert_eq!(
        t.remembered(),
        (1, 1),
        "A (idle 30 min, viewed 30 min ago) is forgotten; B is kept"
    );
}
