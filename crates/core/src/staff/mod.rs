//! Staff, roles and personal PINs, and who is acting right now.
//!
//! * Roles are ordered: cashier < manager < owner. [`Permission::min_role`] says which role each
//!   protected action needs; the check is here in the backend ([`access`]), the UI only hides
//!   buttons.
//! * A PIN identifies its owner (POS style: personal passcodes, no name to pick), so active PINs
//!   are unique. Only an Argon2id hash is stored. A 4–8 digit PIN is no defence against someone
//!   who has stolen the database file; it stops the person at the counter, and so does the
//!   throttle: [`FREE_TRIES`] wrong PINs in a row lock PIN entry on this till for
//!   [`FIRST_LOCK`], doubling with each further lock-out up to [`MAX_LOCK`]. The counter is in
//!   the database, so a restart does not reset it.
//! * "Open mode": until the first staff member (an owner) is added, nobody signs in and every
//!   action is allowed and audited without a name — a one-person shop may stay so. Kiosk mode
//!   cannot start in open mode, since nobody could leave it.

//! * [`access`]: the checks every use case starts with; [`kiosk_codes`]: a kiosk visitor's
//!   one-time code for their customer record.

pub mod access;
pub mod kiosk_codes;

use crate::db::Connection;
use crate::db::{lock, Db};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store;
use antom::Sensitive;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::Deserialize;
use std::time::{Duration, Instant};
use ts_rs::TS;

/// Wrong PINs in a row before PIN entry pauses.
pub const FREE_TRIES: i64 = 5;
/// The first pause; each further lock-out doubles it.
pub const FIRST_LOCK: Duration = Duration::from_secs(30);
/// The longest pause.
pub const MAX_LOCK: Duration = Duration::from_secs(15 * 60);
/// Wrong PINs (and the lock-outs they led to) are forgotten this long after the last wrong one;
/// a valid PIN never clears them.
pub const FORGET_AFTER: Duration = Duration::from_secs(24 * 60 * 60);
/// How long a manager's approval for a cashier's action stays usable (once).
pub const APPROVAL_TTL: Duration = Duration::from_secs(120);
/// How much longer than the lock time a session lasts while a customer is in Antom's card form
/// or 3D Secure (the binding steps' polling): once, from the last use by staff. Antom's vaulting
/// session itself lasts about as long; polling beyond it keeps nothing alive (issue 29, item 11).
pub const BINDING_GRACE: Duration = Duration::from_secs(10 * 60);
/// The longest lock time a shop may choose: a shift's break, not "never" (an unattended till
/// signed in is anyone's till).
pub const MAX_LOCK_MINUTES: u32 = 240;

/// What is being guessed at, and where. Each pad of each till has its own counter, with the
/// same rules ([`FREE_TRIES`] wrong in a row pause entry, doubling, forgotten after
/// [`FORGET_AFTER`]), so a visitor at one kiosk, or a cashier guessing at the approval pad,
/// pauses only that pad (issue 29, item 12):
/// * [`Pad::SignIn`]: the lock screen of a till;
/// * [`Pad::Approval`]: the approval pad while a staff member is signed in (their own counter:
///   a cashier's guesses at a manager's PIN never lock a colleague's till or sign-in);
/// * [`Pad::Kiosk`]: the kiosk's *leave* pad (the public side of a kiosk);
/// * kiosk codes, per till as well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pad {
    SignIn,
    Approval { staff_id: i64 },
    Kiosk,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Guessing {
    /// A PIN at `pad` of `till`.
    Pin { till: String, pad: Pad },
    /// A kiosk visitor's one-time code at `till`.
    KioskCode { till: String },
}

impl Guessing {
    /// One PIN pad of one till.
    pub(crate) fn pin(till: &str, pad: Pad) -> Guessing {
        Guessing::Pin { till: till.to_string(), pad }
    }

    fn scope(&self) -> String {
        match self {
            Guessing::Pin { till, pad: Pad::SignIn } => format!("pin:{till}"),
            Guessing::Pin { till, pad: Pad::Approval { staff_id } } => format!("pin:{till}:staff:{staff_id}"),
            Guessing::Pin { till, pad: Pad::Kiosk } => format!("pin:{till}:kiosk"),
            Guessing::KioskCode { till } => format!("kiosk_code:{till}"),
        }
    }

