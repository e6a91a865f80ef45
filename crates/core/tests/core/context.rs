//! The composition root: demo mode runs the simulator in-process with keys in the real keyring,
//! and survives a restart; missing keys and a missing keyring leave the card list readable.

use crate::support::bind_demo_card;
use cardbind_core::app::AppContext;
use cardbind_core::db::lock;
use cardbind_core::flows::binding::AttemptState;
use cardbind_core::paths::AppPaths;
use cardbind_core::settings::Environment;
use cardbind_core::settings::Settings;
use cardbind_core::store::{self, CardQuery, ConsentInput, CustomerInput};
use cardbind_core::ErrorCode;
use cardbind_testkit::in_private_keyring;

fn consent() -> ConsentInput {
    ConsentInput { text_version: "card-on-file-v1".into(), locale: "en".into() }
}

/// A customer and a card bound through the demo simulator's element: (card id, customer id).
#[tokio::test(flavor = "multi_thread")]
async fn demo_mode_binds_and_survives_a_restart() {
    if in_private_keyring("context::demo_mode_binds_and_survives_a_restart") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(root.path());
    let (card_id, customer) = {
        let ctx = AppContext::open(paths.clone()).await.unwrap();
        assert_eq!(ctx.environment(), Environment::Demo, "demo mode is the default on first start");
        assert!(ctx.element_link().unwrap().ends_with("/element/vaulting.html"));
        bind_demo_card(&ctx, "Demo Customer").await
    };
    // restart: same keys from the keyring, same list, the token still decrypts
    let ctx = AppContext::open(paths).await.unwrap();
    let page = store::list_cards(&lock(&ctx.db()), &CardQuery::default()).unwrap();
    assert_eq!(page.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![card_id]);
    let flow = ctx.flow().unwrap();
    assert!(flow.till().card_token(card_id).unwrap().expose().starts_with("ALIPAY"));
    let again = flow.start(customer, None, &consent()).await.unwrap();
    assert_eq!(
        again.attempt.state,
        AttemptState::SessionOpen,
        "the new in-process simulator accepts the stored demo key"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_without_keys_is_key_missing_and_the_list_still_reads() {
    if in_private_keyring("context::sandbox_without_keys_is_key_missing_and_the_list_still_reads") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(root.path());
    let settings = Settings {
        environment: Environment::Sandbox,
        region: Some("SG".into()),
        client_id: Some("SANDBOX_5X00000000000000".into()),
        ..Settings::default()
    };
    settings.save(&paths.config_dir).unwrap();
    let ctx = AppContext::open(paths).await.unwrap();
    assert_eq!(ctx.flow().err().unwrap().code, ErrorCode::KeyMissing);
    assert!(ctx.element_link().is_none(), "no simulator outside demo mode");
    assert!(store::list_cards(&lock(&ctx.db()), &CardQuery::default()).unwrap().rows.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_keyring_the_app_still_opens() {
    if cardbind_testkit::without_keyring("context::without_a_keyring_the_app_still_opens") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let ctx = AppContext::open(AppPaths::under(root.path())).await.unwrap();
    assert_eq!(ctx.flow().err().unwrap().code, ErrorCode::KeyringUnavailable);
    let c = store::create_customer(
        &lock(&ctx.db()),
        &CustomerInput { name: "Still works".into(), ..Default::default() },
        None,
    )
    .unwrap();
    assert_eq!(store::search_customers(&lock(&ctx.db()), "still", 5).unwrap()[0].id, c.id);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_data_key_is_never_replaced_while_the_database_needs_it() {
    if in_private_keyring("context::a_missing_data_key_is_never_replaced_while_the_database_needs_it") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(root.path());
    let card_id = {
        let ctx = AppContext::open(paths.clone()).await.unwrap();
        bind_demo_card(&ctx, "Kept").await.0
    };
    let sealed = |db: &std::path::Path| -> Vec<Vec<u8>> {
        let c = cardbind_core::db::open_read_only(db).unwrap();
        c.query_map("SELECT token_sealed FROM cards WHERE token_sealed IS NOT NULL ORDER BY id", (), |r| r.get(0))
            .unwrap()
    };
    let sealed_before = sealed(&paths.database(Environment::Demo));
    assert_eq!(sealed_before.len(), 1);
    // The keyring loses the data key (a new user profile, a reset keyring, a wrong machine).
    let entry = keyring::Entry::new(cardbind_core::secrets::SERVICE, "demo/data-key").unwrap();
    let lost = entry.get_password().unwrap();
    entry.delete_credential().unwrap();

    let ctx = AppContext::open(paths.clone()).await.unwrap();
    let e = ctx.flow().err().expect("binding must stop without the data key");
    assert_eq!(e.code, ErrorCode::DataKeyMissing, "{e}");
    assert!(e.message.contains("restore"), "the message says how to recover: {}", e.message);
    assert!(matches!(entry.get_password(), Err(keyring::Error::NoEntry)), "no new data key was made in its place");
    let page = store::list_cards(&lock(&ctx.db()), &CardQuery::default()).unwrap();
    assert_eq!(page.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![card_id], "the card list stays readable");
    assert_eq!(sealed(&paths.database(Environment::Demo)), sealed_before, "the sealed token is untouched");
    drop(ctx);

    // A different key is refused too.
    entry.set_password(cardbind_core::crypto::DataKey::generate().to_hex().expose()).unwrap();
    let ctx = AppContext::open(paths.clone()).await.unwrap();
    assert_eq!(ctx.flow().err().map(|e| e.code), Some(ErrorCode::KeyInvalid));
    drop(ctx);

    // Restoring the key brings everything back.
    entry.set_password(&lost).unwrap();
    let ctx = AppContext::open(paths).await.unwrap();
    assert!(ctx.flows().unwrap().till.card_token(card_id).unwrap().expose().starts_with("ALIPAY"));
}

/// Demo Antom keeps its records across restarts (a saved card is still chargeable, a payment
/// still refundable), in a file sealed with the data key: the simulated token is not in it in
/// plaintext.
#[tokio::test(flavor = "multi_thread")]
async fn demo_antom_keeps_its_records_across_restarts_sealed() {
    if in_private_keyring("context::demo_antom_keeps_its_records_across_restarts_sealed") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(root.path());
    let charge = |card_id| cardbind_core::flows::payments::ChargeInput {
        card_id,
        amount: 700,
        currency: "EUR".into(),
        description: "coffee".into(),
        reference: None,
        customer_present: true,
        device: None,
        charge_key: None,
    };
    let (card_id, payment) = {
        let ctx = AppContext::open(paths.clone()).await.unwrap();
        let (card_id, _) = bind_demo_card(&ctx, "Demo Customer").await;
        let p = ctx.payments().unwrap().charge(&charge(card_id), None).await.unwrap();
        assert_eq!(p.state, cardbind_core::flows::payments::PaymentState::Authorised);
        (card_id, p.id)
    };
    let token = {
        let ctx = AppContext::open(paths.clone()).await.unwrap();
        ctx.flows().unwrap().till.card_token(card_id).unwrap().expose().clone()
    };
    let sealed = std::fs::read(paths.data_dir.join("demo-antom").join("state.sealed")).unwrap();
    assert!(!sealed.windows(token.len()).any(|w| w == token.as_bytes()), "the token is not in the file in clear");
    assert!(!paths.data_dir.join("demo-antom").join("state.json").exists());

    let ctx = AppContext::open(paths).await.unwrap();
    let payments = ctx.payments().unwrap();
    let again = payments.charge(&charge(card_id), None).await.unwrap();
    assert_eq!(
        again.state,
        cardbind_core::flows::payments::PaymentState::Authorised,
        "the saved card is still known to Antom"
    );
    let refund = ctx.flows().unwrap().refunds.refund(payment, 700, None, None).await.unwrap();
    assert_eq!(refund.state, cardbind_core::flows::payments::RefundState::Succeeded, "and the earlier payment too");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_merchant_region_goes_with_the_next_card_session() {
    if in_private_keyring("context::a_saved_merchant_region_goes_with_the_next_card_session") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let ctx = AppContext::open(AppPaths::under(root.path())).await.unwrap();
    let mut s = ctx.settings();
    s.merchant_region = Some("BR".into());
    ctx.apply_settings(s).await.unwrap();
    let customer =
        store::create_customer(&lock(&ctx.db()), &CustomerInput { name: "Rita".into(), ..Default::default() }, None)
            .unwrap()
            .id;
    let started = ctx.flow().unwrap().start(customer, None, &consent()).await.unwrap();
    let url = format!("{}/sim/vaultings", ctx.simulator_url().unwrap());
    let all: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    let at_antom = all
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["vaultingRequestId"] == started.attempt.vaulting_request_id.as_str())
        .expect("Antom has the session");
    assert_eq!(at_antom["merchantRegion"], "BR");
}
