//! `cong user …`: back-office accounts from the command line (the first administrator, a
//! forgotten password, an account locked by failed logins).

use super::store;
use crate::cli::{UserArgs, UserCommand};
use cong_config::Config;
use cong_domain::SystemClock;
use cong_domain::auth::{Auth, Role, User};
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
    let auth = Auth::new(store.clone(), config.auth.clone(), Arc::new(SystemClock));
    let cli = |u: Option<&User>, name: &str, action: &str| {
        let auth = auth.clone();
        let u = u.cloned();
        let name = name.to_owned();
        let action = action.to_owned();
        async move {
            auth.audit(u.as_ref(), &name, &action, "dòng lệnh", "cli")
                .await
        }
    };
    let code = match args.command {
        UserCommand::Add {
            username,
            role,
            display_name,
        } => {
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("role must be admin, editor or author"))?;
            let password = read_password(&username)?;
            match auth
                .create_user(&username, &display_name, role, &password)
                .await
            {
                Ok(u) => {
                    cli(Some(&u), "", "user.create").await?;
                    println!("created {} ({})", u.username, role.as_str());
                    ExitCode::SUCCESS
                }
                Err(cong_domain::Error::Invalid(m)) => {
                    eprintln!("cong: {m}");
                    ExitCode::from(2)
                }
                Err(e) => return Err(e.into()),
            }
        }
        UserCommand::Passwd { username } => {
            let u = find(&auth, &username).await?;
            let password = read_password(&username)?;
            match auth.set_password(&u, &password).await {
                Ok(()) => {
                    cli(Some(&u), "", "user.password_reset").await?;
                    println!("password of {} changed; their sessions ended", u.username);
                    ExitCode::SUCCESS
                }
                Err(cong_domain::Error::Invalid(m)) => {
                    eprintln!("cong: {m}");
                    ExitCode::from(2)
                }
                Err(e) => return Err(e.into()),
            }
        }
        UserCommand::Disable { username } => {
            let u = find(&auth, &username).await?;
            auth.set_disabled(&u, true).await?;
            cli(Some(&u), "", "user.disable").await?;
            println!("{} disabled", u.username);
            ExitCode::SUCCESS
        }
        UserCommand::Enable { username } => {
            let u = find(&auth, &username).await?;
            auth.set_disabled(&u, false).await?;
            cli(Some(&u), "", "user.enable").await?;
            println!("{} enabled", u.username);
            ExitCode::SUCCESS
        }
        UserCommand::Unlock { username } => {
            let n = auth.unlock(&username).await?;
            cli(None, &username, "user.unlock").await?;
            println!("cleared {n} failed login(s) of {username}");
            ExitCode::SUCCESS
        }
        UserCommand::List => {
            for u in auth.users().await? {
                println!(
                    "{}\t{}\t{}{}",
                    u.username,
                    u.role.as_str(),
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