    fn locked(&self, left: Duration) -> AppError {
        let secs = left.as_secs().max(1);
        match self {
            Guessing::Pin { .. } => {
                AppError::new(ErrorCode::PinLocked, format!("too many wrong PINs: PIN entry is paused for {secs} s"))
            }
            Guessing::KioskCode { .. } => AppError::new(
                ErrorCode::KioskCodePaused,
                format!("too many wrong codes: code entry is paused for {secs} s"),
            ),
        }
    }

    fn wrong(&self, left: i64) -> AppError {
        match self {
            Guessing::Pin { .. } => {
                AppError::new(ErrorCode::PinWrong, format!("wrong PIN: {left} more tries before PIN entry pauses"))
            }
            Guessing::KioskCode { .. } => AppError::new(
                ErrorCode::KioskCodeWrong,
                format!("this code is wrong, used or expired: {left} more tries before code entry pauses"),
            ),
        }
    }

    fn audit_action(&self) -> &'static str {
        match self {
            Guessing::Pin { .. } => "staff.pin_locked",
            Guessing::KioskCode { .. } => "kiosk.code_locked",
        }
    }
}

pub use crate::store::staff::{get, list, manager_exists, Operator, Role, StaffMember};

crate::wire_enum! {
    /// The actions that need more than a cashier.
    pub enum Permission {
        /// Remove a card (also replacing an earlier card with its duplicate).
        RemoveCards = "removeCards",
        /// Change settings or import keys.
        ChangeSettings = "changeSettings",
        /// Export the card list or the activity log.
        Export = "export",
        /// Leave kiosk mode.
        LeaveKiosk = "leaveKiosk",
        /// Add staff, change their PINs, disable them.
        ManageStaff = "manageStaff",
        /// Make a backup (it holds every key) or restore one (it replaces everything).
        ManageBackups = "manageBackups",
        /// Refund or cancel a payment.
        RefundPayments = "refundPayments",
        /// Charge a customer who is not present (merchant-initiated).
        ChargeNotPresent = "chargeNotPresent",
        /// Charge more than the shop's per-payment limit, or beyond a cashier's daily total.
        ChargeAboveLimit = "chargeAboveLimit",
        /// What only an owner decides: production's Antom address, client id and keys, leaving
        /// production, kiosk mode outside production, where this till's data lives, joining a
        /// shop.
        OwnerSettings = "ownerSettings",
    }
}

impl Permission {
    pub fn min_role(self) -> Role {
        match self {
            Permission::ManageStaff | Permission::ManageBackups | Permission::OwnerSettings => Role::Owner,
            Permission::RemoveCards
            | Permission::ChangeSettings
            | Permission::Export
            | Permission::LeaveKiosk
            | Permission::RefundPayments
            | Permission::ChargeNotPresent
            | Permission::ChargeAboveLimit => Role::Manager,
        }
    }
}

/// A new staff member.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StaffInput {
    pub name: String,
    pub role: Role,
    #[ts(type = "string")]
    pub pin: Sensitive<String>,
}

