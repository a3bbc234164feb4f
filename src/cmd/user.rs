//! `cong user …`: back-office accounts from the command line (the first administrator, a
//! forgotten password, an account locked by failed logins).

use super::store;
use crate::cli::{UserArgs, UserCommand};
use cong_config::Config;
use cong_domain::SystemClock;
use cong_domain::auth::{Auth, By, Grant, Role, User};
use cong_domain::secrets::Secrets;
use cong_store::SiteId;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::sync::Arc;

/// The password, asked twice on a terminal, else one line of standard input.
fn read_password(username: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Mật khẩu cho {username}: "))?;
        let again = rpassword::prompt_password("Nhập lại: ")?;
        if first != again {
            anyhow::bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}

async fn find(auth: &Auth, username: &str) -> anyhow::Result<User> {
    auth.user_by_name(username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user named {username:?}"))
}

pub async fn run(mut config: Config, args: UserArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    let store = store::open(&mut config, &args.store).await?;
    let secrets = Arc::new(Secrets::load(&config.secrets)?);
    let auth = Auth::new(
        store.clone(),
        config.auth.clone(),
        secrets,
        Arc::new(SystemClock),
    );
    // What the operator got wrong (a weak password, a taken name) exits 2 with the reason.
    let refused = |e: cong_domain::Error| -> anyhow::Result<ExitCode> {
        match e {
            cong_domain::Error::Invalid(m) | cong_domain::Error::Conflict(m) => {
                eprintln!("cong: {m}");
                Ok(ExitCode::from(2))
            }
            e => Err(e.into()),
        }
    };
    let code = match args.command {
        UserCommand::Add {
            username,
            role,
            site,
            display_name,
            email,
        } => {
            // A wrong address is refused before the account is made.
            if let Err(e) = cong_domain::auth::normalise_email(&email) {
                return refused(e);
            }
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("role must be admin, editor or author"))?;
            let grant = match (role, site) {
                (Role::Admin, None) => Grant::System,
                (role, site) => Grant::On(site.map_or(SiteId::FIRST, SiteId), role),
            };
            let password = read_password(&username)?;
            let made = auth
                .create_user(By::CommandLine, &username, &display_name, grant, &password)
                .await;
            let made = match made {
                Ok(u) if !email.trim().is_empty() => auth
                    .set_email(By::CommandLine, &u, &email)
                    .await
                    .map(|()| u),
                made => made,
            };
            match made {
                Ok(u) => {
                    match grant {
                        Grant::System => {
                            println!("created {} (system administrator)", u.username)
                        }
                        Grant::On(site, role) => {
                            println!("created {} ({} of site {site})", u.username, role.as_str())
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => refused(e)?,
            }
        }
        UserCommand::Role {
            username,
            site,
            role,
        } => {
            let u = find(&auth, &username).await?;
            let role = match role.as_str() {
                "none" => None,
                r => Some(Role::parse(r).ok_or_else(|| {
                    anyhow::anyhow!("role must be admin, editor, author or none")
                })?),
            };
            match auth
                .update_profile(By::CommandLine, &u, SiteId(site), role, &u.display_name)
                .await
            {
                Ok(()) => {
                    println!(
                        "{} is now {} on site {site}",
                        u.username,
                        role.map_or("nothing", Role::as_str)
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => refused(e)?,
            }
        }
        UserCommand::Passwd { username } => {
            let u = find(&auth, &username).await?;
            let password = read_password(&username)?;
            match auth.reset_password(By::CommandLine, &u, &password).await {
                Ok(()) => {
                    println!("password of {} changed; their sessions ended", u.username);
                    ExitCode::SUCCESS
                }
                Err(e) => refused(e)?,
            }
        }
        UserCommand::Disable { username } => {
            let u = find(&auth, &username).await?;
            auth.set_disabled(By::CommandLine, &u, true).await?;
            println!("{} disabled", u.username);
            ExitCode::SUCCESS
        }
        UserCommand::Enable { username } => {
            let u = find(&auth, &username).await?;
            auth.set_disabled(By::CommandLine, &u, false).await?;
            println!("{} enabled", u.username);
            ExitCode::SUCCESS
        }
        UserCommand::Unlock { username } => {
            let u = find(&auth, &username).await?;
            let n = auth.unlock(&u).await?;
            println!("cleared {n} failed login(s) of {}", u.username);
            ExitCode::SUCCESS
        }
        UserCommand::List => {
            for u in auth.users().await? {
                let roles = if u.system_admin {
                    "system-admin".to_owned()
                } else {
                    u.roles
                        .iter()
                        .map(|(site, r)| format!("{}@{site}", r.as_str()))
                        .collect::<Vec<_>>()
                        .join(",")
                };
                println!(
                    "{}\t{}\t{}{}",
                    u.username,
                    roles,
                    u.display_name,
                    if u.disabled { "\t(disabled)" } else { "" }
                );
            }
            ExitCode::SUCCESS
        }
    };
    store.close().await;
    Ok(code)
}
