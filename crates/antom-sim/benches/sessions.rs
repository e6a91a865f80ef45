//! Signed createVaultingSession requests per second against the simulator on loopback: the client
//! signs each request, the simulator verifies it, creates the session and signs its answer, the
//! client verifies that. Run with `cargo bench -p antom-sim --bench sessions`.

use antom::model::CreateVaultingSessionRequest;
use antom::transport::{ReqwestTransport, Timeouts};
use antom::{AntomClient, ClientConfig, Gateway, MerchantPrivateKey, RetryPolicy};
use antom_sim::{SimConfig, Simulator};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SECONDS: u64 = 5;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let merchant = MerchantPrivateKey::generate(2048).unwrap();
        let antom = MerchantPrivateKey::generate(2048).unwrap();
        let sim =
            Simulator::start(SimConfig::new(antom).with_client("BENCH_CLIENT", merchant.public_key())).await.unwrap();
        let mut cfg = ClientConfig::new(
            Gateway::custom(sim.base_url()).unwrap(),
            "BENCH_CLIENT",
            merchant,
            sim.antom_public_key(),
        );
        cfg.retry = RetryPolicy::none();
        let transport = ReqwestTransport::new(Timeouts::default(), false).unwrap();
        let client = Arc::new(AntomClient::new(cfg, Arc::new(transport)));
        println!(
            "== signed createVaultingSession against antom-sim on loopback ({} cores) ==",
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
        for concurrency in [1usize, 4, 16] {
            let done = Arc::new(AtomicU64::new(0));
            let latency_us = Arc::new(AtomicU64::new(0));
            let start = Instant::now();
            let deadline = start + Duration::from_secs(SECONDS);
            let mut tasks = Vec::new();
            for w in 0..concurrency {
                let (client, done, latency_us) = (client.clone(), done.clone(), latency_us.clone());
                tasks.push(tokio::spawn(async move {
                    let mut i = 0u64;
                    while Instant::now() < deadline {
                        let t = Instant::now();
                        let r = client
                            .call(&CreateVaultingSessionRequest::card(
                                format!("bench-{concurrency}-{w}-{i}"),
                                "http://127.0.0.1:9/n",
                            ))
                            .await
                            .expect("a verified response");
                        assert!(r.body.result.is_success());
                        latency_us.fetch_add(t.elapsed().as_micros() as u64, Ordering::Relaxed);
                        done.fetch_add(1, Ordering::Relaxed);
                        i += 1;
                    }
                }));
            }
            for t in tasks {
                t.await.unwrap();
            }
            let n = done.load(Ordering::Relaxed);
            let secs = start.elapsed().as_secs_f64();
            println!(
                "concurrency {concurrency:>2}: {n:>5} requests in {secs:.1} s = {:>6.1} req/s, mean latency {:.1} ms",
                n as f64 / secs,
                latency_us.load(Ordering::Relaxed) as f64 / n as f64 / 1000.0
            );
        }
        sim.stop().await;
    });
}
