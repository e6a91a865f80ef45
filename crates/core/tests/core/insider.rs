//! Issue 29: who may move money and keys. Each test is an attack someone at the till could run
//! (a cashier, a manager, a kiosk visitor, a script in the page calling the same commands), and
//! each failed on the code before the issue: the comment above it says how.

use super::access::{code, pin, staff, Shop, CASHIER_PIN, MANAGER_PIN, OWNER_PIN};
use antom::Sensitive;
use cardbind_core::app::ops::{self, ChargeRequest, ExportKind, SettingsUpdate, ShopDatabaseUpdate};
use cardbind_core::app::AppContext;
use cardbind_core::db::lock;
use cardbind_core::paths::AppPaths;
use cardbind_core::settings::{Environment, Settings};
use cardbind_core::staff::Role;
use cardbind_core::ErrorCode;
use cardbind_testkit::in_private_keyring;
use std::time::{Duration, Instant};

fn new_key() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn charge(card: i64, amount: i64, present: bool) -> ChargeRequest {
    ChargeRequest {
        card_id: card,
        amount,
        description: "x".into(),
        reference: None,
        customer_present: present,
        device: None,
        key: new_key(),
    }
}

async fn no_limits_chosen(shop: &Shop) {
    let mut s = shop.ctx.settings();
    s.charge_limit = None;
    s.daily_charge_limit = None;
    shop.ctx.apply_settings(s).await.unwrap();
}

/// Item 1. Before: a new shop had no limit, so a cashier's "customer present" charge of
/// 999,999.99 on any saved card went through alone.
#[tokio::test(flavor = "multi_thread")]
async fn a_cashier_alone_charges_only_up_to_the_default_limit_and_daily_total() {
    if in_private_keyring("insider::a_cashier_alone_charges_only_up_to_the_default_limit_and_daily_total") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    no_limits_chosen(&shop).await;
    let ctx = &shop.ctx;
    let card = shop.real_card().await;
    assert_eq!(ctx.settings().cashier_limits("EUR"), (10_000, 50_000), "a new shop: 100.00 and 500.00");
    shop.sign_in(CASHIER_PIN);
    let huge = ops::payment_charge(ctx, &charge(card, 99_999_999, true)).await.map(|_| ());
    assert_eq!(code(huge), Some(ErrorCode::PermissionDenied), "999,999.99 'customer present' needs a manager");
    // alone: up to 100.00 a charge, 500.00 in 24 hours
    for _ in 0..5 {
        ops::payment_charge(ctx, &charge(card, 10_000, true)).await.unwrap();
    }
    let sixth = ops::payment_charge(ctx, &charge(card, 100, true)).await.map(|_| ());
    assert_eq!(code(sixth), Some(ErrorCode::PermissionDenied), "beyond the cashier's daily total");
    // a manager approves that one charge; it is recorded under the manager
    let sixth = charge(card, 100, true);
    assert!(ops::payment_charge(ctx, &sixth).await.is_err());
    ops::staff_approve(ctx, &pin(MANAGER_PIN)).unwrap();
    let p = ops::payment_charge(ctx, &sixth).await.unwrap();
    let who: Option<i64> =
        lock(&ctx.db()).query_row("SELECT staff_id FROM payments WHERE id = ?1", [p.id], |r| r.get(0)).unwrap();
    let manager: i64 =
        lock(&ctx.db()).query_row("SELECT id FROM staff WHERE role = 'manager'", (), |r| r.get(0)).unwrap();
    assert_eq!(who, Some(manager));
    // a manager is not limited; no limit can be switched off
    shop.sign_in(MANAGER_PIN);
    ops::payment_charge(ctx, &charge(card, 20_000, true)).await.unwrap();
    let mut s = ctx.settings();
    s.charge_limit = Some(0);
    let refused = ops::settings_save(ctx, SettingsUpdate::settings_only(s)).await.map(|_| ());
    assert_eq!(code(refused), Some(ErrorCode::SettingsInvalid));
}

