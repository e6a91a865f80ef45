//! A shop with several tills on one PostgreSQL (issue 19), through the use cases: a till moves
//! its shop into the shared database in one step, a second till joins with the owner's PIN and
//! sees the same cards, staff and activity log, and new cards without a restart.

use crate::support::bind_demo_card;
use cardbind_core::app::ops::{self, ShopDatabaseUpdate};
use cardbind_core::app::AppContext;
use cardbind_core::db::lock;
use cardbind_core::paths::AppPaths;
use cardbind_core::settings::Environment;
use cardbind_core::staff::{Role, StaffInput};
use cardbind_core::store;
use cardbind_core::store::payments::PaymentState;
use cardbind_core::ErrorCode;
use cardbind_testkit::in_private_keyring;

const OWNER_PIN: &str = "2580";

fn pin(p: &str) -> antom::Sensitive<String> {
    antom::Sensitive::new(p.into())
}

fn update(url: Option<&str>, move_data: bool, owner_pin: Option<&str>) -> ShopDatabaseUpdate {
    ShopDatabaseUpdate {
        shared: url.is_some(),
        url: url.map(pin),
        ca_file: None,
        move_data,
        owner_pin: owner_pin.map(pin),
    }
}

/// A till on this computer (data in `root`) with the shop's owner, Olga, signed in; her id.
async fn owners_till(root: &std::path::Path) -> (AppContext, i64) {
    let till = AppContext::open(AppPaths::under(root)).await.unwrap();
    let owner =
        ops::staff_create(&till, &StaffInput { name: "Olga".into(), role: Role::Owner, pin: pin(OWNER_PIN) }).unwrap();
    (till, owner.id)
}

/// Change a till's settings as its signed-in owner would.
async fn change_settings(till: &AppContext, change: impl FnOnce(&mut cardbind_core::settings::Settings)) {
    let mut s = till.settings();
    change(&mut s);
    ops::settings_save(till, ops::SettingsUpdate::settings_only(s)).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_till_moves_its_shop_into_the_shared_database_and_a_second_till_joins_it() {
    if in_private_keyring("shared::a_till_moves_its_shop_into_the_shared_database_and_a_second_till_joins_it") {
        return;
    }
    let url = cardbind_testkit::pg::fresh_database();
    let root1 = tempfile::tempdir().unwrap();
    let (till1, owner) = owners_till(root1.path()).await;
    change_settings(&till1, |s| s.currency = Some("EUR".into())).await;
    let card = bind_demo_card(&till1, "Ana Souza").await.0;
    let before = ops::cards_list(&till1, &Default::default()).unwrap().rows;

    // the owner's PIN is needed, and a wrong address is a clear error that changes nothing
    let e = ops::shop_database_set(&till1, update(Some(&url), true, None)).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::OwnerPinRequired);
    let e = ops::shop_database_set(&till1, update(Some("not a database"), true, Some(OWNER_PIN))).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "{e:?}");
    assert!(!till1.settings().shop_database.shared);

    let moved = ops::shop_database_set(&till1, update(Some(&url), true, Some(OWNER_PIN))).await.unwrap();
    let demo = moved.moved.iter().find(|m| m.environment == Environment::Demo).expect("the demo data moved");
    for t in &demo.tables {
        assert_eq!(t.before, t.after, "{t:?}");
    }
    assert_eq!(demo.tables.iter().find(|t| t.table == "cards").unwrap().after, 1);
    let s = till1.settings();
    assert!(s.shop_database.shared);
    let server = s.shop_database.server.clone().unwrap();
    assert!(server.starts_with("127.0.0.1:") && !server.contains("pw"), "no password in the settings: {server}");
    let saved = std::fs::read_to_string(AppPaths::under(root1.path()).config_dir.join("settings.json")).unwrap();
    assert!(!saved.contains(url.split('@').next().unwrap()), "the address with its password stays in the keyring");
    assert!(ops::app_info(&till1, "t").database.starts_with("PostgreSQL 127.0.0.1:"));
    assert_eq!(ops::cards_list(&till1, &Default::default()).unwrap().rows, before, "the same list, now shared");
    assert_eq!(ops::staff_status(&till1).unwrap().operator.map(|o| o.id), Some(owner), "still signed in");

    // a second till joins: a new till has no staff of its own, so nobody is asked here (the
    // shop's database's staff are never asked to decide for this till: issue 29, item 6); it
    // gets the shop's keys only through pairing, which is the shop's owner's
    let root2 = tempfile::tempdir().unwrap();
    let till2 = AppContext::open(AppPaths::under(root2.path())).await.unwrap();
    ops::shop_database_set(&till2, update(Some(&url), false, None)).await.unwrap();
    // the shop's staff sign in there with the PINs they have everywhere
    let e = ops::cards_list(&till2, &Default::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::SignInRequired);
    assert_eq!(ops::staff_sign_in(&till2, &pin(OWNER_PIN)).unwrap().id, owner);
    let seen = ops::cards_list(&till2, &Default::default()).unwrap().rows;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].id, card);
    assert_eq!(seen[0].customer_name, "Ana Souza");
    change_settings(&till2, |s| s.currency = Some("EUR".into())).await;
    // the card saved before the move is charged at the second till: the demo Antom's records
    // moved with the shop
    let charge = ops::ChargeRequest {
        card_id: card,
        amount: 990,
        description: "Pão".into(),
        reference: None,
        customer_present: true,
        device: None,
        key: uuid::Uuid::new_v4().simple().to_string(),
    };
    let paid = ops::payment_charge(&till2, &charge).await.unwrap();
    assert_eq!(paid.state, PaymentState::Authorised, "{paid:?}");
    // till 1's next card shows at till 2 on its next read, without a restart
    let second = bind_demo_card(&till1, "Bo Lee").await.0;
    let ids: Vec<i64> = ops::cards_list(&till2, &Default::default()).unwrap().rows.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![second, card]);
    // one staff list and one activity log
    assert!(lock(&till2.db()).query_row("SELECT COUNT(*) FROM staff", (), |r| r.get::<i64>(0)).unwrap() == 1);
    let log = store::list_audit(&lock(&till2.db()), None, 200).unwrap();
    assert!(log.iter().any(|e| e.action == "settings.shop_database" && e.staff_id == Some(owner)));
    // backups are the server's
    let e = ops::backup_create(&till2, &pin("a long enough passphrase"), root2.path()).unwrap_err();
    assert_eq!(e.code, ErrorCode::BackupOnServer);

    // moving a second shop into it is refused: two shops' lists are never merged
    let root3 = tempfile::tempdir().unwrap();
    let till3 = AppContext::open(AppPaths::under(root3.path())).await.unwrap();
    ops::staff_create(&till3, &StaffInput { name: "Other".into(), role: Role::Owner, pin: pin("3690") }).unwrap();
    bind_demo_card(&till3, "Other shop").await;
    let e = ops::shop_database_set(&till3, update(Some(&url), true, Some("3690"))).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::SharedDatabaseNotEmpty, "{e:?}");
    assert!(!till3.settings().shop_database.shared);
    assert_eq!(ops::cards_list(&till2, &Default::default()).unwrap().rows.len(), 2);

    // back to this computer: the shared address leaves the keyring
    ops::shop_database_set(&till2, update(None, false, Some(OWNER_PIN))).await.unwrap();
    assert!(!till2.settings().shop_database.shared);
    assert!(cardbind_core::secrets::shop_database_url().unwrap().is_none());
}

