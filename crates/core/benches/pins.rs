//! Staff PIN checks: one Argon2id hash, and identifying a PIN among 1, 5 and 20 staff (the
//! check tries each active hash, so it grows with the team). Run with
//! `cargo bench -p cardbind-core --bench pins`; prints medians.

use antom::Sensitive;
use cardbind_core::staff::{self, Role, StaffInput};
use std::sync::{Arc, Mutex};
mod common;

use common::median;

fn main() {
    println!("== staff PINs (Argon2id, m=19 MiB, t=2, p=1) ==");
    let hash = median(|| drop(staff::hash_pin("2580").unwrap()), 15);
    println!("hash one PIN                          {:>8.1} ms", hash.as_secs_f64() * 1e3);
    for team in [1usize, 5, 20] {
        let db = Arc::new(Mutex::new(cardbind_core::db::open_in_memory().unwrap()));
        {
            let conn = db.lock().unwrap();
            for i in 0..team {
                let role = if i == 0 { Role::Owner } else { Role::Cashier };
                let pin = format!("{}", 13579 + i * 1111);
                let input = StaffInput { name: format!("Staff {i}"), role, pin: Sensitive::new(pin) };
                staff::create(&conn, &input, None).unwrap();
            }
        }
        // the last one added: every hash is tried before it matches (the worst case)
        let last = format!("{}", 13579 + (team - 1) * 1111);
        let t = median(|| drop(staff::identify(&db, "bench-till", staff::Pad::SignIn, &last).unwrap()), 7);
        println!("sign in, {team:>2} staff (worst case)          {:>8.1} ms", t.as_secs_f64() * 1e3);
    }
}
