//! Role checks on every protected command, in the backend (issue 8): each command in
//! `api::PROTECTED` is refused to nobody-signed-in, to a cashier and at a kiosk, allowed to the
//! role it needs, and allowed once to a cashier after a manager's (or owner's) PIN approval.
//! Plus kiosk mode's command fence and the open mode a shop without staff runs in.

use antom::Sensitive;
use cardbind_core::api::PROTECTED;
use cardbind_core::app::ops::{self, ExportKind, SettingsUpdate};
use cardbind_core::app::AppContext;
use cardbind_core::db::lock;
use cardbind_core::paths::AppPaths;
use cardbind_core::staff::{Permission, Role, StaffInput};
use cardbind_core::store::{CardQuery, ConsentInput, CustomerInput};
use cardbind_core::{AppError, ErrorCode};
use cardbind_testkit::in_private_keyring;

pub(crate) const OWNER_PIN: &str = "2580";
pub(crate) const MANAGER_PIN: &str = "3690";
pub(crate) const CASHIER_PIN: &str = "1470";

pub(crate) fn pin(p: &str) -> Sensitive<String> {
    Sensitive::new(p.to_string())
}

pub(crate) fn staff(name: &str, role: Role, p: &str) -> StaffInput {
    StaffInput { name: name.into(), role, pin: pin(p) }
}

pub(crate) struct Shop {
    pub(crate) ctx: AppContext,
    pub(crate) export_dir: tempfile::TempDir,
    _root: tempfile::TempDir,
    next_pin: std::cell::Cell<u32>,
    /// A card bound at the demo simulator (the synthetic cards' tokens are not Antom's).
    real_card: std::cell::Cell<Option<i64>>,
    /// What the protected command under test acts on, until it succeeds: an approval is for
    /// one subject, so the refused call and the approved one must name the same (issue 29).
    subject: std::cell::Cell<Option<i64>>,
}

/// The shop's per-payment limit in the access tests: a cashier may charge up to 50.00.
pub(crate) const LIMIT: i64 = 5000;

impl Shop {
    pub(crate) async fn open() -> Shop {
        let root = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(root.path());
        if cardbind_testkit::pg::wants_postgres() {
            // The same suite on a shop's shared database (make test runs it both ways): the
            // till is set up as ops::shop_database_set leaves it, on a fresh database.
            cardbind_core::secrets::set_shop_database_url(&pin(&cardbind_testkit::pg::fresh_database())).unwrap();
            let mut s = cardbind_core::settings::Settings::default();
            s.shop_database.shared = true;
            s.shop_database.server = Some("127.0.0.1/test".into());
            paths.ensure().unwrap();
            s.save(&paths.config_dir).unwrap();
        }
        let ctx = AppContext::open(paths).await.unwrap();
        assert_eq!(ctx.settings().shop_database.shared, cardbind_testkit::pg::wants_postgres());
        cardbind_core::synthetic::fill(&lock(&ctx.db()), 3, 12).unwrap();
        let mut s = ctx.settings();
        s.currency = Some("EUR".into());
        s.charge_limit = Some(LIMIT);
        ctx.apply_settings(s).await.unwrap();
        Shop {
            ctx,
            export_dir: tempfile::tempdir().unwrap(),
            _root: root,
            next_pin: std::cell::Cell::new(40_000),
            real_card: std::cell::Cell::new(None),
            subject: std::cell::Cell::new(None),
        }
    }

    /// A card Antom (the demo simulator) really bound, bound once through the binding flow.
    pub(crate) async fn real_card(&self) -> i64 {
        if let Some(id) = self.real_card.get() {
            return id;
        }
        let flow = self.ctx.flow().unwrap();
        let consent = ConsentInput { text_version: ops::consent_get(&self.ctx, "en").version, locale: "en".into() };
        let started = flow.start(1, None, &consent).await.unwrap();
        let token = started.session_data.split("&&").next().unwrap().to_string();
        let card = serde_json::json!({ "number": "4111111111111111", "expiryMonth": "09", "expiryYear": "33", "cvv": "123", "holderName": "Ana" });
        cardbind_testkit::element_call(
            &self.ctx.simulator_url().unwrap(),
            "submit",
            serde_json::json!({ "token": token, "card": card }),
        )
        .await;
        let id = flow
            .wait_for_result(started.attempt.id, std::time::Duration::from_secs(10))
            .await
            .unwrap()
            .card_id
            .unwrap();
        self.real_card.set(Some(id));
        id
    }