/// The pairing's plumbing through the use cases. Both tills of this test share one keyring (one
/// process), so what crosses is checked here by the envelope's rules (`pairing.rs` tests: only
/// the till with the code and the key opens it); the two-keyring case is the two-process test.
#[tokio::test(flavor = "multi_thread")]
async fn a_new_till_pairs_with_an_owners_till_and_a_revoked_one_stops() {
    if in_private_keyring("shared::a_new_till_pairs_with_an_owners_till_and_a_revoked_one_stops") {
        return;
    }
    let url = cardbind_testkit::pg::fresh_database();
    let root1 = tempfile::tempdir().unwrap();
    let (till1, _) = owners_till(root1.path()).await;
    change_settings(&till1, |s| {
        s.shop_name = Some("Loja da Ana".into());
        s.currency = Some("EUR".into());
    })
    .await;
    // not on a shared database: nothing to pair
    assert_eq!(ops::till_offer(&till1).unwrap_err().code, ErrorCode::InvalidInput);
    ops::shop_database_set(&till1, update(Some(&url), true, Some(OWNER_PIN))).await.unwrap();

    let root2 = tempfile::tempdir().unwrap();
    let till2 = AppContext::open(AppPaths::under(root2.path())).await.unwrap();
    ops::shop_database_set(&till2, update(Some(&url), false, Some(OWNER_PIN))).await.unwrap();
    ops::staff_sign_in(&till2, &pin(OWNER_PIN)).unwrap();

    // a request with a wrong code is refused at the owner's till and closes the offer
    let offer = ops::till_offer(&till1).unwrap();
    assert_eq!(offer.code.len(), 19, "16 characters (80 bits) in four groups");
    assert!(offer.asked_by.is_none());
    ops::till_join(&till2, "AAAA-AAAA-AAAA-AAAA", "Till 2").unwrap();
    assert_eq!(ops::till_offer_status(&till1).unwrap_err().code, ErrorCode::PairingRefused);
    assert_eq!(ops::till_join_status(&till2).await.unwrap_err().code, ErrorCode::PairingRefused);

    // the right code
    let offer = ops::till_offer(&till1).unwrap();
    let joining = ops::till_join(&till2, &offer.code.to_lowercase(), "Till 2").unwrap();
    assert!(!joining.done);
    assert!(!ops::till_join_status(&till2).await.unwrap().done, "the owner has not answered");
    let asked = ops::till_offer_status(&till1).unwrap();
    assert_eq!(asked.asked_by.as_deref(), Some("Till 2"));
    assert_eq!(asked.fingerprint.as_deref(), Some(joining.fingerprint.as_str()), "both screens show the same key");
    // the owner admits the till shown: another fingerprint is refused (and closes the offer)
    let shown = asked.fingerprint.clone().unwrap();
    let admitted = ops::till_offer_approve(&till1, &shown).unwrap();
    assert_eq!(admitted.name, "Till 2");
    // the screen asks every 1.5 s, and the answer that takes the keys in can take longer than
    // that (it rebuilds the flows): two questions at once and one after all say "joined", and
    // the keys are taken in once
    let (first, second) = tokio::join!(ops::till_join_status(&till2), ops::till_join_status(&till2));
    assert!(first.unwrap().done && second.unwrap().done, "both questions are answered: joined");
    let again = ops::till_join_status(&till2).await.unwrap();
    assert!(again.done, "asked again after: joined");
    assert_eq!(again.fingerprint, joining.fingerprint);
    let audit = store::list_audit(&lock(&till2.db()), None, 100).unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "till.join").count(), 1, "the keys are taken in once");
    assert_eq!(till2.settings().shop_name.as_deref(), Some("Loja da Ana"), "the shop's settings came along");
    // the new till binds with the shop's keys
    let card = bind_demo_card(&till2, "Ana Souza").await.0;
    assert_eq!(ops::cards_list(&till1, &Default::default()).unwrap().rows.len(), 1);
    // and the owner's till charges that card: the shop's tills share one demo Antom (its
    // records in the shared database), as they would share the real one
    let charge = ops::ChargeRequest {
        card_id: card,
        amount: 1250,
        description: "Bolo".into(),
        reference: None,
        customer_present: true,
        device: None,
        key: uuid::Uuid::new_v4().simple().to_string(),
    };
    let paid = ops::payment_charge(&till1, &charge).await.unwrap();
    assert_eq!(paid.state, PaymentState::Authorised, "{paid:?}");
    // and till 2 refunds it
    ops::payment_refund(&till2, paid.id, 250, None).await.unwrap();
    let detail = ops::payment_get(&till1, paid.id).unwrap();
    assert_eq!(detail.refundable, 1000, "{detail:?}");
    let tills = ops::till_list(&till1).unwrap();
    assert_eq!(tills.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["Till 2"]);

    // revoked while it runs: its next command is refused, and it deletes the shop's keys (the
    // two tills of this test share one keyring, so till 1 is not asked anything after this)
    ops::till_revoke(&till1, admitted.id).unwrap();
    let e = ops::cards_list(&till2, &Default::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::TillRevoked, "{e:?}");
    assert_eq!(ops::payment_get(&till2, paid.id).unwrap_err().code, ErrorCode::TillRevoked, "and stays refused");
    assert!(cardbind_core::secrets::shop_database_url().unwrap().is_none(), "the database address is gone");
    drop(till2);
    // restarted, it cannot even reach the shop's database: it no longer has the address
    let e = AppContext::open(AppPaths::under(root2.path())).await.err().expect("a revoked till does not open");
    assert_eq!(e.code, ErrorCode::KeyMissing, "{e:?}");
    let left = cardbind_core::secrets::Secrets::new(Environment::Demo).export().unwrap();
    assert!(left.is_empty(), "the keys are gone from this keyring");
}