/// Item 2. Before: an approval was for a permission, so a manager's "refund 1.00 of payment X"
/// let the cashier refund all of payment Y, or cancel X, within two minutes.
#[tokio::test(flavor = "multi_thread")]
async fn an_approval_allows_exactly_its_action_subject_and_amount() {
    if in_private_keyring("insider::an_approval_allows_exactly_its_action_subject_and_amount") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    let ctx = &shop.ctx;
    let (x, y) = (shop.fresh_payment().await, shop.fresh_payment().await);
    shop.sign_in(CASHIER_PIN);
    let refund = |id, amount| async move { ops::payment_refund(ctx, id, amount, None).await.map(|_| ()) };
    assert_eq!(code(refund(x, 100).await), Some(ErrorCode::PermissionDenied));
    // the PIN pad shows what is approved
    let asked = ops::staff_status(ctx).unwrap().pending_approval.unwrap();
    assert_eq!(asked.command, "payment_refund");
    assert_eq!((asked.amount, asked.currency.as_deref()), (Some(100), Some("EUR")));
    assert_eq!((asked.card_brand.as_deref(), asked.card_last4.as_deref()), (Some("VISA"), Some("1111")));
    assert!(asked.payment_reference.is_some());
    ops::staff_approve(ctx, &pin(MANAGER_PIN)).unwrap();
    // not for another payment, another amount, or a cancel of the same payment
    assert_eq!(code(refund(y, 1000).await), Some(ErrorCode::PermissionDenied), "payment Y");
    assert_eq!(code(refund(x, 100).await), Some(ErrorCode::PermissionDenied), "spent on the try at Y");
    ops::staff_approve(ctx, &pin(MANAGER_PIN)).unwrap();
    assert_eq!(code(refund(x, 1000).await), Some(ErrorCode::PermissionDenied), "all of X");
    ops::staff_approve(ctx, &pin(MANAGER_PIN)).unwrap();
    let cancel = ops::payment_cancel(ctx, x).await.map(|_| ());
    assert_eq!(code(cancel), Some(ErrorCode::PermissionDenied), "a cancel of X");
    // the approval of exactly (refund, X, 1.00) allows exactly that
    assert_eq!(code(refund(x, 100).await), Some(ErrorCode::PermissionDenied));
    ops::staff_approve(ctx, &pin(MANAGER_PIN)).unwrap();
    refund(x, 100).await.unwrap();
    // a charge above the limit: approved for its amount and card, not for more
    let card = shop.real_card().await;
    let big = charge(card, super::access::LIMIT + 100, true);
    assert!(ops::payment_charge(ctx, &big).await.is_err());
    ops::staff_approve(ctx, &pin(MANAGER_PIN)).unwrap();
    let bigger = charge(card, 99_999_999, true);
    assert_eq!(code(ops::payment_charge(ctx, &bigger).await.map(|_| ())), Some(ErrorCode::PermissionDenied));
    assert_eq!(
        lock(&ctx.db())
            .query_row("SELECT COUNT(*) FROM payments WHERE amount = 99999999", (), |r| r.get::<i64>(0))
            .unwrap(),
        0
    );
}

/// Item 3. Before: `payment_charge` had no key, so a page that sent the dialog's charge twice
/// (a retry, a double click, a script) charged the card twice.
#[tokio::test(flavor = "multi_thread")]
async fn a_charge_sent_twice_by_the_page_is_one_payment() {
    if in_private_keyring("insider::a_charge_sent_twice_by_the_page_is_one_payment") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    let ctx = &shop.ctx;
    let card = shop.real_card().await;
    shop.sign_in(CASHIER_PIN);
    let dialog = charge(card, 700, true);
    let first = ops::payment_charge(ctx, &dialog).await.unwrap();
    let again = ops::payment_charge(ctx, &dialog).await.unwrap();
    assert_eq!(first.id, again.id);
    // two at once
    let both = charge(card, 800, true);
    let (a, b) = tokio::join!(ops::payment_charge(ctx, &both), ops::payment_charge(ctx, &both));
    assert_eq!(a.unwrap().id, b.unwrap().id);
    // the key of a dialog that charged 7.00 does not charge anything else
    let mut other = charge(card, 900, true);
    other.key = dialog.key.clone();
    let e = ops::payment_charge(ctx, &other).await.unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("key")));
    let n: i64 = lock(&ctx.db()).query_row("SELECT COUNT(*) FROM payments", (), |r| r.get(0)).unwrap();
    assert_eq!(n, 2, "two dialogs, two payments");
    // a key that is not one
    let mut bad = charge(card, 100, true);
    bad.key = "1".into();
    assert_eq!(ops::payment_charge(ctx, &bad).await.unwrap_err().code, ErrorCode::InvalidInput);
}

