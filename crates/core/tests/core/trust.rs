//! The shared database is storage, not the root of trust (issue 30). Each test sets up a shop on
//! a real private PostgreSQL, then changes the database the way someone with its password would
//! — through `psql`, with no till's keys — and checks that the tills do not believe it.

use super::access::{pin, staff, CASHIER_PIN, MANAGER_PIN, OWNER_PIN};
use super::support::bind_demo_card;
use cardbind_core::app::ops::{self, ChargeRequest, ShopDatabaseUpdate};
use cardbind_core::app::AppContext;
use cardbind_core::paths::AppPaths;
use cardbind_core::staff::Role;
use cardbind_core::ErrorCode;
use cardbind_testkit::in_private_keyring;

fn shared(url: &str, move_data: bool) -> ShopDatabaseUpdate {
    ShopDatabaseUpdate { shared: true, url: Some(pin(url)), ca_file: None, move_data, owner_pin: Some(pin(OWNER_PIN)) }
}

/// A shop with an owner, a manager, a cashier and Ana's card, moved into a fresh shared
/// database; the owner signed in.
async fn shop() -> (AppContext, String, i64, tempfile::TempDir) {
    let url = cardbind_testkit::pg::fresh_database();
    let root = tempfile::tempdir().unwrap();
    let till = AppContext::open(AppPaths::under(root.path())).await.unwrap();
    ops::staff_create(&till, &staff("Olga", Role::Owner, OWNER_PIN)).unwrap();
    ops::staff_create(&till, &staff("Max", Role::Manager, MANAGER_PIN)).unwrap();
    ops::staff_create(&till, &staff("Cy", Role::Cashier, CASHIER_PIN)).unwrap();
    let mut s = till.settings();
    s.currency = Some("EUR".into());
    till.apply_settings(s).await.unwrap();
    let (card, _) = bind_demo_card(&till, "Ana Souza").await;
    ops::shop_database_set(&till, shared(&url, true)).await.unwrap();
    ops::staff_sign_in(&till, &pin(OWNER_PIN)).unwrap();
    (till, url, card, root)
}

/// Run `sql` with `psql` against the demo schema of the database at `url`, as whoever holds its
/// password would.
fn psql(url: &str, sql: &str) {
    if let Err(e) = try_psql(url, sql) {
        panic!("psql {sql}: {e}");
    }
}

fn try_psql(url: &str, sql: &str) -> Result<(), String> {
    let out = std::process::Command::new(cardbind_testkit::pg::bin_dir().join("psql"))
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .env("PGOPTIONS", "-c search_path=cardbind_demo")
        .output()
        .expect("psql runs");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn charge(card: i64, amount: i64) -> ChargeRequest {
    ChargeRequest {
        card_id: card,
        amount,
        description: "Bolo".into(),
        reference: None,
        customer_present: true,
        device: None,
        key: uuid::Uuid::new_v4().simple().to_string(),
    }
}

/// Before: the app believed every staff row, so an owner row with a known PIN hash (the
/// cashier's own, copied) or the cashier's row made owner signed in as owner at every till.
#[tokio::test(flavor = "multi_thread")]
async fn an_owner_row_inserted_and_a_cashier_made_owner_through_psql_sign_in_as_no_owner() {
    if in_private_keyring("trust::an_owner_row_inserted_and_a_cashier_made_owner_through_psql_sign_in_as_no_owner") {
        return;
    }
    let (till, url, _card, _root) = shop().await;
    // the cashier copies their own PIN hash into a new owner row
    psql(
        &url,
        "INSERT INTO staff (name, role, pin_hash, created_at) SELECT 'Eve', 'owner', pin_hash, created_at FROM staff WHERE name = 'Cy'",
    );
    let op = ops::staff_sign_in(&till, &pin(CASHIER_PIN)).unwrap();
    assert_eq!((op.name.as_str(), op.role), ("Cy", Role::Cashier), "the made-up owner is not believed");
    // and makes their own row an owner's
    psql(&url, "UPDATE staff SET role = 'owner' WHERE name = 'Cy'");
    assert_eq!(ops::staff_sign_in(&till, &pin(CASHIER_PIN)).unwrap_err().code, ErrorCode::PinWrong);
    ops::staff_sign_in(&till, &pin(OWNER_PIN)).unwrap();
    let list = ops::staff_list(&till).unwrap();
    let tampered: Vec<&str> = list.iter().filter(|m| !m.sealed).map(|m| m.name.as_str()).collect();
    assert_eq!(tampered.len(), 2, "{list:?}");
    assert!(tampered.contains(&"Eve") && tampered.contains(&"Cy"));
    let report = ops::integrity_report(&till).unwrap();
    assert!(report.checked && report.alert && report.tampered_staff == 2, "{report:?}");
    // a change the till itself makes to a refused row is refused, never sealed anew
    let cy = list.iter().find(|m| m.name == "Cy").unwrap().id;
    assert_eq!(ops::staff_disable(&till, cy).unwrap_err().code, ErrorCode::RowTampered);
}

/// Before: every staff row disabled through psql put every till into open mode, where
/// everything is allowed without a PIN.
#[tokio::test(flavor = "multi_thread")]
async fn all_staff_disabled_through_psql_is_no_open_mode() {
    if in_private_keyring("trust::all_staff_disabled_through_psql_is_no_open_mode") {
        return;
    }
    let (till, url, card, _root) = shop().await;
    ops::staff_sign_out(&till, false).unwrap();
    psql(&url, "UPDATE staff SET disabled_at = '2026-01-01T00:00:00Z'");
    let e = ops::payment_charge(&till, &charge(card, 100)).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::StaffListMissing, "{e:?}");
    assert_eq!(ops::staff_status(&till).unwrap_err().code, ErrorCode::StaffListMissing);
    assert_eq!(ops::cards_list(&till, &Default::default()).unwrap_err().code, ErrorCode::StaffListMissing);
    // nor when the rows are made to look like no one was ever there (deleted, and the
    // activity log's references with them)
    psql(&url, "ALTER TABLE audit_log DISABLE TRIGGER USER; UPDATE audit_log SET staff_id = NULL; DELETE FROM staff");
    let e = ops::payment_charge(&till, &charge(card, 100)).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::StaffListMissing, "{e:?}");
}