/// A backup passphrase as it arrives from the UI: never logged, never serialised back.
#[derive(Debug, Deserialize, TS)]
#[serde(transparent)]
pub struct Passphrase(#[ts(type = "string")] pub Sensitive<String>);

/// A PIN as it arrives from the UI: never logged, never serialised back.
#[derive(Debug, Deserialize, TS)]
#[serde(transparent)]
pub struct Pin(#[ts(type = "string")] pub Sensitive<String>);

/// One protected action as an approval names it (issue 29, item 2): the command, the
/// permission it needs, what it is done to and the amount it moves. An approval given for one
/// action is usable for exactly that action: not for another payment, card or amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// The command (`payment_refund`, `card_remove`, ...): what the PIN pad names.
    pub command: &'static str,
    pub permission: Permission,
    /// What it is done to (`payment:12`, `card:5`, `staff:3`); none: the shop as a whole.
    pub subject: Option<String>,
    /// Minor units of the shop's currency it moves, for the actions that move money.
    pub amount: Option<i64>,
}

impl Action {
    /// An action on the shop as a whole (settings, exports, the staff list, ...).
    pub fn new(command: &'static str, permission: Permission) -> Action {
        Action { command, permission, subject: None, amount: None }
    }

    /// ... done to `subject` (`payment:12`).
    pub fn on(mut self, subject: impl Into<String>) -> Action {
        self.subject = Some(subject.into());
        self
    }

    /// ... moving `amount` minor units.
    pub fn amount(mut self, amount: i64) -> Action {
        self.amount = Some(amount);
        self
    }
}

/// A manager's (or owner's) PIN entered for one protected action of the signed-in staff member.
#[derive(Debug, Clone)]
pub struct Approval {
    pub approver: Operator,
    /// The one action it is for (the one just refused), with its subject and amount.
    pub action: Action,
    pub at: Instant,
}

/// Who is acting at the till, in memory only: a restart signs everyone out.
#[derive(Debug, Default)]
pub struct Session {
    pub operator: Option<Operator>,
    /// When the signed-in staff member last did something (the backend signs them out after
    /// the lock time without use, whatever the UI does).
    pub last_activity: Option<Instant>,
    /// A binding step ran since `last_activity`: the session may last [`BINDING_GRACE`] longer
    /// than the lock time, once (a customer typing their card is not staff using the till).
    pub binding_since_activity: bool,
    /// The protected action the signed-in staff member was last refused: what an approval is
    /// for, and what the PIN pad shows.
    pub refused: Option<Action>,
    /// A manager's approval for that one action.
    pub approval: Option<Approval>,
    /// Kiosk mode is on: only the customer's commands run until a manager leaves it.
    pub kiosk: bool,
    /// The customer the kiosk's current visitor identified as (binding is only for them).
    pub kiosk_customer: Option<i64>,
    /// The visitor's binding attempt: the only one the kiosk may confirm, poll or cancel, and
    /// the one cancelled when the kiosk starts over.
    pub kiosk_attempt: Option<i64>,
}

fn invalid(msg: impl Into<String>) -> AppError {
    AppError::new(ErrorCode::InvalidInput, msg)
}

/// 4–8 digits, not one digit repeated and not a run such as 1234 or 9876.
pub fn validate_pin(pin: &str) -> AppResult<()> {
    let digits: Vec<i32> = pin.chars().filter_map(|c| c.to_digit(10).map(|d| d as i32)).collect();
    if digits.len() != pin.chars().count() || !(4..=8).contains(&digits.len()) {
        return Err(AppError::new(ErrorCode::PinWeak, "pin: 4 to 8 digits"));
    }
    let steps: Vec<i32> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    if steps.iter().all(|&s| s == 0) || steps.iter().all(|&s| s == 1) || steps.iter().all(|&s| s == -1) {
        return Err(AppError::new(ErrorCode::PinWeak, "pin: too easy to guess (repeated digits or a run)"));
    }
    Ok(())
}

/// Argon2id with OWASP's minimum parameters (19 MiB, 2 passes): ~22 ms per check on the
/// 2-core machine here (`cargo bench -p cardbind-core --bench pins`).
fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params"))
}

pub fn hash_pin(pin: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::new(ErrorCode::Internal, format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    hasher()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("PIN hashing failed: {e}")))
}

fn pin_matches(hash: &str, pin: &str) -> bool {
    // The parameters are read from the stored hash, so stronger ones can be adopted later.
    PasswordHash::new(hash).is_ok_and(|h| hasher().verify_password(pin.as_bytes(), &h).is_ok())
}

fn pin_in_use(conn: &Connection, pin: &str, except: Option<i64>) -> AppResult<bool> {
    Ok(store::staff::active_hashes(conn)?.iter().any(|(op, hash)| Some(op.id) != except && pin_matches(hash, pin)))
}

fn validate_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid("name: enter the staff member's name"));
    }
    if name.chars().count() > 100 {
        return Err(invalid("name: at most 100 characters"));
    }
    Ok(name.to_string())
}

/// Staff are set up, failing closed (issue 30, [`crate::shop::seals`]): a till that has had staff and now finds no one who can
/// sign in is `STAFF_LIST_MISSING`, as is a database whose only staff rows fail their seals;
/// open mode (false) only for a till that has never had staff, on a database with none.
pub fn configured(conn: &Connection) -> AppResult<bool> {
    let configured = store::staff::configured(conn)?;
    let Some(seal) = conn.seal() else { return Ok(configured) };
    if configured {
        seal.mark_had_staff();
        return Ok(true);
    }
    if seal.had_staff() || store::staff::any_rows(conn)? {
        return Err(AppError::new(
            ErrorCode::StaffListMissing,
            "the shop's staff list is missing (no one can sign in): restore the shop's database from a backup, \
             or ask the owner. This till does not open without staff",
        ));
    }
    Ok(false)
}

