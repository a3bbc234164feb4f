//! The proof of work of the public forms: ALTCHA's PoW v2 (PBKDF2/SHA-256), made and checked
//! with the ALTCHA project's own crate; the challenge says when it was issued (signed with it).

use altcha::{Challenge, CreateChallengeOptions, Payload, VerifySolutionOptions};
use base64::Engine as _;

/// What is signed into a challenge: the time it was issued (the fill time counts from it).
const ISSUED: &str = "issued";
const ALGORITHM: &str = "PBKDF2/SHA-256";

/// Makes and checks challenges with two keys of this instance (shared by every node).
#[derive(Clone)]
pub struct Puzzles {
    signing_key: String,
    key_signing_key: String,
    cost: u32,
    max_number: u32,
    ttl: i64,
}

/// A checked answer: the challenge's own signature (its identity, spent once) and when it
/// was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solved {
    pub proof: String,
    pub issued: i64,
    pub expires: i64,
}

/// Why an answer is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsolved {
    /// No answer at all (JavaScript off, or the widget never ran).
    Missing,
    /// Not an answer to a challenge of ours.
    Wrong,
    Expired,
}

impl Puzzles {
    pub fn new(keys: [[u8; 32]; 2], cost: u32, max_number: u32, ttl_secs: i64) -> Puzzles {
        let hex = |k: &[u8; 32]| k.iter().map(|b| format!("{b:02x}")).collect::<String>();
        Puzzles {
            signing_key: hex(&keys[0]),
            key_signing_key: hex(&keys[1]),
            cost: cost.max(1),
            max_number: max_number.max(2),
            ttl: ttl_secs.max(60),
        }
    }

    /// A new challenge issued at `now`. The answer is a number between half the maximum
    /// and the maximum, drawn here (ALTCHA's "deterministic mode": the server keeps only a
    /// signature of the key, so checking an answer costs one HMAC).
    pub fn issue(&self, now: i64) -> Result<Challenge, String> {
        let mut b = [0u8; 4];
        #[allow(clippy::expect_used)]
        getrandom::fill(&mut b).expect("the operating system's random generator");
        let half = self.max_number / 2;
        let counter = half + u32::from_le_bytes(b) % (self.max_number - half + 1);
        let mut data = std::collections::BTreeMap::new();
        data.insert(ISSUED.to_owned(), serde_json::Value::from(now));
        altcha::create_challenge(CreateChallengeOptions {
            algorithm: ALGORITHM.to_owned(),
            cost: self.cost,
            counter: Some(counter),
            data: Some(data),
            expires_at: Some(u64::try_from(now + self.ttl).unwrap_or(0)),
            hmac_signature_secret: Some(self.signing_key.clone()),
            hmac_key_signature_secret: Some(self.key_signing_key.clone()),
            ..Default::default()
        })
        .map_err(|e| e.to_string())
    }

    /// Checks the widget's answer (base64 of its JSON), at `now`.
    pub fn check(&self, answer: &str, now: i64) -> Result<Solved, Unsolved> {
        let answer = answer.trim();
        if answer.is_empty() {
            return Err(Unsolved::Missing);
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(answer)
            .map_err(|_| Unsolved::Wrong)?;
        let payload: Payload = serde_json::from_slice(&bytes).map_err(|_| Unsolved::Wrong)?;
        let params = &payload.challenge.parameters;
        if params.algorithm != ALGORITHM || params.cost != self.cost {
            return Err(Unsolved::Wrong);
        }
        let issued = params
            .data
            .as_ref()
            .and_then(|d| d.get(ISSUED))
            .and_then(serde_json::Value::as_i64)
            .ok_or(Unsolved::Wrong)?;
        let result = altcha::verify_solution(VerifySolutionOptions {
            hmac_key_signature_secret: Some(self.key_signing_key.clone()),
            ..VerifySolutionOptions::new(
                &payload.challenge,
                &payload.solution,
                self.signing_key.clone(),
            )
        })
        .map_err(|_| Unsolved::Wrong)?;
        if result.expired {
            return Err(Unsolved::Expired);
        }
        if !result.verified {
            return Err(Unsolved::Wrong);
        }
        // The crate checks expiry on the system clock; this checks it on ours too (now that
        // the signature, which covers both times, is known to be good).
        let expires = issued + self.ttl;
        if now > expires {
            return Err(Unsolved::Expired);
        }
        let proof = payload.challenge.signature.ok_or(Unsolved::Wrong)?;
        Ok(Solved {
            proof,
            issued,
            expires,
        })
    }

    /// Solves a challenge given as the JSON the widget fetches (tests of the HTTP side).
    pub fn solve_json(challenge: &str) -> Option<String> {
        Self::solve(&serde_json::from_str(challenge).ok()?)
    }

    /// Solves a challenge as the widget would (tests and the command line's own checks).
    pub fn solve(challenge: &Challenge) -> Option<String> {
        let solution =
            altcha::solve_challenge(altcha::SolveChallengeOptions::new(challenge)).ok()??;
        let payload = Payload {
            challenge: challenge.clone(),
            solution,
        };
        let json = serde_json::to_vec(&payload).ok()?;
        Some(base64::engine::general_purpose::STANDARD.encode(json))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn puzzles() -> Puzzles {
        Puzzles::new([[1; 32], [2; 32]], 10, 50, 600)
    }

    #[test]
    fn an_answer_is_checked_and_says_when_it_was_issued() {
        let now = jiff::Timestamp::now().as_second();
        let p = puzzles();
        let c = p.issue(now).expect("test");
        let answer = Puzzles::solve(&c).expect("test");
        let solved = p.check(&answer, now + 3).expect("test");
        assert_eq!(solved.issued, now);
        assert_eq!(Some(solved.proof), c.signature);
        // Expired on our clock, though not on the system's.
        assert_eq!(p.check(&answer, now + 601), Err(Unsolved::Expired));
    }

    #[test]
    fn forged_or_foreign_answers_are_wrong() {
        let now = jiff::Timestamp::now().as_second();
        let p = puzzles();
        assert_eq!(p.check("", now), Err(Unsolved::Missing));
        assert_eq!(p.check("bm90IGpzb24=", now), Err(Unsolved::Wrong));
        // Another instance's challenge, solved honestly, is not ours.
        let other = Puzzles::new([[9; 32], [2; 32]], 10, 50, 600);
        let answer = Puzzles::solve(&other.issue(now).expect("test")).expect("test");
        assert_eq!(p.check(&answer, now), Err(Unsolved::Wrong));
        // The issue time moved back (to pass the fill time) breaks the signature.
        let mut c = p.issue(now).expect("test");
        let answer = Puzzles::solve(&c).expect("test");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&answer)
            .expect("test");
        let mut payload: Payload = serde_json::from_slice(&bytes).expect("test");
        payload
            .challenge
            .parameters
            .data
            .as_mut()
            .expect("test")
            .insert(ISSUED.to_owned(), serde_json::Value::from(now - 3600));
        let forged = base64::engine::general_purpose::STANDARD
            .encode(serde_json::to_vec(&payload).expect("test"));
        assert_eq!(p.check(&forged, now), Err(Unsolved::Wrong));
        // A wrong number for the right challenge.
        c.parameters.key_signature = None;
        let bad = Payload {
            challenge: c,
            solution: altcha::Solution {
                counter: 1,
                derived_key: "00".repeat(32),
                time: None,
            },
        };
        let bad = base64::engine::general_purpose::STANDARD
            .encode(serde_json::to_vec(&bad).expect("test"));
        assert_eq!(p.check(&bad, now), Err(Unsolved::Wrong));
    }
}