/// Before: a card's row was bound to its customer by nothing the tills hold, so a card moved to
/// another customer through psql was charged as theirs.
#[tokio::test(flavor = "multi_thread")]
async fn a_card_moved_to_another_customer_through_psql_cannot_be_charged() {
    if in_private_keyring("trust::a_card_moved_to_another_customer_through_psql_cannot_be_charged") {
        return;
    }
    let (till, url, card, _root) = shop().await;
    let bea =
        ops::customer_create(&till, &cardbind_core::store::CustomerInput { name: "Bea".into(), ..Default::default() })
            .unwrap()
            .id;
    // the card is Ana's and charges
    assert!(ops::card_get(&till, card).is_ok());
    psql(&url, &format!("UPDATE cards SET customer_id = {bea} WHERE id = {card}"));
    let e = ops::payment_charge(&till, &charge(card, 100)).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::RowTampered, "{e:?}");
    assert_eq!(ops::card_get(&till, card).unwrap_err().code, ErrorCode::RowTampered);
    let paid = ops::payments_list(&till, &Default::default()).unwrap();
    assert!(paid.rows.is_empty(), "nothing was charged: {paid:?}");
    // moved back, it is Ana's card again
    let ana = 1;
    psql(&url, &format!("UPDATE cards SET customer_id = {ana} WHERE id = {card}"));
    assert!(ops::card_get(&till, card).is_ok());
}

/// The activity log is a chain of MACs: an entry edited, or one removed, through psql (even
/// with the append-only triggers disabled by the database's owner) is found, at that entry.
#[tokio::test(flavor = "multi_thread")]
async fn an_audit_row_edited_or_removed_through_psql_is_detected() {
    if in_private_keyring("trust::an_audit_row_edited_or_removed_through_psql_is_detected") {
        return;
    }
    let (till, url, _card, _root) = shop().await;
    let before = ops::integrity_report(&till).unwrap();
    assert!(before.checked && !before.alert && before.audit.sealed >= 5, "{before:?}");
    let ids: Vec<i64> = ops::audit_list(&till, None, 500).unwrap().iter().map(|e| e.id).rev().collect();
    let edited = ids[2];
    psql(
        &url,
        &format!(
            "ALTER TABLE audit_log DISABLE TRIGGER USER; UPDATE audit_log SET detail = 'nothing happened' WHERE id = {edited}; ALTER TABLE audit_log ENABLE TRIGGER USER"
        ),
    );
    let report = ops::integrity_report(&till).unwrap();
    assert_eq!(report.audit.broken_at, Some(edited), "{report:?}");
    assert!(report.alert);

    // a fresh shop: an entry deleted breaks the chain at the one after it
    let (till, url, _card, _root) = shop().await;
    let ids: Vec<i64> = ops::audit_list(&till, None, 500).unwrap().iter().map(|e| e.id).rev().collect();
    psql(
        &url,
        &format!(
            "ALTER TABLE audit_log DISABLE TRIGGER USER; DELETE FROM audit_log WHERE id = {}; ALTER TABLE audit_log ENABLE TRIGGER USER",
            ids[3]
        ),
    );
    assert_eq!(ops::integrity_report(&till).unwrap().audit.broken_at, Some(ids[4]));
    // an entry added without the shop's key is counted, not believed
    let (till, url, _card, _root) = shop().await;
    psql(&url, "INSERT INTO audit_log (at, action, detail) VALUES ('2026-01-01T00:00:00Z', 'payment.refund', 'x')");
    let report = ops::integrity_report(&till).unwrap();
    assert_eq!((report.audit.unsealed, report.audit.broken_at), (1, None), "{report:?}");
    assert!(report.alert);
}

