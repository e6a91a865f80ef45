//! The simulator's Open API, driven only over HTTP with the crates/antom client: every API, every
//! test-card outcome, idempotency, expiry and signature rejection.

mod common;

use antom::model::*;
use antom::AntomError;
use antom_sim::cards::{Outcome, TEST_CARDS};
use antom_sim::state::Status;
use base64::Engine as _;
use common::*;
use std::time::Duration;

const NOTIFY: &str = "https://merchant.example/antom/notify";
const RETURN: &str = "https://merchant.example/return";

#[tokio::test]
async fn create_session_returns_four_part_session_data_on_both_paths() {
    let sim = start(config()).await;
    for client_id in [CLIENT, PROD_CLIENT] {
        let c = client_for(&sim, client_id, 1);
        let id = new_id("create");
        let resp = create(&c, &id, NOTIFY).await;
        let data = resp.vaulting_session_data.unwrap();
        let parts: Vec<&str> = data.split("&&").collect();
        assert_eq!(parts.len(), 4);
        let meta: serde_json::Value =
            serde_json::from_slice(&base64::engine::general_purpose::STANDARD.decode(parts[3]).unwrap()).unwrap();
        assert_eq!(meta["paymentSessionConfig"]["productScene"], "VAULTING");
        assert_eq!(meta["clientId"], client_id);
        assert!(resp.vaulting_session_id.unwrap().len() <= 64);
        assert!(resp.vaulting_session_expiry_time.unwrap().ends_with("+00:00"));
        assert_eq!(sim.vaulting_status(client_id, &id), Some(Status::SessionCreated));
    }
}

#[tokio::test]
async fn create_session_is_idempotent_on_the_request_id() {
    let sim = start(config()).await;
    let c = client(&sim);
    let id = new_id("idem");
    let a = create(&c, &id, NOTIFY).await;
    let b = create(&c, &id, NOTIFY).await;
    assert_eq!(a.vaulting_session_data, b.vaulting_session_data);
    assert_eq!(a.vaulting_session_id, b.vaulting_session_id);
    // the same id with another meaning is refused
    let other = c.call(&CreateVaultingSessionRequest::card(&id, "https://other.example/n")).await.unwrap().body;
    assert_eq!(other.result.result_code, "REPEAT_REQ_INCONSISTENT");
    assert_eq!(other.result.result_status, ResultStatus::F);
    // once final, a repeat still answers the same session
    submit(&sim, a.vaulting_session_data.as_deref().unwrap(), "4111111111111111", "123").await;
    let again = create(&c, &id, NOTIFY).await;
    assert_eq!(again.vaulting_session_id, a.vaulting_session_id);
}

