//! `antom-sim`: run the Antom simulator on loopback.
//!
//! ```text
//! antom-sim --port 8600 --client-id SANDBOX_5X00000000000000 --merchant-public-key merchant_public.txt \
//!           --write-antom-public-key antom_public.txt
//! ```

use antom::{MerchantPrivateKey, PublicKey};
use antom_sim::faults::Faults;
use antom_sim::{SimConfig, Simulator};
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "antom-sim", version, about = "An offline Antom-compatible simulator for card vaulting")]
struct Args {
    /// Port on 127.0.0.1 (0: any free port; the chosen one is printed).
    #[arg(long, default_value_t = 8600)]
    port: u16,
    /// A merchant client id, registered with --merchant-public-key.
    #[arg(long, requires = "merchant_public_key")]
    client_id: Option<String>,
    /// The merchant public key for --client-id (bare base64, PEM or DER).
    #[arg(long, requires = "client_id")]
    merchant_public_key: Option<PathBuf>,
    /// More registrations: CLIENT_ID=PUBLIC_KEY_FILE (repeatable).
    #[arg(long = "client", value_name = "CLIENT_ID=FILE")]
    clients: Vec<String>,
    /// The simulator's "Antom" private key; a fresh one is generated when absent.
    #[arg(long)]
    antom_private_key: Option<PathBuf>,
    /// Write the simulator's Antom public key here (bare base64), for the merchant's config.
    #[arg(long)]
    write_antom_public_key: Option<PathBuf>,
    /// Keep state here across restarts.
    #[arg(long)]
    state_dir: Option<PathBuf>,
    /// Session lifetime in seconds.
    #[arg(long, default_value_t = 1800)]
    session_ttl_secs: u64,
    /// Multiply scheduled delays (notification resends, slow verification); 0.01 = 100x faster.
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Region sign in session data: SG, US or DE.
    #[arg(long, default_value = "SG")]
    host_sign: String,
    /// Post notifications to non-loopback hosts too.
    #[arg(long)]
    allow_remote_notifications: bool,
    /// Fault: added latency per API response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Fault: the next N API requests answer HTTP 503.
    #[arg(long, default_value_t = 0)]
    fail_5xx: u32,
    /// Fault: the next N API requests answer UNKNOWN_EXCEPTION.
    #[arg(long, default_value_t = 0)]
    unknown_exception: u32,
    /// Fault: the next N responses carry a signature that does not verify.
    #[arg(long, default_value_t = 0)]
    bad_signature: u32,
    /// Fault: the next N requests are processed, then the connection is cut.
    #[arg(long, default_value_t = 0)]
    drop_connection: u32,
    /// Fault: the next N notifications are never delivered.
    #[arg(long, default_value_t = 0)]
    drop_notifications: u32,
    /// Fault: the next N notifications are delivered twice.
    #[arg(long, default_value_t = 0)]
    duplicate_notifications: u32,
    /// The simulator's clock, in seconds from the real one, in its answers' response-time.
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    clock_offset_secs: i64,
}

fn read_key<T>(path: &PathBuf, parse: impl Fn(&[u8]) -> Result<T, antom::KeyError>) -> Result<T, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

async fn run(a: Args) -> Result<(), String> {
    let antom_key = match &a.antom_private_key {
        Some(p) => read_key(p, MerchantPrivateKey::parse)?,
        None => MerchantPrivateKey::generate(2048).map_err(|e| e.to_string())?,
    };
    let mut config = SimConfig::new(antom_key);
    config.bind = SocketAddr::from(([127, 0, 0, 1], a.port));
    if let (Some(id), Some(p)) = (&a.client_id, &a.merchant_public_key) {
        config = config.with_client(id.clone(), read_key(p, PublicKey::parse)?);
    }
    for c in &a.clients {
        let (id, file) = c.split_once('=').ok_or_else(|| format!("--client {c}: expected CLIENT_ID=FILE"))?;
        config = config.with_client(id, read_key(&PathBuf::from(file), PublicKey::parse)?);
    }
    config.session_ttl = Duration::from_secs(a.session_ttl_secs);
    config.time_scale = a.time_scale;
    config.host_sign = a.host_sign;
    config.state_dir = a.state_dir;
    config.allow_remote_notifications = a.allow_remote_notifications;
    config.faults = Faults {
        latency_ms: a.latency_ms,
        http_5xx: a.fail_5xx,
        unknown_exception: a.unknown_exception,
        bad_signature: a.bad_signature,
        drop_connection: a.drop_connection,
        drop_notifications: a.drop_notifications,
        duplicate_notifications: a.duplicate_notifications,
        clock_offset_secs: a.clock_offset_secs,
        hold_captures: false,
        only_endpoint: None,
    };
    if config.clients.is_empty() {
        eprintln!("antom-sim: no client registered (--client-id/--merchant-public-key); every API call will get INVALID_CLIENT");
    }
    let sim = Simulator::start(config).await.map_err(|e| e.to_string())?;
    if let Some(p) = &a.write_antom_public_key {
        std::fs::write(p, format!("{}\n", sim.antom_public_key().to_spki_base64()))
            .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    // One write, and a closed stdout (a supervisor or test that read the first line and went
    // away) is not a reason to stop serving: `println!` would panic on EPIPE.
    let banner = format!(
        "antom-sim listening on {0}\nelement page (elementProps.elementLink): {1}\n\
         admin: {0}/sim/health  {0}/sim/faults  {0}/sim/notifications  {0}/sim/test-cards\n",
        sim.base_url(),
        sim.element_link()
    );
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    }
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    sim.stop().await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("antom-sim: {e}");
            ExitCode::from(2)
        }
    }
}
