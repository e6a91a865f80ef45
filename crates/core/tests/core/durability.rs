//! Durable commits: the attempt committed before createVaultingSession is sent is on disk (its WAL
//! frames synced) before the call goes out, so a power cut cannot make the app forget a binding
//! Antom knows about.
//!
//! A child process (this test binary in child mode) runs a real binding flow against the
//! simulator, whose createVaultingSession answer is held back; while the call is in flight the
//! child aborts (no clean close, so no checkpoint syncs anything for it). The parent runs the
//! child under `strace` and counts the `fdatasync`/`fsync` calls on the WAL after the database
//! is open and migrated: at least one per commit the child made (the customer, then the attempt
//! with its consent). With `synchronous = NORMAL` there are none.

use crate::support::*;
use antom_sim::faults::Faults;
use cardbind_core::crypto::DataKey;
use cardbind_core::flows::binding::BindingFlow;
use std::process::Command;
use std::time::Duration;

const CHILD: &str = "CARDBIND_DURABILITY_CHILD";

#[test]
fn the_commit_before_the_call_to_antom_is_synced_to_disk() {
    if std::env::var_os(CHILD).is_some() {
        return; // the child runs `durability_child`
    }
    let strace = ["/usr/bin/strace", "/bin/strace"].into_iter().find(|p| std::path::Path::new(p).exists());
    let strace = strace.expect("strace is needed to observe the syncs (scripts/setup.sh installs it)");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cards.db");
    let trace = dir.path().join("trace.txt");
    let out = Command::new(strace)
        .args(["-f", "-qq", "-y", "-e", "trace=fsync,fdatasync,openat", "-o"])
        .arg(&trace)
        .arg(std::env::current_exe().unwrap())
        .args(["durability::durability_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD, &db)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("IN FLIGHT"),
        "the child did not reach the call to Antom:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "the child aborts mid-call");
    let trace = std::fs::read_to_string(&trace).unwrap();
    // Count from the marker on: the database is open and migrated by then, so what follows are
    // the flow's own commits.
    let marker = db.with_extension("marker");
    let after = trace
        .split_once(&*marker.to_string_lossy())
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("the child never opened the marker file:\n{trace}"));
    let wal = format!("{}-wal>", db.display());
    let wal_syncs = after
        .lines()
        .filter(|l| (l.contains("fdatasync(") || l.contains("fsync(")) && l.contains(&wal) && l.contains("= 0"))
        .count();
    eprintln!("WAL syncs in the child: {wal_syncs}");
    assert!(
        wal_syncs >= 2,
        "each commit (the customer, then the attempt before createVaultingSession) must sync the WAL; \
         saw {wal_syncs}:\n{trace}"
    );
    // And the attempt is there after the abort.
    let conn = cardbind_core::db::open(&db).unwrap();
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM binding_attempts", (), |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}

/// Child process of the test above.
#[test]
#[ignore = "child process of the_commit_before_the_call_to_antom_is_synced_to_disk"]
fn durability_child() {
    let Some(db) = std::env::var_os(CHILD) else { return };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut cfg = sim_config();
        cfg.faults = Faults { latency_ms: 30_000, ..Faults::default() };
        let sim = antom_sim::Simulator::start(cfg).await.unwrap();
        let conn = cardbind_core::db::open(std::path::Path::new(&db)).unwrap();
        std::fs::write(std::path::Path::new(&db).with_extension("marker"), b"").unwrap();
        let customer = cardbind_core::store::create_customer(
            &conn,
            &cardbind_core::store::CustomerInput { name: "Durable".into(), ..Default::default() },
            None,
        )
        .unwrap()
        .id;
        let till = cardbind_core::flows::Till::new(
            cardbind_core::db::shared(conn),
            client(sim.base_url(), 1),
            DataKey::generate(),
        );
        let flow = std::sync::Arc::new(BindingFlow::new(std::sync::Arc::new(till), "https://merchant.example/n"));
        let f = flow.clone();
        tokio::spawn(async move { f.start(customer, None, &consent()).await });
        // The attempt is committed first, then the request waits on the simulator's latency.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let n: i64 = cardbind_core::db::lock(flow.till().db())
                .query_row("SELECT COUNT(*) FROM binding_attempts", (), |r| r.get(0))
                .unwrap();
            if n == 1 {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the attempt was never written");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        println!("IN FLIGHT");
        use std::io::Write;
        std::io::stdout().flush().unwrap();
        std::process::abort();
    });
}