/// Item 4. Before: what is left to refund was read outside a locking transaction, so two tills
/// on a shared database could each refund the whole payment. Here the other till is a
/// connection of its own that has taken the payment (as a refund does now) and recorded a full
/// refund it has not committed yet: this till's refund waits for it, then is refused.
#[tokio::test(flavor = "multi_thread")]
async fn two_tills_cannot_refund_more_than_was_paid() {
    use crate::support::*;
    let url = cardbind_testkit::pg::fresh_database();
    let sim = antom_sim::Simulator::start(sim_config()).await.unwrap();
    let conn = cardbind_core::db::open_postgres(&url).unwrap();
    let customer = cardbind_core::store::create_customer(
        &conn,
        &cardbind_core::store::CustomerInput { name: "Ana".into(), ..Default::default() },
        None,
    )
    .unwrap()
    .id;
    let db: cardbind_core::db::Db = std::sync::Arc::new(std::sync::Mutex::new(conn));
    let key = cardbind_core::crypto::DataKey::generate();
    let till = std::sync::Arc::new(cardbind_core::flows::Till::new(db.clone(), client(sim.base_url(), 3), key.clone()));
    let flow = cardbind_core::flows::BindingFlow::new(till.clone(), "https://merchant.example/n").with_poll(POLL);
    let started = flow.start(customer, None, &consent()).await.unwrap();
    buyer_submits(&sim, &started.session_data, "4111111111111111").await;
    let card = flow.wait_for_result(started.attempt.id, Duration::from_secs(10)).await.unwrap().card_id.unwrap();
    let flows = flows_of(cardbind_core::flows::Till::new(db.clone(), client(sim.base_url(), 3), key));
    let input = cardbind_core::flows::payments::ChargeInput {
        card_id: card,
        amount: 1000,
        currency: "USD".into(),
        description: "x".into(),
        reference: None,
        customer_present: true,
        device: None,
        charge_key: None,
    };
    let p = flows.payments.charge(&input, None).await.unwrap();
    captured(&flows, p.id).await;

    // the other till, mid-refund
    let other = cardbind_core::db::open_postgres(&url).unwrap();
    let tx = other.unchecked_transaction().unwrap();
    tx.execute("UPDATE payments SET updated_at = updated_at WHERE id = ?1", [p.id]).unwrap();
    cardbind_core::store::payments::insert_refund(&tx, "refund-other-till", p.id, 1000, None, None, None).unwrap();
    let refunds = flows.refunds.clone();
    let id = p.id;
    let mine = tokio::spawn(async move { refunds.refund(id, 1000, None, None).await });
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(!mine.is_finished(), "this till's refund waits for the other till's");
    tx.commit().unwrap();
    let e = mine.await.unwrap().unwrap_err();
    assert_eq!(e.code, ErrorCode::RefundNotPossible, "{e:?}");
    let total: i64 = lock(&db)
        .query_row("SELECT CAST(SUM(amount) AS BIGINT) FROM refunds WHERE payment_row = ?1", [p.id], |r| r.get(0))
        .unwrap();
    assert_eq!(total, 1000, "never more than was paid");
}

