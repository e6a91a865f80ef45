//! A new till joins a shop on a shared database by pairing with an owner's till: the keys
//! (each environment's token data key and Antom keys) travel through the shared database sealed
//! to the new till, never in plain text, and only to a till that knows the one-time code the
//! owner's till shows.
//!
//! 1. The owner's till opens an offer (one at a time, ten minutes) and shows a code of
//!    [`CODE_LEN`] characters (80 bits), which stays in its memory; the database never holds it.
//!    The request's HMAC (below) is keyed by the code, so whoever copied the row could search
//!    for the code offline: at 80 bits that search is hopeless, and the rows are wiped once the
//!    keys were collected (or the offer closed), so nothing is kept to search later. (A PAKE
//!    would make even the offline search impossible; with 80 bits and wiped rows it adds no
//!    protection worth a less-reviewed dependency, so none is used.)
//! 2. The new till, whose own X25519 key lives in its OS keyring, writes its name and public key
//!    with an HMAC of them keyed by the code.
//! 3. The owner's till checks the HMAC (a request without the code is refused and the offer
//!    closed), shows the till's name and key fingerprint, and on the owner's word reads the
//!    request once more, under a row lock, checks it is the one shown, and seals the keys to
//!    exactly the key it checked (ephemeral X25519, SHA-256 key derivation bound to the offer, the keys
//!    and the code, XChaCha20-Poly1305) with a second HMAC over the envelope.
//! 4. The new till checks that HMAC, opens the envelope, stores the keys in its keyring and is
//!    listed among the shop's tills, from where an owner can revoke it.
//!
//! Someone with write access to the database but without the code can neither join nor hand a
//! till keys of their own. Revoking a till stops it using the shop's keys (it deletes them from
//! its keyring when it next connects); it cannot take back what a stolen computer already
//! holds: change the database password and the Antom keys for that.

use crate::db::Connection;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store::tills;
use antom::Sensitive;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};

/// Characters of a pairing code: Crockford's base32 (no I, L, O, U), 5 bits each: 80 bits.
pub const CODE_LEN: usize = 16;
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// How long an offer stays open.
pub const OFFER_MS: i64 = 10 * 60 * 1000;
const DOMAIN: &[u8] = b"cardbind pairing v1";

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the OS random source works");
    b
}

