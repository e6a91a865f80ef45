//! The payment state machine (crates/core/src/payments.rs) against the simulator over loopback,
//! with a real SQLite file: every outcome, idempotent replays, refunds, cancel, removal via
//! deleteToken (and a revoked token refused), and payments whose answer was lost.

use crate::support::*;
use antom::outcome::PaymentOutcome;
use cardbind_core::error::ErrorCode;
use cardbind_core::flows::payments::{ChargeInput, PaymentFlow, PaymentState, RefundState};
use cardbind_core::flows::CardRemoval;
use cardbind_core::flows::{BindingFlow, Flows};
use std::sync::Arc;
use std::time::Duration;

/// A bound card of the world's customer.
async fn bound_card(w: &World, number: &str) -> i64 {
    let started = w.flow.start(w.customer, None, &consent()).await.unwrap();
    buyer_submits(&w.sim, &started.session_data, number).await;
    w.flow.wait_for_result(started.attempt.id, Duration::from_secs(10)).await.unwrap().card_id.unwrap()
}

fn payments(w: &World) -> Arc<Flows> {
    w.payments()
}

fn charge(card_id: i64, minor: i64) -> ChargeInput {
    ChargeInput {
        card_id,
        amount: minor,
        currency: "USD".into(),
        description: "Two coffees".into(),
        reference: Some("till-1-0042".into()),
        customer_present: true,
        device: None,
        charge_key: None,
    }
}

#[tokio::test]
async fn approved_declined_and_a_declined_card_charges_nothing() {
    let w = world().await;
    let pay = payments(&w);
    let ok = bound_card(&w, "4111111111111111").await;
    let p = pay.payments.charge(&charge(ok, 1250), None).await.unwrap();
    assert_eq!(p.state, PaymentState::Authorised);
    assert_eq!((p.amount, p.currency.as_str(), p.reference.as_str()), (1250, "USD", "till-1-0042"));
    assert!(p.payment_id.is_some() && p.authorization_code.is_some() && p.paid_at.is_some());
    for (number, code) in [
        ("4000000000005209", "DO_NOT_HONOR"),
        ("4000000000009953", "USER_BALANCE_NOT_ENOUGH"),
        ("4000000000004004", "INVALID_EXPIRATION_DATE"),
    ] {
        let card = bound_card(&w, number).await;
        let d = pay.payments.charge(&charge(card, 1250), None).await.unwrap();
        assert_eq!(d.state, PaymentState::Declined, "{number}");
        assert_eq!(d.result_code.as_deref(), Some(code));
    }
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM payments WHERE state = 'AUTHORISED'"), 1);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.charge'"), 4);
}

#[tokio::test]
async fn bad_amounts_are_refused_before_anything_is_recorded() {
    let w = world().await;
    let pay = payments(&w);
    let card = bound_card(&w, "4111111111111111").await;
    for (minor, currency) in [(0, "USD"), (-5, "USD"), (100, "XYZ"), (10_000_000_000_000, "USD")] {
        let mut c = charge(card, minor);
        c.currency = currency.into();
        assert_eq!(
            pay.payments.charge(&c, None).await.unwrap_err().code,
            ErrorCode::AmountInvalid,
            "{minor} {currency}"
        );
    }
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM payments"), 0);
    // JPY has no minor unit: 1000 is ¥1000, sent as "1000"
    let mut yen = charge(card, 1000);
    yen.currency = "JPY".into();
    assert_eq!(pay.payments.charge(&yen, None).await.unwrap().state, PaymentState::Authorised);
}

#[tokio::test]
async fn three_ds_pending_then_settled_by_inquiry_never_by_the_page() {
    let w = world().await;
    let pay = payments(&w);
    let card = bound_card(&w, "4000000000003162").await;
    let p = pay.payments.charge(&charge(card, 800), None).await.unwrap();
    assert_eq!(p.state, PaymentState::Pending);
    let url = p.challenge_url.clone().expect("a challenge page");
    // still pending while nobody answers
    assert_eq!(pay.payments.refresh(p.id).await.unwrap().state, PaymentState::Pending);
    let payment_id = url.split("payment=").nth(1).unwrap();
    let answered =
        element(&w.sim, "pay-challenge", serde_json::json!({ "payment": payment_id, "code": "1234", "approve": true }))
            .await;
    assert_eq!(answered["status"], "SUCCESS");
    let done = pay.payments.wait_for_result(p.id, Duration::from_secs(5)).await.unwrap();
    assert!(done.state.is_charged(), "authorised (or captured by now): {:?}", done.state);
    assert!(done.three_ds);
}

