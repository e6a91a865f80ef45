//! Test vectors that no code of ours produced: keys and signatures come from the `openssl` CLI.
//!
//! PKCS#1 v1.5 is deterministic, so our signature must equal openssl's byte for byte, and
//! `openssl dgst -verify` must accept ours. Tampering with any part of the signed content must
//! make verification fail. The `antom` CLI is checked against the same vectors.

use antom::signature::{self, content_to_sign, form_url_decode, SignatureHeader};
use antom::{MerchantPrivateKey, PublicKey};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

struct Keys {
    dir: tempfile::TempDir,
}

impl Keys {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn openssl(args: &[&str]) -> std::process::Output {
    let out = Command::new("openssl").args(args).output().expect("openssl must be installed (make test installs it)");
    assert!(out.status.success(), "openssl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// One openssl-generated 2048-bit key in every form Antom integrators meet.
fn keys() -> &'static Keys {
    static K: OnceLock<Keys> = OnceLock::new();
    K.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
        openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", &p("pkcs8.pem")]);
        openssl(&["rsa", "-in", &p("pkcs8.pem"), "-traditional", "-out", &p("pkcs1.pem")]);
        openssl(&["pkcs8", "-topk8", "-nocrypt", "-in", &p("pkcs8.pem"), "-outform", "DER", "-out", &p("pkcs8.der")]);
        openssl(&["pkey", "-in", &p("pkcs8.pem"), "-pubout", "-out", &p("pub.pem")]);
        openssl(&["pkey", "-in", &p("pkcs8.pem"), "-pubout", "-outform", "DER", "-out", &p("pub.der")]);
        let der = std::fs::read(dir.path().join("pkcs8.der")).unwrap();
        std::fs::write(dir.path().join("pkcs8.b64"), STANDARD.encode(der)).unwrap();
        let pubder = std::fs::read(dir.path().join("pub.der")).unwrap();
        std::fs::write(dir.path().join("pub.b64"), STANDARD.encode(pubder)).unwrap();
        Keys { dir }
    })
}

fn load_private(name: &str) -> MerchantPrivateKey {
    MerchantPrivateKey::parse(&std::fs::read(keys().path(name)).unwrap()).unwrap()
}

fn openssl_sign(content: &[u8]) -> Vec<u8> {
    let k = keys();
    let tmp = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(tmp.path(), content).unwrap();
    openssl(&["dgst", "-sha256", "-sign", k.path("pkcs8.pem").to_str().unwrap(), tmp.path().to_str().unwrap()]).stdout
}

fn openssl_verifies(content: &[u8], sig: &[u8]) -> bool {
    let k = keys();
    let c = tempfile::NamedTempFile::new().unwrap();
    let s = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(c.path(), content).unwrap();
    std::fs::write(s.path(), sig).unwrap();
    let out = Command::new("openssl")
        .args(["dgst", "-sha256", "-verify", k.path("pub.pem").to_str().unwrap(), "-signature"])
        .arg(s.path())
        .arg(c.path())
        .output()
        .unwrap();
    out.status.success() && String::from_utf8_lossy(&out.stdout).contains("Verified OK")
}

const PATH: &str = "/ams/sandbox/api/v1/vaults/inquireVaulting";
const CLIENT: &str = "SANDBOX_5X00000000000000";
const TIME: &str = "1685599933871";

fn bodies() -> Vec<Vec<u8>> {
    vec![
        br#"{"vaultingRequestId":"vr-001"}"#.to_vec(),
        b"{\n   \"vaultingRequestId\": \"vr-002\"\n}".to_vec(), // Python SDK's indent=3 style
        "{\"name\":\"Jo\u{e3}o Conce\u{e7}\u{e3}o \u{d55c}\u{ad6d}\",\"x\":\"a+b/c=d\"}".as_bytes().to_vec(),
        b"{\"crlf\":\"\r\n\"}\r\n".to_vec(),
        Vec::new(),
    ]
}

#[test]
fn our_signatures_equal_openssl_and_openssl_verifies_ours() {
    let pkcs8 = load_private("pkcs8.pem");
    for body in bodies() {
        let content = content_to_sign("POST", PATH, CLIENT, TIME, &body);
        let ours = signature::sign(&pkcs8, PATH, CLIENT, TIME, &body, "1");
        assert_eq!(ours.signature, openssl_sign(&content), "body {:?}", String::from_utf8_lossy(&body));
        assert!(openssl_verifies(&content, &ours.signature));
        // the header value decodes back (URL-decode, base64-decode) to the same bytes
        let value = ours.to_header_value();
        let encoded = value.split("signature=").nth(1).unwrap();
        assert!(!encoded.contains(['+', '/', '=']), "{encoded}");
        assert_eq!(STANDARD.decode(form_url_decode(encoded).unwrap()).unwrap(), ours.signature);
    }
}

