# cardbind's own screens (English, the reference locale). Every other locale defines exactly
# these ids with the same variables; crates/core/tests/locales.rs checks it.

app-name = cardbind
app-tagline = Save customers' cards with Antom, charge and refund them later
app-starting = Starting cardbind…
language = Language
# Each locale names itself; the language menu shows every language in its own words.
language-name = English

env-demo = Demo — simulated Antom
env-sandbox = Antom sandbox
env-production = Antom production

nav-label = Main menu
nav-cards = Cards
nav-customers = Customers
nav-audit = Activity log
nav-settings = Settings
nav-about = About

action-cancel = Cancel

## Card list (the binding management page)

cards-title = Saved cards
cards-intro = Cards saved with Antom for your customers. Only the last four digits are kept on this computer.
cards-search = Search
cards-search-placeholder = Last 4 digits, customer name, phone or reference
cards-brand = Brand
cards-brand-all = All brands
cards-expiry = Expiry
cards-expiry-any = Any expiry
cards-expiry-expired = Expired
cards-expiry-3m = Expires within 3 months
cards-expiry-12m = Expires within 12 months
cards-sort = Sort by
cards-sort-recent = Most recently saved
cards-sort-expiry = Expiring soonest
cards-col-card = Card
cards-col-expiry = Expires
cards-col-customer = Customer
cards-col-bound = Saved on
cards-col-actions = Actions
cards-expired = Expired
cards-duplicate = Already saved
cards-keep = Keep both
cards-replace = Keep only this one
cards-remove = Remove
cards-remove-title = Remove this card?
cards-remove-text = { $brand } { $masked } will be removed for { $customer }. The shop can no longer use it; the customer will have to add it again.
cards-remove-confirm = Remove card
cards-removed = Card { $masked } removed.
cards-removal-pending = Card { $masked } can no longer be charged. Antom has not confirmed its removal yet; cardbind keeps asking and removes it as soon as Antom confirms.
cards-removal-pending-tag = Removal pending
cards-empty = No cards saved yet. Open a customer and press “Add card”.
cards-empty-action = Go to customers
cards-empty-customer = This customer has no saved cards yet. Press “Add card” to save one.
cards-empty-filtered = No cards match this search. Change the search or the filters.
cards-shown =
    { $count ->
        [one] Showing { $count } card
       *[other] Showing { $count } cards
    }
cards-loading = Loading cards…
cards-load-more = Show more cards

## Customers

customers-title = Customers
customers-new = New customer
customers-search = Search
customers-search-placeholder = Name, phone or reference
customers-loading = Loading customers…
customers-empty = No customers yet. Add the first one to save their card.
customers-empty-filtered = No customer matches this search.
customers-col-name = Name
customers-col-phone = Phone
customers-col-reference = Reference
customers-col-cards = Cards
customers-card-count =
    { $count ->
        [0] No cards
        [one] { $count } card
       *[other] { $count } cards
    }
customers-more = Showing the first { $count }. Type more of the name to narrow the list.

customer-name = Name
customer-phone = Phone
customer-email = Email
customer-reference = Reference
customer-reference-hint = Your own reference, for example a loyalty card number.
customer-notes = Notes
customer-save = Save customer
customer-edit = Edit
customer-kiosk-code = Kiosk code
customer-kiosk-code-text = Give this code to the customer. At the kiosk they choose “I have a code from staff” and type it; the card they save is added to this customer. It works once, until { $expires }.
customer-kiosk-code-done = Done
customer-edit-title = Edit customer
customer-cards = Saved cards

## Adding a card

add-card = Add card
add-card-title = Add a card
add-card-for = For { $name }

consent-title = Saving your card
consent-text = With your permission, { $shop } will ask Antom to save this card so you can pay with it later without typing it again. Antom keeps the card details; the shop keeps only the brand, the last four digits and the expiry date. You will not be charged now, and you can ask the shop to remove the card at any time.
consent-default-shop = this shop
consent-accept = The customer has read this and agrees
consent-continue = Continue to card details
consent-loading = Loading the consent text…

binding-starting = Opening a secure card form with Antom…
binding-enter-card = Hand the screen to the customer to enter the card details in Antom's secure form.
binding-loading = Loading Antom's secure card form…
binding-cancel = Cancel
binding-confirming = Confirming with Antom…
binding-pending = The bank is still checking the card.
binding-pending-hint = This can take a few minutes. The card will appear in the list as soon as Antom confirms it; you can leave this page.
binding-pending-leave = Continue without waiting
binding-bound-title = Card saved
binding-bound-expiry = Expires { $expiry }
binding-duplicate = This customer already had this card saved. Keep both, or keep only this one?
binding-add-another = Add another card
binding-done = Done

## The alert page