#[tokio::test]
async fn pending_payments_settle_by_polling() {
    let mut cfg = sim_config();
    cfg.slow_verification = Duration::from_secs(200);
    let w = world_with(cfg, "https://merchant.example/antom/notify").await;
    let pay = payments(&w);
    for (number, want) in [("4000000000007304", PaymentState::Authorised), ("4000000000007312", PaymentState::Declined)]
    {
        let card = bound_card(&w, number).await;
        let p = pay.payments.charge(&charge(card, 990), None).await.unwrap();
        assert_eq!(p.state, PaymentState::Pending);
        assert_eq!(pay.payments.wait_for_result(p.id, Duration::from_secs(5)).await.unwrap().state, want, "{number}");
    }
}

#[tokio::test]
async fn a_lost_answer_is_settled_by_inquiry_and_never_charged_twice() {
    let w = world().await;
    let pay = payments(&w);
    let card = bound_card(&w, "4111111111111111").await;
    // the pay arrives and is processed, the answer is cut off: SENDING, then reconciliation
    w.sim.set_faults(antom_sim::faults::Faults {
        drop_connection: 3,
        only_endpoint: Some("pay".into()),
        ..Default::default()
    });
    let p = pay.payments.charge(&charge(card, 1500), None).await.unwrap();
    assert_eq!(p.state, PaymentState::Sending);
    w.sim.set_faults(Default::default());
    let report = pay.reconcile().await.unwrap();
    assert_eq!(report.payments.checked, 1);
    let p = pay.payments.payment(p.id).unwrap();
    assert!(p.state.is_charged(), "{:?}", p.state);
    // the pay never arrived (HTTP 503 before processing): inquiry finds nothing, the same pay
    // is sent again, once
    w.sim.set_faults(antom_sim::faults::Faults {
        http_5xx: 3,
        only_endpoint: Some("pay".into()),
        ..Default::default()
    });
    let q = pay.payments.charge(&charge(card, 700), None).await.unwrap();
    assert_eq!(q.state, PaymentState::Sending);
    w.sim.set_faults(Default::default());
    pay.reconcile().await.unwrap();
    let state = pay.payments.payment(q.id).unwrap().state;
    assert!(state.is_charged(), "{state:?}");
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM payments"), 2);
    // a replayed or late answer changes nothing
    let again = pay
        .payments
        .apply(
            &q.payment_request_id,
            PaymentOutcome::Declined { payment_id: None, code: "DO_NOT_HONOR".into(), message: String::new() },
        )
        .unwrap()
        .unwrap();
    assert_eq!(again.state, state, "unchanged");
    assert!(pay.payments.apply("pay-not-ours", PaymentOutcome::NotFound).unwrap().is_none());
}

#[tokio::test]
async fn partial_then_full_refund_and_never_more_than_was_charged() {
    let w = world().await;
    let pay = payments(&w);
    let card = bound_card(&w, "4111111111111111").await;
    let p = pay.payments.charge(&charge(card, 1000), None).await.unwrap();
    assert_eq!(p.state, PaymentState::Authorised);
    assert_eq!(captured(&pay, p.id).await.state, PaymentState::Captured);
    let r1 = pay.refunds.refund(p.id, 400, Some("one cup returned"), None).await.unwrap();
    assert_eq!(r1.state, RefundState::Succeeded);
    assert_eq!(pay.payments.payment(p.id).unwrap().refunded, 400);
    assert_eq!(pay.refunds.refund(p.id, 601, None, None).await.unwrap_err().code, ErrorCode::RefundNotPossible);
    let r2 = pay.refunds.refund(p.id, 600, None, None).await.unwrap();
    assert_eq!(r2.state, RefundState::Succeeded);
    assert_eq!(pay.payments.payment(p.id).unwrap().refunded, 1000);
    assert_eq!(pay.refunds.refund(p.id, 1, None, None).await.unwrap_err().code, ErrorCode::RefundNotPossible);
    // replaying a refund's answer does not add it twice
    pay.refunds
        .apply_refund(
            &r2.refund_request_id,
            antom::outcome::RefundOutcome::Succeeded { refund_id: "x".into(), refund_time: None },
        )
        .unwrap();
    assert_eq!(pay.payments.payment(p.id).unwrap().refunded, 1000);
    // a declined payment is not refundable
    let declined = bound_card(&w, "4000000000005209").await;
    let d = pay.payments.charge(&charge(declined, 100), None).await.unwrap();
    assert_eq!(pay.refunds.refund(d.id, 100, None, None).await.unwrap_err().code, ErrorCode::RefundNotPossible);
}