/// A fresh code, shown in groups of four: `ABCD-EFGH-JKMN-PQRS`.
pub fn new_code() -> Sensitive<String> {
    let raw: Vec<char> = random::<CODE_LEN>().iter().map(|b| ALPHABET[(b & 31) as usize] as char).collect();
    Sensitive::new(raw.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// A code as typed: case, spaces and dashes do not matter, and O/I/L read as 0/1/1.
pub fn normalize(code: &str) -> AppResult<String> {
    let c: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    if c.len() != CODE_LEN || !c.bytes().all(|b| ALPHABET.contains(&b)) {
        return Err(AppError::new(ErrorCode::InvalidInput, format!("code: {CODE_LEN} letters and digits")));
    }
    Ok(c)
}

/// HMAC-SHA256 keyed by the code over the domain and each part (length-prefixed).
fn keyed(code: &str, parts: &[&[u8]]) -> Hmac<Sha256> {
    let mut m = <Hmac<Sha256>>::new_from_slice(code.as_bytes()).expect("HMAC takes any key length");
    m.update(DOMAIN);
    for p in parts {
        m.update(&(p.len() as u64).to_le_bytes());
        m.update(p);
    }
    m
}

fn mac(code: &str, parts: &[&[u8]]) -> Vec<u8> {
    keyed(code, parts).finalize().into_bytes().to_vec()
}

/// Checked in constant time.
fn mac_ok(code: &str, parts: &[&[u8]], given: &[u8]) -> bool {
    keyed(code, parts).verify_slice(given).is_ok()
}

fn refused(why: &str) -> AppError {
    AppError::new(ErrorCode::PairingRefused, why.to_string())
}

/// This till's pairing identity, kept in its OS keyring (created on first use).
pub struct TillKey(StaticSecret);

impl TillKey {
    pub fn from_bytes(b: [u8; 32]) -> Self {
        TillKey(StaticSecret::from(b))
    }
    pub fn generate() -> Self {
        Self::from_bytes(random())
    }
    pub fn public(&self) -> [u8; 32] {
        PublicKey::from(&self.0).to_bytes()
    }
    pub fn to_hex(&self) -> Sensitive<String> {
        Sensitive::new(self.0.to_bytes().iter().map(|b| format!("{b:02x}")).collect())
    }
    pub fn from_hex(s: &str) -> AppResult<Self> {
        let bytes: Vec<u8> = (0..s.len())
            .step_by(2)
            .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
            .collect::<Option<_>>()
            .filter(|v: &Vec<u8>| v.len() == 32)
            .ok_or_else(|| {
                AppError::new(ErrorCode::KeyInvalid, "this till's pairing key in the keyring is malformed")
            })?;
        Ok(Self::from_bytes(bytes.try_into().expect("32 bytes")))
    }
}

fn envelope_key(shared: &[u8; 32], id: i64, eph: &[u8; 32], to: &[u8; 32], code: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update(id.to_le_bytes());
    h.update(eph);
    h.update(to);
    h.update(shared);
    h.update(code.as_bytes());
    h.finalize().into()
}

/// Seal `payload` to the till whose public key is `to`, for pairing `id`.
fn seal(to: &[u8; 32], id: i64, code: &str, payload: &[u8]) -> Vec<u8> {
    let eph = StaticSecret::from(random::<32>());
    let eph_pub = PublicKey::from(&eph).to_bytes();
    let shared = eph.diffie_hellman(&PublicKey::from(*to));
    let key = envelope_key(shared.as_bytes(), id, &eph_pub, to, code);
    let nonce = random::<24>();
    let aad = [DOMAIN, &id.to_le_bytes()].concat();
    let ct = XChaCha20Poly1305::new_from_slice(&key)
        .expect("32-byte key")
        .encrypt(&XNonce::from(nonce), Payload { msg: payload, aad: &aad })
        .expect("sealing cannot fail");
    [eph_pub.as_slice(), &nonce, &ct].concat()
}

fn open(me: &TillKey, id: i64, code: &str, sealed: &[u8]) -> AppResult<Vec<u8>> {
    if sealed.len() < 32 + 24 + 16 {
        return Err(refused("the sealed keys are cut short"));
    }
    let eph: [u8; 32] = sealed[..32].try_into().expect("32 bytes");
    let shared = me.0.diffie_hellman(&PublicKey::from(eph));
    let key = envelope_key(shared.as_bytes(), id, &eph, &me.public(), code);
    let aad = [DOMAIN, &id.to_le_bytes()].concat();
    XChaCha20Poly1305::new_from_slice(&key)
        .expect("32-byte key")
        .decrypt(
            &XNonce::from(<[u8; 24]>::try_from(&sealed[32..56]).expect("24 bytes")),
            Payload { msg: &sealed[56..], aad: &aad },
        )
        .map_err(|_| refused("the sealed keys do not open with this till's key"))
}

/// An owner's till opens an offer: its id and the code to show.
pub fn offer(conn: &Connection, by: Option<i64>) -> AppResult<(i64, Sensitive<String>)> {
    let id = tills::open_pairing(conn, by, crate::db::now_ms() + OFFER_MS)?;
    Ok((id, new_code()))
}

/// The new till asks to join with the code shown on the owner's till; the offer's id.
pub fn request(conn: &Connection, me: &TillKey, code: &str, name: &str) -> AppResult<i64> {
    let code = normalize(code)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::new(ErrorCode::InvalidInput, "name: this till's name, up to 60 characters"));
    }
    let Some(p) = tills::open_offer(conn, crate::db::now_ms())? else {
        return Err(refused("no till is offering to pair: start it on an owner's till first"));
    };
    let public = me.public();
    let m = mac(&code, &[b"request", &p.id.to_le_bytes(), &public, name.as_bytes()]);
    if !tills::request(conn, p.id, name, &public, &m)? {
        return Err(refused("another till has already asked with this offer: start a new one"));
    }
    Ok(p.id)
}