/// Before: every till logged in with the one role that owns the schema, so any till (or whoever
/// took its password) could disable the activity log's triggers and delete its rows, and a
/// revoked till's password kept working.
#[tokio::test(flavor = "multi_thread")]
async fn a_tills_own_role_cannot_touch_the_activity_log_and_a_revoked_role_cannot_log_in() {
    if in_private_keyring("trust::a_tills_own_role_cannot_touch_the_activity_log_and_a_revoked_role_cannot_log_in") {
        return;
    }
    let (till, admin_url, _card, _root) = shop().await;
    let own = cardbind_core::secrets::shop_database_url().unwrap().unwrap();
    assert_ne!(own.expose(), &admin_url, "the till works through a role of its own");
    assert!(own.expose().contains("cardbind_till_"), "its own role");
    // it reads and writes what the app needs
    try_psql(own.expose(), "SELECT count(*) FROM cards; INSERT INTO audit_log (at, action) VALUES ('t', 'x')").unwrap();
    for attack in [
        "ALTER TABLE audit_log DISABLE TRIGGER USER",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET detail = 'x'",
        "TRUNCATE audit_log",
        "DROP TRIGGER audit_log_no_delete ON audit_log",
        "UPDATE row_key_check SET key_check = 'x'",
        "DELETE FROM data_key_checks",
        "UPDATE shop_identity SET identity = 'x'",
        "CREATE TABLE evil (id int)",
    ] {
        let e = try_psql(own.expose(), attack).expect_err(attack);
        assert!(e.contains("permission denied") || e.contains("must be owner"), "{attack}: {e}");
    }
    // a till admitted and then revoked: its role logs in, then no longer
    let shop_db = till.settings().shop_database;
    let key = [7u8; 32];
    let env = cardbind_core::settings::Environment::Demo;
    let url = cardbind_core::shop::roles::admit(&shop_db, env, &key).unwrap().unwrap();
    try_psql(url.expose(), "SELECT 1").unwrap();
    cardbind_core::shop::roles::revoke(&shop_db, env, &key).unwrap();
    let e = try_psql(url.expose(), "SELECT 1").unwrap_err();
    assert!(e.contains("not permitted to log in") || e.contains("authentication failed"), "{e}");
}

/// Before: kiosk codes were kept as an unsalted hash of six digits: every open code inverted
/// in 10^6 hashes by whoever read the table.
#[tokio::test(flavor = "multi_thread")]
async fn a_kiosk_code_read_from_the_database_cannot_be_inverted_without_a_tills_key() {
    if in_private_keyring("trust::a_kiosk_code_read_from_the_database_cannot_be_inverted_without_a_tills_key") {
        return;
    }
    use sha2::Digest;
    let (till, url, _card, _root) = shop().await;
    let code = ops::customer_kiosk_code(&till, 1).unwrap().code;
    let c = cardbind_core::db::open_shared(&url, Some("cardbind_demo"), None).unwrap();
    let stored: String = c.query_row("SELECT code_hash FROM kiosk_codes", (), |r| r.get(0)).unwrap();
    // the search the old hash allowed: every six-digit code, hashed as before
    let found = (0..1_000_000u32).map(|n| format!("{n:06}")).find(|guess| {
        let h = sha2::Sha256::digest(format!("cardbind kiosk code:{guess}").as_bytes());
        h.iter().map(|b| format!("{b:02x}")).collect::<String>() == stored
    });
    assert_eq!(found, None, "the code {code} was found from the database alone");
}

