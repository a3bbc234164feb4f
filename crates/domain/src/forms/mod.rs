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
    /// A stable name for the refusal: the catalogue words the sender reads are
    /// `form-refusal-{code}`.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NoConsent => "no-consent",
            Refusal::HiddenField => "hidden-field",
            Refusal::NoProof => "no-proof",
            Refusal::WrongProof => "wrong-proof",
            Refusal::ExpiredProof => "expired-proof",
            Refusal::SpentProof => "spent-proof",
            Refusal::TooFast(_) => "too-fast",
            Refusal::TooMany(_) => "too-many",
        }
    }

    /// The wait the words name: seconds too soon, or minutes until the address may send.
    pub fn wait(self) -> Option<(&'static str, i64)> {
        match self {
            Refusal::TooFast(s) => Some(("seconds", s)),
            Refusal::TooMany(s) => Some(("minutes", (s + 59) / 60)),
            _ => None,
        }
    }
}

/// What is wrong with one field of a public form. The sender reads the catalogue's words,
/// `form-fault-{code}`, in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    Name,
    /// No address, on a form that answers by mail.
    Email,
    EmailInvalid,
    Phone,
    Address,
    Subject,
    Body,
    Topic,
    /// The chosen topic was removed meanwhile.
    TopicGone,
    Organisation,
    /// A comment's text (Góp ý on a draft document).
    Comment,
    /// An attachment the file rules refuse.
    File(cong_files::Refusal),
    /// An attachment over the form's own limit: its name and the limit in bytes.
    FileTooLarge {
        name: String,
        max: u64,
    },
    /// Words another check said, as said (the back office's Vietnamese).
    Said(String),
}

impl Fault {
    pub fn code(&self) -> &'static str {
        match self {
            Fault::Name => "name",
            Fault::Email => "email",
            Fault::EmailInvalid => "email-invalid",
            Fault::Phone => "phone",
            Fault::Address => "address",
            Fault::Subject => "subject",
            Fault::Body => "body",
            Fault::Topic => "topic",
            Fault::TopicGone => "topic-gone",
            Fault::Organisation => "organisation",
            Fault::Comment => "comment",
            Fault::File(_) => "file",
            Fault::FileTooLarge { .. } => "file-too-large",
            Fault::Said(_) => "said",
        }
    }
}

/// A form not taken: refused by the guard, fields that do not pass, or a failure.
#[derive(Debug)]
pub enum SubmitError {
    Refused(Refusal),
    /// Each field that does not pass, and why.
    Fields(Vec<(String, Fault)>),
    Failed(Error),
}

impl From<Error> for SubmitError {
    fn from(e: Error) -> Self {
        match e {
            Error::Fields(f) => SubmitError::Fields(
                f.into_iter()
                    .map(|(field, why)| (field, Fault::Said(why)))
                    .collect(),
            ),
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
    let mut fault = |f: &str, why: Fault| faults.push((f.to_owned(), why));
    let len = |s: &str| s.chars().count();
    if m.name.is_empty() || len(&m.name) > MAX_NAME {
        fault("name", Fault::Name);
    }
    let email = match normalise_email(&m.email) {
        Ok(Some(e)) => e,
        Ok(None) => {
            fault("email", Fault::Email);
            String::new()
        }
        Err(_) => {
            fault("email", Fault::EmailInvalid);
            String::new()
        }
    };
    let phone_ok = m
        .phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '.' | '-' | '(' | ')'));
    if !phone_ok || len(&m.phone) > 30 {
        fault("phone", Fault::Phone);
    }
    if len(&m.address) > MAX_SHORT {
        fault("address", Fault::Address);
    }
    if m.subject.is_empty() || len(&m.subject) > MAX_SUBJECT {
        fault("subject", Fault::Subject);
    }
    if m.body.is_empty() || len(&m.body) > MAX_BODY {
        fault("body", Fault::Body);
    }
    match m.topic_id {
        Some(id) if !topics.contains(&id) => {
            fault("topic", Fault::TopicGone);
        }
        None if !topics.is_empty() => fault("topic", Fault::Topic),
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
