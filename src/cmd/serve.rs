//! `cong serve`: the command line's settings over the configuration, then a node
//! (`cong_node::run`) until SIGINT or SIGTERM.

use crate::cli::ServeArgs;
use cong_config::Config;
use std::process::ExitCode;

pub async fn run(mut config: Config, args: ServeArgs) -> anyhow::Result<ExitCode> {
    super::init_logging();
    if !args.listen.is_empty() {
        config.server.listen = args.listen;
    }
    if let Some(url) = args.store.database {
        config.database.url = url;
    }
    let options = cong_node::Options { demo: args.demo };
    cong_node::run(config, options, cong_node::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}