#[tokio::test]
async fn cancel_before_settlement_and_refused_after_a_refund() {
    let w = world().await;
    let pay = payments(&w);
    let card = bound_card(&w, "4111111111111111").await;
    let p = pay.payments.charge(&charge(card, 1000), None).await.unwrap();
    let c = pay.payments.cancel(p.id, None).await.unwrap();
    assert_eq!(c.state, PaymentState::Cancelled);
    assert_eq!(pay.refunds.refund(p.id, 100, None, None).await.unwrap_err().code, ErrorCode::RefundNotPossible);
    let q = pay.payments.charge(&charge(card, 1000), None).await.unwrap();
    captured(&pay, q.id).await;
    pay.refunds.refund(q.id, 100, None, None).await.unwrap();
    assert_eq!(pay.payments.cancel(q.id, None).await.unwrap_err().code, ErrorCode::CancelNotPossible);
}

#[tokio::test]
async fn removal_revokes_the_token_at_antom_first_and_waits_when_antom_is_away() {
    let w = world().await;
    let pay = payments(&w);
    let card = bound_card(&w, "4111111111111111").await;
    let token = w.till.card_token(card).unwrap();
    // Antom away: removal pending, the card cannot be charged, the token is still sealed here
    w.sim.set_faults(antom_sim::faults::Faults {
        http_5xx: 10,
        only_endpoint: Some("deleteToken".into()),
        ..Default::default()
    });
    assert_eq!(pay.removal.remove_card(card, None).await.unwrap(), CardRemoval::Pending);
    assert_eq!(pay.payments.charge(&charge(card, 100), None).await.unwrap_err().code, ErrorCode::CardNotChargeable);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM cards WHERE token_sealed IS NOT NULL"), 1);
    // Antom back: reconciliation revokes it and only then erases the token
    w.sim.set_faults(Default::default());
    let report = pay.reconcile().await.unwrap();
    assert_eq!(report.removals.checked, 1);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM cards WHERE token_sealed IS NOT NULL"), 0);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'card.remove'"), 1);
    // the simulator refuses the revoked token whoever sends it
    let c = w.till.client();
    let direct = c
        .call(&antom::model::PayRequest::card_on_file(
            "pay-after-revoke",
            token,
            antom::model::Amount::new("USD", 100),
            "x",
            "https://merchant.example/return",
        ))
        .await
        .unwrap()
        .body;
    assert_eq!(direct.result.result_code, "INVALID_PAYMENT_METHOD_ID");
    // and a second card removed while Antom is there goes at once
    let other = bound_card(&w, "5555555555554444").await;
    assert_eq!(pay.removal.remove_card(other, None).await.unwrap(), CardRemoval::Removed);
    let _ = Arc::clone(&w.flow);
}

/// A card saved after a consent read in `locale`.
async fn bound_card_in(w: &World, number: &str, locale: &str) -> i64 {
    let consent = cardbind_core::store::ConsentInput { text_version: "card-on-file-v1".into(), locale: locale.into() };
    let started = w.flow.start(w.customer, None, &consent).await.unwrap();
    buyer_submits(&w.sim, &started.session_data, number).await;
    w.flow.wait_for_result(started.attempt.id, Duration::from_secs(10)).await.unwrap().card_id.unwrap()
}