#[test]
fn every_key_form_signs_identically() {
    let reference = load_private("pkcs8.pem");
    let content = b"x";
    for name in ["pkcs1.pem", "pkcs8.der", "pkcs8.b64"] {
        assert_eq!(load_private(name).sign(content), reference.sign(content), "{name}");
    }
    let pub_pem = PublicKey::parse(&std::fs::read(keys().path("pub.pem")).unwrap()).unwrap();
    for name in ["pub.der", "pub.b64"] {
        assert_eq!(PublicKey::parse(&std::fs::read(keys().path(name)).unwrap()).unwrap(), pub_pem, "{name}");
    }
    assert_eq!(reference.public_key(), pub_pem);
}

#[test]
fn openssl_signatures_verify_and_any_tampering_fails() {
    let public = PublicKey::parse(&std::fs::read(keys().path("pub.pem")).unwrap()).unwrap();
    let body = br#"{"vaultingRequestId":"vr-001","x":"+/="}"#.to_vec();
    let sig = openssl_sign(&content_to_sign("POST", PATH, CLIENT, TIME, &body));
    let header =
        SignatureHeader { algorithm: "RSA256".into(), key_version: "1".into(), signature: sig }.to_header_value();
    signature::verify(&public, PATH, CLIENT, TIME, &body, Some(&header)).unwrap();

    // flip every byte of every part, one at a time
    let flip = |s: &[u8], i: usize| {
        let mut v = s.to_vec();
        v[i] ^= 0x01;
        v
    };
    for i in 0..PATH.len() {
        let p = String::from_utf8_lossy(&flip(PATH.as_bytes(), i)).into_owned();
        assert!(signature::verify(&public, &p, CLIENT, TIME, &body, Some(&header)).is_err(), "path byte {i}");
    }
    for i in 0..CLIENT.len() {
        let c = String::from_utf8_lossy(&flip(CLIENT.as_bytes(), i)).into_owned();
        assert!(signature::verify(&public, PATH, &c, TIME, &body, Some(&header)).is_err(), "client byte {i}");
    }
    for i in 0..TIME.len() {
        let t = String::from_utf8_lossy(&flip(TIME.as_bytes(), i)).into_owned();
        assert!(signature::verify(&public, PATH, CLIENT, &t, &body, Some(&header)).is_err(), "time byte {i}");
    }
    for i in 0..body.len() {
        assert!(
            signature::verify(&public, PATH, CLIENT, TIME, &flip(&body, i), Some(&header)).is_err(),
            "body byte {i}"
        );
    }
    // a trailing newline, or \r\n for \n, is a different body
    let mut longer = body.clone();
    longer.push(b'\n');
    assert!(signature::verify(&public, PATH, CLIENT, TIME, &longer, Some(&header)).is_err());
    // the unprefixed docs path is not what is signed
    assert!(signature::verify(&public, "/v1/vaults/inquireVaulting", CLIENT, TIME, &body, Some(&header)).is_err());
}

// ----- the `antom` CLI against the same vectors -----

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_antom")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn body_file(dir: &Path, body: &[u8]) -> String {
    let p = dir.join("body.json");
    std::fs::write(&p, body).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn cli_sign_verify_explain() {
    let k = keys();
    let dir = tempfile::tempdir().unwrap();
    let body = "{\"vaultingRequestId\":\"vr-\u{e9}\"}".as_bytes();
    let bf = body_file(dir.path(), body);
    let common = ["--client-id", CLIENT, "--time", TIME, "--path", PATH, "--body-file", &bf];

    let key_b64 = k.path("pkcs8.b64");
    let mut args = vec!["sign", "--private-key", key_b64.to_str().unwrap()];
    args.extend(common);
    let (code, out, err) = cli(&args);
    assert_eq!(code, 0, "{err}");
    let header = out.trim().to_string();
    let expected = SignatureHeader {
        algorithm: "RSA256".into(),
        key_version: "1".into(),
        signature: openssl_sign(&content_to_sign("POST", PATH, CLIENT, TIME, body)),
    };
    assert_eq!(header, expected.to_header_value());

    let pub_pem = k.path("pub.pem");
    let verify = |sig: &str, time: &str| {
        let mut a = vec!["verify", "--public-key", pub_pem.to_str().unwrap(), "--signature", sig];
        a.extend(["--client-id", CLIENT, "--time", time, "--path", PATH, "--body-file", &bf]);
        cli(&a)
    };
    assert_eq!(verify(&header, TIME).0, 0);
    let bare_sig = header.split("signature=").nth(1).unwrap();
    assert_eq!(verify(bare_sig, TIME).0, 0, "just the signature value is accepted too");
    let (code, out, _) = verify(&header, "1685599933872");
    assert_eq!(code, 1);
    assert!(out.contains("INVALID"));
    assert_eq!(verify("signature=%%%", TIME).0, 2, "garbage signature is bad input");

    let mut a = vec!["verify", "--public-key", key_b64.to_str().unwrap(), "--signature", &header];
    a.extend(common);
    let (code, _, err) = cli(&a);
    assert_eq!(code, 2);
    assert!(err.contains("expected a public key, but this is a private key"), "{err}");

    let mut a = vec!["explain"];
    a.extend(common);
    let (code, out, _) = cli(&a);
    assert_eq!(code, 0);
    assert!(out.contains(&format!("POST {PATH}\\n\n{CLIENT}.{TIME}.{{\"vaultingRequestId\":\"vr-\u{e9}\"}}")), "{out}");

    assert_eq!(cli(&["sign", "--private-key", "/nonexistent"]).0, 2, "missing arguments");
}