    /// A new successful payment of 10.00 (made past the access checks, as staff would have).
    pub(crate) async fn fresh_payment(&self) -> i64 {
        let card = self.real_card().await;
        let input = cardbind_core::flows::payments::ChargeInput {
            card_id: card,
            amount: 1000,
            currency: "EUR".into(),
            description: "test".into(),
            reference: None,
            customer_present: true,
            device: None,
            charge_key: None,
        };
        self.ctx.payments().unwrap().charge(&input, None).await.unwrap().id
    }

    /// Owner (signed in by creating), manager and cashier; then signed out.
    pub(crate) fn with_staff(self) -> (Shop, i64) {
        ops::staff_create(&self.ctx, &staff("Olga Owner", Role::Owner, OWNER_PIN)).unwrap();
        ops::staff_create(&self.ctx, &staff("Max Manager", Role::Manager, MANAGER_PIN)).unwrap();
        let cy = ops::staff_create(&self.ctx, &staff("Cy Cashier", Role::Cashier, CASHIER_PIN)).unwrap();
        ops::staff_sign_out(&self.ctx, false).unwrap();
        (self, cy.id)
    }

    pub(crate) fn sign_in(&self, p: &str) {
        ops::staff_sign_out(&self.ctx, false).unwrap();
        ops::staff_sign_in(&self.ctx, &pin(p)).unwrap();
    }

    fn fresh_pin(&self) -> String {
        // distinct, non-trivial PINs for the staff the commands create
        let n = self.next_pin.get() + 7;
        self.next_pin.set(n);
        format!("{n:05}").chars().rev().collect::<String>() + "9"
    }

    pub(crate) fn a_card(&self) -> i64 {
        ops::cards_list(&self.ctx, &CardQuery::default()).map(|p| p.rows[0].id).unwrap_or_else(|_| {
            lock(&self.ctx.db())
                .query_row("SELECT id FROM cards WHERE removed_at IS NULL LIMIT 1", (), |r| r.get(0))
                .unwrap()
        })
    }

    fn a_cashier(&self) -> i64 {
        lock(&self.ctx.db())
            .query_row(
                "SELECT id FROM staff WHERE role = 'cashier' AND disabled_at IS NULL ORDER BY id DESC LIMIT 1",
                (),
                |r| r.get(0),
            )
            .unwrap()
    }