/// Item 5. Before: the backup folder, schedule and "keep" were ordinary settings a manager
/// could save, and "keep 1" deleted every other backup in the folder, the owner's too.
#[tokio::test(flavor = "multi_thread")]
async fn backup_settings_are_the_owners_and_a_schedule_deletes_only_its_own_files() {
    if in_private_keyring("insider::backup_settings_are_the_owners_and_a_schedule_deletes_only_its_own_files") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    let ctx = &shop.ctx;
    let folder = tempfile::tempdir().unwrap();
    // the owner's own backup, made by hand a while ago
    let owners = folder.path().join("cardbind-backup-20260101-000000.age");
    std::fs::write(&owners, b"the owner's").unwrap();
    shop.sign_in(MANAGER_PIN);
    let mut s = ctx.settings();
    s.backup.folder = Some(folder.path().display().to_string());
    s.backup.every_hours = 1;
    s.backup.keep = 1;
    let mut update = SettingsUpdate::settings_only(s.clone());
    update.backup_passphrase = Some(Sensitive::new("correct horse battery staple".into()));
    let refused = ops::settings_save(ctx, update).await.map(|_| ());
    assert_eq!(code(refused), Some(ErrorCode::PermissionDenied), "a manager alone");
    assert_eq!(ctx.settings().backup.keep, 7, "nothing saved");
    // with the owner's PIN on the approval pad
    ops::staff_approve(ctx, &pin(OWNER_PIN)).unwrap();
    let mut update = SettingsUpdate::settings_only(s.clone());
    update.backup_passphrase = Some(Sensitive::new("correct horse battery staple".into()));
    ops::settings_save(ctx, update).await.unwrap();
    // the schedule runs twice with keep 1: its older file goes, the owner's stays
    let pass = Sensitive::new("correct horse battery staple".to_string());
    let run = || {
        cardbind_core::backup::run_schedule(ctx.paths(), &ctx.settings(), &pass, folder.path(), Duration::ZERO, 1, "t")
            .unwrap()
            .unwrap()
    };
    let first = run();
    std::thread::sleep(Duration::from_millis(1100));
    let second = run();
    assert!(owners.exists(), "the owner's backup is not the schedule's to delete");
    assert!(!std::path::Path::new(&first.path).exists(), "the schedule's older one is gone");
    assert!(std::path::Path::new(&second.path).exists());
}

fn shared(url: &str, move_data: bool, owner_pin: Option<&str>) -> ShopDatabaseUpdate {
    ShopDatabaseUpdate { shared: true, url: Some(pin(url)), ca_file: None, move_data, owner_pin: owner_pin.map(pin) }
}

/// Item 6. Before: joining an existing shared database checked the owner PIN against that
/// database's staff, so a manager who put an owner of their own into their own PostgreSQL moved
/// this till there, became its owner and paired a till of theirs to receive this till's keys.
#[tokio::test(flavor = "multi_thread")]
async fn a_managers_own_database_gets_no_owner_and_no_keys() {
    if in_private_keyring("insider::a_managers_own_database_gets_no_owner_and_no_keys") {
        return;
    }
    // the manager's database, with an "owner" whose PIN the manager knows
    let evil = cardbind_testkit::pg::fresh_database();
    {
        let schema = cardbind_core::shop::shared_schema(Environment::Demo);
        let c = cardbind_core::db::open_shared(&evil, Some(&schema), None).unwrap();
        cardbind_core::staff::create(&c, &staff("Evil", Role::Owner, "7531"), None).unwrap();
    }
    let root = tempfile::tempdir().unwrap();
    let till = AppContext::open(AppPaths::under(root.path())).await.unwrap();
    ops::staff_create(&till, &staff("Olga", Role::Owner, OWNER_PIN)).unwrap();
    ops::staff_create(&till, &staff("Max", Role::Manager, MANAGER_PIN)).unwrap();
    ops::staff_sign_out(&till, false).unwrap();
    ops::staff_sign_in(&till, &pin(MANAGER_PIN)).unwrap();
    let e = ops::shop_database_set(&till, shared(&evil, false, Some("7531"))).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::PermissionDenied, "{e:?}");
    assert!(!till.settings().shop_database.shared);
    // even with the owner signed in, the other database's "owner" PIN is nobody here
    ops::staff_sign_in(&till, &pin(OWNER_PIN)).unwrap();
    let e = ops::shop_database_set(&till, shared(&evil, false, Some("7531"))).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::PinWrong, "{e:?}");
    assert!(!till.settings().shop_database.shared);

    // the shop moves to its own database; if its owner is then led to the manager's, no keys
    // are offered there
    let own = cardbind_testkit::pg::fresh_database();
    ops::shop_database_set(&till, shared(&own, true, Some(OWNER_PIN))).await.unwrap();
    // every environment's schema names the shop (a till may switch environment later)
    let ids: Vec<Option<String>> = Environment::ALL
        .iter()
        .map(|e| {
            let c = cardbind_core::db::open_shared(&own, Some(&cardbind_core::shop::shared_schema(*e)), None).unwrap();
            cardbind_core::shop::identity::of_database(&c).unwrap()
        })
        .collect();
    assert!(ids[0].is_some() && ids.iter().all(|i| i == &ids[0]), "{ids:?}");
    ops::till_offer(&till).unwrap();
    ops::shop_database_set(&till, shared(&evil, false, Some(OWNER_PIN))).await.unwrap();
    // the "owner" that database made up is not believed (its row carries no shop seal: issue
    // 30), and a till that has had staff finds no one there who can sign in
    assert_eq!(ops::staff_sign_in(&till, &pin("7531")).unwrap_err().code, ErrorCode::PinWrong);
    assert_eq!(ops::till_offer(&till).unwrap_err().code, ErrorCode::StaffListMissing);
}

