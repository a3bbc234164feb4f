//! The command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// cong — cổng thông tin điện tử: the public portal and its back office in one binary.
#[derive(Debug, Parser)]
#[command(name = "cong", version, about)]
pub struct Cli {
    /// TOML configuration file (default: ./cong.toml when it exists). Settings can also be
    /// given as CONG_<SECTION>__<KEY> environment variables, which win over the file.
    #[arg(long, short, global = true, env = "CONG_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the portal: migrates the database, then serves until SIGINT or SIGTERM.
    Serve(ServeArgs),
    /// Configuration tools.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Shows which User-Agents are never counted in the statistics.
    #[command(subcommand)]
    Bots(BotsCommand),
    /// Creates or upgrades the database schema, then exits.
    Migrate(StoreArgs),
    /// Fills an empty database with the demo content, then exits.
    Demo(StoreArgs),
    /// Copies everything from one store to another (SQLite ⇄ PostgreSQL) and verifies the
    /// copy, table by table. Stop the nodes first. Re-run to resume after an interruption.
    MigrateStore(MigrateStoreArgs),
    /// Back-office accounts: add, passwd, disable, enable, unlock, list.
    User(UserArgs),
    /// Sites of this instance (the provincial portal and its component sites): add, list,
    /// set, disable, enable. Every node follows a change at once.
    Site(SiteArgs),
    /// Secrets the database keeps, sealed with the key in secrets.key_file: rotate.
    Secrets(SecretsArgs),
    /// HTTPS certificates (server.tls): status, renew.
    Tls(TlsArgs),
    /// The documents library: import many documents from a sheet and a folder of files.
    Documents(DocumentsArgs),
    /// Moves a site in from the system it ran before (WordPress), old addresses kept.
    Import(ImportArgs),
    /// Rebuilds the search index (site.search_dir) from the database, then exits. Stop the
    /// node that uses that index first; `cong serve` also rebuilds a missing or damaged one.
    Reindex(StoreArgs),
    /// Adds N generated Vietnamese articles over the demo sections (seeding the demo first on
    /// an empty database), for benchmarks: a million takes minutes.
    Generate(GenerateArgs),
    /// Writes an online backup of the whole site (every table as of one moment, and the media
    /// files) into one .tar.gz file while the site serves. `cong backup verify FILE` checks
    /// one without restoring it.
    Backup(BackupArgs),
    /// Restores a backup into an empty store (SQLite or PostgreSQL, whichever made it) and
    /// its images into the media folder, then checks every table against the manifest.
    Restore(RestoreArgs),
}

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub command: Option<BackupCommand>,
    /// The file to write (default: cong-backup-TIME.tar.gz in backup.folder, or in the
    /// working directory when that is not set).
    #[arg(long)]
    pub to: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Reads a backup through and checks it against its manifest (every row's checksum,
    /// every media file's hash), without restoring anything.
    Verify {
        /// The backup file.
        file: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup file.
    pub file: PathBuf,
    /// The store to restore into, such as sqlite://data/cong.db or postgres://cong@db/cong.
    #[arg(long)]
    pub to: String,
    /// Restore into a store that already holds data, deleting that data first.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// How many articles to add.
    pub count: u64,
    /// Spread them over the first N sites (add them with `cong site add` first); each gets
    /// the demo's sections.
    #[arg(long, default_value_t = 1)]
    pub sites: usize,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    #[command(subcommand)]
    pub command: SiteCommand,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// Creates a site answering at ADDRESS (`https://skhcn.binhthuan.gov.vn`, or
    /// `http://skhcn.localhost:8080` on one machine); prints its id.
    Add {
        /// The site's name (the first line of its banner), e.g. "Sở Khoa học và Công nghệ".
        name: String,
        /// Its canonical address: scheme, host name, optional port.
        #[arg(long)]
        address: String,
        /// Other host names that redirect to the address (repeat the option).
        #[arg(long = "alias")]
        aliases: Vec<String>,
        /// portal (gathers the others) or component.
        #[arg(long, default_value = "component")]
        kind: String,
    },
    /// Lists the sites with their addresses and aliases.
    List,
    /// Changes a site: only the options given change (aliases are replaced when given).
    Set {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        address: Option<String>,
        #[arg(long = "alias")]
        aliases: Option<Vec<String>>,
        #[arg(long)]
        kind: Option<String>,
    },
    /// Stops answering on a site's addresses (its content stays).
    Disable { id: i64 },
    /// Answers again on a disabled site's addresses.
    Enable { id: i64 },
}

#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Creates an account. The password is asked for (or read from standard input), never
    /// taken as an argument.
    Add {
        username: String,
        /// admin, editor or author. Without --site, admin makes a system administrator
        /// (every site, and the sites themselves) and the others a role on site 1.
        #[arg(long)]
        role: String,
        /// The site (its id, as `cong site list` shows) the role is on.
        #[arg(long)]
        site: Option<i64>,
        /// The name shown in the back office.
        #[arg(long, default_value = "")]
        display_name: String,
        /// Where password-reset links go (changed later on the Tài khoản page).
        #[arg(long, default_value = "")]
        email: String,
    },
    /// Gives an account a role on a site (admin, editor, author), or takes it away (none).
    Role {
        username: String,
        #[arg(long)]
        site: i64,
        role: String,
    },
    /// Sets a new password (asked for, or read from standard input); ends the user's sessions.
    Passwd { username: String },
    /// Disables an account and ends its sessions.
    Disable { username: String },
    /// Enables a disabled account.
    Enable { username: String },
    /// Clears the login throttle of an account, from every address, and the cap on its
    /// second-factor codes.
    Unlock { username: String },
    /// Lists the accounts.
    List,
}

