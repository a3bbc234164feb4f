//! `cong`: the portal's one binary. It parses the command line and the configuration,
//! then hands over to a subcommand in `cmd/`.

mod cli;
mod cmd;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc: a served page allocates and frees many small buffers across threads, where
/// glibc's allocator spent a fifth of the CPU of a cached page (measured with perf).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cong: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cmd::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cong: {e:#}");
            ExitCode::FAILURE
        }
    }
}
