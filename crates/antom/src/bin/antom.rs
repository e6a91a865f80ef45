//! `antom`: a small tool for integrators chasing `INVALID_SIGNATURE`, Antom's most common
//! integration failure.
//!
//! Exit codes: 0 success (or a valid signature), 1 invalid signature, 2 bad input.

use antom::signature::{self, SignatureError};
use antom::{MerchantPrivateKey, PublicKey};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "antom", version, about = "Sign, verify and explain Antom RSA256 request signatures")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Content {
    /// Merchant client id (the client-id header), e.g. SANDBOX_5X00000000000000.
    #[arg(long)]
    client_id: String,
    /// The request-time (or response-time) header value, used verbatim.
    #[arg(long)]
    time: String,
    /// The request path with its query, e.g. /ams/api/v1/vaults/inquireVaulting. A sandbox client
    /// id signs /ams/sandbox/api/...: pass the path that is actually requested.
    #[arg(long)]
    path: String,
    /// File holding the exact body bytes sent on the wire.
    #[arg(long)]
    body_file: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Generate an RSA key pair in Antom's bare-base64 format (PKCS#8 private, X.509 public).
    Keygen {
        #[arg(long, default_value_t = 2048)]
        bits: usize,
        /// Write the private key here (mode 0600) instead of printing it.
        #[arg(long)]
        private_out: Option<PathBuf>,
        /// Write the public key here instead of printing it.
        #[arg(long)]
        public_out: Option<PathBuf>,
    },
    /// Print the Signature header value for a request.
    Sign {
        /// File with the merchant private key (bare base64, PEM or DER; PKCS#8 or PKCS#1).
        #[arg(long)]
        private_key: PathBuf,
        #[command(flatten)]
        content: Content,
        #[arg(long, default_value = signature::DEFAULT_KEY_VERSION)]
        key_version: String,
    },
    /// Check a Signature header value: exit 0 valid, 1 invalid, 2 bad input.
    Verify {
        /// File with the public key (bare base64, PEM or DER).
        #[arg(long)]
        public_key: PathBuf,
        #[command(flatten)]
        content: Content,
        /// The full header value (algorithm=RSA256,keyVersion=1,signature=...) or just the signature.
        #[arg(long)]
        signature: String,
    },
    /// Print the exact string that is signed, with the newline shown.
    Explain {
        #[command(flatten)]
        content: Content,
    },
}

fn read(path: &PathBuf, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {what} {}: {e}", path.display()))
}

fn write_private(path: &PathBuf, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    f.write_all(text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Keygen { bits, private_out, public_out } => {
            let key = MerchantPrivateKey::generate(bits).map_err(|e| e.to_string())?;
            let private = key.to_pkcs8_base64();
            let public = key.public_key().to_spki_base64();
            match &private_out {
                Some(p) => write_private(p, &format!("{}\n", private.expose()))?,
                None => println!("private key (PKCS#8, keep secret):\n{}", private.expose()),
            }
            match &public_out {
                Some(p) => std::fs::write(p, format!("{public}\n"))
                    .map_err(|e| format!("cannot write {}: {e}", p.display()))?,
                None => println!("public key (X.509, upload to Antom Dashboard):\n{public}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sign { private_key, content, key_version } => {
            let key = MerchantPrivateKey::parse(&read(&private_key, "private key")?)
                .map_err(|e| format!("private key: {e}"))?;
            let body = read(&content.body_file, "body")?;
            let h = signature::sign(&key, &content.path, &content.client_id, &content.time, &body, &key_version);
            println!("{}", h.to_header_value());
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { public_key, content, signature: sig } => {
            let key = PublicKey::parse(&read(&public_key, "public key")?).map_err(|e| format!("public key: {e}"))?;
            let body = read(&content.body_file, "body")?;
            let header = if sig.contains("signature=") { sig } else { format!("signature={sig}") };
            match signature::verify(&key, &content.path, &content.client_id, &content.time, &body, Some(&header)) {
                Ok(_) => {
                    println!("valid");
                    Ok(ExitCode::SUCCESS)
                }
                Err(SignatureError::Mismatch) => {
                    println!("INVALID: the signature does not match this key and content.");
                    println!("Common causes: a different key pair, the path without /ams/api (or without /ams/sandbox/api for SANDBOX_ ids),");
                    println!("a body that differs by one byte (re-serialised JSON, \\r\\n line endings), or a different request-time.");
                    println!(
                        "Run `antom explain` with the same arguments to see the exact string that must be signed."
                    );
                    Ok(ExitCode::from(1))
                }
                Err(SignatureError::NotUrlEncoded) => {
                    println!("INVALID: the signature value is not URL-encoded.");
                    println!(
                        "Antom URL-decodes the value before base64-decoding it, as every official SDK does, so each"
                    );
                    println!(
                        "'+' of a raw base64 value becomes a space and the signature cannot match. Send the value"
                    );
                    println!("URL-encoded (+ as %2B, / as %2F, = as %3D), as `antom sign` prints it.");
                    Ok(ExitCode::from(1))
                }
                Err(e) => Err(format!("signature header: {e}")),
            }
        }
        Command::Explain { content } => {
            let body = read(&content.body_file, "body")?;
            print!("{}", signature::explain(&content.path, &content.client_id, &content.time, &body));
            if let Some(w) = antom::gateway::path_mismatch(&content.client_id, &content.path) {
                println!("warning: {w}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("antom: {msg}");
            ExitCode::from(2)
        }
    }
}
