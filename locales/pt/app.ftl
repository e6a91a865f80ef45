# cardbind: shell and About screen (English, the reference locale)

app-name = cardbind
app-tagline = Save a customer's card with Antom, without charging it

env-demo = Demo — simulated Antom
env-sandbox = Antom sandbox
env-production = Antom production

about-title = About this app
about-intro = Version, environment and where cardbind keeps its data on this computer.
about-load = Show app information
about-loading = Loading app information…
about-version = Version
about-environment = Environment
about-data-dir = Data folder
about-config-dir = Settings folder
about-platform = Platform

error-title = Something went wrong
error-details = Details: { $details }
error-internal = An unexpected error occurred. Try again; if it happens again, contact support with the details below.
error-data-dir-unavailable = cardbind cannot create its data folder. Check that the disk is not full and that your account may write to your home folder.
error-storage-full = The disk is full. Nothing was saved and nothing was lost; free some space and try again.
error-storage-failed = The card list could not be read or saved. Try again; if it keeps happening, contact support with the details below.
error-not-found = This item no longer exists. It may have been removed on another screen.
error-invalid-input = Some details are missing or not valid. Check the highlighted field.
error-settings-invalid = A setting is not valid. Check the details below and correct it in Settings.
error-keyring-unavailable = The computer's password store (keyring) is not available, so the payment keys cannot be read.
error-keyring-locked = The computer's password store (keyring) is locked. Unlock it by signing in to the computer, then try again.
error-key-missing = The payment keys for this environment have not been set up yet. Import them in Settings.
error-key-invalid = A payment key is not valid: wrong type, wrong size or damaged. Import it again in Settings.
error-token-unreadable = This saved card cannot be unlocked on this computer. Bind the card again.
error-antom-unreachable = Antom cannot be reached. Check the internet connection and try again.
error-antom-rejected-signature = Antom did not accept this shop's signature. Check the client ID and the merchant key in Settings.
error-antom-response-invalid = Antom's answer could not be verified, so it was not trusted. Try again; if it keeps happening, check the Antom public key in Settings.
error-antom-failed = Antom refused the request. See the details below.
error-antom-unknown = Antom has not confirmed the result yet. cardbind will check again automatically.
error-binding-declined = The card was declined. Ask the customer for another card.
error-binding-expired = The card form expired before a card was entered. Start again.
error-binding-pending = The bank is still checking the card. The result will appear automatically.
error-notification-invalid = A message claiming to come from Antom failed its security check and was ignored.
about-simulator = Demo Antom (simulator)
about-binding = Card binding
about-binding-ready = Ready