/// Add a staff member with their PIN. The first one must be an owner (it ends open mode).
pub fn create(conn: &Connection, input: &StaffInput, by: Option<i64>) -> AppResult<StaffMember> {
    let name = validate_name(&input.name)?;
    validate_pin(input.pin.expose())?;
    if !configured(conn)? && input.role != Role::Owner {
        return Err(invalid("role: the first staff member must be an owner"));
    }
    if pin_in_use(conn, input.pin.expose(), None)? {
        return Err(AppError::new(ErrorCode::PinInUse, "pin: someone already uses this PIN; choose another"));
    }
    let hash = hash_pin(input.pin.expose())?;
    let tx = conn.unchecked_transaction()?;
    let id = store::staff::insert(&tx, &name, input.role, &hash)?;
    store::audit(&tx, by, "staff.create", Some(&format!("staff:{id}")), Some(input.role.as_str()))?;
    tx.commit()?;
    get(conn, id)
}

/// Give a staff member a new PIN.
pub fn set_pin(conn: &Connection, id: i64, pin: &Sensitive<String>, by: Option<i64>) -> AppResult<()> {
    validate_pin(pin.expose())?;
    let m = get(conn, id)?;
    if m.disabled_at.is_some() {
        return Err(invalid("staff: this staff member is disabled"));
    }
    if pin_in_use(conn, pin.expose(), Some(id))? {
        return Err(AppError::new(ErrorCode::PinInUse, "pin: someone already uses this PIN; choose another"));
    }
    let hash = hash_pin(pin.expose())?;
    let tx = conn.unchecked_transaction()?;
    store::staff::set_pin_hash(&tx, id, &hash)?;
    store::audit(&tx, by, "staff.set_pin", Some(&format!("staff:{id}")), None)?;
    tx.commit()?;
    Ok(())
}

/// Disable a staff member: their PIN stops working; their name stays in the activity log.
pub fn disable(conn: &Connection, id: i64, by: Option<i64>) -> AppResult<()> {
    let m = get(conn, id)?;
    if m.disabled_at.is_some() {
        return Ok(());
    }
    if m.role == Role::Owner && store::staff::active_owners(conn)? <= 1 {
        return Err(invalid("staff: the last owner cannot be disabled; add another owner first"));
    }
    let tx = conn.unchecked_transaction()?;
    store::staff::set_disabled(&tx, id)?;
    store::audit(&tx, by, "staff.disable", Some(&format!("staff:{id}")), None)?;
    tx.commit()?;
    Ok(())
}

/// How long the sign-in pad of `till` stays paused, if it is.
pub fn locked_for(conn: &Connection, till: &str, pad: Pad) -> AppResult<Option<Duration>> {
    locked_for_at(conn, &Guessing::pin(till, pad), crate::db::now_ms())
}

pub(crate) fn locked_for_at(conn: &Connection, g: &Guessing, now: i64) -> AppResult<Option<Duration>> {
    let until = store::staff::throttle(conn, &g.scope())?.locked_until;
    Ok(until.filter(|&u| u > now).map(|u| Duration::from_millis((u - now) as u64)))
}

/// Refuse while entry of `g` is paused.
pub(crate) fn check_not_paused(conn: &Connection, g: &Guessing, now: i64) -> AppResult<()> {
    match locked_for_at(conn, g, now)? {
        Some(left) => Err(g.locked(left)),
        None => Ok(()),
    }
}