/// The shop's server is down when a till starts: the till starts, says so with each action, and
/// resumes by itself when the server is back, losing nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_till_started_while_the_server_is_away_says_so_and_resumes() {
    if in_private_keyring("shared::a_till_started_while_the_server_is_away_says_so_and_resumes") {
        return;
    }
    let server = cardbind_testkit::pg::PgServer::start();
    let url = server.fresh_database();
    let root = tempfile::tempdir().unwrap();
    let card = {
        let till = AppContext::open(AppPaths::under(root.path())).await.unwrap();
        ops::staff_create(&till, &StaffInput { name: "Olga".into(), role: Role::Owner, pin: pin(OWNER_PIN) }).unwrap();
        let card = bind_demo_card(&till, "Ana Souza").await.0;
        ops::shop_database_set(&till, update(Some(&url), true, Some(OWNER_PIN))).await.unwrap();
        card
    };
    server.stop();
    let till = AppContext::open(AppPaths::under(root.path())).await.expect("the till starts without its server");
    assert_eq!(ops::staff_sign_in(&till, &pin(OWNER_PIN)).unwrap_err().code, ErrorCode::DatabaseUnreachable);
    assert_eq!(till.flow().err().map(|e| e.code), Some(ErrorCode::DatabaseUnreachable), "nothing is started");
    assert!(till.heal().await, "still away: tried again");
    assert!(till.flow().is_err());

    server.resume();
    assert!(till.heal().await);
    assert!(till.flow().is_ok(), "binding is back");
    assert!(!till.heal().await, "nothing left to heal");
    ops::staff_sign_in(&till, &pin(OWNER_PIN)).unwrap();
    let ids: Vec<i64> = ops::cards_list(&till, &Default::default()).unwrap().rows.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![card], "nothing was lost");
}