#[tokio::test]
async fn receipts_exist_only_for_what_succeeded_in_the_customers_language_with_nothing_sensitive() {
    use cardbind_core::receipts::{self, ReceiptKind};
    use cardbind_core::settings::Settings;
    let w = world().await;
    let pay = payments(&w);
    let card = bound_card_in(&w, "4111111111111111", "pt").await;
    let p = pay.payments.charge(&charge(card, 1250), None).await.unwrap();
    let settings = Settings { shop_name: Some("Padaria Sol".into()), locale: Some("en".into()), ..Settings::default() };
    let db = w.db.clone();
    let build = |row, refund, locale| receipts::build(&cardbind_core::db::lock(&db), &settings, row, refund, locale);

    // the customer's language is the consent's, not the shop's
    let r = build(p.id, None, None).unwrap();
    assert_eq!((r.kind, r.locale.as_str(), r.amount, r.currency.as_str()), (ReceiptKind::Payment, "pt", 1250, "USD"));
    assert_eq!(r.payment_id, p.payment_id);
    assert_eq!(r.authorization_code, p.authorization_code);
    assert!(r.authorization_code.is_some());
    assert_eq!((r.masked_card_no.as_str(), r.brand.as_str()), (p.masked_card_no.as_str(), "VISA"));
    assert_eq!(r.shop_name.as_deref(), Some("Padaria Sol"));
    assert!(r.demo, "a demo-mode receipt says so");
    assert_eq!(r.file_name, format!("receipt-{}-pt.pdf", p.payment_id.as_deref().unwrap()));
    // staff may choose another of the app's languages; anything else is refused
    assert_eq!(build(p.id, None, Some("de")).unwrap().locale, "de");
    assert_eq!(build(p.id, None, Some("xx")).unwrap_err().code, ErrorCode::InvalidInput);
    // nothing sensitive: not the token, not the customer's name or phone
    let json = serde_json::to_string(&r).unwrap();
    let token = w.till.card_token(card).unwrap();
    assert!(!json.contains(token.expose().as_str()), "the token is not on a receipt");
    assert!(!json.contains("Ana Souza") && !json.contains("5555"), "{json}");

    // a declined payment has no receipt
    let declined_card = bound_card(&w, "4000000000005209").await;
    let d = pay.payments.charge(&charge(declined_card, 700), None).await.unwrap();
    assert_eq!(d.state, PaymentState::Declined);
    assert_eq!(build(d.id, None, None).unwrap_err().code, ErrorCode::ReceiptNotAvailable);
    // the declined card was saved after an English consent: its receipts would be in English
    let other = pay.payments.charge(&charge(bound_card(&w, "4111111111111111").await, 300), None).await.unwrap();
    assert_eq!(build(other.id, None, None).unwrap().locale, "en");

    // the receipt says whether the capture is confirmed
    assert_eq!(r.status, PaymentState::Authorised);
    captured(&pay, p.id).await;
    assert_eq!(build(p.id, None, None).unwrap().status, PaymentState::Captured);
    // a refund's receipt: the refunded amount, the original payment, Antom's refund id
    let refund = pay.refunds.refund(p.id, 400, Some("one coffee"), None).await.unwrap();
    assert_eq!(refund.state, RefundState::Succeeded);
    let rr = build(p.id, Some(refund.id), None).unwrap();
    assert_eq!((rr.kind, rr.amount, rr.payment_amount), (ReceiptKind::Refund, 400, 1250));
    assert_eq!(rr.refund_id, refund.refund_id);
    assert!(rr.file_name.contains("-refund-") && rr.file_name.ends_with("-pt.pdf"), "{}", rr.file_name);
    // a refund asked for under another payment is not found
    assert_eq!(build(other.id, Some(refund.id), None).unwrap_err().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_receipt_pdf_appears_only_when_the_print_finished() {
    use cardbind_core::receipts;
    use cardbind_core::settings::Settings;
    let w = world().await;
    let pay = payments(&w);
    let p = pay.payments.charge(&charge(bound_card(&w, "4111111111111111").await, 990), None).await.unwrap();
    let r = receipts::build(&cardbind_core::db::lock(&w.db), &Settings::default(), p.id, None, None).unwrap();
    let dir = w.dir.path().join("Downloads");
    let files = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default()
    };

    // a print that fails half-way leaves nothing, not even its partial file
    let failed = receipts::save_pdf(&r, &dir, |part| async move {
        std::fs::write(&part, b"%PDF-1.5 half").unwrap();
        Err(cardbind_core::AppError::new(ErrorCode::PrintFailed, "the printer backend went away"))
    })
    .await;
    assert_eq!(failed.unwrap_err().code, ErrorCode::PrintFailed);
    assert!(files(&dir).is_empty(), "{:?}", files(&dir));
    // a print that "finishes" with an empty file is not a receipt
    let empty = receipts::save_pdf(&r, &dir, |part| async move {
        std::fs::write(&part, b"").unwrap();
        Ok(())
    })
    .await;
    assert_eq!(empty.unwrap_err().code, ErrorCode::PrintFailed);
    assert!(files(&dir).is_empty(), "{:?}", files(&dir));
    // a finished print appears under the receipt's name
    let saved = receipts::save_pdf(&r, &dir, |part| async move {
        std::fs::write(&part, b"%PDF-1.5 whole").unwrap();
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(files(&dir), vec![r.file_name.clone()]);
    assert_eq!(std::fs::read(&saved.path).unwrap(), b"%PDF-1.5 whole");
}

#[tokio::test]
async fn the_merchant_region_goes_with_the_charge_and_a_resend_keeps_the_recorded_body() {
    let w = world().await;
    let card = bound_card(&w, "4111111111111111").await;
    let notify = "https://merchant.example/antom/notify";
    let sg = PaymentFlow::new(w.till.clone(), "https://merchant.example/return", Some(notify.into()))
        .with_merchant_region(Some("SG".into()))
        .with_poll(POLL);
    let p = sg.charge(&charge(card, 500), None).await.unwrap();
    assert_eq!(p.state, PaymentState::Authorised);
    let at_antom = |request_id: &str| {
        w.sim.payments(CLIENT).into_iter().find(|q| q.payment_request_id == request_id).expect("Antom has it")
    };
    assert_eq!(at_antom(&p.payment_request_id).merchant_region.as_deref(), Some("SG"));

    // a pay that never reached Antom is sent again after the shop changed its region and its
    // notification address: the very body first recorded, or Antom would see one request id
    // with two bodies
    w.sim.set_faults(antom_sim::faults::Faults {
        http_5xx: 3,
        only_endpoint: Some("pay".into()),
        ..Default::default()
    });
    let q = sg.charge(&charge(card, 700), None).await.unwrap();
    assert_eq!(q.state, PaymentState::Sending);
    w.sim.set_faults(Default::default());
    let br = PaymentFlow::new(w.till.clone(), "https://merchant.example/return", Some("https://new.example/n".into()))
        .with_merchant_region(Some("BR".into()));
    assert_eq!(br.refresh(q.id).await.unwrap().state, PaymentState::Authorised);
    let sent = at_antom(&q.payment_request_id);
    assert_eq!(sent.merchant_region.as_deref(), Some("SG"));
    assert_eq!(sent.notify_url.as_deref(), Some(notify));
}

#[tokio::test]
async fn the_merchant_region_goes_with_the_binding_session() {
    let w = world().await;
    let flow = BindingFlow::new(Arc::new(w.other_till("till-2")), "https://merchant.example/n")
        .with_merchant_region(Some("PT".into()));
    let started = flow.start(w.customer, None, &consent()).await.unwrap();
    let at_antom = w.sim.vaulting(CLIENT, &started.attempt.vaulting_request_id).expect("Antom has the session");
    assert_eq!(at_antom.merchant_region.as_deref(), Some("PT"));
}

/// Two tills on one database (two flows): while one is still sending its pay, the other's
/// reconciler leaves the payment to it (the sender's claim is in the shared database) instead
/// of finding it unknown at Antom and sending it a second time; afterwards it is anyone's.
#[tokio::test]
async fn another_tills_reconciler_leaves_a_payment_being_sent_alone() {
    let w = world().await;
    let card = bound_card(&w, "4111111111111111").await;
    let this = payments(&w);
    let other = flows_of(w.other_till("till-2"));
    w.sim.set_faults(antom_sim::faults::Faults {
        latency_ms: 1500,
        only_endpoint: Some("pay".into()),
        ..Default::default()
    });
    let sender = this.clone();
    let sending = tokio::spawn(async move { sender.payments.charge(&charge(card, 1234), None).await });
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while count(&w.db, "SELECT COUNT(*) FROM payments") == 0 {
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let report = other.reconcile().await.unwrap();
    assert_eq!((report.payments.checked, report.payments.elsewhere), (0, 1), "{report:?}");
    // and so does the sending till's own reconciler
    let report = this.reconcile().await.unwrap();
    assert_eq!((report.payments.checked, report.payments.elsewhere), (0, 1), "this till: {report:?}");
    let paid = sending.await.unwrap().unwrap();
    assert_eq!(paid.state, PaymentState::Authorised);
    w.sim.set_faults(Default::default());
    assert_eq!(w.sim.payments(CLIENT).len(), 1);
    // the sender is done: the claim is gone (the other till would take an open one now)
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM claims"), 0);
}

/// A cancel is recorded before it is sent: when its answer is lost it stays asked for, and
/// reconciliation sends the same cancel again until Antom has cancelled the payment.
#[tokio::test]
async fn a_cancel_whose_answer_is_lost_is_sent_again_by_reconciliation() {
    let w = world().await;
    let card = bound_card(&w, "4111111111111111").await;
    let pay = payments(&w);
    let p = pay.payments.charge(&charge(card, 900), None).await.unwrap();
    assert_eq!(p.state, PaymentState::Authorised);
    w.sim.set_faults(antom_sim::faults::Faults {
        http_5xx: 10,
        only_endpoint: Some("cancel".into()),
        ..Default::default()
    });
    let e = pay.payments.cancel(p.id, None).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AntomUnreachable, "{e:?}");
    assert_eq!(pay.payments.payment(p.id).unwrap().state, PaymentState::Authorised);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM payments WHERE cancel_requested_at IS NOT NULL"), 1);
    w.sim.set_faults(Default::default());
    let report = pay.reconcile().await.unwrap();
    assert_eq!((report.cancels.checked, report.cancels.finished), (1, 1), "{report:?}");
    assert_eq!(pay.payments.payment(p.id).unwrap().state, PaymentState::Cancelled);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM payments WHERE cancel_requested_at IS NOT NULL"), 0);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM claims"), 0);
    // nothing is left to send
    let report = pay.reconcile().await.unwrap();
    assert_eq!(report.cancels.checked, 0);
}

/// A card removal is claimed in the transaction that records it: a reconciler running while
/// deleteToken is on its way leaves the card to the removal (it would send a second
/// deleteToken otherwise).
#[tokio::test]
async fn a_reconciler_leaves_a_card_removal_being_sent_alone() {
    let w = world().await;
    let card = bound_card(&w, "4111111111111111").await;
    let pay = payments(&w);
    w.sim.set_faults(antom_sim::faults::Faults {
        latency_ms: 1500,
        only_endpoint: Some("deleteToken".into()),
        ..Default::default()
    });
    let remover = pay.clone();
    let removing = tokio::spawn(async move { remover.removal.remove_card(card, None).await });
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while count(&w.db, "SELECT COUNT(*) FROM cards WHERE removal_requested_at IS NOT NULL") == 0 {
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let report = flows_of(w.other_till("till-2")).reconcile().await.unwrap();
    assert_eq!((report.removals.checked, report.removals.elsewhere), (0, 1), "{report:?}");
    let report = pay.reconcile().await.unwrap();
    assert_eq!((report.removals.checked, report.removals.elsewhere), (0, 1), "this till: {report:?}");
    assert_eq!(removing.await.unwrap().unwrap(), CardRemoval::Removed);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM claims"), 0);
}

/// A charge is AUTHORISED until its capture is known; a capture that fails shows as
/// CAPTURE_FAILED (by inquiryPayment here), cannot be refunded, and has no receipt.
#[tokio::test]
async fn a_failed_capture_shows_as_such_and_cannot_be_refunded() {
    let w = world().await;
    let pay = payments(&w);
    let card = bound_card(&w, "4000000000006249").await;
    let p = pay.payments.charge(&charge(card, 1500), None).await.unwrap();
    assert_eq!(p.state, PaymentState::Authorised);
    let p = captured(&pay, p.id).await;
    assert_eq!(p.state, PaymentState::CaptureFailed);
    assert!(p.capture_code.is_some());
    let e = pay.refunds.refund(p.id, 100, None, None).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::RefundNotPossible, "{e:?}");
    let r = cardbind_core::receipts::build(
        &cardbind_core::db::lock(&w.db),
        &cardbind_core::settings::Settings::default(),
        p.id,
        None,
        None,
    );
    assert_eq!(r.unwrap_err().code, ErrorCode::ReceiptNotAvailable);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.capture_failed'"), 1);
    // reconciliation has nothing left to ask about it
    assert_eq!(pay.reconcile().await.unwrap().captures.checked, 0);
}

/// Reconciliation learns the capture of an authorised charge (no listener, nobody polling).
#[tokio::test]
async fn reconciliation_learns_the_capture() {
    let w = world().await;
    let pay = payments(&w);
    let card = bound_card(&w, "4111111111111111").await;
    let p = pay.payments.charge(&charge(card, 700), None).await.unwrap();
    assert_eq!(p.state, PaymentState::Authorised);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let report = pay.reconcile().await.unwrap();
    assert_eq!((report.captures.checked, report.captures.finished), (1, 1), "{report:?}");
    assert_eq!(pay.payments.payment(p.id).unwrap().state, PaymentState::Captured);
}

/// A card whose scheme wants 3-D Secure is challenged, not declined: a customer-present charge
/// asks Antom to upgrade to 3DS (`enableAuthenticationUpgrade`).
#[tokio::test]
async fn a_pay_for_an_sca_card_is_challenged_not_declined() {
    let w = world().await;
    let pay = payments(&w);
    let card = bound_card(&w, "4000000000003188").await;
    let p = pay.payments.charge(&charge(card, 800), None).await.unwrap();
    assert_eq!(p.state, PaymentState::Pending, "{p:?}");
    assert!(p.challenge_url.is_some(), "a challenge page");
}

/// The first customer-initiated charge's network transaction id is kept on the card, and a
/// merchant-initiated charge sends it back (isCardOnFile, networkTransactionId; never an
/// invented isMerchantInitiated).
#[tokio::test]
async fn a_merchant_initiated_charge_sends_the_first_charges_network_transaction_id() {
    let w = world().await;
    let pay = payments(&w);
    let card = bound_card(&w, "4111111111111111").await;
    let first = pay.payments.charge(&charge(card, 500), None).await.unwrap();
    let nti = |w: &World| -> Option<String> {
        cardbind_core::db::lock(&w.db)
            .query_row("SELECT network_transaction_id FROM cards WHERE id = ?1", [card], |r| r.get(0))
            .unwrap()
    };
    let kept = nti(&w).expect("kept from the first CIT");
    let at_antom = w.sim.payments(CLIENT);
    let first_at_antom = at_antom.iter().find(|q| q.payment_request_id == first.payment_request_id).unwrap();
    assert_eq!(kept, first_at_antom.network_transaction_id);
    assert!(!first_at_antom.merchant_initiated);
    let mut absent = charge(card, 300);
    absent.customer_present = false;
    let mit = pay.payments.charge(&absent, None).await.unwrap();
    assert_eq!(mit.state, PaymentState::Authorised);
    let mit_at_antom =
        w.sim.payments(CLIENT).into_iter().find(|q| q.payment_request_id == mit.payment_request_id).unwrap();
    assert!(mit_at_antom.merchant_initiated, "sent as a merchant-initiated charge");
    // a later CIT does not replace the first one's id
    pay.payments.charge(&charge(card, 200), None).await.unwrap();
    assert_eq!(nti(&w).as_deref(), Some(kept.as_str()));
}

/// deleteToken needs `merchantAccountId`: without it in Settings a removal stays pending (the
/// card cannot be charged) and says what to set; with it the token is deleted at Antom.
#[tokio::test]
async fn a_removal_sends_the_merchant_account_and_without_one_stays_pending() {
    let w = world().await;
    let card = bound_card(&w, "4111111111111111").await;
    let none = Arc::new(Flows::new(
        w.till.clone(),
        &cardbind_core::flows::FlowOptions {
            notification_url: "https://merchant.example/n".into(),
            redirect_url: "https://merchant.example/return".into(),
            poll: Some(POLL),
            ..Default::default()
        },
    ));
    let e = none.removal.remove_card(card, None).await.unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::SettingsInvalid, Some("merchantAccountId")), "{e:?}");
    assert_eq!(
        count(&w.db, "SELECT COUNT(*) FROM cards WHERE removal_requested_at IS NOT NULL AND removed_at IS NULL"),
        1
    );
    assert_eq!(payments(&w).removal.remove_card(card, None).await.unwrap(), CardRemoval::Removed);
    let deleted = w
        .sim
        .vaultings(CLIENT)
        .iter()
        .filter_map(|(id, _)| w.sim.vaulting(CLIENT, id))
        .filter(|v| v.token_deleted)
        .count();
    assert_eq!(deleted, 1, "deleted at Antom");
}