#[test]
fn cli_keygen_writes_antom_format_keys_openssl_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("merchant_private.txt");
    let public = dir.path().join("merchant_public.txt");
    let (code, out, err) =
        cli(&["keygen", "--private-out", private.to_str().unwrap(), "--public-out", public.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "keys go to the files, not stdout");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&private).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let priv_text = std::fs::read_to_string(&private).unwrap();
    assert!(!priv_text.contains("BEGIN"), "bare base64, as the Antom Dashboard shows keys");
    // openssl reads the DER behind the base64 as a 2048-bit PKCS#8 key
    let der = dir.path().join("k.der");
    std::fs::write(&der, STANDARD.decode(priv_text.trim()).unwrap()).unwrap();
    let out = openssl(&["pkey", "-inform", "DER", "-in", der.to_str().unwrap(), "-noout", "-text"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("2048 bit"));
    let k = MerchantPrivateKey::parse(priv_text.as_bytes()).unwrap();
    assert_eq!(PublicKey::parse(&std::fs::read(&public).unwrap()).unwrap(), k.public_key());
}

/// A body whose openssl signature's base64 contains `+` (most do), with that signature.
fn body_with_plus() -> (Vec<u8>, String) {
    for i in 0..200 {
        let body = format!("{{\"vaultingRequestId\":\"vr-plus-{i}\"}}").into_bytes();
        let b64 = STANDARD.encode(openssl_sign(&content_to_sign("POST", PATH, CLIENT, TIME, &body)));
        if b64.contains('+') {
            return (body, b64);
        }
    }
    panic!("no signature with a + in 200 tries");
}

/// Every official verifier URL-decodes the value before base64-decoding it, so a raw base64 value
/// with `+` (read as spaces) fails at Antom; it must fail here too, and the CLI says why.
#[test]
fn a_signature_that_is_not_url_encoded_fails_as_at_antom() {
    let k = keys();
    let (body, raw) = body_with_plus();
    let key = PublicKey::parse(&std::fs::read(k.path("pub.pem")).unwrap()).unwrap();
    let encoded = signature::form_url_encode(&raw);
    let ok = signature::verify(
        &key,
        PATH,
        CLIENT,
        TIME,
        &body,
        Some(&format!("algorithm=RSA256,keyVersion=1,signature={encoded}")),
    );
    assert!(ok.is_ok(), "the URL-encoded value verifies");
    let raw_header = format!("algorithm=RSA256,keyVersion=1,signature={raw}");
    assert_eq!(
        signature::verify(&key, PATH, CLIENT, TIME, &body, Some(&raw_header)).unwrap_err(),
        signature::SignatureError::NotUrlEncoded
    );

    let dir = tempfile::tempdir().unwrap();
    let bf = body_file(dir.path(), &body);
    let pub_pem = k.path("pub.pem");
    let (code, out, _) = cli(&[
        "verify",
        "--public-key",
        pub_pem.to_str().unwrap(),
        "--signature",
        &raw_header,
        "--client-id",
        CLIENT,
        "--time",
        TIME,
        "--path",
        PATH,
        "--body-file",
        &bf,
    ]);
    assert_eq!(code, 1, "invalid, as Antom would find it");
    assert!(out.contains("not URL-encoded"), "the CLI says why: {out}");
}

/// `antom explain` warns when a SANDBOX_ client id is signed over a production path (and the
/// reverse): the official SDKs never do that, so Antom refuses it.
#[test]
fn explain_warns_about_a_sandbox_id_on_a_production_path() {
    let dir = tempfile::tempdir().unwrap();
    let bf = body_file(dir.path(), b"{}");
    let explain = |client: &str, path: &str| {
        cli(&["explain", "--client-id", client, "--time", TIME, "--path", path, "--body-file", &bf])
    };
    let (code, out, _) = explain(CLIENT, "/ams/api/v1/vaults/inquireVaulting");
    assert_eq!(code, 0);
    assert!(out.contains("warning") && out.contains("/ams/sandbox/api"), "{out}");
    let (_, out, _) = explain("2188120000000077", PATH);
    assert!(out.contains("warning"), "{out}");
    let (_, out, _) = explain(CLIENT, PATH);
    assert!(!out.contains("warning"), "{out}");
}
