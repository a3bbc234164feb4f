//! What every public form asks of its sender before anything is stored: a proof of work, an
//! empty hidden field, time spent filling it in, a share of the address's hourly limit, and
//! consent to the personal-data policy.

pub mod pow;

use crate::auth::throttle;
use crate::{Clock, Error};
use cong_store::{Store, Tx};
use std::sync::Arc;

pub use pow::{Puzzles, Solved, Unsolved};

use crate::auth::normalise_email;
use crate::text::nfc;

const MAX_NAME: usize = 200;
const MAX_SUBJECT: usize = 300;
const MAX_BODY: usize = 10_000;
const MAX_SHORT: usize = 300;

/// What a sender typed.
#[derive(Debug, Clone, Default)]
pub struct Message {
    /// Subject, or a question's title.
    pub topic_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub subject: String,
    pub body: String,
}

/// What a sender gave besides the form's own fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct Proof<'a> {
    /// The proof-of-work widget's answer.
    pub answer: &'a str,
    /// The field people do not see (and so leave empty).
    pub hidden: &'a str,
    /// The consent box was ticked.
    pub consent: bool,
    /// The sender's address (as the request's peer, or the trusted proxy's word).
    pub ip: &'a str,
}

/// Why a form is refused before its fields are looked at. Each has a message for the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NoConsent,
    HiddenField,
    NoProof,
    WrongProof,
    ExpiredProof,
    /// The proof was used before (a form sent twice, or replayed).
    SpentProof,
    /// Sent this many seconds too soon.
    TooFast(i64),
    /// The address sent its share this hour; it may again in this many seconds.
    TooMany(i64),
}

impl Refusal {
    pub fn message(self) -> String {
        match self {
            Refusal::NoConsent => "Bạn cần đồng ý với việc xử lý dữ liệu cá nhân (ô đánh dấu ở cuối biểu mẫu) để gửi.".to_owned(),
            Refusal::HiddenField => "Biểu mẫu có một ô ẩn đã bị điền (thường do phần mềm tự điền). Hãy để trống ô đó và gửi lại.".to_owned(),
            Refusal::NoProof => "Chưa có bước xác minh chống thư rác: trình duyệt cần bật JavaScript và chờ ô “Tôi không phải người máy” được đánh dấu rồi gửi lại.".to_owned(),
            Refusal::WrongProof => "Bước xác minh chống thư rác không hợp lệ. Hãy chờ ô xác minh được đánh dấu lại rồi gửi.".to_owned(),
            Refusal::ExpiredProof => "Bước xác minh chống thư rác đã hết hạn (biểu mẫu để mở quá lâu). Hãy chờ ô xác minh được đánh dấu lại rồi gửi.".to_owned(),
            Refusal::SpentProof => "Biểu mẫu này đã được gửi một lần. Nếu muốn gửi tiếp, hãy chờ ô xác minh được đánh dấu lại rồi gửi.".to_owned(),
            Refusal::TooFast(s) => format!("Biểu mẫu được gửi quá nhanh sau khi mở. Hãy kiểm tra lại nội dung và gửi lại sau {s} giây."),
            Refusal::TooMany(s) => format!("Địa chỉ mạng của bạn đã gửi nhiều biểu mẫu trong giờ qua. Hãy gửi lại sau khoảng {} phút.", (s + 59) / 60),
        }
    }
}

/// A form not taken: refused by the guard, fields that do not pass, or a failure.
#[derive(Debug)]
pub enum SubmitError {
    Refused(Refusal),
    /// Field name and message, as [`Error::Fields`].
    Fields(Vec<(String, String)>),
    Failed(Error),
}

impl From<Error> for SubmitError {
    fn from(e: Error) -> Self {
        match e {
            Error::Fields(f) => SubmitError::Fields(f),
            e => SubmitError::Failed(e),
        }
    }
}

impl From<cong_store::Error> for SubmitError {
    fn from(e: cong_store::Error) -> Self {
        SubmitError::Failed(e.into())
    }
}

/// The limits of `[forms]`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub min_fill_secs: i64,
    pub per_address_per_hour: u32,
}

/// Checks a sender's proof, in the transaction that stores the form: the proof is spent and
/// the address's share counted only if the form is stored.
#[derive(Clone)]
pub struct FormGuard {
    store: Store,
    clock: Arc<dyn Clock>,
    puzzles: Puzzles,
    limits: Limits,
}

const HOUR: i64 = 3600;

