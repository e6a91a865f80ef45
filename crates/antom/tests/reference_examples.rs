//! Every example JSON documented in the protocol reference parses into the typed models.
//!
//! The examples are committed in `fixtures/reference_examples.json`, each with the model it is an
//! example of. When the reference itself is beside the checkout (`../shared/reference`, as in CI),
//! a second test extracts every JSON object from it and fails if one is not among the fixtures,
//! so a newly documented example cannot be missed.

use antom::model::*;
use serde_json::Value;
use std::path::PathBuf;

fn fixtures() -> Vec<Value> {
    let text = include_str!("fixtures/reference_examples.json");
    serde_json::from_str::<Vec<Value>>(text).unwrap()
}

fn parse_as(model: &str, v: &Value) -> Result<(), String> {
    fn p<T: serde::de::DeserializeOwned>(v: &Value) -> Result<(), String> {
        serde_json::from_value::<T>(v.clone()).map(|_| ()).map_err(|e| e.to_string())
    }
    match model {
        "CreateVaultingSessionRequest" => p::<CreateVaultingSessionRequest>(v),
        "CreateVaultingSessionResponse" => p::<CreateVaultingSessionResponse>(v),
        "InquireVaultingRequest" => p::<InquireVaultingRequest>(v),
        "InquireVaultingResponse" => p::<InquireVaultingResponse>(v),
        "NotifyVaulting" => p::<NotifyVaulting>(v),
        "NotifyAck" => p::<NotifyAck>(v),
        "PayRequest" => p::<PayRequest>(v),
        "PayResponse" => p::<PayResponse>(v),
        "VaultPaymentMethodRequest" => p::<VaultPaymentMethodRequest>(v),
        "VaultPaymentMethodResponse" => p::<VaultPaymentMethodResponse>(v),
        other => Err(format!("no model named {other}")),
    }
}

#[test]
fn every_fixture_parses_into_its_model() {
    let all = fixtures();
    assert!(all.len() >= 7);
    for f in &all {
        let model = f["model"].as_str().unwrap();
        parse_as(model, &f["example"]).unwrap_or_else(|e| panic!("{} ({model}): {e}", f["source"]));
    }
}

#[test]
fn the_examples_mean_what_the_reference_says() {
    let all = fixtures();
    let get = |m: &str| all.iter().find(|f| f["model"] == m).unwrap()["example"].clone();
    let req: CreateVaultingSessionRequest = serde_json::from_value(get("CreateVaultingSessionRequest")).unwrap();
    assert_eq!(req.is_3ds_authentication, Some(true));
    assert_eq!(req.merchant_region.as_deref(), Some("SG"));
    let inq: InquireVaultingResponse = serde_json::from_value(get("InquireVaultingResponse")).unwrap();
    assert_eq!(inq.vaulting_status, Some(VaultingStatus::Success));
    let card = inq.payment_method_detail.unwrap().card.unwrap();
    assert_eq!(card.brand.as_deref(), Some("VISA"));
    assert_eq!(card.last_four().as_deref(), Some("8764"));
    assert!(card.card_token.unwrap().expose().starts_with("ALIPAY"));
    let ack: NotifyAck = serde_json::from_value(get("NotifyAck")).unwrap();
    assert!(ack.is_acknowledged());
    let pay: PayRequest = serde_json::from_value(get("PayRequest")).unwrap();
    assert_eq!(pay.payment_method.payment_method_meta_data.unwrap().is_card_on_file, Some(true));
}

fn reference_file() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/antom-protocol.md");
    p.exists().then_some(p)
}

/// The JSON objects of every ```json block; `// comment` lines separate objects.
fn extract_objects(markdown: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find("```json\n") {
        let after = &rest[start + 8..];
        let end = after.find("```").expect("unterminated json block");
        let mut current = String::new();
        for line in after[..end].lines().chain(std::iter::once("// end")) {
            if line.trim_start().starts_with("//") {
                if !current.trim().is_empty() {
                    out.push(serde_json::from_str(&current).unwrap_or_else(|e| panic!("{e}: {current}")));
                }
                current.clear();
            } else {
                current.push_str(line);
                current.push('\n');
            }
        }
        rest = &after[end + 3..];
    }
    out
}

#[test]
fn fixtures_cover_every_example_in_the_reference() {
    let Some(path) = reference_file() else {
        eprintln!("reference not beside the checkout; the committed fixtures were checked above");
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let documented = extract_objects(&text);
    assert!(!documented.is_empty());
    let fx: Vec<Value> = fixtures().into_iter().map(|f| f["example"].clone()).collect();
    for obj in &documented {
        assert!(fx.contains(obj), "example in the reference is not in the fixtures: {obj}");
    }
}