/// deleteToken's answer names no token: a signed SUCCESS recorded for another removal and played
/// back by something on the path does not mark this card removed while Antom keeps its token.
#[tokio::test]
async fn a_deletetoken_answer_replayed_from_another_removal_does_not_remove_this_card() {
    let w = world().await;
    let a = bound_card(&w, "4111111111111111").await;
    let b = bound_card(&w, "5555555555554444").await;
    let proxy = ReplayProxy::start(w.sim.base_url(), "/deleteToken").await;
    let till = cardbind_core::flows::Till::new(w.db.clone(), client(&proxy.base_url(), 1), w.key.clone());
    let flows = flows_of(till);
    assert_eq!(flows.removal.remove_card(a, None).await.unwrap(), CardRemoval::Removed);
    proxy.replay_from_now();
    assert_eq!(flows.removal.remove_card(b, None).await.unwrap(), CardRemoval::Pending);
    assert!(proxy.replayed() >= 1, "the recorded answer was played back");
    assert_eq!(
        count(
            &w.db,
            "SELECT COUNT(*) FROM cards WHERE id = {b} AND removed_at IS NULL AND token_sealed IS NOT NULL"
                .replace("{b}", &b.to_string())
                .as_str()
        ),
        1
    );
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'card.removal_unconfirmed'"), 1);
    // Antom still has B's token; once the path is honest again the removal goes through
    proxy.stop_replaying();
    assert_eq!(flows.reconcile().await.unwrap().removals.finished, 1);
}