impl std::fmt::Debug for FormGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormGuard")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl FormGuard {
    pub fn new(store: Store, clock: Arc<dyn Clock>, puzzles: Puzzles, limits: Limits) -> Self {
        FormGuard {
            store,
            clock,
            puzzles,
            limits,
        }
    }

    /// A challenge for a form being opened now (the widget fetches it).
    pub fn challenge(&self) -> Result<altcha::Challenge, Error> {
        self.puzzles
            .issue(self.clock.now().as_second())
            .map_err(Error::Internal)
    }

    /// The checks that need no database, cheapest first.
    pub fn precheck(&self, p: &Proof<'_>) -> Result<Solved, Refusal> {
        if !p.hidden.is_empty() {
            return Err(Refusal::HiddenField);
        }
        if !p.consent {
            return Err(Refusal::NoConsent);
        }
        let now = self.clock.now().as_second();
        let solved = self.puzzles.check(p.answer, now).map_err(|e| match e {
            Unsolved::Missing => Refusal::NoProof,
            Unsolved::Wrong => Refusal::WrongProof,
            Unsolved::Expired => Refusal::ExpiredProof,
        })?;
        let waited = now - solved.issued;
        if waited < self.limits.min_fill_secs {
            return Err(Refusal::TooFast(self.limits.min_fill_secs - waited));
        }
        Ok(solved)
    }

    /// Spends the proof and counts the form against its address, in `tx`.
    pub async fn admit(&self, tx: &mut Tx, p: &Proof<'_>) -> Result<(), SubmitError> {
        let solved = self.precheck(p).map_err(SubmitError::Refused)?;
        let now = self.clock.now().as_second();
        let scope = format!("form:{}", throttle::net(p.ip));
        let limiter = self.store.throttle();
        limiter.lock(tx, &[&scope]).await?;
        let (sent, _) = limiter.count_since(tx, &scope, now - HOUR).await?;
        if sent >= i64::from(self.limits.per_address_per_hour) {
            let oldest = limiter.oldest_since(tx, &scope, now - HOUR).await?;
            let wait = oldest.map_or(HOUR, |t| (t + HOUR - now).max(1));
            return Err(SubmitError::Refused(Refusal::TooMany(wait)));
        }
        if !self
            .store
            .form_proofs()
            .spend(tx, &solved.proof, solved.expires)
            .await?
        {
            return Err(SubmitError::Refused(Refusal::SpentProof));
        }
        limiter.record(tx, &scope, now).await?;
        Ok(())
    }

    /// Forgets spent proofs that have expired and sendings older than the hour they count
    /// for (the upkeep calls it).
    pub async fn forget_expired(&self) -> Result<u64, Error> {
        let now = self.clock.now().as_second();
        let proofs = self.store.form_proofs().delete_expired(now).await?;
        let sent = self
            .store
            .throttle()
            .delete_forms_before(now - HOUR)
            .await?;
        Ok(proofs + sent)
    }
}

/// The message as stored (NFC, trimmed) and its sender's address, or every field's fault.
pub fn check_message(
    msg: &Message,
    topics: &[i64],
) -> std::result::Result<(Message, String), SubmitError> {
    // One-line fields: any line break or control character becomes a space (they go into
    // mail subjects and spreadsheet cells).
    let clean = |s: &str| {
        let one: String = s
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        nfc(one.trim())
    };
    let m = Message {
        topic_id: msg.topic_id,
        name: clean(&msg.name),
        email: msg.email.trim().to_owned(),
        phone: clean(&msg.phone),
        address: clean(&msg.address),
        subject: clean(&msg.subject),
        body: nfc(msg.body.trim()),
    };
    let mut faults = Vec::new();
    let mut fault = |f: &str, why: &str| faults.push((f.to_owned(), why.to_owned()));
    let len = |s: &str| s.chars().count();
    if m.name.is_empty() || len(&m.name) > MAX_NAME {
        fault("name", "Hãy nhập họ và tên (tối đa 200 ký tự).");
    }
    let email = match normalise_email(&m.email) {
        Ok(Some(e)) => e,
        Ok(None) => {
            fault("email", "Hãy nhập địa chỉ thư điện tử để nhận phản hồi.");
            String::new()
        }
        Err(_) => {
            fault("email", "Địa chỉ thư điện tử không hợp lệ.");
            String::new()
        }
    };
    let phone_ok = m
        .phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '.' | '-' | '(' | ')'));
    if !phone_ok || len(&m.phone) > 30 {
        fault("phone", "Số điện thoại chỉ gồm chữ số (tối đa 30 ký tự).");
    }
    if len(&m.address) > MAX_SHORT {
        fault("address", "Địa chỉ quá dài (tối đa 300 ký tự).");
    }
    if m.subject.is_empty() || len(&m.subject) > MAX_SUBJECT {
        fault("subject", "Hãy nhập tiêu đề (tối đa 300 ký tự).");
    }
    if m.body.is_empty() || len(&m.body) > MAX_BODY {
        fault("body", "Hãy nhập nội dung (tối đa 10.000 ký tự).");
    }
    match m.topic_id {
        Some(id) if !topics.contains(&id) => {
            fault("topic", "Chủ đề đã chọn không còn; hãy chọn lại.");
        }
        None if !topics.is_empty() => fault("topic", "Hãy chọn chủ đề."),
        _ => {}
    }
    if faults.is_empty() {
        Ok((m, email))
    } else {
        Err(SubmitError::Fields(faults))
    }
}

/// A code the sender can quote: a prefix ("GY", "HD") and eight characters without
/// look-alikes.
pub fn new_code(prefix: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut b = [0u8; 8];
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut b).expect("the operating system's random generator");
    let tail: String = b
        .iter()
        .map(|x| ALPHABET[usize::from(*x) % ALPHABET.len()] as char)
        .collect();
    format!("{prefix}-{tail}")
}
