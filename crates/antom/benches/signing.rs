//! Sign and verify time for Antom's RSA256 (2048-bit), next to `openssl speed rsa2048` on the same
//! machine. Run with `cargo bench -p antom --bench signing`; the last lines print the comparison.

use antom::signature;
use antom::MerchantPrivateKey;
use criterion::{criterion_group, Criterion};
use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

const PATH: &str = "/ams/api/v1/vaults/createVaultingSession";
const BODY: &[u8] = br#"{"paymentMethodType":"CARD","vaultingRequestId":"vr-20240501-0001","vaultingNotificationUrl":"https://merchant.example/antom/notify/vaulting","merchantRegion":"SG","is3DSAuthentication":true}"#;

fn bench(c: &mut Criterion) {
    let key = MerchantPrivateKey::generate(2048).unwrap();
    let public = key.public_key();
    let header = signature::sign(&key, PATH, "C1", "1700000000000", BODY, "1").to_header_value();
    c.bench_function("rsa256_sign_2048", |b| {
        b.iter(|| signature::sign(&key, PATH, "C1", black_box("1700000000000"), BODY, "1"))
    });
    c.bench_function("rsa256_verify_2048", |b| {
        b.iter(|| signature::verify(&public, PATH, "C1", "1700000000000", black_box(BODY), Some(&header)).unwrap())
    });
}

fn per_op(mut f: impl FnMut(), min: Duration) -> Duration {
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < min {
        f();
        n += 1;
    }
    start.elapsed() / n
}

/// `openssl speed` prints e.g. `rsa 2048 bits 0.000718s 0.000021s 1392.8 47619.0`.
fn openssl_speed() -> Option<(f64, f64)> {
    let out = Command::new("openssl").args(["speed", "-seconds", "2", "rsa2048"]).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("rsa 2048 bits") || l.trim_start().starts_with("rsa  2048 bits"))?;
    let secs: Vec<f64> = line.split_whitespace().filter_map(|w| w.strip_suffix('s')?.parse().ok()).collect();
    (secs.len() >= 2).then(|| (secs[0], secs[1]))
}

fn compare() {
    let key = MerchantPrivateKey::generate(2048).unwrap();
    let public = key.public_key();
    let header = signature::sign(&key, PATH, "C1", "1700000000000", BODY, "1").to_header_value();
    let sign = per_op(
        || drop(black_box(signature::sign(&key, PATH, "C1", "1700000000000", BODY, "1"))),
        Duration::from_secs(2),
    );
    let verify = per_op(
        || drop(black_box(signature::verify(&public, PATH, "C1", "1700000000000", BODY, Some(&header)))),
        Duration::from_secs(2),
    );
    println!("\n== RSA256 (2048-bit) on this machine ==");
    println!("ours   : sign {:>9.1} us  verify {:>7.1} us", sign.as_secs_f64() * 1e6, verify.as_secs_f64() * 1e6);
    match openssl_speed() {
        Some((s, v)) => {
            println!("openssl: sign {:>9.1} us  verify {:>7.1} us", s * 1e6, v * 1e6);
            println!(
                "ratio ours/openssl: sign {:.2}x  verify {:.2}x (includes building the signed string, base64 and URL-encoding)",
                sign.as_secs_f64() / s,
                verify.as_secs_f64() / v
            );
        }
        None => println!("openssl speed rsa2048 did not run; install openssl to compare"),
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(4)).sample_size(30);
    targets = bench
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    compare();
}
