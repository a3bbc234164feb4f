//! The sending loop every node runs: claims due mails under a lease, sends them over SMTP,
//! and marks each sent or failed (queued again with back-off, or given up).

use super::retry_delay;
use crate::Clock;
use cong_config::{MailConfig, SmtpSecurity};
use cong_store::Store;
use cong_store::mail::MailRow;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Mails claimed at once by one node.
const BATCH: i64 = 10;
/// Longest one SMTP exchange may take before it counts as failed.
const SMTP_TIMEOUT: u64 = 30;
/// How long a claim holds: longer than the whole batch may take even when every send waits
/// out its timeout, so a lease runs out only when its node died (6 minutes).
const LEASE: i64 = BATCH * SMTP_TIMEOUT as i64 + 60;

pub struct Sender {
    store: Store,
    clock: Arc<dyn Clock>,
    config: MailConfig,
    /// This node's name in the leases it takes.
    node: String,
}

impl Sender {
    pub fn new(store: Store, clock: Arc<dyn Clock>, config: MailConfig) -> Sender {
        let mut id = [0u8; 6];
        let _ = getrandom::fill(&mut id);
        let node = format!(
            "{}-{}",
            std::process::id(),
            id.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        Sender {
            store,
            clock,
            config,
            node,
        }
    }

    /// Looks for due mail every `mail.poll_interval` until `stop` (a send under way is let
    /// finish first: the loop stops only between rounds).
    pub async fn run(self, stop: impl Future<Output = ()>) {
        let every = Duration::try_from(self.config.poll_interval)
            .unwrap_or(Duration::from_secs(10))
            .max(Duration::from_millis(100));
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tokio::pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => return,
                _ = tick.tick() => match self.send_due().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(mails = n, "mail sent"),
                    Err(e) => tracing::warn!(error = %e, "mail queue not read"),
                },
            }
        }
    }

    /// One round: claims what is due and tries each; the number sent.
    pub async fn send_due(&self) -> Result<usize, crate::Error> {
        let now = self.clock.now().as_second();
        let due = self
            .store
            .mail()
            .claim_due(&self.node, now, now + LEASE, BATCH)
            .await?;
        if due.is_empty() {
            return Ok(0);
        }
        let transport = match self.transport() {
            Ok(t) => t,
            Err(e) => {
                for m in &due {
                    self.failed(m, &e).await?;
                }
                return Ok(0);
            }
        };
        let mut sent = 0;
        for m in &due {
            match self.send(&transport, m).await {
                Ok(()) => {
                    let at = self.clock.now().as_second();
                    if self.store.mail().mark_sent(m.id, &self.node, at).await? {
                        sent += 1;
                    }
                }
                Err(e) => {
                    tracing::warn!(mail = m.id, error = %e, "mail not sent");
                    self.failed(m, &e).await?;
                }
            }
        }
        Ok(sent)
    }

    async fn failed(&self, m: &MailRow, error: &str) -> Result<(), crate::Error> {
        let base = self.config.retry_after.as_secs().max(1);
        let retry = retry_delay(m.attempts, self.config.max_attempts, base)
            .map(|d| self.clock.now().as_second() + d);
        self.store
            .mail()
            .mark_failed(m.id, &self.node, error, retry)
            .await?;
        Ok(())
    }

    async fn send(
        &self,
        transport: &AsyncSmtpTransport<Tokio1Executor>,
        m: &MailRow,
    ) -> Result<(), String> {
        let from = self
            .config
            .from_address
            .parse()
            .map_err(|e| format!("mail.from_address: {e}"))?;
        let to = m.recipient.parse().map_err(|e| format!("recipient: {e}"))?;
        let message = Message::builder()
            .from(Mailbox::new(Some(self.config.from_name.clone()), from))
            .to(Mailbox::new(None, to))
            .subject(m.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                m.body_text.clone(),
                m.body_html.clone(),
            ))
            .map_err(|e| e.to_string())?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// The SMTP connection as configured (made each round: cheap, and a changed certificate
    /// or a restarted server is met afresh).
    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let c = &self.config;
        let port = u16::try_from(c.smtp_port).map_err(|_| "mail.smtp_port".to_owned())?;
        let tls = || {
            TlsParameters::builder(c.smtp_host.clone())
                .dangerous_accept_invalid_certs(c.accept_invalid_certs)
                .build_rustls()
                .map_err(|e| e.to_string())
        };
        let tls = match c.security {
            SmtpSecurity::Starttls => Tls::Required(tls()?),
            SmtpSecurity::Tls => Tls::Wrapper(tls()?),
            SmtpSecurity::None => Tls::None,
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(c.smtp_host.clone())
            .port(port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(SMTP_TIMEOUT)));
        if !c.username.is_empty() {
            let password = c.password.as_ref().map(|p| p.expose().to_owned());
            b = b.credentials(Credentials::new(
                c.username.clone(),
                password.unwrap_or_default(),
            ));
        }
        Ok(b.build())
    }
}