alert-code = Code: { $code }
alert-retry = Try again
alert-back = Back to customer
alert-declined-title = Card not saved
alert-declined-next = Ask the customer for another card, or to contact their bank.
alert-expired-title = The card form expired
alert-expired-text = The secure card form was open too long and has closed. No card was saved.
alert-expired-next = Press “Try again” to open a new form.
alert-cancelled-title = Cancelled
alert-cancelled-text = Adding the card was cancelled. No card was saved.
alert-cancelled-next = Press “Try again” to start over, or go back.
alert-timeout-title = The card form did not load
alert-timeout-text = Antom's secure card form did not load in time.
alert-timeout-next = Check the internet connection, then press “Try again”.
alert-connection-title = Connection lost
alert-connection-text = The connection to Antom was lost. If the card was saved, it will appear in the list automatically.
alert-connection-next = Check the internet connection, then press “Try again”.
alert-sdk-error-title = The card form stopped working
alert-sdk-error-text = Antom's secure card form reported an error. No card was saved.
alert-sdk-error-next = Press “Try again”. If it happens again, contact support with the code below.
alert-error-title = Card not saved
alert-error-text = Something went wrong while saving the card.
alert-error-next = Press “Try again”. If it happens again, contact support with the code below.

decline-generic = The bank declined this card.
decline-do-not-honor = The bank declined this card without giving a reason.
decline-card-expired = This card has expired.
decline-invalid-card-number = The card number is not valid.
decline-invalid-cvv = The security code (CVV) is not correct.
decline-card-not-supported = This type of card cannot be saved here.
decline-restricted-card = The bank does not allow this card to be saved.
decline-verification-failed = The bank could not verify the cardholder (3D Secure).

## Activity log

audit-title = Activity log
audit-intro = Everything done with customers, cards and settings on this computer, newest first. It cannot be edited.
audit-loading = Loading the activity log…
audit-empty = Nothing has happened yet.
audit-load-more = Show older entries
audit-col-at = When
audit-col-action = What
audit-col-subject = Item
audit-col-by = Who
audit-by-system = cardbind
audit-by-staff = Staff member { $id }
audit-customer-create = Customer added
audit-customer-update = Customer changed
audit-consent-accept = Consent given
audit-binding-start = Card form opened
audit-binding-succeeded = Card saved by Antom
audit-binding-failed = Card declined
audit-binding-expired = Card form expired
audit-binding-abandoned = Card form abandoned
audit-binding-cancel = Adding a card cancelled
audit-card-bind = Card saved
audit-card-remove = Card removed
audit-card-keep-duplicate = Duplicate card kept
audit-card-replace-duplicate = Earlier card replaced
audit-settings-save = Settings saved
audit-settings-import-keys = Payment keys imported

## Settings

settings-title = Settings
settings-loading = Loading settings…
settings-environment = Environment
settings-demo-hint = Demo mode runs a simulated Antom inside the app: no real cards, no real money. Use the test cards listed in the README.
settings-live-hint = Enter the details from Antom's portal. They are checked before anything is saved.
settings-shop-name = Shop name
settings-shop-name-hint = Shown to customers in the consent text.
settings-client-id = Client ID
settings-region = Region
settings-region-none = Choose a region
settings-base-url = Or a custom address
settings-notification-url = Notification URL
settings-notification-url-hint = Where Antom sends results. Without one, cardbind asks Antom for each result itself.
settings-keys = Payment keys
settings-merchant-key-set = Merchant private key saved
settings-merchant-key-missing = No merchant private key yet
settings-antom-key-set = Antom public key saved
settings-antom-key-missing = No Antom public key yet
settings-merchant-key = Merchant private key
settings-merchant-key-file = Import the merchant private key from a file
settings-antom-key = Antom public key
settings-antom-key-file = Import the Antom public key from a file
settings-key-paste = Paste the key as Antom shows it, or choose a file below. Leave empty to keep the saved key.
settings-public-key = Merchant public key
settings-public-key-hint = Upload this public key in Antom's portal. The private key never leaves this computer's keyring.
settings-save = Save settings
settings-saved = Settings saved.

## About