/// Before: `sslmode=disable` was accepted for any host, so the shop's data and the database
/// password crossed the LAN in clear.
#[tokio::test(flavor = "multi_thread")]
async fn no_tls_is_refused_for_another_computer_before_anything_is_sent() {
    if in_private_keyring("trust::no_tls_is_refused_for_another_computer_before_anything_is_sent") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let till = AppContext::open(AppPaths::under(root.path())).await.unwrap();
    for url in [
        "postgresql://cardbind:pw@db.shop.invalid:5432/cardbind?sslmode=disable",
        "postgresql://cardbind:pw@localhost.invalid/cardbind?sslmode=disable",
        "postgresql://cardbind:pw@db.shop.invalid/cardbind?sslmode=disable&hostaddr=127.0.0.1",
    ] {
        let e = ops::shop_database_set(&till, shared(url, false)).await.unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("url")), "{url}: {e:?}");
    }
    // this computer, without TLS, is allowed (nothing listens on port 1: unreachable, not refused)
    let e =
        ops::shop_database_set(&till, shared("postgresql://cardbind:pw@127.0.0.1:1/cardbind?sslmode=disable", false))
            .await
            .unwrap_err();
    assert_eq!(e.code, ErrorCode::DatabaseUnreachable, "{e:?}");
    assert!(!till.settings().shop_database.shared);
}

/// Every sealed token, read from the database, and which of `keys` opens it.
fn tokens_open_with(url: &str, key: &cardbind_core::crypto::DataKey) -> Vec<bool> {
    let c = cardbind_core::db::open_shared(url, Some("cardbind_demo"), None).unwrap();
    let rows: Vec<(String, Vec<u8>)> = c
        .query_map("SELECT vaulting_request_id, token_sealed FROM cards WHERE token_sealed IS NOT NULL", (), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(!rows.is_empty());
    rows.iter().map(|(vr, sealed)| key.open(sealed, vr.as_bytes()).is_ok()).collect()
}

/// Before: the token data key could never be rotated, so every dump or backup stayed open to
/// whoever later got the key. After a rotation — also one stopped half-way and finished by the
/// next start — every token opens under the new key and none under the old.
#[tokio::test(flavor = "multi_thread")]
async fn after_rotation_every_token_opens_under_the_new_key_and_none_under_the_old() {
    if in_private_keyring("trust::after_rotation_every_token_opens_under_the_new_key_and_none_under_the_old") {
        return;
    }
    use cardbind_core::secrets::Secrets;
    let (till, url, card, root) = shop().await;
    bind_demo_card(&till, "Bea").await;
    bind_demo_card(&till, "Cy").await;
    let secrets = || Secrets::for_settings(&till.settings(), till.environment());
    let old = secrets().data_key().unwrap();
    assert!(tokens_open_with(&url, &old).iter().all(|o| *o));
    // a cashier may not
    ops::staff_sign_in(&till, &pin(CASHIER_PIN)).unwrap();
    assert_eq!(ops::data_key_rotate(&till).await.unwrap_err().code, ErrorCode::PermissionDenied);
    ops::staff_sign_in(&till, &pin(OWNER_PIN)).unwrap();
    let rotated = ops::data_key_rotate(&till).await.unwrap();
    assert_eq!(rotated.resealed, 3);
    let new = secrets().data_key().unwrap();
    assert!(tokens_open_with(&url, &new).iter().all(|o| *o), "every token opens under the new key");
    assert!(tokens_open_with(&url, &old).iter().all(|o| !*o), "none under the old");
    let paid = ops::payment_charge(&till, &charge(card, 250)).await.unwrap();
    assert_eq!(paid.state, cardbind_core::store::payments::PaymentState::Authorised, "{paid:?}");

    // stopped after one token (a power cut): the next start finishes it
    {
        let db = till.db();
        let conn = cardbind_core::db::lock(&db);
        let half = cardbind_core::rotation::rotate(&conn, &secrets(), None, Some(1)).unwrap();
        assert_eq!((half.resealed, half.done), (1, false));
    }
    let mixed = (tokens_open_with(&url, &new), secrets().data_key_next().unwrap().expect("under way"));
    assert_eq!(mixed.0.iter().filter(|o| **o).count(), 2, "two still under the key before");
    drop(till);
    let till = AppContext::open(AppPaths::under(root.path())).await.unwrap();
    let newest = Secrets::for_settings(&till.settings(), till.environment()).data_key().unwrap();
    assert_eq!(newest.id_hex(), mixed.1.id_hex(), "the rotation under way was finished");
    assert!(tokens_open_with(&url, &newest).iter().all(|o| *o));
    assert!(tokens_open_with(&url, &new).iter().all(|o| !*o));
    ops::staff_sign_in(&till, &pin(OWNER_PIN)).unwrap();
    let paid = ops::payment_charge(&till, &charge(card, 300)).await.unwrap();
    assert_eq!(paid.state, cardbind_core::store::payments::PaymentState::Authorised, "{paid:?}");
}