    /// Run one protected command with arguments that succeed when access is granted (and that
    /// need `permission`, for a command guarded by several).
    async fn call(&self, command: &str, permission: Permission) -> Result<(), AppError> {
        let ctx = &self.ctx;
        match command {
            "payment_charge" => {
                let card = self.real_card().await;
                let (present, amount) = match permission {
                    Permission::ChargeNotPresent => (false, 100),
                    _ => (true, LIMIT + 1),
                };
                let req = ops::ChargeRequest {
                    card_id: card,
                    amount,
                    description: "x".into(),
                    reference: None,
                    customer_present: present,
                    device: None,
                    key: uuid::Uuid::new_v4().simple().to_string(),
                };
                ops::payment_charge(ctx, &req).await.map(|_| ())
            }
            "payment_refund" => {
                let p = self.subject(self.fresh_payment()).await;
                self.done_with_subject(ops::payment_refund(ctx, p, 1, None).await.map(|_| ()))
            }
            "payment_cancel" => {
                let p = self.subject(self.fresh_payment()).await;
                self.done_with_subject(ops::payment_cancel(ctx, p).await.map(|_| ()))
            }
            "card_remove" => ops::card_remove(ctx, self.a_card()).await.map(|_| ()),
            "card_replace_duplicate" => {
                // no duplicate among the synthetic cards: past the check this is INVALID_INPUT
                match ops::card_replace_duplicate(ctx, self.a_card()).await.map(|_| ()) {
                    Err(e) if e.code == ErrorCode::InvalidInput || e.code == ErrorCode::NotFound => Ok(()),
                    other => other,
                }
            }
            "settings_save" => {
                let mut s = ctx.settings();
                match permission {
                    // the backups are the owner's: a change of "keep"
                    Permission::ManageBackups => s.backup.keep = if s.backup.keep == 7 { 8 } else { 7 },
                    // outside production a kiosk is the owner's: switching it on
                    Permission::OwnerSettings => {
                        let mut off = ctx.settings();
                        off.kiosk.enabled = false;
                        ctx.apply_settings(off).await.unwrap();
                        s.kiosk.enabled = true;
                    }
                    _ => {}
                }
                let update = SettingsUpdate::settings_only(s);
                match ops::settings_save(ctx, update).await.map(|_| ()) {
                    // in open mode there is nobody to leave a kiosk: past the check, refused
                    Err(e) if e.code == ErrorCode::StaffRequired => Ok(()),
                    other => other,
                }
            }
            "till_join" => match ops::till_join(ctx, "AAAAA-AAAAA", "Till 2") {
                // past the check: not on a shared database, or no such offer
                Err(e) if e.code == ErrorCode::InvalidInput || e.code == ErrorCode::PairingRefused => Ok(()),
                other => other.map(|_| ()),
            },
            "data_key_rotate" => ops::data_key_rotate(ctx).await.map(|_| ()),
            "shop_database_set" => {
                // past the role check an owner's PIN is asked for, or (open mode: nobody to ask)
                // the missing address is refused; a real switch has its own test
                let update = ops::ShopDatabaseUpdate {
                    shared: true,
                    url: None,
                    ca_file: None,
                    move_data: false,
                    owner_pin: None,
                };
                match ops::shop_database_set(ctx, update).await {
                    Err(e) if e.code == ErrorCode::OwnerPinRequired || e.code == ErrorCode::InvalidInput => Ok(()),
                    other => other.map(|_| ()),
                }
            }
            // pairing is for a shop on a shared database: past the check, this shop is not one
            "till_offer" => not_shared(ops::till_offer(ctx).map(|_| ())),
            "till_offer_status" => not_shared(ops::till_offer_status(ctx).map(|_| ())),
            "till_offer_approve" => not_shared(ops::till_offer_approve(ctx, "").map(|_| ())),
            "till_list" => ops::till_list(ctx).map(|_| ()),
            "till_revoke" => match ops::till_revoke(ctx, 999_999) {
                Err(e) if e.code == ErrorCode::NotFound => Ok(()),
                other => other,
            },
            "export_csv" => ops::export(ctx, ExportKind::Cards, self.export_dir.path()).map(|_| ()),
            "kiosk_leave" => unreachable!("kiosk_leave is checked by PIN, in its own branch of the loop"),
            "staff_list" => ops::staff_list(ctx).map(|_| ()),
            "staff_create" => {
                ops::staff_create(ctx, &staff("New Cashier", Role::Cashier, &self.fresh_pin())).map(|_| ())
            }
            "staff_set_pin" => ops::staff_set_pin(ctx, self.a_cashier(), &pin(&self.fresh_pin())),
            "staff_disable" => {
                let extra = match self.subject.get() {
                    Some(id) => id,
                    None => {
                        let p = self.fresh_pin();
                        let db = ctx.db();
                        let conn = lock(&db);
                        let id =
                            cardbind_core::staff::create(&conn, &staff("Temp", Role::Cashier, &p), None).unwrap().id;
                        self.subject.set(Some(id));
                        id
                    }
                };
                self.done_with_subject(ops::staff_disable(ctx, extra))
            }
            // on a shared database, past the check, backups are the server's
            "backup_create" => {
                on_server(ops::backup_create(ctx, &pin("a long enough passphrase"), self.export_dir.path()).map(|_| ()))
            }
            "backup_restore" => {
                // no such file: past the check this is NOT_FOUND (a real restore has its own test)
                match ops::backup_restore(ctx, "/nonexistent/cardbind-backup.age", &pin("a long enough passphrase"))
                    .await
                {
                    Err(e) if e.code == ErrorCode::NotFound => Ok(()),
                    other => on_server(other.map(|_| ())),
                }
            }
            other => panic!("protected command {other} has no case in tests/access.rs"),
        }
    }
}

impl Shop {
    /// The subject the command under test acts on: the one from before, until a call succeeds.
    async fn subject(&self, fresh: impl std::future::Future<Output = i64>) -> i64 {
        match self.subject.get() {
            Some(id) => id,
            None => {
                let id = fresh.await;
                self.subject.set(Some(id));
                id
            }
        }
    }

    /// A call that succeeded used its subject up (a cancelled payment is not cancelled twice).
    fn done_with_subject(&self, r: Result<(), AppError>) -> Result<(), AppError> {
        if r.is_ok() {
            self.subject.set(None);
        }
        r
    }
}

fn on_server(r: Result<(), AppError>) -> Result<(), AppError> {
    match r {
        Err(e) if e.code == ErrorCode::BackupOnServer && cardbind_testkit::pg::wants_postgres() => Ok(()),
        other => other,
    }
}

fn not_shared(r: Result<(), AppError>) -> Result<(), AppError> {
    match r {
        Err(e) if e.code == ErrorCode::InvalidInput => Ok(()),
        other => other,
    }
}