/// Count a wrong guess; the error to report (wrong, or now paused).
pub(crate) fn record_failure(conn: &Connection, g: &Guessing, now: i64) -> AppResult<AppError> {
    let scope = g.scope();
    // One statement counts it (two windows of one till, or a pad a shared database keeps,
    // count every wrong PIN; a day without one is a fresh start); reaching the free tries
    // pauses entry, doubling each time.
    let (failures, lockouts) = store::staff::count_failure(conn, &scope, now, FORGET_AFTER.as_millis() as i64)?;
    if failures >= FREE_TRIES {
        let lock =
            (FIRST_LOCK.as_millis() as i64).saturating_mul(1 << lockouts.min(10)).min(MAX_LOCK.as_millis() as i64);
        if store::staff::pause(conn, &scope, now + lock, FREE_TRIES)? {
            store::audit(conn, None, g.audit_action(), None, Some(&format!("{} s; {scope}", lock / 1000)))?;
        }
        return Ok(g.locked(Duration::from_millis(lock as u64)));
    }
    Ok(g.wrong(FREE_TRIES - failures))
}

/// Whose PIN this is, among active staff, typed at `pad` of `till`. Throttled per pad; the
/// database is not held while hashing. A valid PIN — whoever's — does not clear the wrong-PIN
/// count: no sequence of attempts gets more than [`FREE_TRIES`] wrong guesses before the pad
/// pauses, so knowing one's own PIN buys no guesses at anyone else's. Wrong PINs are forgotten
/// [`FORGET_AFTER`] the last one.
pub fn identify(db: &Db, till: &str, pad: Pad, pin: &str) -> AppResult<Operator> {
    identify_at(db, &Guessing::pin(till, pad), pin, crate::db::now_ms)
}

