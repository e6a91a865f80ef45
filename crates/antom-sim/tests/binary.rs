//! The `antom-sim` binary: key files and flags in, a listening simulator out, answering a signed
//! call from the antom client; fault flags show in /sim/faults; the Antom public key is written.

mod common;

use antom::model::InquireVaultingRequest;
use common::*;
use std::io::BufRead;
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_binary_serves_with_keys_from_files_and_fault_flags() {
    let dir = tempfile::tempdir().unwrap();
    let merchant_pub = dir.path().join("merchant_public.txt");
    let antom_priv = dir.path().join("antom_private.txt");
    let antom_pub = dir.path().join("antom_public.txt");
    std::fs::write(&merchant_pub, merchant_key().public_key().to_spki_base64()).unwrap();
    std::fs::write(&antom_priv, antom_key().to_pkcs8_pem().expose()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_antom-sim"))
        .args(["--port", "0", "--client-id", CLIENT, "--merchant-public-key"])
        .arg(&merchant_pub)
        .arg("--antom-private-key")
        .arg(&antom_priv)
        .arg("--write-antom-public-key")
        .arg(&antom_pub)
        .args(["--unknown-exception", "1", "--session-ttl-secs", "60"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    // Read the first line and close the pipe: the simulator must keep serving (it once died
    // here, now and then, on EPIPE from its later banner lines).
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let base = first.trim().strip_prefix("antom-sim listening on ").unwrap_or_else(|| panic!("{first:?}")).to_string();

    let written = antom::PublicKey::parse(&std::fs::read(&antom_pub).unwrap()).unwrap();
    assert_eq!(written, antom_key().public_key(), "the given Antom key is used and its public half written");
    let faults = cardbind_testkit::get_json(&format!("{base}/sim/faults")).await;
    assert_eq!(faults["unknownException"], 1);

    let mut cfg =
        antom::ClientConfig::new(antom::Gateway::custom(&base).unwrap(), CLIENT, merchant_key().clone(), written);
    cfg.retry = antom::RetryPolicy { max_attempts: 2, ..antom::RetryPolicy::default() };
    let t = antom::transport::ReqwestTransport::new(Default::default(), false).unwrap();
    let c = antom::AntomClient::new(cfg, std::sync::Arc::new(t));
    let r = c
        .call(&InquireVaultingRequest { vaulting_request_id: "none".into(), merchant_account_id: None })
        .await
        .unwrap();
    assert_eq!(r.attempts, 2, "the UNKNOWN_EXCEPTION flag applied once, then retried");
    assert_eq!(r.body.result.result_code, "VAULTING_NOT_EXIST");
    cardbind_testkit::terminate(&mut child);

    // bad input: a private key where a public one belongs
    let out = Command::new(env!("CARGO_BIN_EXE_antom-sim"))
        .args(["--port", "0", "--client-id", CLIENT, "--merchant-public-key"])
        .arg(&antom_priv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a public key"));
}