pub(crate) fn code(r: Result<(), AppError>) -> Option<ErrorCode> {
    r.err().map(|e| e.code)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_protected_command_checks_the_role_in_the_backend() {
    if in_private_keyring("access::every_protected_command_checks_the_role_in_the_backend") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    for &(command, permission) in PROTECTED {
        if command == "kiosk_leave" {
            // Leaving is decided by the PIN typed at the kiosk, not by a session: each role's
            // own PIN against what the permission needs; outside kiosk mode it is refused.
            ops::staff_sign_out(&shop.ctx, false).unwrap();
            let leave = |p: &str| code(ops::kiosk_leave(&shop.ctx, &pin(p)).map(|_| ()));
            assert_eq!(leave(OWNER_PIN), Some(ErrorCode::InvalidInput), "kiosk_leave: not in kiosk mode");
            for (p, role) in [(CASHIER_PIN, Role::Cashier), (MANAGER_PIN, Role::Manager), (OWNER_PIN, Role::Owner)] {
                ops::start_kiosk(&shop.ctx, None).unwrap();
                let expected = if role >= permission.min_role() { None } else { Some(ErrorCode::PermissionDenied) };
                assert_eq!(leave(p), expected, "kiosk_leave with a {role:?}'s PIN");
                assert_eq!(ops::staff_status(&shop.ctx).unwrap().kiosk, expected.is_some(), "{role:?}");
            }
            continue;
        }
        let needs_owner = permission.min_role() == Role::Owner;
        shop.subject.set(None);

        ops::staff_sign_out(&shop.ctx, false).unwrap();
        assert_eq!(
            code(shop.call(command, permission).await),
            Some(ErrorCode::SignInRequired),
            "{command}: nobody signed in"
        );

        shop.sign_in(CASHIER_PIN);
        assert_eq!(code(shop.call(command, permission).await), Some(ErrorCode::PermissionDenied), "{command}: cashier");

        // a manager's approval: enough for manager actions, once
        if needs_owner {
            let by_manager = ops::staff_approve(&shop.ctx, &pin(MANAGER_PIN)).map(|_| ());
            assert_eq!(code(by_manager), Some(ErrorCode::PermissionDenied), "{command}: a manager cannot approve it");
            assert_eq!(
                code(shop.call(command, permission).await),
                Some(ErrorCode::PermissionDenied),
                "{command}: still refused"
            );
            ops::staff_approve(&shop.ctx, &pin(OWNER_PIN)).unwrap();
            assert_eq!(code(shop.call(command, permission).await), None, "{command}: owner-approved");
        } else {
            ops::staff_approve(&shop.ctx, &pin(MANAGER_PIN)).unwrap();
            assert_eq!(code(shop.call(command, permission).await), None, "{command}: manager-approved");
        }
        assert_eq!(
            code(shop.call(command, permission).await),
            Some(ErrorCode::PermissionDenied),
            "{command}: approval used once"
        );
        // a cashier cannot approve
        assert_eq!(ops::staff_approve(&shop.ctx, &pin(CASHIER_PIN)).unwrap_err().code, ErrorCode::PermissionDenied);

        shop.sign_in(MANAGER_PIN);
        let by_manager = code(shop.call(command, permission).await);
        assert_eq!(
            by_manager,
            if needs_owner { Some(ErrorCode::PermissionDenied) } else { None },
            "{command}: manager"
        );

        shop.sign_in(OWNER_PIN);
        assert_eq!(code(shop.call(command, permission).await), None, "{command}: owner");

        ops::start_kiosk(&shop.ctx, None).unwrap();
        assert_eq!(code(shop.call(command, permission).await), Some(ErrorCode::KioskLocked), "{command}: at the kiosk");
        ops::kiosk_leave(&shop.ctx, &pin(OWNER_PIN)).unwrap();
    }

    // The audit log names who did it; an approval names the cashier it was for.
    shop.sign_in(CASHIER_PIN);
    let card = shop.a_card();
    assert_eq!(
        code(ops::card_remove(&shop.ctx, card).await.map(|_| ())),
        Some(ErrorCode::PermissionDenied),
        "refused first"
    );
    ops::staff_approve(&shop.ctx, &pin(MANAGER_PIN)).unwrap();
    ops::card_remove(&shop.ctx, card).await.unwrap();
    shop.sign_in(OWNER_PIN);
    let log = ops::audit_list(&shop.ctx, None, 20).unwrap();
    let removal = log
        .iter()
        .find(|e| e.action == "card.remove" && e.subject.as_deref() == Some(&format!("card:{card}")))
        .unwrap();
    assert_eq!(removal.staff_name.as_deref(), Some("Max Manager"));
    let approval = log
        .iter()
        .find(|e| e.action == "staff.approve" && e.subject.as_deref() == Some(&format!("card:{card}")))
        .unwrap();
    assert!(approval.detail.as_deref().unwrap().contains("Cy Cashier"), "{approval:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_protected_list_covers_every_permission_and_real_commands() {
    for &(command, _) in PROTECTED {
        assert!(cardbind_core::api::COMMANDS.contains(&command), "{command} is not a command");
    }
    for p in Permission::ALL {
        assert!(PROTECTED.iter().any(|&(_, q)| q == *p), "{p:?} guards no command");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn kiosk_mode_runs_only_the_customers_steps_and_a_manager_leaves_it() {
    if in_private_keyring("access::kiosk_mode_runs_only_the_customers_steps_and_a_manager_leaves_it") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    let ctx = &shop.ctx;
    let regular = ops::customers_search(ctx, "", 1).unwrap_err();
    assert_eq!(regular.code, ErrorCode::SignInRequired, "staff set up: sign in first");
    shop.sign_in(CASHIER_PIN);
    let known = ops::customer_create(
        ctx,
        &CustomerInput { name: "Rita".into(), phone: Some("+351 912-345-678".into()), ..Default::default() },
    )
    .unwrap();
    // outside production a kiosk is the owner's (issue 29, item 8)
    assert_eq!(ops::kiosk_enter(ctx).unwrap_err().code, ErrorCode::PermissionDenied);
    shop.sign_in(OWNER_PIN);
    let status = ops::kiosk_enter(ctx).unwrap();
    assert!(status.kiosk && status.operator.is_none(), "staff signed out: {status:?}");

    // staff work is fenced off
    assert_eq!(ops::customers_search(ctx, "", 5).unwrap_err().code, ErrorCode::KioskLocked);
    assert_eq!(ops::cards_list(ctx, &CardQuery::default()).unwrap_err().code, ErrorCode::KioskLocked);
    assert_eq!(ops::settings_get(ctx).unwrap_err().code, ErrorCode::KioskLocked);
    assert_eq!(ops::audit_list(ctx, None, 5).unwrap_err().code, ErrorCode::KioskLocked);
    assert_eq!(ops::receipt_get(ctx, 1, None, None).unwrap_err().code, ErrorCode::KioskLocked);
    let print = |_: std::path::PathBuf| async { Ok(()) };
    let saved = ops::receipt_save_pdf(ctx, 1, None, None, shop.export_dir.path(), print).await;
    assert_eq!(saved.unwrap_err().code, ErrorCode::KioskLocked);
    assert_eq!(ops::locale_set(ctx, "de").await.unwrap_err().code, ErrorCode::KioskLocked);
    assert_eq!(ops::staff_sign_in(ctx, &pin(OWNER_PIN)).unwrap_err().code, ErrorCode::KioskLocked);

    // the visitor's steps run, for the customer their number names only
    let consent = ops::consent_get(ctx, "pt");
    let accepted = ConsentInput { text_version: consent.version.clone(), locale: "pt".into() };
    assert_eq!(ops::binding_start(ctx, known.id, &accepted).await.unwrap_err().code, ErrorCode::KioskLocked);
    assert_eq!(ops::kiosk_identify(ctx, "12").unwrap_err().code, ErrorCode::InvalidInput);
    let visitor = ops::kiosk_identify(ctx, "351912345678").unwrap();
    assert_ne!(visitor, known.id, "a number typed at the kiosk never unlocks an existing customer");
    assert_eq!(ops::binding_start(ctx, known.id, &accepted).await.unwrap_err().code, ErrorCode::KioskLocked);
    let session = ops::binding_start(ctx, visitor, &accepted).await.unwrap();
    assert_eq!(session.sdk.locale, "pt_BR", "the visitor's language");
    // only this visitor's attempt and cards
    let other = lock(&ctx.db())
        .query_row("SELECT id FROM cards WHERE customer_id != ?1 LIMIT 1", [known.id], |r| r.get(0))
        .unwrap();
    assert_eq!(ops::card_get(ctx, other).unwrap_err().code, ErrorCode::KioskLocked);
    assert_eq!(ops::binding_cancel(ctx, session.attempt.id + 1000).unwrap_err().code, ErrorCode::KioskLocked);
    ops::binding_refresh(ctx, session.attempt.id).await.unwrap();
    // starting over cancels the visitor's open attempt
    ops::kiosk_reset(ctx).unwrap();
    let state = ctx.flow().unwrap().attempt(session.attempt.id).unwrap().state;
    assert_eq!(state, cardbind_core::flows::binding::AttemptState::Cancelled);
    assert_eq!(ops::binding_cancel(ctx, session.attempt.id).unwrap_err().code, ErrorCode::KioskLocked, "forgotten");
    ops::kiosk_identify(ctx, "351912345678").unwrap();
    let newcomer = ops::kiosk_identify(ctx, "7700 1234").unwrap();
    assert_ne!(newcomer, known.id);
    assert_ne!(ops::kiosk_identify(ctx, "77001234").unwrap(), newcomer, "a new record for each visit");
    ops::kiosk_reset(ctx).unwrap();
    assert_eq!(ops::binding_start(ctx, newcomer, &accepted).await.unwrap_err().code, ErrorCode::KioskLocked);

    // leaving: a cashier's PIN is not enough, a wrong PIN counts, a manager's PIN works
    assert_eq!(ops::kiosk_leave(ctx, &pin(CASHIER_PIN)).unwrap_err().code, ErrorCode::PermissionDenied);
    assert_eq!(ops::kiosk_leave(ctx, &pin("9999")).unwrap_err().code, ErrorCode::PinWrong);
    assert!(ops::staff_status(ctx).unwrap().kiosk);
    let manager = ops::kiosk_leave(ctx, &pin(MANAGER_PIN)).unwrap();
    assert_eq!(manager.role, Role::Manager);
    let status = ops::staff_status(ctx).unwrap();
    assert!(!status.kiosk && status.operator.as_ref().unwrap().name == "Max Manager");
    let log = ops::audit_list(ctx, None, 50).unwrap();
    let leave = log.iter().find(|e| e.action == "kiosk.leave").unwrap();
    assert_eq!(leave.staff_name.as_deref(), Some("Max Manager"));
    assert!(log.iter().any(|e| e.action == "kiosk.leave_refused" && e.staff_name.as_deref() == Some("Cy Cashier")));
    assert!(log.iter().any(|e| e.action == "kiosk.enter" && e.staff_name.as_deref() == Some("Olga Owner")));
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_pins_pause_sign_in_and_kiosk_leaving_alike() {
    if in_private_keyring("access::wrong_pins_pause_sign_in_and_kiosk_leaving_alike") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    let ctx = &shop.ctx;
    ops::start_kiosk(ctx, None).unwrap();
    for _ in 1..cardbind_core::staff::FREE_TRIES {
        assert_eq!(ops::kiosk_leave(ctx, &pin("1111")).unwrap_err().code, ErrorCode::PinWrong);
    }
    assert_eq!(ops::kiosk_leave(ctx, &pin("1111")).unwrap_err().code, ErrorCode::PinLocked);
    assert_eq!(ops::kiosk_leave(ctx, &pin(MANAGER_PIN)).unwrap_err().code, ErrorCode::PinLocked, "even the right PIN");
    let locked = ops::staff_status(ctx).unwrap().pin_locked_seconds.unwrap();
    assert!((25..=30).contains(&locked), "{locked}");
    assert!(ops::staff_status(ctx).unwrap().kiosk, "still a kiosk");
}

#[tokio::test(flavor = "multi_thread")]
async fn open_mode_allows_everything_until_an_owner_is_added() {
    if in_private_keyring("access::open_mode_allows_everything_until_an_owner_is_added") {
        return;
    }
    let shop = Shop::open().await;
    let ctx = &shop.ctx;
    for &(command, permission) in PROTECTED {
        if command == "staff_create" || command == "staff_set_pin" || command == "staff_disable" {
            continue; // need staff to exist
        }
        if command == "kiosk_leave" {
            // there is no kiosk to leave: open mode cannot enter kiosk mode (below)
            let left = ops::kiosk_leave(ctx, &pin(OWNER_PIN)).map(|_| ());
            assert_eq!(code(left), Some(ErrorCode::InvalidInput), "kiosk_leave in open mode");
            continue;
        }
        assert_eq!(code(shop.call(command, permission).await), None, "{command} in open mode");
    }
    // kiosk mode needs someone who can leave it
    assert_eq!(ops::kiosk_enter(ctx).unwrap_err().code, ErrorCode::StaffRequired);
    let mut s = ctx.settings();
    s.kiosk.enabled = true;
    let update = SettingsUpdate::settings_only(s);
    assert_eq!(ops::settings_save(ctx, update).await.unwrap_err().code, ErrorCode::StaffRequired);
    // the first staff member must be an owner, and is signed in
    assert_eq!(
        ops::staff_create(ctx, &staff("Cy", Role::Cashier, CASHIER_PIN)).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    ops::staff_create(ctx, &staff("Olga", Role::Owner, OWNER_PIN)).unwrap();
    assert_eq!(ops::staff_status(ctx).unwrap().operator.unwrap().name, "Olga");
    // the UI's idle lock is recorded as such
    ops::staff_sign_out(ctx, true).unwrap();
    let locked: String = lock(&ctx.db())
        .query_row("SELECT action FROM audit_log WHERE action LIKE 'staff.%' ORDER BY id DESC LIMIT 1", (), |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(locked, "staff.auto_lock");
    assert!(ops::staff_status(ctx).unwrap().operator.is_none());
    assert_eq!(code(shop.call("card_remove", Permission::RemoveCards).await), Some(ErrorCode::SignInRequired));
    assert_eq!(ops::staff_sign_in(ctx, &pin("0000")).unwrap_err().code, ErrorCode::PinWrong);
}

/// The backend signs an idle staff member out on its own after the lock time, whatever the UI's
/// timer does (issue 15, item 6).
#[tokio::test(flavor = "multi_thread")]
async fn an_idle_session_expires_in_the_backend() {
    if in_private_keyring("access::an_idle_session_expires_in_the_backend") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    let ctx = &shop.ctx;
    shop.sign_in(OWNER_PIN);
    let mut s = ctx.settings();
    s.lock_minutes = 1;
    ops::settings_save(ctx, SettingsUpdate::settings_only(s)).await.unwrap();
    shop.sign_in(CASHIER_PIN);
    assert!(ops::cards_list(ctx, &CardQuery::default()).is_ok(), "in use");
    ctx.session().last_activity = Some(std::time::Instant::now() - std::time::Duration::from_secs(50));
    assert!(ops::cards_list(ctx, &CardQuery::default()).is_ok(), "50 s idle: still signed in (and active again)");
    ctx.session().last_activity = Some(std::time::Instant::now() - std::time::Duration::from_secs(61));
    assert_eq!(code(ops::cards_list(ctx, &CardQuery::default()).map(|_| ())), Some(ErrorCode::SignInRequired));
    assert!(ops::staff_status(ctx).unwrap().operator.is_none(), "signed out");
    let audit = lock(&ctx.db())
        .query_row("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.auto_lock'", (), |r| r.get::<i64>(0))
        .unwrap();
    assert_eq!(audit, 1, "recorded");
}

/// A manager's approval is for the one action the cashier was refused, not for the next
/// protected action whatever it is (issue 15, item 6).
#[tokio::test(flavor = "multi_thread")]
async fn an_approval_is_for_one_named_action() {
    if in_private_keyring("access::an_approval_is_for_one_named_action") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    let ctx = &shop.ctx;
    shop.sign_in(CASHIER_PIN);
    assert_eq!(
        code(ops::staff_approve(ctx, &pin(MANAGER_PIN)).map(|_| ())),
        Some(ErrorCode::PermissionDenied),
        "nothing was refused: nothing to approve"
    );
    let export = |ctx| ops::export(ctx, ExportKind::Cards, shop.export_dir.path()).map(|_| ());
    assert_eq!(code(export(ctx)), Some(ErrorCode::PermissionDenied));
    ops::staff_approve(ctx, &pin(MANAGER_PIN)).unwrap();
    // the approval was for the export: removing a card is still refused
    assert_eq!(code(ops::card_remove(ctx, shop.a_card()).await.map(|_| ())), Some(ErrorCode::PermissionDenied));
    // and a fresh approval, for the removal, allows the removal once
    ops::staff_approve(ctx, &pin(MANAGER_PIN)).unwrap();
    ops::card_remove(ctx, shop.a_card()).await.unwrap();
    assert_eq!(code(ops::card_remove(ctx, shop.a_card()).await.map(|_| ())), Some(ErrorCode::PermissionDenied), "once");
    // the export, approved for itself, runs
    assert_eq!(code(export(ctx)), Some(ErrorCode::PermissionDenied));
    ops::staff_approve(ctx, &pin(MANAGER_PIN)).unwrap();
    export(ctx).unwrap();
}

/// Issue 15, item 5: at the kiosk a visitor sees only what they typed in this visit. A phone
/// number (no secret) never unlocks an existing customer's record or cards; a one-time code
/// from staff does, once, for that record only, and code guesses are throttled on their own
/// counter (the managers' PIN pad stays usable).
#[tokio::test(flavor = "multi_thread")]
async fn a_kiosk_visitor_sees_only_their_visit_and_a_staff_code_unlocks_one_record() {
    if in_private_keyring("access::a_kiosk_visitor_sees_only_their_visit_and_a_staff_code_unlocks_one_record") {
        return;
    }
    let (shop, _) = Shop::open().await.with_staff();
    let ctx = &shop.ctx;
    shop.sign_in(CASHIER_PIN);
    // an existing customer with saved cards, and a phone number someone else may know
    let (rita, rita_card): (i64, i64) = lock(&ctx.db())
        .query_row("SELECT customer_id, id FROM cards WHERE removed_at IS NULL ORDER BY id LIMIT 1", (), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let mut input = CustomerInput { name: "Rita".into(), ..Default::default() };
    input.phone = Some("+351 912-345-678".into());
    ops::customer_update(ctx, rita, &input).unwrap();
    let code = ops::customer_kiosk_code(ctx, rita).unwrap();
    assert_eq!(code.code.len(), cardbind_core::staff::kiosk_codes::CODE_DIGITS);
    assert!(code.code.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(ops::customer_kiosk_code(ctx, 999_999).unwrap_err().code, ErrorCode::NotFound);
    shop.sign_in(OWNER_PIN);
    ops::kiosk_enter(ctx).unwrap();
    assert_eq!(ops::customer_kiosk_code(ctx, rita).unwrap_err().code, ErrorCode::KioskLocked, "staff only");

    // Rita's number typed by anyone: a new record, nothing of Rita's is reachable
    let visitor = ops::kiosk_identify(ctx, "351912345678").unwrap();
    assert_ne!(visitor, rita);
    assert_eq!(ops::card_get(ctx, rita_card).unwrap_err().code, ErrorCode::KioskLocked, "not Rita's cards");
    let consent = ops::consent_get(ctx, "en");
    let accepted = ConsentInput { text_version: consent.version.clone(), locale: "en".into() };
    assert_eq!(ops::binding_start(ctx, rita, &accepted).await.unwrap_err().code, ErrorCode::KioskLocked);
    ops::kiosk_reset(ctx).unwrap();

    // the code from staff: Rita's record, once; still none of her earlier cards on screen
    assert_eq!(ops::kiosk_redeem(ctx, &pin("12345")).unwrap_err().code, ErrorCode::KioskCodeWrong);
    assert_eq!(ops::kiosk_redeem(ctx, &pin(&code.code)).unwrap(), rita);
    assert_eq!(ops::card_get(ctx, rita_card).unwrap_err().code, ErrorCode::KioskLocked, "only this visit's card");
    let session = ops::binding_start(ctx, rita, &accepted).await.unwrap();
    ops::binding_cancel(ctx, session.attempt.id).unwrap();
    ops::kiosk_reset(ctx).unwrap();
    assert_eq!(ops::kiosk_redeem(ctx, &pin(&code.code)).unwrap_err().code, ErrorCode::KioskCodeWrong, "used up");

    // guessing codes pauses code entry, not the managers' PIN pad
    let mut last = None;
    for _ in 0..cardbind_core::staff::FREE_TRIES {
        last = Some(ops::kiosk_redeem(ctx, &pin("000000")).unwrap_err().code);
    }
    assert_eq!(last, Some(ErrorCode::KioskCodePaused));
    assert_eq!(ops::kiosk_redeem(ctx, &pin("000000")).unwrap_err().code, ErrorCode::KioskCodePaused);
    ops::kiosk_leave(ctx, &pin(MANAGER_PIN)).unwrap();

    // a new code replaces the old one; the audit log names who made it and when it was used
    let first = ops::customer_kiosk_code(ctx, rita).unwrap();
    let second = ops::customer_kiosk_code(ctx, rita).unwrap();
    let log = ops::audit_list(ctx, None, 100).unwrap();
    assert!(log.iter().any(|e| e.action == "customer.kiosk_code" && e.staff_name.as_deref() == Some("Max Manager")));
    assert!(log
        .iter()
        .any(|e| e.action == "kiosk.code_used" && e.subject.as_deref() == Some(&format!("customer:{rita}"))));
    assert!(log.iter().any(|e| e.action == "kiosk.code_locked"));
    if first.code != second.code {
        ops::start_kiosk(ctx, None).unwrap();
        // (code entry is still paused from the guesses above; the pause is what answers)
        assert_eq!(ops::kiosk_redeem(ctx, &pin(&first.code)).unwrap_err().code, ErrorCode::KioskCodePaused);
    }
}