fn identify_at(db: &Db, g: &Guessing, pin: &str, clock: impl Fn() -> i64) -> AppResult<Operator> {
    let candidates = {
        let conn = lock(db);
        check_not_paused(&conn, g, clock())?;
        store::staff::active_hashes(&conn)?
    };
    let well_formed = pin.len() <= 8 && !pin.is_empty() && pin.bytes().all(|b| b.is_ascii_digit());
    let found = if well_formed { candidates.into_iter().find(|(_, hash)| pin_matches(hash, pin)) } else { None };
    let conn = lock(db);
    match found {
        Some((op, _)) => Ok(op),
        None => Err(record_failure(&conn, g, clock())?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Db {
        crate::db::shared(crate::db::open_for_test())
    }

    const TILL: &str = "till-a";

    fn pad() -> Guessing {
        Guessing::pin(TILL, Pad::SignIn)
    }

    fn identify(db: &Db, pin: &str) -> AppResult<Operator> {
        super::identify(db, TILL, Pad::SignIn, pin)
    }

    fn input(name: &str, role: Role, pin: &str) -> StaffInput {
        StaffInput { name: name.into(), role, pin: Sensitive::new(pin.into()) }
    }

    #[test]
    fn pins_are_digits_and_not_trivial() {
        for bad in ["", "123", "123456789", "12a4", "0000", "1234", "9876", "3456", " 2580"] {
            assert_eq!(validate_pin(bad).unwrap_err().code, ErrorCode::PinWeak, "{bad:?}");
        }
        for good in ["2580", "1357", "90210", "13572468"] {
            validate_pin(good).unwrap();
        }
    }

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash_pin("2580").unwrap();
        let b = hash_pin("2580").unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "salted");
        assert!(!a.contains("2580"));
        assert!(pin_matches(&a, "2580"));
        assert!(!pin_matches(&a, "2581"));
        assert!(!pin_matches("not a hash", "2580"));
    }

    #[test]
    fn first_staff_is_an_owner_and_pins_are_unique() {
        let db = db();
        let c = db.lock().unwrap();
        assert!(!configured(&c).unwrap());
        assert_eq!(create(&c, &input("Cy", Role::Cashier, "2580"), None).unwrap_err().code, ErrorCode::InvalidInput);
        let owner = create(&c, &input("Olga", Role::Owner, "2580"), None).unwrap();
        assert!(configured(&c).unwrap() && manager_exists(&c).unwrap());
        assert_eq!(
            create(&c, &input("Cy", Role::Cashier, "2580"), Some(owner.id)).unwrap_err().code,
            ErrorCode::PinInUse
        );
        let cy = create(&c, &input("Cy", Role::Cashier, "1470"), Some(owner.id)).unwrap();
        assert_eq!(set_pin(&c, cy.id, &Sensitive::new("2580".into()), None).unwrap_err().code, ErrorCode::PinInUse);
        set_pin(&c, cy.id, &Sensitive::new("3690".into()), None).unwrap();
        assert_eq!(disable(&c, owner.id, None).unwrap_err().code, ErrorCode::InvalidInput, "last owner");
        disable(&c, cy.id, None).unwrap();
        assert_eq!(list(&c).unwrap().last().unwrap().name, "Cy", "disabled last");
        let hashes: Vec<String> = c.query_map("SELECT pin_hash FROM staff", (), |r| r.get(0)).unwrap();
        assert_eq!(hashes.len(), list(&c).unwrap().len());
        assert!(hashes.iter().all(|h| !h.contains("2580") && !h.contains("3690")));
    }

    #[test]
    fn identify_finds_the_pin_owner_and_skips_disabled_staff() {
        let db = db();
        let cy = {
            let c = db.lock().unwrap();
            create(&c, &input("Olga", Role::Owner, "2580"), None).unwrap();
            let cy = create(&c, &input("Cy", Role::Cashier, "1470"), None).unwrap();
            create(&c, &input("Max", Role::Manager, "3690"), None).unwrap();
            cy
        };
        assert_eq!(identify(&db, "3690").unwrap().name, "Max");
        assert_eq!(identify(&db, "1470").unwrap().role, Role::Cashier);
        disable(&db.lock().unwrap(), cy.id, None).unwrap();
        assert_eq!(identify(&db, "1470").unwrap_err().code, ErrorCode::PinWrong);
    }

    #[test]
    fn wrong_pins_pause_entry_and_the_pause_doubles() {
        let db = db();
        create(&db.lock().unwrap(), &input("Olga", Role::Owner, "2580"), None).unwrap();
        let t = std::cell::Cell::new(1_000_000i64);
        let clock = || t.get();
        for i in 1..FREE_TRIES {
            let e = identify_at(&db, &pad(), "1111", clock).unwrap_err();
            assert_eq!(e.code, ErrorCode::PinWrong, "try {i}");
        }
        assert_eq!(identify_at(&db, &pad(), "9999", clock).unwrap_err().code, ErrorCode::PinLocked);
        // While paused even the right PIN is refused, without being checked.
        assert_eq!(identify_at(&db, &pad(), "2580", clock).unwrap_err().code, ErrorCode::PinLocked);
        t.set(t.get() + FIRST_LOCK.as_millis() as i64 - 1);
        assert_eq!(identify_at(&db, &pad(), "2580", clock).unwrap_err().code, ErrorCode::PinLocked);
        t.set(t.get() + 1);
        for _ in 0..FREE_TRIES {
            let _ = identify_at(&db, &pad(), "1111", clock);
        }
        let left = locked_for_at(&db.lock().unwrap(), &pad(), t.get()).unwrap().unwrap();
        assert_eq!(left, FIRST_LOCK * 2, "second lock-out doubles");
        t.set(t.get() + left.as_millis() as i64);
        assert_eq!(identify_at(&db, &pad(), "2580", clock).unwrap().name, "Olga");
        assert_eq!(locked_for_at(&db.lock().unwrap(), &pad(), t.get()).unwrap(), None, "success resets");
        let n: i64 = db
            .lock()
            .unwrap()
            .query_row("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.pin_locked'", (), |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
    }

    #[test]
    fn a_lesser_pin_does_not_clear_the_count() {
        let db = db();
        {
            let c = db.lock().unwrap();
            create(&c, &input("Olga", Role::Owner, "2580"), None).unwrap();
            create(&c, &input("Cy", Role::Cashier, "1470"), None).unwrap();
        }
        for _ in 1..FREE_TRIES {
            identify(&db, "1111").unwrap_err();
        }
        assert_eq!(identify(&db, "1470").unwrap().role, Role::Cashier);
        assert_eq!(identify(&db, "1112").unwrap_err().code, ErrorCode::PinLocked);
    }

    /// A cashier who interleaves guesses with their own valid PIN (or a manager's approval PIN)
    /// still gets only five wrong guesses before PIN entry pauses, and the pause still doubles.
    #[test]
    fn valid_pins_never_buy_more_guesses() {
        let db = db();
        {
            let c = db.lock().unwrap();
            create(&c, &input("Olga", Role::Owner, "2580"), None).unwrap();
            create(&c, &input("Cy", Role::Cashier, "1470"), None).unwrap();
            create(&c, &input("Max", Role::Manager, "3690"), None).unwrap();
        }
        let t = std::cell::Cell::new(1_000_000i64);
        let clock = || t.get();
        let mut wrong = 0;
        let mut guess = 1000;
        let paused = 'attempts: loop {
            for _ in 0..2 {
                guess += 1;
                match identify_at(&db, &pad(), &guess.to_string(), clock) {
                    Err(e) if e.code == ErrorCode::PinWrong => wrong += 1,
                    Err(e) if e.code == ErrorCode::PinLocked => {
                        wrong += 1;
                        break 'attempts e;
                    }
                    other => panic!("{guess}: {other:?}"),
                }
            }
            // the cashier's own PIN, and a manager's: valid, and they clear nothing
            assert_eq!(identify_at(&db, &pad(), "1470", clock).map(|o| o.name), Ok("Cy".into()));
            assert_eq!(identify_at(&db, &pad(), "3690", clock).map(|o| o.name), Ok("Max".into()));
            assert!(wrong < 20, "never paused after {wrong} wrong PINs");
        };
        assert_eq!(paused.code, ErrorCode::PinLocked);
        assert_eq!(wrong, FREE_TRIES, "paused at the fifth wrong PIN, whatever valid PINs came between");
        // paused even for valid PINs, and the next pause doubles
        assert_eq!(identify_at(&db, &pad(), "2580", clock).unwrap_err().code, ErrorCode::PinLocked);
        t.set(t.get() + FIRST_LOCK.as_millis() as i64);
        identify_at(&db, &pad(), "1470", clock).unwrap();
        for _ in 0..FREE_TRIES {
            let _ = identify_at(&db, &pad(), "1111", clock);
        }
        assert_eq!(locked_for_at(&db.lock().unwrap(), &pad(), t.get()).unwrap(), Some(FIRST_LOCK * 2));
        // a day later, with no wrong PIN since, the count starts afresh
        t.set(t.get() + FORGET_AFTER.as_millis() as i64 + FIRST_LOCK.as_millis() as i64 * 2 + 1);
        assert_eq!(identify_at(&db, &pad(), "1111", clock).unwrap_err().code, ErrorCode::PinWrong);
    }

    #[test]
    fn lockouts_never_exceed_the_maximum() {
        let db = db();
        let c = db.lock().unwrap();
        for _ in 0..40 {
            let now = 0;
            c.execute("UPDATE pin_throttle SET locked_until = NULL", ()).unwrap();
            record_failure(&c, &pad(), now).unwrap();
            for _ in 1..FREE_TRIES {
                record_failure(&c, &pad(), now).unwrap();
            }
        }
        assert_eq!(locked_for_at(&c, &pad(), 0).unwrap(), Some(MAX_LOCK));
    }

    #[test]
    fn roles_are_ordered_and_permissions_need_a_manager_or_owner() {
        assert!(Role::Cashier < Role::Manager && Role::Manager < Role::Owner);
        for p in Permission::ALL {
            assert!(p.min_role() >= Role::Manager, "{p:?}");
        }
        assert_eq!(Permission::ManageStaff.min_role(), Role::Owner);
    }

    /// Two windows of one till's pad on a shared database take wrong PINs at the same moment:
    /// both count (one statement counts each).
    #[test]
    fn wrong_pins_at_two_tills_at_once_all_count() {
        let url = cardbind_testkit::pg::fresh_database();
        let c1 = crate::db::open_postgres(&url).unwrap();
        let now = 1_700_000_000_000;
        let (ready_tx, ready) = std::sync::mpsc::channel();
        let till1 = std::thread::spawn(move || {
            let tx = c1.unchecked_transaction().unwrap();
            record_failure(&tx, &pad(), now).unwrap();
            ready_tx.send(()).unwrap();
            // the other till's wrong PIN arrives before this one is committed
            std::thread::sleep(std::time::Duration::from_millis(400));
            tx.commit().unwrap();
        });
        ready.recv().unwrap();
        let c2 = crate::db::open_postgres(&url).unwrap();
        record_failure(&c2, &pad(), now).unwrap();
        till1.join().unwrap();
        assert_eq!(store::staff::throttle(&c2, &pad().scope()).unwrap().failures, 2, "both wrong PINs count");
    }
}