/// What the owner's till sees of its offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferState {
    Waiting,
    /// A till asked with the right code: its name and key fingerprint.
    Asked {
        name: String,
        fingerprint: String,
    },
}

/// The owner's till checks a request: one without the code closes the offer.
pub fn check_request(conn: &Connection, id: i64, code: &str) -> AppResult<OfferState> {
    let code = &normalize(code)?;
    let p = tills::get_pairing(conn, id)?;
    if p.finished || p.expires_at <= crate::db::now_ms() {
        return Err(refused("this offer was closed or has expired: start a new one"));
    }
    let (Some(name), Some(key), Some(m)) = (&p.till_name, &p.till_key, &p.request_mac) else {
        return Ok(OfferState::Waiting);
    };
    if !mac_ok(code, &[b"request", &id.to_le_bytes(), key, name.as_bytes()], m) || key.len() != 32 {
        tills::finish(conn, id)?;
        return Err(refused("a till asked to join without the code: the offer is closed, start a new one"));
    }
    Ok(OfferState::Asked { name: name.clone(), fingerprint: tills::fingerprint(key) })
}

/// The owner approves the request shown with `fingerprint`: one read of it, under a row lock;
/// its HMAC checked on that read; `payload` sealed to exactly the key checked, and the till with
/// that key admitted, in the same transaction. The till's row id.
pub fn approve(
    conn: &Connection,
    id: i64,
    code: &str,
    fingerprint: &str,
    payload: &[u8],
    by: Option<i64>,
) -> AppResult<i64> {
    let code = &normalize(code)?;
    crate::db::atomically(conn, |tx| {
        let p = tills::lock_pairing(tx, id)?;
        #[cfg(test)]
        tests::between_reads(tx, id);
        if p.finished || p.expires_at <= crate::db::now_ms() {
            return Err(refused("this offer was closed or has expired: start a new one"));
        }
        let (Some(name), Some(key), Some(m)) = (&p.till_name, &p.till_key, &p.request_mac) else {
            return Err(AppError::new(ErrorCode::InvalidInput, "no till has asked to join yet"));
        };
        let to: [u8; 32] = key.as_slice().try_into().map_err(|_| refused("the request's key is malformed"))?;
        if !mac_ok(code, &[b"request", &id.to_le_bytes(), key, name.as_bytes()], m) {
            return Err(refused("a till asked to join without the code: the offer is closed, start a new one"));
        }
        if tills::fingerprint(key) != fingerprint {
            return Err(refused("the request changed since it was shown: start a new offer"));
        }
        let sealed = seal(&to, id, code, payload);
        let answer = mac(code, &[b"answer", &id.to_le_bytes(), &sealed]);
        tills::answer(tx, id, name, &to, &sealed, &answer, by)
    })
    .inspect_err(|e| {
        if e.code == ErrorCode::PairingRefused {
            // a refused approval closes the offer (outside the rolled-back transaction)
            let _ = tills::finish(conn, id);
        }
    })
}