const LIVE_ID: &str = "2188120000000000";

/// Production, reached by the owner: a simulator that knows the live client id, the keys, the
/// owner's PIN. Then the manager is signed in.
async fn live_shop() -> (Shop, antom_sim::SimHandle) {
    use cardbind_testkit::test_key;
    let (shop, _) = Shop::open().await.with_staff();
    let cfg = antom_sim::SimConfig::new(test_key(1).clone()).with_client(LIVE_ID, test_key(0).public_key());
    let sim = antom_sim::Simulator::start(cfg).await.unwrap();
    shop.sign_in(OWNER_PIN);
    let mut s = shop.ctx.settings();
    s.environment = Environment::Production;
    s.base_url = Some(sim.base_url().to_string());
    s.client_id = Some(LIVE_ID.into());
    s.shop_name = Some("Loja".into());
    let update = SettingsUpdate {
        settings: s,
        merchant_private_key: Some(Sensitive::new(test_key(0).to_pkcs8_base64().expose().clone())),
        antom_public_key: Some(sim.antom_public_key().to_spki_base64()),
        backup_passphrase: None,
        owner_pin: Some(pin(OWNER_PIN)),
    };
    ops::settings_save(&shop.ctx, update).await.unwrap();
    assert_eq!(shop.ctx.environment(), Environment::Production);
    shop.sign_in(MANAGER_PIN);
    (shop, sim)
}

/// Item 7. Before: production's base URL, client id and keys were saved at manager level, so a
/// manager could put a "proxy" of theirs between the shop and Antom.
#[tokio::test(flavor = "multi_thread")]
async fn production_antom_settings_need_the_owner_and_the_audit_names_each_change() {
    if in_private_keyring("insider::production_antom_settings_need_the_owner_and_the_audit_names_each_change") {
        return;
    }
    let (shop, _sim) = live_shop().await;
    let ctx = &shop.ctx;
    let save = |s: Settings| async move { ops::settings_save(ctx, SettingsUpdate::settings_only(s)).await.map(|_| ()) };
    // a manager's ordinary change is still a manager's
    let mut shop_name = ctx.settings();
    shop_name.shop_name = Some("Loja da Ana".into());
    save(shop_name).await.unwrap();
    let before = ctx.settings().base_url.clone().unwrap();
    let mut s = ctx.settings();
    s.base_url = Some("https://proxy.invalid".into());
    assert_eq!(code(save(s.clone()).await), Some(ErrorCode::PermissionDenied), "a manager alone");
    let mut k = SettingsUpdate::settings_only(ctx.settings());
    k.merchant_private_key = Some(Sensitive::new(cardbind_testkit::test_key(2).to_pkcs8_base64().expose().clone()));
    assert_eq!(code(ops::settings_save(ctx, k).await.map(|_| ())), Some(ErrorCode::PermissionDenied), "keys");
    // the owner approves exactly this change
    assert!(save(s.clone()).await.is_err());
    let asked = ops::staff_status(ctx).unwrap().pending_approval.unwrap();
    assert!(asked.subject.as_deref().unwrap().starts_with("settings:baseUrl#"), "{asked:?}");
    ops::staff_approve(ctx, &pin(OWNER_PIN)).unwrap();
    save(s).await.unwrap();
    let log = ops::audit_list(ctx, None, 50).unwrap();
    let saved = log.iter().find(|e| e.action == "settings.save").unwrap();
    let detail = saved.detail.as_deref().unwrap();
    assert!(detail.contains(&format!("baseUrl: \"{before}\" → \"https://proxy.invalid\"")), "{detail}");
    let named = log.iter().find(|e| e.action == "settings.save" && e.detail.as_deref().unwrap().contains("shopName"));
    assert!(named.unwrap().detail.as_deref().unwrap().contains("shopName: \"Loja\" → \"Loja da Ana\""));
}