/// A refund Antom finishes later (the slow-refund card answers U, REFUND_IN_PROCESS): PENDING
/// first, nothing counted, then SUCCEEDED by inquiryRefund and counted once.
#[tokio::test]
async fn an_asynchronous_refund_is_pending_then_succeeds() {
    let mut cfg = sim_config();
    cfg.slow_verification = Duration::from_secs(200); // 200 ms at the test time scale
    let w = world_with(cfg, "https://merchant.example/antom/notify").await;
    let pay = payments(&w);
    let card = bound_card(&w, "4000000000007387").await;
    let p = pay.payments.charge(&charge(card, 900), None).await.unwrap();
    captured(&pay, p.id).await;
    let r = pay.refunds.refund(p.id, 300, None, None).await.unwrap();
    assert_eq!(r.state, RefundState::Pending, "{r:?}");
    assert_eq!(pay.payments.payment(p.id).unwrap().refunded, 0, "not before Antom says so");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let now = pay.refunds.refresh_refund(r.id).await.unwrap();
        if now.state == RefundState::Succeeded {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never finished: {now:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(pay.payments.payment(p.id).unwrap().refunded, 300);
    pay.refunds.refresh_refund(r.id).await.unwrap();
    assert_eq!(pay.payments.payment(p.id).unwrap().refunded, 300, "counted once");
}