/// The new till collects its keys: `None` while the owner has not answered.
pub fn collect(conn: &Connection, me: &TillKey, id: i64, code: &str) -> AppResult<Option<Sensitive<Vec<u8>>>> {
    let code = normalize(code)?;
    let p = tills::get_pairing(conn, id)?;
    let (Some(sealed), Some(m)) = (&p.sealed, &p.answer_mac) else {
        if p.finished || p.expires_at <= crate::db::now_ms() {
            return Err(refused("the offer was closed before the owner answered: ask for a new code"));
        }
        return Ok(None);
    };
    if p.till_key.as_deref() != Some(me.public().as_slice()) {
        return Err(refused("the offer was answered for another till"));
    }
    if !mac_ok(&code, &[b"answer", &id.to_le_bytes(), sealed], m) {
        tills::finish(conn, id)?;
        return Err(refused("the answer does not carry the code: it was not written by the owner's till"));
    }
    let payload = open(me, id, &code, sealed)?;
    // collected: nothing of this pairing stays in the database to be searched later
    tills::finish(conn, id)?;
    Ok(Some(Sensitive::new(payload)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    type Hook = Box<dyn Fn(&Connection, i64)>;
    thread_local! {
        /// What someone with write access does while `approve` holds its read (a test's attack).
        static BETWEEN: RefCell<Option<Hook>> = RefCell::new(None);
    }

    pub(super) fn between_reads(conn: &Connection, id: i64) {
        BETWEEN.with(|h| {
            if let Some(h) = h.borrow().as_ref() {
                h(conn, id)
            }
        });
    }

    /// Issue 30: `approve` once read the request three times (checked the MAC on one, sealed to
    /// a second, recorded a third): a key swapped in between got the shop's keys.
    #[test]
    fn a_key_swapped_while_the_owner_approves_gets_nothing() {
        let conn = crate::db::open_for_test();
        let (id, code) = offer(&conn, None).map(|(i, c)| (i, c.expose().clone())).unwrap();
        let till = TillKey::generate();
        request(&conn, &till, &code, "Till 2").unwrap();
        let OfferState::Asked { fingerprint, .. } = check_request(&conn, id, &code).unwrap() else { panic!() };
        let intruder = TillKey::generate();
        let swapped = intruder.public();
        BETWEEN.with(|h| {
            *h.borrow_mut() = Some(Box::new(move |c: &Connection, id: i64| {
                c.execute("UPDATE pairings SET till_key = ?1 WHERE id = ?2", crate::params![swapped.to_vec(), id])
                    .unwrap();
            }))
        });
        let approved = approve(&conn, id, &code, &fingerprint, b"the shop's keys", None);
        BETWEEN.with(|h| *h.borrow_mut() = None);
        let p = tills::get_pairing(&conn, id).unwrap();
        if let Some(sealed) = &p.sealed {
            assert!(
                open(&intruder, id, &normalize(&code).unwrap(), sealed).is_err(),
                "the swapped-in key opens the shop's keys"
            );
        }
        assert_eq!(approved.unwrap_err().code, ErrorCode::PairingRefused);
        assert!(tills::list(&conn).unwrap().iter().all(|t| t.fingerprint != tills::fingerprint(&swapped)));

        // a request that differs from the one shown (another fingerprint) is refused too
        let (id, code) = offer(&conn, None).map(|(i, c)| (i, c.expose().clone())).unwrap();
        request(&conn, &TillKey::generate(), &code, "Till 3").unwrap();
        let e = approve(&conn, id, &code, &fingerprint, b"the shop's keys", None).unwrap_err();
        assert_eq!(e.code, ErrorCode::PairingRefused);
        assert!(tills::get_pairing(&conn, id).unwrap().finished, "and the offer is closed");
    }

    #[test]
    fn collected_and_closed_offers_leave_nothing_to_search() {
        let conn = crate::db::open_for_test();
        let (id, code) = offer(&conn, None).map(|(i, c)| (i, c.expose().clone())).unwrap();
        let till = TillKey::generate();
        request(&conn, &till, &code, "Till 2").unwrap();
        let OfferState::Asked { fingerprint, .. } = check_request(&conn, id, &code).unwrap() else { panic!() };
        approve(&conn, id, &code, &fingerprint, b"keys", None).unwrap();
        collect(&conn, &till, id, &code).unwrap().unwrap();
        let p = tills::get_pairing(&conn, id).unwrap();
        assert_eq!((p.request_mac, p.sealed, p.answer_mac), (None, None, None), "wiped once collected");
        // an offer that was never collected is wiped when the next one opens
        let (old, code) = offer(&conn, None).map(|(i, c)| (i, c.expose().clone())).unwrap();
        request(&conn, &TillKey::generate(), &code, "Till 3").unwrap();
        offer(&conn, None).unwrap();
        assert_eq!(tills::get_pairing(&conn, old).unwrap().request_mac, None);
    }

    #[test]
    fn codes_are_sixteen_base32_characters_and_read_forgivingly() {
        let c = new_code();
        assert_eq!(c.expose().len(), 19);
        assert_eq!(normalize(c.expose()).unwrap().len(), CODE_LEN);
        assert_eq!(normalize("abcd efgh jkmn pqro").unwrap(), "ABCDEFGHJKMNPQR0");
        assert!(normalize("ABCD-EFGH-JKMN-PQRU").is_err(), "U is not in the alphabet");
        assert!(normalize("ABCDE-FGHJK").is_err(), "the old ten characters are too few");
        assert!(normalize("ABCD").is_err());
    }

    #[test]
    fn keys_reach_the_till_that_knows_the_code_and_no_one_else() {
        let conn = crate::db::open_for_test();
        let owner_side = offer(&conn, None).unwrap();
        let (id, code) = (owner_side.0, owner_side.1.expose().clone());
        assert_eq!(check_request(&conn, id, &code).unwrap(), OfferState::Waiting);

        // someone with database access but without the code writes a request: refused, closed
        let intruder = TillKey::generate();
        let forged = mac("AAAAAAAAAA", &[b"request", &id.to_le_bytes(), &intruder.public(), b"Evil"]);
        assert!(tills::request(&conn, id, "Evil", &intruder.public(), &forged).unwrap());
        assert_eq!(check_request(&conn, id, &code).unwrap_err().code, ErrorCode::PairingRefused);
        assert!(request(&conn, &TillKey::generate(), &code, "Till 2").is_err(), "the offer is closed");

        // a new offer; the real till asks with the code
        let (id, code) = offer(&conn, None).map(|(i, c)| (i, c.expose().clone())).unwrap();
        let till = TillKey::generate();
        assert_eq!(request(&conn, &till, &code.to_lowercase(), "Till 2").unwrap(), id);
        assert!(request(&conn, &TillKey::generate(), &code, "Till 3").is_err(), "one till per offer");
        let OfferState::Asked { name, fingerprint } = check_request(&conn, id, &code).unwrap() else { panic!() };
        assert_eq!(name, "Till 2");
        assert_eq!(fingerprint, tills::fingerprint(&till.public()));
        assert!(collect(&conn, &till, id, &code).unwrap().is_none(), "not answered yet");
        approve(&conn, id, &code, &fingerprint, b"the shop's keys", None).unwrap();
        // the envelope in the database is not the payload, and only this till opens it
        let p = tills::get_pairing(&conn, id).unwrap();
        let sealed = p.sealed.clone().unwrap();
        assert!(!sealed.windows(15).any(|w| w == b"the shop's keys"));
        let norm = normalize(&code).unwrap();
        assert_eq!(open(&TillKey::generate(), id, &norm, &sealed).unwrap_err().code, ErrorCode::PairingRefused);
        assert!(open(&till, id, &norm, &sealed).is_ok(), "while the right till with the right code opens it");
        assert_eq!(collect(&conn, &till, id, &code).unwrap().unwrap().expose(), b"the shop's keys");
        let listed = tills::list(&conn).unwrap();
        assert_eq!((listed.len(), listed[0].name.as_str()), (1, "Till 2"));

        // an answer swapped by someone without the code is refused by the till
        let (id, code) = offer(&conn, None).map(|(i, c)| (i, c.expose().clone())).unwrap();
        let till3 = TillKey::generate();
        request(&conn, &till3, &code, "Till 3").unwrap();
        let fake = seal(&till3.public(), id, &normalize(&code).unwrap(), b"someone else's keys");
        let fake_mac = mac("ZZZZZZZZZZ", &[b"answer", &id.to_le_bytes(), &fake]);
        tills::answer(&conn, id, "Till 3", &till3.public(), &fake, &fake_mac, None).unwrap();
        assert_eq!(collect(&conn, &till3, id, &code).unwrap_err().code, ErrorCode::PairingRefused);
    }
}