/// Item 8. Before: a manager could leave production for demo, and switch a kiosk on outside
/// production, alone.
#[tokio::test(flavor = "multi_thread")]
async fn leaving_production_and_a_kiosk_outside_production_need_the_owner() {
    if in_private_keyring("insider::leaving_production_and_a_kiosk_outside_production_need_the_owner") {
        return;
    }
    let (shop, _sim) = live_shop().await;
    let ctx = &shop.ctx;
    let mut s = ctx.settings();
    s.environment = Environment::Demo;
    let refused = ops::settings_save(ctx, SettingsUpdate::settings_only(s.clone())).await.map(|_| ());
    assert_eq!(code(refused), Some(ErrorCode::PermissionDenied));
    assert_eq!(ctx.environment(), Environment::Production);
    ops::staff_approve(ctx, &pin(OWNER_PIN)).unwrap();
    ops::settings_save(ctx, SettingsUpdate::settings_only(s)).await.unwrap();
    assert_eq!(ctx.environment(), Environment::Demo);
    // outside production: the kiosk is the owner's
    let mut k = ctx.settings();
    k.kiosk.enabled = true;
    let refused = ops::settings_save(ctx, SettingsUpdate::settings_only(k)).await.map(|_| ());
    assert_eq!(code(refused), Some(ErrorCode::PermissionDenied));
    assert_eq!(code(ops::kiosk_enter(ctx).map(|_| ())), Some(ErrorCode::PermissionDenied));
    assert!(!ops::staff_status(ctx).unwrap().kiosk);
    ops::staff_approve(ctx, &pin(OWNER_PIN)).unwrap();
    assert!(ops::kiosk_enter(ctx).unwrap().kiosk);
}