#[tokio::test]
async fn field_validation_gives_param_illegal() {
    let sim = start(config()).await;
    let c = client(&sim);
    let mut bad = CreateVaultingSessionRequest::card(new_id("v"), NOTIFY);
    bad.payment_method_type = "WALLET".into();
    let cases: Vec<(CreateVaultingSessionRequest, &str)> = vec![
        (bad, "paymentMethodType"),
        (CreateVaultingSessionRequest::card("x".repeat(65), NOTIFY), "vaultingRequestId"),
        (CreateVaultingSessionRequest::card("", NOTIFY), "vaultingRequestId"),
        (CreateVaultingSessionRequest::card(new_id("v"), "ftp://x"), "vaultingNotificationUrl"),
        (
            CreateVaultingSessionRequest::card(new_id("v"), format!("https://m.example/{}", "a".repeat(2048))),
            "vaultingNotificationUrl",
        ),
        (
            CreateVaultingSessionRequest {
                merchant_region: Some("sgp".into()),
                ..CreateVaultingSessionRequest::card(new_id("v"), NOTIFY)
            },
            "merchantRegion",
        ),
    ];
    for (req, field) in cases {
        let r = c.call(&req).await.unwrap().body;
        assert_eq!(r.result.result_code, "PARAM_ILLEGAL", "{field}");
        assert!(r.result.result_message.unwrap().contains(field), "{field}");
    }
    // `"true"` is as good as `true`; anything else is not
    let path = c.path_for::<CreateVaultingSessionRequest>();
    let raw = |body: String| {
        let (sim, path) = (&sim, &path);
        async move {
            let resp = signed_post(sim, path, &antom::client::request_time_now(), &body).await;
            let v: serde_json::Value = resp.json().await.unwrap();
            v["result"]["resultCode"].as_str().unwrap().to_string()
        }
    };
    let id = new_id("bool");
    assert_eq!(raw(format!(r#"{{"paymentMethodType":"CARD","vaultingRequestId":"{id}","vaultingNotificationUrl":"{NOTIFY}","is3DSAuthentication":"true"}}"#)).await, "SUCCESS");
    let id = new_id("bool");
    assert_eq!(raw(format!(r#"{{"paymentMethodType":"CARD","vaultingRequestId":"{id}","vaultingNotificationUrl":"{NOTIFY}","is3DSAuthentication":"yes"}}"#)).await, "PARAM_ILLEGAL");
    assert_eq!(raw("[1,2]".into()).await, "PARAM_ILLEGAL");
    // Python-SDK style body (indent=3, multi-line) is verified on its raw bytes
    let id = new_id("py");
    assert_eq!(raw(format!("{{\n   \"paymentMethodType\": \"CARD\",\n   \"vaultingRequestId\": \"{id}\",\n   \"vaultingNotificationUrl\": \"{NOTIFY}\"\n}}")).await, "SUCCESS");
}

#[tokio::test]
async fn iso_request_times_are_accepted_and_garbage_is_not() {
    let sim = start(config()).await;
    let c = client(&sim);
    let path = c.path_for::<InquireVaultingRequest>();
    let body = r#"{"vaultingRequestId":"nope"}"#;
    for (time, code) in [("2026-11-23T10:00:00+00:00", "VAULTING_NOT_EXIST"), ("yesterday", "PARAM_ILLEGAL")] {
        let resp = signed_post(&sim, &path, time, body).await;
        assert!(resp.headers().get("signature").is_some(), "signed answer");
        let v: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(v["result"]["resultCode"], code, "{time}");
    }
}

#[tokio::test]
async fn every_test_card_outcome() {
    // the slow card stays PROCESSING for 2 s here (2000 s × 0.001): long enough that a loaded
    // machine still sees it processing at the first inquiry (20 ms was not, on CI's two cores)
    let mut cfg = config();
    cfg.slow_verification = Duration::from_secs(2000);
    let sim = start(cfg).await;
    let c = client(&sim);
    for card in TEST_CARDS {
        let id = new_id("card");
        let session = create(&c, &id, NOTIFY).await.vaulting_session_data.unwrap();
        let cvv = if card.brand == "AMEX" { "1234" } else { "123" };
        let reply = submit(&sim, &session, card.number, cvv).await;
        let inq = inquire(&c, &id).await;
        assert!(inq.result.is_success());
        match card.outcome {
            Outcome::Success => {
                assert_eq!(reply["status"], "SUCCESS", "{}", card.number);
                assert_eq!(inq.vaulting_status, Some(VaultingStatus::Success));
                let detail = inq.payment_method_detail.unwrap().card.unwrap();
                let token = detail.card_token.unwrap();
                assert!(token.expose().starts_with("ALIPAY"));
                assert_eq!(
                    detail.masked_card_no.as_deref(),
                    Some(format!("************{}", &card.number[card.number.len() - 4..]).as_str())
                );
                assert_eq!(detail.brand.as_deref(), Some(card.brand));
                assert_eq!(detail.expiry_month.as_deref(), Some("12"));
                assert_eq!(detail.expiry_year.as_deref(), Some("34"));
                assert!(detail.fingerprint.is_some());
            }
            Outcome::Decline(code) => {
                assert_eq!(reply["status"], "FAIL", "{}", card.number);
                assert_eq!(reply["resultCode"], code);
                assert_eq!(inq.vaulting_status, Some(VaultingStatus::Fail));
                assert_eq!(inq.vaulting_result_code.as_deref(), Some(code));
                assert!(inq.payment_method_detail.is_none(), "nothing bound");
            }
            Outcome::ThreeDs => {
                assert_eq!(reply["status"], "CHALLENGE", "{}", card.number);
                assert_eq!(inq.vaulting_status, Some(VaultingStatus::Processing));
                assert!(inq.normal_url.unwrap().contains("/element/3ds.html?token="));
                assert_eq!(challenge(&sim, &session, "0000", true).await["status"], "RETRY");
                assert_eq!(challenge(&sim, &session, "1234", true).await["status"], "SUCCESS");
                assert_eq!(inquire(&c, &id).await.vaulting_status, Some(VaultingStatus::Success));
            }
            Outcome::Slow => {
                assert_eq!(reply["status"], "PROCESSING", "{}", card.number);
                assert_eq!(inq.vaulting_status, Some(VaultingStatus::Processing));
                assert_eq!(inq.vaulting_result_code.as_deref(), Some("VERIFICATION_IN_PROCESS"));
                let deadline = std::time::Instant::now() + Duration::from_secs(15);
                while inquire(&c, &id).await.vaulting_status != Some(VaultingStatus::Success) {
                    assert!(std::time::Instant::now() < deadline, "the slow card never bound");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}

#[tokio::test]
async fn three_ds_cancel_and_too_many_wrong_codes_fail() {
    let sim = start(config()).await;
    let c = client(&sim);
    let id = new_id("3ds-cancel");
    let session = create(&c, &id, NOTIFY).await.vaulting_session_data.unwrap();
    submit(&sim, &session, "4000000000003220", "123").await;
    assert_eq!(challenge(&sim, &session, "", false).await["status"], "FAIL");
    let inq = inquire(&c, &id).await;
    assert_eq!(inq.vaulting_status, Some(VaultingStatus::Fail));
    assert_eq!(inq.vaulting_result_code.as_deref(), Some("USER_PAYMENT_VERIFICATION_FAILED"));

    let id = new_id("3ds-wrong");
    let session = create(&c, &id, NOTIFY).await.vaulting_session_data.unwrap();
    submit(&sim, &session, "5200000000001096", "123").await;
    assert_eq!(challenge(&sim, &session, "1", true).await["status"], "RETRY");
    assert_eq!(challenge(&sim, &session, "2", true).await["status"], "RETRY");
    assert_eq!(challenge(&sim, &session, "3", true).await["status"], "FAIL");
    assert_eq!(inquire(&c, &id).await.vaulting_status, Some(VaultingStatus::Fail));

    // the merchant asking for 3DS makes even a plain card go through the challenge
    let id = new_id("3ds-requested");
    let mut req = CreateVaultingSessionRequest::card(&id, NOTIFY);
    req.is_3ds_authentication = Some(true);
    let session = c.call(&req).await.unwrap().body.vaulting_session_data.unwrap();
    assert_eq!(submit(&sim, &session, "4111111111111111", "123").await["status"], "CHALLENGE");
}

#[tokio::test]
async fn a_session_can_be_used_once() {
    let sim = start(config()).await;
    let c = client(&sim);
    let session = create(&c, &new_id("once"), NOTIFY).await.vaulting_session_data.unwrap();
    assert_eq!(submit(&sim, &session, "4111111111111111", "123").await["status"], "SUCCESS");
    assert_eq!(submit(&sim, &session, "5555555555554444", "123").await["status"], "USED");
    assert_eq!(submit(&sim, "notatoken&&SG&&1&&e30=", "4111111111111111", "123").await["status"], "UNKNOWN_SESSION");
    // server-side validation repeats the page's checks
    let session = create(&c, &new_id("bad"), NOTIFY).await.vaulting_session_data.unwrap();
    let r = submit(&sim, &session, "4111111111111112", "123").await;
    assert_eq!(r["status"], "INVALID");
    assert_eq!(submit(&sim, &session, "378282246310005", "123").await["status"], "INVALID", "Amex needs 4 digits");
}

#[tokio::test]
async fn sessions_expire() {
    let mut cfg = config();
    cfg.session_ttl = Duration::from_millis(300);
    let sim = start(cfg).await;
    let c = client(&sim);
    let id = new_id("expire");
    let session = create(&c, &id, NOTIFY).await.vaulting_session_data.unwrap();
    assert_eq!(inquire(&c, &id).await.vaulting_status, Some(VaultingStatus::Processing));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let inq = inquire(&c, &id).await;
    assert_eq!(inq.vaulting_status, Some(VaultingStatus::Fail));
    assert_eq!(inq.vaulting_result_code.as_deref(), Some("ORDER_IS_CLOSED"));
    assert_eq!(submit(&sim, &session, "4111111111111111", "123").await["status"], "EXPIRED");

    // an unanswered 3DS challenge ends with its session
    let id = new_id("expire-3ds");
    let session = create(&c, &id, NOTIFY).await.vaulting_session_data.unwrap();
    assert_eq!(submit(&sim, &session, "4000000000003220", "123").await["status"], "CHALLENGE");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let inq = inquire(&c, &id).await;
    assert_eq!(inq.vaulting_status, Some(VaultingStatus::Fail));
    assert_eq!(inq.vaulting_result_code.as_deref(), Some("USER_PAYMENT_VERIFICATION_FAILED"));
}

#[tokio::test]
async fn unknown_vaulting_and_signature_rejection() {
    let sim = start(config()).await;
    let c = client(&sim);
    let r = inquire(&c, "never-created").await;
    assert_eq!(r.result.result_code, "VAULTING_NOT_EXIST");
    assert_eq!(r.result.result_status, ResultStatus::F);

    // a merchant key the simulator does not know for this client
    let other = antom::MerchantPrivateKey::generate(2048).unwrap();
    let mut cfg = c.config().clone();
    cfg.merchant_key = std::sync::Arc::new(other);
    let t = antom::transport::ReqwestTransport::new(Default::default(), false).unwrap();
    let forged = antom::AntomClient::new(cfg, std::sync::Arc::new(t));
    let err = forged.call(&CreateVaultingSessionRequest::card(new_id("forged"), NOTIFY)).await.unwrap_err();
    assert_eq!(err, AntomError::RequestSignatureRejected);

    // an unregistered client id gets an unsigned answer
    let stranger = client_for(&sim, "UNKNOWN_CLIENT", 1);
    let err = stranger
        .call(&InquireVaultingRequest { vaulting_request_id: "x".into(), merchant_account_id: None })
        .await
        .unwrap_err();
    assert!(matches!(err, AntomError::ResponseSignature(_)), "{err:?}");
}

#[tokio::test]
async fn vault_payment_method_server_to_server() {
    let sim = start(config()).await;
    let c = client(&sim);
    let req = |id: &str, number: &str| VaultPaymentMethodRequest {
        vaulting_request_id: id.into(),
        vaulting_notification_url: NOTIFY.into(),
        redirect_url: "https://merchant.example/back".into(),
        merchant_region: Some("SG".into()),
        payment_method_detail: VaultPaymentMethodDetail {
            payment_method_type: "CARD".into(),
            card: CardInput {
                card_no: antom::Sensitive::new(number.into()),
                brand: None,
                cardholder_name: Some(UserName { full_name: Some("Jo Park".into()), ..Default::default() }),
                cvv: Some(antom::Sensitive::new("123".into())),
                expiry_year: "2031".into(),
                expiry_month: "07".into(),
            },
        },
        env: Env { terminal_type: Some("WEB".into()), ..Env::default() },
        merchant_account_id: None,
        metadata: None,
    };
    let ok = c.call(&req(&new_id("vpm"), "5555555555554444")).await.unwrap().body;
    assert_eq!(ok.result.result_code, "SUCCESS");
    let card = ok.payment_method_detail.unwrap().card.unwrap();
    assert_eq!(card.brand.as_deref(), Some("MASTERCARD"));
    assert_eq!(card.expiry_year.as_deref(), Some("31"));
    let id = new_id("vpm");
    let declined = c.call(&req(&id, "4000000000000002")).await.unwrap().body;
    assert_eq!(declined.result.result_code, "VERIFICATION_FAIL");
    assert_eq!(inquire(&c, &id).await.vaulting_result_code.as_deref(), Some("DO_NOT_HONOR"));
    let pending = c.call(&req(&new_id("vpm"), "4000000000003220")).await.unwrap().body;
    assert_eq!(pending.result.result_code, "VERIFICATION_IN_PROCESS");
    assert!(pending.normal_url.is_some());
    let invalid = c.call(&req(&new_id("vpm"), "1234")).await.unwrap().body;
    assert_eq!(invalid.result.result_code, "PARAM_ILLEGAL");
}

#[tokio::test]
async fn pay_with_a_vaulted_token() {
    let sim = start(config()).await;
    let c = client(&sim);
    let id = new_id("pay");
    let session = create(&c, &id, NOTIFY).await.vaulting_session_data.unwrap();
    submit(&sim, &session, "4242424242424242", "123").await;
    let token = inquire(&c, &id).await.payment_method_detail.unwrap().card.unwrap().card_token.unwrap();
    let amount = Amount { currency: "USD".into(), value: "1000".into() };
    let pay_id = new_id("payment");
    let first =
        c.call(&PayRequest::card_on_file(&pay_id, token.clone(), amount.clone(), "order", RETURN)).await.unwrap().body;
    assert!(first.result.is_success(), "{:?}", first.result);
    let again =
        c.call(&PayRequest::card_on_file(&pay_id, token.clone(), amount.clone(), "order", RETURN)).await.unwrap().body;
    assert_eq!(again.payment_id, first.payment_id, "idempotent on paymentRequestId");
    let changed = Amount { currency: "USD".into(), value: "2000".into() };
    let inconsistent =
        c.call(&PayRequest::card_on_file(&pay_id, token.clone(), changed, "order", RETURN)).await.unwrap().body;
    assert_eq!(inconsistent.result.result_code, "REPEAT_REQ_INCONSISTENT");
    let unknown = c
        .call(&PayRequest::card_on_file(
            new_id("p"),
            antom::Sensitive::new("ALIPAYnope".into()),
            amount,
            "order",
            RETURN,
        ))
        .await
        .unwrap()
        .body;
    assert_eq!(unknown.result.result_code, "INVALID_PAYMENT_METHOD_ID");
}

#[tokio::test]
async fn state_survives_a_restart_with_a_state_dir() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config();
    cfg.state_dir = Some(dir.path().to_path_buf());
    let id = new_id("persist");
    {
        let sim = start(cfg.clone()).await;
        let c = client(&sim);
        let session = create(&c, &id, NOTIFY).await.vaulting_session_data.unwrap();
        submit(&sim, &session, "4111111111111111", "123").await;
        sim.stop().await;
    }
    let sim = start(cfg).await;
    let inq = inquire(&client(&sim), &id).await;
    assert_eq!(inq.vaulting_status, Some(VaultingStatus::Success));

    // an open session is swept several times a second, but the file is rewritten only on change
    create(&client(&sim), &new_id("persist-open"), NOTIFY).await;
    let file = dir.path().join("state.json");
    let before = std::fs::metadata(&file).unwrap().modified().unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), before, "no rewrite without a change");
}