#[derive(Debug, clap::Args)]
pub struct SecretsArgs {
    #[command(subcommand)]
    pub command: SecretsCommand,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Re-seals every secret the database keeps under the current key (secrets.key_file,
    /// made if missing), opening the others with secrets.old_key_files.
    Rotate,
}

#[derive(Debug, clap::Args)]
pub struct TlsArgs {
    #[command(subcommand)]
    pub command: TlsCommand,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum TlsCommand {
    /// Each site's certificate: issuer, names, expiry, next renewal, and the last failure.
    Status,
    /// Orders a new certificate now over ACME (every site's, or one site's), while the
    /// nodes serve: they answer the CA's challenges and pick the new certificate up at once.
    Renew {
        /// Only this site (its number, as `cong site list` shows it).
        #[arg(long)]
        site: Option<i64>,
    },
}

#[derive(Debug, clap::Args)]
pub struct DocumentsArgs {
    #[command(subcommand)]
    pub command: DocumentsCommand,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum DocumentsCommand {
    /// Imports a sheet (.xlsx or .csv; the first row names the columns: Số ký hiệu, Loại văn
    /// bản, Cơ quan ban hành, Người ký, Trích yếu, Ngày ban hành, Ngày hiệu lực, Ngày hết
    /// hiệu lực, Lĩnh vực, Tệp), one document per row, published unless --draft. Files named
    /// in "Tệp" (separated by ;) are read from --files. Prints what was imported and each
    /// row refused with its reason; exits 1 when a row was refused.
    Import {
        /// The sheet.
        sheet: PathBuf,
        /// The folder of the files the sheet names.
        #[arg(long)]
        files: Option<PathBuf>,
        /// The site (its number, as `cong site list` shows it).
        #[arg(long, default_value_t = 1)]
        site: i64,
        /// Import as drafts, for editors to check and publish.
        #[arg(long)]
        draft: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub command: ImportCommand,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Imports a WordPress export (Tools → Export → All content, a WXR file): categories as
    /// sections, posts as articles, pages as static pages, the pictures into the media
    /// library; every old address answers with a 301. Run it again to bring in what changed
    /// since: what was imported before is updated, never doubled. Prints a report of every
    /// item, picture and notice; exits 1 when an item failed or a picture is missing.
    Wordpress {
        /// The export file (.xml).
        file: PathBuf,
        /// The site (its number, as `cong site list` shows it).
        #[arg(long, default_value_t = 1)]
        site: i64,
        /// Where the pictures are read from: a copy of the old site's wp-content/uploads
        /// folder (or of the folder holding wp-content), or the old site's address (or a
        /// copy's) to fetch them over HTTP. Without it, the export's own addresses are
        /// fetched.
        #[arg(long)]
        media_from: Option<String>,
        /// Reports what would be imported, writes nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct MigrateStoreArgs {
    /// Source URL, such as sqlite://data/cong.db.
    #[arg(long)]
    pub from: String,
    /// Target URL, such as postgres://cong@db/cong.
    #[arg(long)]
    pub to: String,
    /// Write into a target that already holds data, deleting that data first.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct StoreArgs {
    /// Database URL, instead of database.url.
    #[arg(long)]
    pub database: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Fill an empty database with demo content first (as site.demo_content = true).
    #[arg(long)]
    pub demo: bool,
    /// Address to listen on, instead of server.listen (repeatable).
    #[arg(long)]
    pub listen: Vec<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Checks the configuration and prints every effective setting with its meaning.
    Check,
}

#[derive(Debug, Subcommand)]
pub enum BotsCommand {
    /// Prints every bot pattern and where it comes from.
    List,
    /// Tells whether a User-Agent would be counted, and which pattern excludes it.
    Check {
        /// The User-Agent string.
        user_agent: String,
    },
}