/// Two tills of one shop on a fresh shared database: the owner's (moved there) and a second one
/// that joined it; both with the shop's staff.
async fn two_tills() -> (AppContext, AppContext, tempfile::TempDir, tempfile::TempDir) {
    let url = cardbind_testkit::pg::fresh_database();
    let (r1, r2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let till1 = AppContext::open(AppPaths::under(r1.path())).await.unwrap();
    ops::staff_create(&till1, &staff("Olga", Role::Owner, OWNER_PIN)).unwrap();
    ops::staff_create(&till1, &staff("Max", Role::Manager, MANAGER_PIN)).unwrap();
    ops::staff_create(&till1, &staff("Cy", Role::Cashier, CASHIER_PIN)).unwrap();
    ops::shop_database_set(&till1, shared(&url, true, Some(OWNER_PIN))).await.unwrap();
    let till2 = AppContext::open(AppPaths::under(r2.path())).await.unwrap();
    ops::shop_database_set(&till2, shared(&url, false, None)).await.unwrap();
    (till1, till2, r1, r2)
}

/// Item 9. Before: anyone signed in could start a join, which overwrites every keyring entry of
/// the till and its Antom endpoint.
#[tokio::test(flavor = "multi_thread")]
async fn joining_a_shop_is_the_owners() {
    if in_private_keyring("insider::joining_a_shop_is_the_owners") {
        return;
    }
    let (till1, till2, _r1, _r2) = two_tills().await;
    ops::staff_sign_in(&till1, &pin(OWNER_PIN)).unwrap();
    let offer = ops::till_offer(&till1).unwrap();
    ops::staff_sign_in(&till2, &pin(CASHIER_PIN)).unwrap();
    let e = ops::till_join(&till2, &offer.code, "Till 2").unwrap_err();
    assert_eq!(e.code, ErrorCode::PermissionDenied);
    ops::staff_sign_in(&till2, &pin(MANAGER_PIN)).unwrap();
    assert_eq!(ops::till_join(&till2, &offer.code, "Till 2").unwrap_err().code, ErrorCode::PermissionDenied);
    ops::staff_sign_in(&till2, &pin(OWNER_PIN)).unwrap();
    assert!(!ops::till_join(&till2, &offer.code, "Till 2").unwrap().done);
}

/// Item 12. Before: one wrong-PIN counter for the whole shop, so a kiosk visitor typing wrong
/// PINs at the kiosk's "leave" pad paused PIN entry at every till of a shared shop.
#[tokio::test(flavor = "multi_thread")]
async fn a_kiosk_visitors_guesses_pause_only_that_kiosks_pad() {
    if in_private_keyring("insider::a_kiosk_visitors_guesses_pause_only_that_kiosks_pad") {
        return;
    }
    let (till1, till2, _r1, _r2) = two_tills().await;
    ops::start_kiosk(&till2, None).unwrap();
    for _ in 1..cardbind_core::staff::FREE_TRIES {
        assert_eq!(ops::kiosk_leave(&till2, &pin("1111")).unwrap_err().code, ErrorCode::PinWrong);
    }
    assert_eq!(ops::kiosk_leave(&till2, &pin("1111")).unwrap_err().code, ErrorCode::PinLocked);
    // the other till's lock screen is not paused, and neither is this till's approval pad
    ops::staff_sign_out(&till1, false).unwrap();
    assert_eq!(ops::staff_sign_in(&till1, &pin(CASHIER_PIN)).unwrap().name, "Cy");
    // a cashier guessing at the approval pad pauses their own pad only
    for _ in 0..cardbind_core::staff::FREE_TRIES {
        let _ = ops::staff_approve(&till1, &pin("2222"));
    }
    assert_eq!(ops::staff_approve(&till1, &pin(MANAGER_PIN)).unwrap_err().code, ErrorCode::PinLocked);
    ops::staff_sign_out(&till1, false).unwrap();
    assert_eq!(ops::staff_sign_in(&till1, &pin(MANAGER_PIN)).unwrap().name, "Max", "the lock screen is its own pad");
}

/// Item 10. Before: demo mode bound any Luhn-valid number, and stored its fingerprint as an
/// unkeyed hash of the number (searchable back to the number).
#[tokio::test(flavor = "multi_thread")]
async fn demo_mode_binds_only_test_cards_and_keys_their_fingerprints() {
    if in_private_keyring("insider::demo_mode_binds_only_test_cards_and_keys_their_fingerprints") {
        return;
    }
    use sha2::Digest;
    let shop = Shop::open().await;
    let ctx = &shop.ctx;
    let flow = ctx.flow().unwrap();
    let consent =
        cardbind_core::store::ConsentInput { text_version: ops::consent_get(ctx, "en").version, locale: "en".into() };
    let started = flow.start(1, None, &consent).await.unwrap();
    let token = started.session_data.split("&&").next().unwrap().to_string();
    let real =
        serde_json::json!({ "number": "4012888888881881", "expiryMonth": "09", "expiryYear": "33", "cvv": "123" });
    let reply = cardbind_testkit::element_call(
        &ctx.simulator_url().unwrap(),
        "submit",
        serde_json::json!({ "token": token, "card": real }),
    )
    .await;
    assert_eq!(reply["status"], "INVALID", "{reply}");
    assert_eq!(reply["resultCode"], "DEMO_TEST_CARDS_ONLY");
    let before: i64 = lock(&ctx.db()).query_row("SELECT COUNT(*) FROM cards", (), |r| r.get(0)).unwrap();
    // a test card binds; its fingerprint is not the plain hash of its number
    let card = shop.real_card().await;
    let (fingerprint, after): (Option<String>, i64) = lock(&ctx.db())
        .query_row("SELECT fingerprint, (SELECT COUNT(*) FROM cards) FROM cards WHERE id = ?1", [card], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(after, before + 1, "only the test card was saved");
    let plain = sha2::Sha256::digest(
        format!("cardbind-sim\u{1f}{}\u{1f}4111111111111111", cardbind_core::app::DEMO_CLIENT_ID).as_bytes(),
    );
    let plain: String = plain[..16].iter().map(|b| format!("{b:02x}")).collect();
    let fingerprint = fingerprint.expect("a fingerprint");
    assert_eq!(fingerprint.len(), 32);
    assert_ne!(fingerprint, plain, "keyed, not a hash anyone can compute from the number");
}

/// Item 11. Before: polling a binding step refreshed the session without checking its idleness,
/// so a page could keep a signed-in session open for ever; and a lock time of 0 ("never") was
/// allowed.
#[tokio::test(flavor = "multi_thread")]
async fn polling_a_binding_cannot_keep_a_session_open_and_never_is_no_lock_time() {
    if in_private_keyring("insider::polling_a_binding_cannot_keep_a_session_open_and_never_is_no_lock_time") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    let ctx = &shop.ctx;
    shop.sign_in(OWNER_PIN);
    let mut s = ctx.settings();
    s.lock_minutes = 0;
    assert_eq!(
        code(ops::settings_save(ctx, SettingsUpdate::settings_only(s.clone())).await.map(|_| ())),
        Some(ErrorCode::SettingsInvalid),
        "no 'never'"
    );
    s.lock_minutes = 1;
    ops::settings_save(ctx, SettingsUpdate::settings_only(s)).await.unwrap();
    shop.sign_in(CASHIER_PIN);
    let consent =
        cardbind_core::store::ConsentInput { text_version: ops::consent_get(ctx, "en").version, locale: "en".into() };
    let attempt = ops::binding_start(ctx, 1, &consent).await.unwrap().attempt.id;
    let idle = |secs: u64| ctx.session().last_activity = Some(Instant::now() - Duration::from_secs(secs));
    // a customer typing their card: the steps are allowed past the lock time, within the grace
    idle(90);
    ops::binding_refresh(ctx, attempt).await.unwrap();
    // polling does not count as use: the session ends at the lock time plus the grace
    let grace = cardbind_core::staff::BINDING_GRACE.as_secs();
    idle(60 + grace - 5);
    ops::binding_refresh(ctx, attempt).await.unwrap();
    idle(60 + grace + 1);
    let e = ops::binding_refresh(ctx, attempt).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::SignInRequired);
    assert!(ops::staff_status(ctx).unwrap().operator.is_none(), "signed out by the backend");
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Item 13. Before: a backup passphrase needed only 10 characters ("aaaaaaaaaa" did), and
/// backups, CSV exports and receipt PDFs were created with the default mode (0644: readable by
/// every account of the computer).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn backups_exports_and_receipts_are_owner_only_and_passphrases_are_rated() {
    if in_private_keyring("insider::backups_exports_and_receipts_are_owner_only_and_passphrases_are_rated") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    let ctx = &shop.ctx;
    let payment = shop.fresh_payment().await;
    shop.sign_in(OWNER_PIN);
    let dir = tempfile::tempdir().unwrap();
    if !cardbind_testkit::pg::wants_postgres() {
        // (a shop on a shared database is backed up on its server)
        let weak = ops::backup_create(ctx, &pin("aaaaaaaaaaaa"), dir.path()).unwrap_err();
        assert_eq!(weak.code, ErrorCode::PassphraseWeak);
        let b = ops::backup_create(ctx, &pin("correct horse battery staple"), dir.path()).unwrap();
        assert_eq!(mode(std::path::Path::new(&b.path)), 0o600, "backup");
    }
    let mut s = ctx.settings();
    s.backup.folder = Some(dir.path().display().to_string());
    let mut weak = SettingsUpdate::settings_only(s);
    weak.backup_passphrase = Some(pin("aaaaaaaaaaaa"));
    assert_eq!(ops::settings_save(ctx, weak).await.unwrap_err().code, ErrorCode::PassphraseWeak);
    let e = ops::export(ctx, ExportKind::Cards, dir.path()).unwrap();
    assert_eq!(mode(std::path::Path::new(&e.path)), 0o600, "export");
    let print = |p: std::path::PathBuf| async move {
        std::fs::write(&p, b"%PDF-1.4 receipt").unwrap();
        Ok(())
    };
    let r = ops::receipt_save_pdf(ctx, payment, None, None, dir.path(), print).await.unwrap();
    assert_eq!(mode(std::path::Path::new(&r.path)), 0o600, "receipt");
}