about-title = About this app
about-intro = Version, environment and where cardbind keeps its data on this computer.
about-load = Show app information
about-loading = Loading app information…
about-version = Version
about-environment = Environment
about-data-dir = Data folder
about-database = Card database (this environment's own)
about-config-dir = Settings folder
about-platform = Platform
about-simulator = Demo Antom (simulator)
about-binding = Card binding
about-binding-ready = Ready
datakey-done = { $count } saved cards were sealed again with a new key.
datakey-confirm-text = This till is busy until it is done. If it stops (a power cut), it finishes at the next start. Pair the shop's other tills again afterwards.
datakey-confirm-title = Seal every saved card with a new key?
datakey-rotate = Seal with a new key
datakey-intro = Every saved card's token is kept encrypted with a key in this computer's keyring. After a till was lost or stolen, seal them all again with a new key: a copy of the old one then opens nothing. Other tills of the shop are paired again afterwards.
datakey-title = The saved cards' key
about-integrity-unchecked = Not checked: this till does not hold the shop's key yet.
about-integrity-ok = As the tills wrote them: { $count } sealed activity log entries, and the staff records.
about-integrity = Records
integrity-advice = Restore the shop's database from a backup, or ask the owner.
integrity-staff = { $count } staff records were changed in the database and are not used.
integrity-unsealed = { $count } activity log entries were added without the shop's key.
integrity-broken = The activity log was edited, or an entry removed, at entry { $row }.
integrity-alert-title = Records were changed outside this shop's tills

## Errors: one message per stable error code (error-<code in kebab case>)

error-title = Something went wrong
error-details = Details: { $details }
error-internal = An unexpected error occurred. Try again; if it happens again, contact support with the details below.
error-data-dir-unavailable = cardbind cannot create its data folder. Check that the disk is not full and that your account may write to your home folder.
error-storage-full = The disk is full. Nothing was saved and nothing was lost; free some space and try again.
error-storage-failed = The card list could not be read or saved. Try again; if it keeps happening, contact support with the details below.
error-database-unreachable = The shop's shared database cannot be reached. Nothing was started and nothing was lost; check the network or the server, then try again.
error-shared-database-not-empty = The shared database already holds a shop's cards or staff. Nothing was moved; choose an empty database.
error-backup-on-server = This shop keeps its data on a shared database: it is backed up on its server, not from a till.
error-pairing-refused = The till could not be paired. Check the code on the owner's till, or start a new pairing there.
error-till-revoked = An owner removed this till from the shop: it no longer has the shop's keys. Pair it again to use it.
error-shop-key-missing = This till holds the shop's card key but not the key the shop's records are sealed with. Pair it again from an owner's till (Settings → Tills).
error-staff-list-missing = The shop's staff list is missing: no one can sign in. Restore the shop's database from a backup, or ask the owner. This till does not open without its staff.
error-row-tampered = A record was changed in the shop's database by someone other than one of its tills, so it is not used. Restore the database from a backup, or ask the owner.
error-not-found = This item no longer exists. It may have been removed on another screen.
error-invalid-input = Some details are missing or not valid. Check the highlighted field.
error-settings-invalid = A setting is not valid. Check the details below and correct it in Settings.
error-keyring-unavailable = The computer's password store (keyring) is not available, so the payment keys cannot be read.
error-keyring-locked = The computer's password store (keyring) is locked. Unlock it by signing in to the computer, then try again.
error-key-missing = The payment keys for this environment have not been set up yet. Import them in Settings.
error-key-invalid = A payment key is not valid: wrong type, wrong size or damaged. Import it again in Settings.
error-token-unreadable = This saved card cannot be unlocked on this computer. Bind the card again.
error-data-key-missing = The key that protects this computer's saved cards is missing from the system keyring. Nothing was changed: restore the keyring from a backup of this computer to use the saved cards again.
error-antom-unreachable = Antom cannot be reached. Check the internet connection and try again.
error-antom-rejected-signature = Antom did not accept this shop's signature. Check the client ID and the merchant key in Settings.
error-antom-response-invalid = Antom's answer could not be verified, so it was not trusted. Try again; if it keeps happening, check the Antom public key in Settings.
error-antom-failed = Antom refused the request. See the details below.
error-antom-unknown = Antom has not confirmed the result yet. cardbind will check again automatically.
error-binding-declined = The card was declined. Ask the customer for another card.
error-binding-expired = The card form expired before a card was entered. Start again.
error-binding-pending = The bank is still checking the card. The result will appear automatically.
error-notification-invalid = A message claiming to come from Antom failed its security check and was ignored.

## Staff, roles and PINs
error-sign-in-required = Sign in with your PIN to continue.
error-permission-denied = Your role cannot do this. A manager or owner must approve it with their PIN.
error-pin-wrong = That PIN is not right. Try again.
error-pin-locked = Too many wrong PINs. PIN entry is paused for a while.
error-pin-weak = Choose a PIN of 4 to 8 digits that is not a run like 1234 or one digit repeated.
error-pin-in-use = Someone else already uses this PIN. Choose another one.
error-kiosk-locked = This till is in kiosk mode. A manager must leave kiosk mode first.
error-staff-required = Kiosk mode needs a manager or owner with a PIN. Add one under Staff first.
error-kiosk-code-wrong = This code is not right, was already used or has expired. Check it, or ask staff for a new one.
error-kiosk-code-paused = Too many wrong codes. Code entry is paused for a while; ask staff for help.
kiosk-customer-name = Kiosk customer
pin-digits-entered =
    { $count ->
        [one] { $count } digit entered
       *[other] { $count } digits entered
    }
pin-back = Delete last digit
pin-clear = Clear
pin-label = Enter PIN
pin-locked =
    { $seconds ->
        [one] Too many wrong PINs. Try again in { $seconds } second.
       *[other] Too many wrong PINs. Try again in { $seconds } seconds.
    }
sign-in-title = Sign in
sign-in-hint = Enter your personal PIN. What you do is recorded under your name.
sign-in-submit = Sign in
sign-out = Lock
role-owner = Owner
role-manager = Manager
role-cashier = Cashier
nav-staff = Staff
staff-title = Staff
staff-intro = Everyone who uses this till gets their own PIN. Cashiers add customers and cards; removing cards, exports, settings and leaving kiosk mode need a manager or owner.
staff-open-mode = No staff are set up yet, so anyone using this computer can do everything. Add the owner to turn on PINs.
staff-name = Name
staff-role = Role
staff-since = Added
staff-actions = Actions
staff-disabled = Disabled
staff-new-pin = New PIN
staff-disable = Disable
staff-pin-saved = The new PIN is saved.
staff-new-pin-for = New PIN for { $name }
staff-pin-hint = 4 to 8 digits. Each person's PIN is different.
staff-save-pin = Save PIN
staff-add-owner = Add the owner
staff-add = Add a staff member
staff-pin = PIN
staff-pin-again = PIN again
staff-pin-mismatch = The two PINs are different.
staff-added = { $name } was added.
staff-save = Add staff member
staff-disable-title = Disable this staff member?
staff-disable-text = { $name } will no longer be able to sign in. Their name stays in the activity log.
approval-title = Manager approval
approval-hint = A manager or owner enters their PIN to allow this once.
approval-submit = Approve
export-csv = Export CSV
export-done =
    { $rows ->
        [one] Saved { $rows } row to { $path }
       *[other] Saved { $rows } rows to { $path }
    }
settings-kiosk = Kiosk mode
settings-kiosk-enabled = Start as a customer kiosk
settings-kiosk-hint = Full screen, customers add their own card. A manager's PIN leaves kiosk mode.
settings-kiosk-idle = Seconds before "Are you still there?"
settings-kiosk-countdown = Countdown before starting over, in seconds
audit-staff-create = Staff member added
audit-staff-set-pin = Staff PIN changed
audit-staff-disable = Staff member disabled
audit-staff-sign-in = Signed in
audit-staff-sign-out = Signed out
audit-staff-approve = Approved by a manager
audit-staff-approval-given = Manager approval given
audit-staff-pin-locked = PIN entry paused after wrong PINs
audit-kiosk-enter = Kiosk mode started
audit-kiosk-leave = Kiosk mode left
audit-kiosk-leave-refused = Kiosk exit refused (role too low)
audit-export-cards = Card list exported
audit-export-activity = Activity log exported

## Kiosk
kiosk-enter = Kiosk mode
kiosk-enter-title = Start kiosk mode?
kiosk-enter-text = The screen becomes a customer kiosk and you are signed out. A manager's or owner's PIN is needed to leave it.
kiosk-staff = Staff
kiosk-attract-title = Save your card for faster checkout
kiosk-attract-text = Your card is stored securely by our payment provider. Nothing is charged.
kiosk-choose-language = Choose your language to start
kiosk-decline = No, thanks
kiosk-agree = I agree
kiosk-start-over = Start over
kiosk-number-title = Your phone or loyalty number
kiosk-number-hint = The shop uses it to know you again. Already a customer here? Ask staff for a code, so the card is added to your account.
kiosk-number-label = Phone or loyalty number
kiosk-code-title = Your code from staff
kiosk-code-hint = Type the 6-digit code staff gave you. The card is then added to your account.
kiosk-code-label = 6-digit code
kiosk-code-have = I have a code from staff
kiosk-code-use-number = Use a phone number instead
kiosk-continue = Continue
kiosk-cancel = Cancel
kiosk-card-title = Enter your card
kiosk-pending-hint = Your bank is still checking the card. You can leave now; the result is saved automatically.
kiosk-finish = Finish
kiosk-bound-title = Your card is saved
kiosk-bound-text = Thank you. You can now pay faster at the till.
kiosk-idle-title = Are you still there?
kiosk-idle-text =
    { $seconds ->
        [one] Starting over in { $seconds } second.
       *[other] Starting over in { $seconds } seconds.
    }
kiosk-still-here = I'm still here
kiosk-leave-title = Leave kiosk mode
kiosk-leave-hint = Staff only: a manager or owner enters their PIN.
kiosk-leave-submit = Leave kiosk mode
settings-lock-minutes = Lock after (minutes without use)
settings-lock-minutes-hint = Signed-in staff are signed out after this long without a touch or key: 1 to 240 minutes.
audit-staff-auto-lock = Locked after no use

# Backups
settings-backup = Backups
settings-backup-hint = A backup holds every saved card, the settings and the keys, encrypted with your passphrase. Keep it away from this computer (a USB stick in a safe, another computer). Without one, a lost computer loses which customer owns which saved card.
settings-backup-folder = Backup folder
settings-backup-every = Back up every (hours, 0 = only by hand)
settings-backup-keep = Backups to keep
settings-backup-passphrase = Passphrase for scheduled backups
settings-backup-passphrase-hint = At least 10 characters, kept in this computer's keyring. Write it down somewhere safe: without it a backup cannot be opened. Leave empty to keep the saved one.
shopdb-title = Shop database
shopdb-current-local = This shop's data is kept on this computer.
shopdb-current-shared = This till uses the shop's shared database at { $server }.
shopdb-where = Where the cards, payments, staff and activity log are kept
shopdb-local = This computer (one till)
shopdb-shared = The shop's shared database (several tills, PostgreSQL)
shopdb-url = Address of the shared database
shopdb-url-hint = postgresql://user:password@host:5432/database. Kept in this computer's keyring. The connection is encrypted and the server's certificate checked, unless the address ends in ?sslmode=disable.
shopdb-ca = CA certificate file (optional)
shopdb-ca-hint = Full path of the PEM file of your own certificate authority, if the server's certificate is not from a public one.
shopdb-move = Move this computer's cards, payments, staff and activity log into it (the shared database must be empty)
shopdb-leave-hint = This till goes back to its own database; what is on the shared database stays there for the other tills.
shopdb-save = Switch
shopdb-owner-title = Owner's PIN
shopdb-owner-hint = Where every card is kept is the owner's decision. Joining a shop that is already on the shared database takes that shop's owner's PIN.
shopdb-done = Done: this till now uses the database shown above.
shopdb-moved = moved { $cards } cards, { $customers } customers, { $payments } payments, { $staff } staff and { $entries } activity entries; every table has as many rows on the server as here.

tills-title = Tills of this shop
tills-add = Add a till
tills-offer = Show a pairing code
tills-offer-hint = On the new till, open Settings → Tills of this shop and type this code:
tills-offer-expires = The code works until { $time }, once.
tills-waiting = Waiting for the new till…
tills-asked = “{ $name }” asks to join. Its key: { $fingerprint }. Check that the new till shows the same, then admit it.
tills-approve = Admit this till
tills-admitted = “{ $name }” now has the shop's keys.
tills-revoke = Revoke
tills-revoked = revoked
tills-join = Join this till to the shop
tills-join-hint = An owner's till shows a code under Add a till. The shop's keys come to this till sealed to it, never in plain text.
tills-join-code = Code
tills-join-name = Name of this till
tills-join-submit = Ask to join
tills-joining = Asked. This till's key: { $fingerprint }. The owner's till shows the same; waiting for the owner to admit it…
tills-joined = This till has the shop's keys now.

backup-title = Back up or restore
backup-now-passphrase = Passphrase for this backup (at least 10 characters)
backup-now = Back up now
backup-made = Backup saved: { $path }
backup-restore = Restore a backup
backup-restore-warning = Restoring replaces every saved card, the settings and the keys on this computer with the backup's. Everyone is signed out.
backup-restore-path = Backup file (full path)
backup-restore-passphrase = Its passphrase
backup-restore-confirm = I understand that this replaces everything on this computer
backup-restore-button = Restore
backup-restored = Restored the backup of { $date }: { $cards ->
    [one] one saved card
   *[other] { $cards } saved cards
}.
audit-backup-create = Backup made
audit-backup-restore = Backup restored
audit-staff-copy = Staff copied from another environment
error-backup-passphrase-wrong = That passphrase does not open this backup. Nothing was changed.
error-backup-damaged = This file is damaged or is not a cardbind backup. Nothing was changed: try another copy.
error-backup-too-new = This backup was made by a newer cardbind. Update the app, then restore it. Nothing was changed.

# Notification listener
about-listener = Antom notifications
about-listener-off = Not received here: cardbind asks Antom for each result itself.
about-listener-waiting = listening, nothing received yet
about-listener-last = { $count ->
    [one] one notification received
   *[other] { $count } notifications received
}, the last at { $at }
about-listener-error = Last problem: { $error }
settings-listener-bind = Listen for notifications on (address:port)
settings-listener-bind-hint = Optional. A local address, e.g. 127.0.0.1:8787, that a reverse proxy or tunnel serving the notification URL forwards to. Leave empty to poll Antom instead.

## Going live: the connection check, the go-live checklist, the first start (issue 21)

error-owner-pin-required = Switching to production needs an owner's PIN. If the shop has no owner yet, add one under Staff first.
settings-currency = Shop currency
settings-currency-none = Not set
settings-charge-limit = Cashiers may charge up to ({ $currency })
settings-charge-limit-hint = A cashier alone may charge a customer who is present up to this amount; above it, and for a customer who is not present, a manager approves that charge. Empty: 100 of the currency.
settings-merchant-region = Merchant region (country code)
settings-merchant-region-hint = The two-letter ISO 3166 code of the country the shop trades in (for example SG or BR), sent to Antom with card sessions and payments. Leave it empty unless Antom asked for one.
settings-check-title = Connection to Antom
settings-check-hint = One signed request that changes nothing at Antom shows whether the address, the client ID, both keys and this computer's clock are right.
settings-check = Check connection
settings-check-running = Asking Antom…
settings-check-ok = Everything works: Antom accepted this shop's request and its answer checked out.
settings-check-failed = Something needs fixing before real customers: see the lines below.
settings-check-details = Details for a developer
settings-check-offer = Saved. Check the connection to Antom now, before the first customer.
settings-go-live-title = Switch to production
settings-go-live-hint = From now on real cards are saved and real money can move. An owner confirms with their PIN.
settings-go-live-submit = Go live
check-item-reach = Reaching Antom
check-item-client-host = Client ID and host
check-item-signature = This shop's signature
check-item-answer = Antom's answer
check-item-clock = This computer's clock
check-reachable = Antom's host answered.
check-dns-failed = The host name could not be found (DNS). Check the internet connection and the region or base URL.
check-tls-failed = No secure connection could be made (TLS). A proxy or firewall may be in the way; check the computer's date too.
check-proxy-failed = The proxy refused the connection. Check the computer's proxy settings.
check-connect-failed = Nothing answered at that address. Check the internet connection, the firewall and the base URL.
check-timed-out = Antom did not answer in time. Check the internet connection and try again.
check-http-error = Something answered, but not Antom (HTTP { $value }). Check the region or base URL.
check-client-host-agree = The client ID belongs to this environment and Antom knows it.
check-sandbox-id-on-production = This is a sandbox client ID (SANDBOX_…) but the environment is production. Use the live client ID from Antom Dashboard, or choose the sandbox.
check-production-id-on-sandbox = This is a live client ID but the environment is the sandbox. Use the sandbox client ID (SANDBOX_…), or choose production.
check-client-unknown = Antom does not know this client ID here. Check that it was copied whole from Antom Dashboard, for this environment.
check-signature-accepted = Antom accepted this shop's signature.
check-signature-rejected = Antom rejected this shop's signature. Usually the public key uploaded to Antom Dashboard is not the one for this private key: upload the public key shown in Settings.
check-answer-verified = Antom's answer is genuine: it verified with Antom's public key.
check-keys-swapped = The Antom public key field holds this shop's own public key. Paste Antom's public key from Antom Dashboard there instead.
check-answer-not-verified = Antom's answer could not be verified: the Antom public key is wrong. Copy it again from Antom Dashboard for this environment.
check-clock-ok = This computer's clock agrees with Antom's.
check-clock-off = This computer's clock is { $value } seconds off Antom's. Turn on automatic date and time (network time).
check-not-checked = Not checked: fix the line above first.
golive-title = Go-live checklist
golive-intro = What a shop should have in place before the first real customer.
golive-ready = Ready for real customers.
golive-not-ready = Not everything is in place yet.
golive-fix = Fix
golive-shop-name = Shop name
golive-currency = Shop currency
golive-owner-pin = An owner with a PIN
golive-antom-keys = Antom keys imported
golive-connection-checked = Connection check passed
golive-notifications = Antom's notifications
golive-backups = Backups scheduled
golive-state-done = Done
golive-state-missing = Not yet
golive-state-not-in-demo = Not in demo mode: choose the sandbox in Settings first
golive-state-check-failed = The last check found a problem
golive-state-check-stale = The settings changed since the last check: check again
golive-state-polling-only = Polling only: the app asks Antom for each result, which works without a public address
golive-state-listening = Listening: make sure the notification URL reaches this computer
welcome-title = Welcome to cardbind
welcome-intro = A few details and the shop is ready. You can also skip and explore the demo first: nothing real happens in demo mode.
welcome-language = Language
welcome-owner = The owner
welcome-owner-hint = The owner's personal PIN protects settings, staff and removing cards. Leave it empty to add staff later.
welcome-owner-name = Owner's name
welcome-owner-pin = PIN (4 to 8 digits)
welcome-owner-pin2 = PIN again
welcome-pin-mismatch = The two PINs are not the same.
welcome-skip = Skip and explore the demo
welcome-start = Start
kiosk-blocked-title = Kiosk mode needs a manager
kiosk-blocked-text = This computer was started as a customer kiosk, but nobody could leave kiosk mode: there is no manager or owner with a PIN yet. Add one under Staff, then start kiosk mode.
kiosk-blocked-staff = Go to Staff

## payments (errors)
error-amount-invalid = That amount cannot be charged: enter an amount above zero in the shop's currency. If the shop has no currency yet, choose it in Settings.
error-card-not-chargeable = This card was removed (or is being removed) and can no longer be charged.
error-refund-not-possible = This refund is not possible: only a successful payment can be refunded, and never by more than is left to refund.
error-cancel-not-possible = This payment can no longer be cancelled (it is settled, refunded or was not charged). Refund it instead.
error-request-inconsistent = Antom reports a conflict with an earlier request. Nothing was charged twice; contact support with the details below.
error-receipt-not-available = Only a successful payment or refund has a receipt.
error-print-failed = The receipt could not be saved as a PDF. Check there is free disk space and try again, or use Print.

## payments: charging a saved card
action-back = Back
charge-action = Charge
charge-title = Charge { $masked }
charge-amount = Amount ({ $currency })
charge-amount-invalid = Enter an amount above zero with at most { $decimals } decimals.
charge-description = Description
charge-description-placeholder = What is being paid for
charge-reference = Order reference (optional)
charge-present = The customer is here and agrees to this payment
charge-review = Review
charge-confirm-text = Charge { $amount } to { $brand } { $masked }?
charge-confirm = Charge { $amount }
charge-progress = Charging the card…
charge-approved = Approved: { $amount }
charge-approved-detail = Authorization code { $code } · Payment { $payment }
charge-declined = Declined
charge-declined-next = Nothing was charged. Ask the customer for another card or another way to pay.
charge-pending = Waiting for the bank
charge-pending-text = The bank has not answered yet. cardbind keeps checking; the result appears here and in Payments.
charge-3ds = The customer's bank asks them to confirm this payment.
charge-done = Done
payment-state-cancelled = Cancelled
pay-decline-do-not-honor = The bank declined the payment.
pay-decline-insufficient-funds = There is not enough money on the card.
pay-decline-expired-card = The card has expired.
pay-decline-authentication = The payment was not confirmed with the bank.
pay-decline-card-removed = This card is no longer saved with Antom.
pay-decline-other = The payment was declined.

## payments: the list and one payment
nav-payments = Payments
payments-title = Payments
payments-intro = Every charge of a saved card, newest first.
payments-search = Search
payments-search-placeholder = Last 4 digits, customer, reference or payment ID
payments-state = Status
payments-state-all = All
payments-from = From
payments-to = To
payment-state-sending = Sending
payment-state-pending = Pending
payment-state-declined = Declined
payment-state-refused = Refused by Antom
refund-state-sending = Sending
refund-state-pending = Pending
refund-state-succeeded = Refunded
refund-state-failed = Refused
payments-col-date = Date
payments-col-customer = Customer
payments-col-card = Card
payments-col-amount = Amount
payments-col-status = Status
payments-empty = No payments yet. Charge a saved card from the card list.
payments-more = Show more
payments-back = All payments
payment-title = Payment of { $amount }
payment-refunded = Refunded { $amount }
payment-id = Antom payment ID
payment-auth-code = Authorization code
payment-reference = Reference
payment-description = Description
payment-made = Made
payment-refunds = Refunds
payment-refresh = Check with Antom
payment-refund = Refund
payment-refund-left = Up to { $amount } can still be refunded.
payment-refund-amount = Amount to refund ({ $currency })
payment-refund-reason = Reason (optional)
payment-refund-confirm = Refund { $amount }
payment-cancel = Cancel payment
payment-cancel-title = Cancel this payment?
payment-cancel-text = The charge of { $amount } is voided and nothing stays charged. This cannot be undone.

## Receipts (components/ReceiptDialog.svelte); printed in the customer's language
receipt-open = Receipt
receipt-dialog-title = Receipt
receipt-language = Receipt language
receipt-print = Print
receipt-save-pdf = Save as PDF
receipt-saved = Saved as PDF:
receipt-close = Close
receipt-heading-payment = Payment receipt
receipt-heading-refund = Refund receipt
receipt-date = Date
receipt-card = Card
receipt-amount = Amount paid
receipt-refund-amount = Amount refunded
receipt-original-amount = Original payment
receipt-description = Description
receipt-reference = Reference
receipt-payment-id = Payment ID
receipt-refund-id = Refund ID
receipt-auth-code = Authorization code
receipt-demo = DEMO — no real money was moved.
receipt-thanks = Thank you for your purchase!

## Activity log: payments, refunds, receipts, removals at Antom, kiosk codes, go-live (id: audit- + the action, . and _ as -)
audit-card-not-revoked = Card removed here, not revoked at Antom (token unreadable)
audit-card-remove-requested = Card removal asked (waiting for Antom)
audit-customer-kiosk-code = Kiosk code given to a customer
audit-kiosk-code-locked = Kiosk code entry paused after wrong codes
audit-kiosk-code-used = Kiosk code used
audit-payment-cancel = Payment cancel asked
audit-payment-cancelled = Payment cancelled by Antom
audit-payment-cancel-refused = Antom refused the cancel (refund instead)
audit-payment-charge = Card charged (sent to Antom)
audit-payment-declined = Payment declined
audit-payment-refused = Payment refused by Antom
audit-receipt-pdf = Receipt saved as PDF
audit-refund-failed = Refund failed
audit-refund-request = Refund asked
audit-refund-succeeded = Refund completed
audit-settings-connection-check = Antom connection checked
audit-settings-go-live = Switched to production
audit-settings-shop-database = Changed where the shop's data is kept
audit-till-offer = Offered to pair a new till
audit-till-pair = Paired a new till
audit-till-join = Joined the shop's tills
audit-till-revoke = Revoked a till
audit-settings-data-key-rotated = Sealed the saved cards with a new key
audit-till-seal = Sealed the records as found with the shop's key

# Ready for the real Antom: capture, token APIs, notifications
payment-state-authorised = Authorised
payment-state-captured = Captured
payment-state-capture-failed = Capture failed
audit-payment-authorised = Payment authorised
audit-payment-captured = Payment captured
audit-payment-capture-failed = Payment capture failed (nothing charged)
audit-card-removal-unconfirmed = Card removal not confirmed (Antom still holds the token)
audit-card-removal-refused = Antom refused to delete the card's token
receipt-status = Status
receipt-status-authorised = Authorised — capture pending
receipt-status-captured = Captured
cards-removal-refused = Antom refused to delete the token of card { $masked }. It can no longer be charged here; ask Antom support to revoke it. cardbind keeps asking.
settings-merchant-account-id = Merchant account ID
settings-merchant-account-id-hint = Antom's merchant account ID (up to 64 characters). Antom needs it to delete a removed card's token; without it removed cards stay "removal pending".
settings-settlement-currency = Settlement currency
settings-settlement-currency-hint = Only if the shop's Antom contract has several settlement currencies: the one Antom pays the shop in. Leave empty otherwise.
settings-client-ip = Shop's public IP address
settings-client-ip-hint = Optional. Sent to Antom with card charges for its risk checks. Empty: the till's own address is sent.
settings-listener-exposed = The listener listens beyond this computer. Prefer 127.0.0.1 behind a reverse proxy or tunnel.
about-unhandled = Notifications acknowledged, not acted on
golive-merchant-account = Merchant account ID (for removing cards)
error-shop-mismatch = This database is not the one your shop moved to, so the shop's keys are not offered into it. Check the database address with the owner.
error-passphrase-weak = This passphrase is too easy to guess. Use four or more unrelated words, or a long random one: it is all that protects the keys in a backup.
golive-cashier-limits = Cashier limits
golive-state-default-limits = The defaults of a new shop: change them in Settings if they do not fit
golive-limits-amounts = { $limit } per charge, { $daily } in 24 hours
settings-daily-limit = A cashier alone, in 24 hours ({ $currency })
settings-daily-limit-hint = Beyond this total of a cashier's own charges in 24 hours, a manager approves each further charge. Empty: 500 of the currency.
welcome-limit-hint = A cashier may charge up to this amount alone; above it a manager approves. Empty: 100 of the currency. You can change it in Settings.
approval-what-refund = Refund { $amount } of payment { $payment } to { $card }
approval-what-cancel = Cancel payment { $payment } ({ $card })
approval-what-charge = Charge { $amount } to { $card } of { $customer }
approval-what-remove = Remove { $card } of { $customer }
approval-what-settings = Save these settings: { $fields }
approval-what-shop = Change which shop this till belongs to, or where its data is kept
approval-what-tills = Manage the shop's tills
approval-what-export = Export { $fields }
approval-what-staff = Manage staff
approval-what-backup = Make or restore a backup (it holds every key)
approval-what-kiosk = Turn this till into a kiosk outside production
approval-what-keys = Seal the saved cards with a new key
approval-what-other = Allow this once
