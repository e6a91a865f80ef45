# cardbind — Nederlands

app-name = cardbind
app-tagline = Sla kaarten van klanten op bij Antom, schrijf later af en betaal terug
app-starting = cardbind wordt gestart…
language = Taal
language-name = Nederlands

env-demo = Demo — gesimuleerde Antom
env-sandbox = Antom-sandbox
env-production = Antom-productie

nav-label = Hoofdmenu
nav-cards = Kaarten
nav-customers = Klanten
nav-audit = Activiteitenlogboek
nav-settings = Instellingen
nav-about = Over

action-cancel = Annuleren

## Kaartenlijst

cards-title = Opgeslagen kaarten
cards-intro = Bij Antom opgeslagen kaarten van uw klanten. Op deze computer worden alleen de laatste vier cijfers bewaard.
cards-search = Zoeken
cards-search-placeholder = Laatste 4 cijfers, naam, telefoon of referentie van de klant
cards-brand = Kaartmerk
cards-brand-all = Alle kaartmerken
cards-expiry = Vervaldatum
cards-expiry-any = Elke vervaldatum
cards-expiry-expired = Verlopen
cards-expiry-3m = Verloopt binnen 3 maanden
cards-expiry-12m = Verloopt binnen 12 maanden
cards-sort = Sorteren op
cards-sort-recent = Laatst opgeslagen
cards-sort-expiry = Eerst verlopend
cards-col-card = Kaart
cards-col-expiry = Geldig tot
cards-col-customer = Klant
cards-col-bound = Opgeslagen op
cards-col-actions = Acties
cards-expired = Verlopen
cards-duplicate = Al opgeslagen
cards-keep = Beide houden
cards-replace = Alleen deze houden
cards-remove = Verwijderen
cards-remove-title = Deze kaart verwijderen?
cards-remove-text = De kaart { $brand } { $masked } van { $customer } wordt verwijderd. De winkel kan hem dan niet meer gebruiken; de klant moet hem opnieuw toevoegen.
cards-remove-confirm = Kaart verwijderen
cards-removed = Kaart { $masked } verwijderd.
cards-removal-pending = Kaart { $masked } kan niet meer worden belast. Antom heeft het verwijderen nog niet bevestigd; cardbind blijft het vragen en verwijdert de kaart zodra Antom bevestigt.
cards-removal-pending-tag = Verwijderen in behandeling
cards-empty = Nog geen kaarten opgeslagen. Open een klant en tik op ‘Kaart toevoegen’.
cards-empty-action = Naar klanten
cards-empty-customer = Deze klant heeft nog geen opgeslagen kaarten. Tik op ‘Kaart toevoegen’ om er een op te slaan.
cards-empty-filtered = Geen kaarten gevonden voor deze zoekopdracht. Pas de zoekopdracht of de filters aan.
cards-shown =
    { $count ->
        [one] { $count } kaart getoond
       *[other] { $count } kaarten getoond
    }
cards-loading = Kaarten laden…
cards-load-more = Meer kaarten tonen

## Klanten

customers-title = Klanten
customers-new = Nieuwe klant
customers-search = Zoeken
customers-search-placeholder = Naam, telefoon of referentie
customers-loading = Klanten laden…
customers-empty = Nog geen klanten. Voeg de eerste toe om zijn of haar kaart op te slaan.
customers-empty-filtered = Geen klant gevonden voor deze zoekopdracht.
customers-col-name = Naam
customers-col-phone = Telefoon
customers-col-reference = Referentie
customers-col-cards = Kaarten
customers-card-count =
    { $count ->
        [0] Geen kaarten
        [one] { $count } kaart
       *[other] { $count } kaarten
    }
customers-more = De eerste { $count } worden getoond. Typ meer van de naam om de lijst te verkleinen.

customer-name = Naam
customer-phone = Telefoon
customer-email = E-mail
customer-reference = Referentie
customer-reference-hint = Uw eigen referentie, bijvoorbeeld een klantenkaartnummer.
customer-notes = Notities
customer-save = Klant opslaan
customer-edit = Bewerken
customer-kiosk-code = Kioskcode
customer-kiosk-code-text = Geef deze code aan de klant. Bij de kiosk kiest die „Ik heb een code van het personeel” en typt hem; de opgeslagen kaart wordt aan deze klant toegevoegd. Eén keer geldig, tot { $expires }.
customer-kiosk-code-done = Klaar
customer-edit-title = Klant bewerken
customer-cards = Opgeslagen kaarten

## Kaart toevoegen

add-card = Kaart toevoegen
add-card-title = Een kaart toevoegen
add-card-for = Voor { $name }

consent-title = Uw kaart opslaan
consent-text = Met uw toestemming vraagt { $shop } Antom om deze kaart op te slaan, zodat u er later mee kunt betalen zonder hem opnieuw in te voeren. Antom bewaart de kaartgegevens; de winkel bewaart alleen het kaartmerk, de laatste vier cijfers en de vervaldatum. Er wordt nu niets afgeschreven, en u kunt de winkel altijd vragen de kaart te verwijderen.
consent-default-shop = deze winkel
consent-accept = De klant heeft dit gelezen en gaat akkoord
consent-continue = Verder naar de kaartgegevens
consent-loading = Toestemmingstekst laden…

binding-starting = Een beveiligd kaartformulier van Antom wordt geopend…
binding-enter-card = Geef het scherm aan de klant om de kaartgegevens in het beveiligde formulier van Antom in te voeren.
binding-loading = Beveiligd kaartformulier van Antom laden…
binding-cancel = Annuleren
binding-confirming = Bevestigen bij Antom…
binding-pending = De bank controleert de kaart nog.
binding-pending-hint = Dit kan enkele minuten duren. De kaart verschijnt in de lijst zodra Antom hem bevestigt; u kunt deze pagina verlaten.
binding-pending-leave = Doorgaan zonder te wachten
binding-bound-title = Kaart opgeslagen
binding-bound-expiry = Geldig tot { $expiry }
binding-duplicate = Deze klant had deze kaart al opgeslagen. Beide houden, of alleen deze?
binding-add-another = Nog een kaart toevoegen
binding-done = Klaar

## Meldingspagina

alert-code = Code: { $code }
alert-retry = Opnieuw proberen
alert-back = Terug naar klant
alert-declined-title = Kaart niet opgeslagen
alert-declined-next = Vraag de klant om een andere kaart, of om contact op te nemen met de bank.
alert-expired-title = Het formulier is verlopen
alert-expired-text = Het beveiligde formulier stond te lang open en is gesloten. Er is geen kaart opgeslagen.
alert-expired-next = Tik op ‘Opnieuw proberen’ om een nieuw formulier te openen.
alert-cancelled-title = Geannuleerd
alert-cancelled-text = Het toevoegen van de kaart is geannuleerd. Er is geen kaart opgeslagen.
alert-cancelled-next = Tik op ‘Opnieuw proberen’ om opnieuw te beginnen, of ga terug.
alert-timeout-title = Het formulier is niet geladen
alert-timeout-text = Het beveiligde kaartformulier van Antom is niet op tijd geladen.
alert-timeout-next = Controleer de internetverbinding en tik dan op ‘Opnieuw proberen’.
alert-connection-title = Verbinding verbroken
alert-connection-text = De verbinding met Antom is verbroken. Als de kaart is opgeslagen, verschijnt hij vanzelf in de lijst.
alert-connection-next = Controleer de internetverbinding en tik dan op ‘Opnieuw proberen’.
alert-sdk-error-title = Het formulier werkt niet meer
alert-sdk-error-text = Het beveiligde kaartformulier van Antom meldde een fout. Er is geen kaart opgeslagen.
alert-sdk-error-next = Tik op ‘Opnieuw proberen’. Gebeurt het weer, neem dan contact op met support en vermeld de code hieronder.
alert-error-title = Kaart niet opgeslagen
alert-error-text = Er ging iets mis bij het opslaan van de kaart.
alert-error-next = Tik op ‘Opnieuw proberen’. Gebeurt het weer, neem dan contact op met support en vermeld de code hieronder.

decline-generic = De bank heeft deze kaart geweigerd.
decline-do-not-honor = De bank heeft deze kaart geweigerd zonder reden op te geven.
decline-card-expired = Deze kaart is verlopen.
decline-invalid-card-number = Het kaartnummer is ongeldig.
decline-invalid-cvv = De beveiligingscode (CVC) is onjuist.
decline-card-not-supported = Dit type kaart kan hier niet worden opgeslagen.
decline-restricted-card = De bank staat niet toe dat deze kaart wordt opgeslagen.
decline-verification-failed = De bank kon de kaarthouder niet verifiëren (3D Secure).

## Activiteitenlogboek

audit-title = Activiteitenlogboek
audit-intro = Alles wat op deze computer met klanten, kaarten en instellingen is gedaan, nieuwste eerst. Het kan niet worden gewijzigd.
audit-loading = Activiteitenlogboek laden…
audit-empty = Er is nog niets gebeurd.
audit-load-more = Oudere regels tonen
audit-col-at = Wanneer
audit-col-action = Wat
audit-col-subject = Item
audit-col-by = Wie
audit-by-system = cardbind
audit-by-staff = Medewerker { $id }
audit-customer-create = Klant toegevoegd
audit-customer-update = Klant gewijzigd
audit-consent-accept = Toestemming gegeven
audit-binding-start = Kaartformulier geopend
audit-binding-succeeded = Kaart opgeslagen door Antom
audit-binding-failed = Kaart geweigerd
audit-binding-expired = Formulier verlopen
audit-binding-abandoned = Formulier verlaten
audit-binding-cancel = Kaart toevoegen geannuleerd
audit-card-bind = Kaart opgeslagen
audit-card-remove = Kaart verwijderd
audit-card-keep-duplicate = Dubbele kaart behouden
audit-card-replace-duplicate = Eerdere kaart vervangen
audit-settings-save = Instellingen opgeslagen
audit-settings-import-keys = Betaalsleutels geïmporteerd

## Instellingen

settings-title = Instellingen
settings-loading = Instellingen laden…
settings-environment = Omgeving
settings-demo-hint = De demomodus draait een gesimuleerde Antom in de app: geen echte kaarten, geen echt geld. Gebruik de testkaarten uit de README.
settings-live-hint = Vul de gegevens uit het Antom-portaal in. Ze worden gecontroleerd voordat er iets wordt opgeslagen.
settings-shop-name = Naam van de winkel
settings-shop-name-hint = Wordt aan klanten getoond in de toestemmingstekst.
settings-client-id = Client-ID
settings-region = Regio
settings-region-none = Kies een regio
settings-base-url = Of een eigen adres
settings-notification-url = Notificatie-URL
settings-notification-url-hint = Waar Antom de resultaten naartoe stuurt. Zonder URL vraagt cardbind elk resultaat zelf op bij Antom.
settings-keys = Betaalsleutels
settings-merchant-key-set = Privésleutel van de handelaar opgeslagen
settings-merchant-key-missing = Nog geen privésleutel van de handelaar
settings-antom-key-set = Publieke sleutel van Antom opgeslagen
settings-antom-key-missing = Nog geen publieke sleutel van Antom
settings-merchant-key = Privésleutel van de handelaar
settings-merchant-key-file = Privésleutel van de handelaar uit een bestand importeren
settings-antom-key = Publieke sleutel van Antom
settings-antom-key-file = Publieke sleutel van Antom uit een bestand importeren
settings-key-paste = Plak de sleutel zoals Antom hem toont, of kies hieronder een bestand. Laat leeg om de opgeslagen sleutel te houden.
settings-public-key = Publieke sleutel van de handelaar
settings-public-key-hint = Upload deze publieke sleutel in het Antom-portaal. De privésleutel verlaat nooit de sleutelbos van deze computer.
settings-save = Instellingen opslaan
settings-saved = Instellingen opgeslagen.

## Over

about-title = Over deze app
about-intro = Versie, omgeving en waar cardbind zijn gegevens op deze computer bewaart.
about-load = App-informatie tonen
about-loading = App-informatie laden…
about-version = Versie
about-environment = Omgeving
about-data-dir = Gegevensmap
about-database = Kaartdatabase (eigen aan deze omgeving)
about-config-dir = Instellingenmap
about-platform = Platform
about-simulator = Demo-Antom (simulator)
about-binding = Kaarten opslaan
about-binding-ready = Gereed
datakey-done = { $count } opgeslagen kaarten zijn opnieuw verzegeld met een nieuwe sleutel.
datakey-confirm-text = Deze kassa is bezig tot het klaar is. Stopt het (een stroomstoring), dan maakt hij het bij de volgende start af. Koppel daarna de andere kassa's van de winkel opnieuw.
datakey-confirm-title = Alle opgeslagen kaarten met een nieuwe sleutel verzegelen?
datakey-rotate = Verzegelen met een nieuwe sleutel
datakey-intro = Het token van elke opgeslagen kaart is versleuteld met een sleutel in de sleutelbos van deze computer. Nadat een kassa kwijt of gestolen is, verzegelt u ze allemaal opnieuw met een nieuwe sleutel: een kopie van de oude opent dan niets meer. De andere kassa's van de winkel worden daarna opnieuw gekoppeld.
datakey-title = De sleutel van de opgeslagen kaarten
about-integrity-unchecked = Niet gecontroleerd: deze kassa heeft de sleutel van de winkel nog niet.
about-integrity-ok = Zoals de kassa's ze schreven: { $count } verzegelde regels in het activiteitenlogboek, en de personeelsgegevens.
about-integrity = Gegevens
integrity-advice = Zet de database van de winkel terug uit een back-up, of vraag het de eigenaar.
integrity-staff = { $count } personeelsgegevens zijn in de database gewijzigd en worden niet gebruikt.
integrity-unsealed = { $count } regels van het activiteitenlogboek zijn zonder de sleutel van de winkel toegevoegd.
integrity-broken = Het activiteitenlogboek is bij regel { $row } bewerkt, of er is een regel verwijderd.
integrity-alert-title = Gegevens zijn buiten de kassa's van deze winkel gewijzigd

## Fouten

error-title = Er ging iets mis
error-details = Details: { $details }
error-internal = Er is een onverwachte fout opgetreden. Probeer het opnieuw; gebeurt het weer, neem dan contact op met support en vermeld de details hieronder.
error-data-dir-unavailable = cardbind kan zijn gegevensmap niet aanmaken. Controleer of de schijf niet vol is en of uw account in uw thuismap mag schrijven.
error-storage-full = De schijf is vol. Er is niets opgeslagen en niets verloren; maak ruimte vrij en probeer het opnieuw.
error-storage-failed = De kaartenlijst kon niet worden gelezen of opgeslagen. Probeer het opnieuw; blijft het gebeuren, neem dan contact op met support en vermeld de details hieronder.
error-database-unreachable = De gedeelde database van de winkel is niet bereikbaar. Er is niets gestart en niets verloren; controleer het netwerk of de server en probeer het opnieuw.
error-shared-database-not-empty = De gedeelde database bevat al kaarten of personeel van een winkel. Er is niets verplaatst; kies een lege database.
error-backup-on-server = Deze winkel bewaart zijn gegevens in een gedeelde database: die wordt op de server geback-upt, niet vanaf een kassa.
error-pairing-refused = De kassa kon niet worden gekoppeld. Controleer de code op de kassa van de eigenaar of start daar een nieuwe koppeling.
error-till-revoked = Een eigenaar heeft deze kassa uit de winkel verwijderd: hij heeft de sleutels van de winkel niet meer. Koppel hem opnieuw om hem te gebruiken.
error-shop-key-missing = Deze kassa heeft de kaartsleutel van de winkel, maar niet de sleutel waarmee de gegevens van de winkel verzegeld zijn. Koppel hem opnieuw vanaf de kassa van een eigenaar (Instellingen → Kassa's).
error-staff-list-missing = De personeelslijst van de winkel ontbreekt: niemand kan aanmelden. Zet de database van de winkel terug uit een back-up, of vraag het de eigenaar. Deze kassa opent niet zonder zijn personeel.
error-row-tampered = Een gegeven in de database van de winkel is gewijzigd door iemand anders dan een van de kassa's, dus het wordt niet gebruikt. Zet de database terug uit een back-up, of vraag het de eigenaar.
error-not-found = Dit item bestaat niet meer. Het is misschien op een ander scherm verwijderd.
error-invalid-input = Er ontbreken gegevens of ze zijn ongeldig. Controleer het gemarkeerde veld.
error-settings-invalid = Een instelling is ongeldig. Bekijk de details hieronder en corrigeer het in Instellingen.
error-keyring-unavailable = De wachtwoordkluis van de computer (sleutelbos) is niet beschikbaar, dus de betaalsleutels kunnen niet worden gelezen.
error-keyring-locked = De wachtwoordkluis van de computer (sleutelbos) is vergrendeld. Ontgrendel hem door op de computer in te loggen en probeer het opnieuw.
error-key-missing = De betaalsleutels voor deze omgeving zijn nog niet ingesteld. Importeer ze in Instellingen.
error-key-invalid = Een betaalsleutel is ongeldig: verkeerd type, verkeerde lengte of beschadigd. Importeer hem opnieuw in Instellingen.
error-token-unreadable = Deze opgeslagen kaart kan op deze computer niet worden ontgrendeld. Sla de kaart opnieuw op.
error-data-key-missing = De sleutel die de opgeslagen kaarten op deze computer beschermt, ontbreekt in de sleutelbos van het systeem. Er is niets gewijzigd: zet de sleutelbos terug vanuit een back-up van deze computer om de opgeslagen kaarten weer te gebruiken.
error-antom-unreachable = Antom is niet bereikbaar. Controleer de internetverbinding en probeer het opnieuw.
error-antom-rejected-signature = Antom heeft de handtekening van deze winkel niet geaccepteerd. Controleer de client-ID en de handelaarssleutel in Instellingen.
error-antom-response-invalid = Het antwoord van Antom kon niet worden geverifieerd en is daarom genegeerd. Probeer het opnieuw; blijft het gebeuren, controleer dan de publieke sleutel van Antom in Instellingen.
error-antom-failed = Antom heeft het verzoek geweigerd. Zie de details hieronder.
error-antom-unknown = Antom heeft het resultaat nog niet bevestigd. cardbind controleert het automatisch opnieuw.
error-binding-declined = De kaart is geweigerd. Vraag de klant om een andere kaart.
error-binding-expired = Het formulier is verlopen voordat er een kaart was ingevoerd. Begin opnieuw.
error-binding-pending = De bank controleert de kaart nog. Het resultaat verschijnt vanzelf.
error-notification-invalid = Een bericht dat van Antom leek te komen, kwam niet door de beveiligingscontrole en is genegeerd.

## Staff, roles and PINs
error-sign-in-required = Meld je aan met je pincode om verder te gaan.
error-permission-denied = Jouw rol mag dit niet. Een bedrijfsleider of de eigenaar moet het goedkeuren met de eigen pincode.
error-pin-wrong = Die pincode klopt niet. Probeer het opnieuw.
error-pin-locked = Te vaak een verkeerde pincode. Pincode invoeren is een tijdje geblokkeerd.
error-pin-weak = Kies een pincode van 4 tot 8 cijfers die geen reeks als 1234 en geen herhaald cijfer is.
error-pin-in-use = Iemand anders gebruikt deze pincode al. Kies een andere.
error-kiosk-locked = Deze kassa staat in kioskmodus. Een bedrijfsleider moet eerst de kioskmodus verlaten.
error-staff-required = Kioskmodus heeft een bedrijfsleider of eigenaar met pincode nodig. Voeg eerst iemand toe onder Personeel.
error-kiosk-code-wrong = Deze code klopt niet, is al gebruikt of is verlopen. Controleer hem of vraag het personeel om een nieuwe.
error-kiosk-code-paused = Te veel verkeerde codes. Code invoeren is even gepauzeerd; vraag het personeel om hulp.
kiosk-customer-name = Kioskklant
pin-digits-entered =
    { $count ->
        [one] { $count } cijfer ingevoerd
       *[other] { $count } cijfers ingevoerd
    }
pin-back = Laatste cijfer wissen
pin-clear = Wissen
pin-label = Voer de pincode in
pin-locked =
    { $seconds ->
        [one] Te vaak een verkeerde pincode. Probeer het over { $seconds } seconde opnieuw.
       *[other] Te vaak een verkeerde pincode. Probeer het over { $seconds } seconden opnieuw.
    }
sign-in-title = Aanmelden
sign-in-hint = Voer je persoonlijke pincode in. Wat je doet, wordt op jouw naam vastgelegd.
sign-in-submit = Aanmelden
sign-out = Vergrendelen
role-owner = Eigenaar
role-manager = Bedrijfsleider
role-cashier = Caissière
nav-staff = Personeel
staff-title = Personeel
staff-intro = Iedereen die deze kassa gebruikt, heeft een eigen pincode. Caissières voegen klanten en kaarten toe; kaarten verwijderen, exporteren, instellingen wijzigen en de kioskmodus verlaten vragen een bedrijfsleider of de eigenaar.
staff-open-mode = Er is nog geen personeel ingesteld, dus iedereen op deze computer mag alles. Voeg de eigenaar toe om pincodes in te schakelen.
staff-name = Naam
staff-role = Rol
staff-since = Toegevoegd
staff-actions = Acties
staff-disabled = Uitgeschakeld
staff-new-pin = Nieuwe pincode
staff-disable = Uitschakelen
staff-pin-saved = De nieuwe pincode is opgeslagen.
staff-new-pin-for = Nieuwe pincode voor { $name }
staff-pin-hint = 4 tot 8 cijfers. Iedereen heeft een andere pincode.
staff-save-pin = Pincode opslaan
staff-add-owner = Eigenaar toevoegen
staff-add = Personeelslid toevoegen
staff-pin = Pincode
staff-pin-again = Pincode nogmaals
staff-pin-mismatch = De twee pincodes zijn verschillend.
staff-added = { $name } is toegevoegd.
staff-save = Personeelslid toevoegen
staff-disable-title = Dit personeelslid uitschakelen?
staff-disable-text = { $name } kan zich niet meer aanmelden. De naam blijft in het activiteitenlogboek staan.
approval-title = Goedkeuring door bedrijfsleider
approval-hint = Een bedrijfsleider of de eigenaar voert de eigen pincode in om dit één keer toe te staan.
approval-submit = Goedkeuren
export-csv = Exporteren als CSV
export-done =
    { $rows ->
        [one] { $rows } rij opgeslagen in { $path }
       *[other] { $rows } rijen opgeslagen in { $path }
    }
settings-kiosk = Kioskmodus
settings-kiosk-enabled = Starten als klantenkiosk
settings-kiosk-hint = Volledig scherm, klanten slaan zelf hun kaart op. De pincode van een bedrijfsleider beëindigt de kioskmodus.
settings-kiosk-idle = Seconden tot "Ben je er nog?"
settings-kiosk-countdown = Aftellen voor het opnieuw beginnen, in seconden
audit-staff-create = Personeelslid toegevoegd
audit-staff-set-pin = Pincode van personeelslid gewijzigd
audit-staff-disable = Personeelslid uitgeschakeld
audit-staff-sign-in = Aangemeld
audit-staff-sign-out = Afgemeld
audit-staff-approve = Goedgekeurd door een bedrijfsleider
audit-staff-approval-given = Goedkeuring van bedrijfsleider gegeven
audit-staff-pin-locked = Pincode invoeren geblokkeerd na verkeerde pincodes
audit-kiosk-enter = Kioskmodus gestart
audit-kiosk-leave = Kioskmodus verlaten
audit-kiosk-leave-refused = Kiosk verlaten geweigerd (rol te laag)
audit-export-cards = Kaartenlijst geëxporteerd
audit-export-activity = Activiteitenlogboek geëxporteerd

## Kiosk
kiosk-enter = Kioskmodus
kiosk-enter-title = Kioskmodus starten?
kiosk-enter-text = Het scherm wordt een klantenkiosk en je wordt afgemeld. Om te stoppen is de pincode van een bedrijfsleider of de eigenaar nodig.
kiosk-staff = Personeel
kiosk-attract-title = Sla je kaart op en betaal sneller
kiosk-attract-text = Je kaart wordt veilig bewaard door onze betaaldienst. Er wordt niets afgeschreven.
kiosk-choose-language = Kies je taal om te beginnen
kiosk-decline = Nee, bedankt
kiosk-agree = Ik ga akkoord
kiosk-start-over = Opnieuw beginnen
kiosk-number-title = Je telefoon- of klantenkaartnummer
kiosk-number-hint = De winkel herkent je er de volgende keer aan. Al klant hier? Vraag het personeel om een code, dan wordt de kaart aan je account toegevoegd.
kiosk-number-label = Telefoon- of klantenkaartnummer
kiosk-code-title = Je code van het personeel
kiosk-code-hint = Typ de 6-cijferige code die je van het personeel kreeg. De kaart wordt dan aan je account toegevoegd.
kiosk-code-label = 6-cijferige code
kiosk-code-have = Ik heb een code van het personeel
kiosk-code-use-number = Toch een telefoonnummer gebruiken
kiosk-continue = Verder
kiosk-cancel = Annuleren
kiosk-card-title = Voer je kaart in
kiosk-pending-hint = Je bank controleert de kaart nog. Je kunt nu gaan; het resultaat wordt automatisch opgeslagen.
kiosk-finish = Klaar
kiosk-bound-title = Je kaart is opgeslagen
kiosk-bound-text = Bedankt. Aan de kassa betaal je nu sneller.
kiosk-idle-title = Ben je er nog?
kiosk-idle-text =
    { $seconds ->
        [one] Opnieuw beginnen over { $seconds } seconde.
       *[other] Opnieuw beginnen over { $seconds } seconden.
    }
kiosk-still-here = Ik ben er nog
kiosk-leave-title = Kioskmodus verlaten
kiosk-leave-hint = Alleen personeel: een bedrijfsleider of de eigenaar voert de eigen pincode in.
kiosk-leave-submit = Kioskmodus verlaten
settings-lock-minutes = Vergrendelen na (minuten zonder gebruik)
settings-lock-minutes-hint = Aangemeld personeel wordt na deze tijd zonder aanraking of toets afgemeld: 1 tot 240 minuten.
audit-staff-auto-lock = Vergrendeld wegens geen gebruik

# Backups
settings-backup = Back-ups
settings-backup-hint = Een back-up bevat alle opgeslagen kaarten, de instellingen en de sleutels, versleuteld met uw wachtzin. Bewaar hem buiten deze computer (een USB-stick in een kluis, een andere computer). Zonder back-up gaat bij verlies van de computer verloren welke klant welke opgeslagen kaart heeft.
settings-backup-folder = Back-upmap
settings-backup-every = Back-up elke (uren, 0 = alleen met de hand)
settings-backup-keep = Te bewaren back-ups
settings-backup-passphrase = Wachtzin voor geplande back-ups
settings-backup-passphrase-hint = Minstens 10 tekens, bewaard in de sleutelbos van deze computer. Schrijf hem ergens veilig op: zonder wachtzin kan een back-up niet worden geopend. Laat leeg om de opgeslagen te houden.
shopdb-title = Winkeldatabase
shopdb-current-local = De gegevens van deze winkel staan op deze computer.
shopdb-current-shared = Deze kassa gebruikt de gedeelde database van de winkel op { $server }.
shopdb-where = Waar kaarten, betalingen, personeel en het activiteitenlogboek worden bewaard
shopdb-local = Deze computer (één kassa)
shopdb-shared = De gedeelde database van de winkel (meerdere kassa's, PostgreSQL)
shopdb-url = Adres van de gedeelde database
shopdb-url-hint = postgresql://gebruiker:wachtwoord@host:5432/database. Bewaard in de sleutelbos van deze computer. De verbinding is versleuteld en het certificaat van de server wordt gecontroleerd, tenzij het adres eindigt op ?sslmode=disable.
shopdb-ca = CA-certificaatbestand (optioneel)
shopdb-ca-hint = Volledig pad van het PEM-bestand van uw eigen certificeringsinstantie, als het certificaat van de server niet van een publieke komt.
shopdb-move = De kaarten, betalingen, het personeel en het activiteitenlogboek van deze computer ernaartoe verplaatsen (de gedeelde database moet leeg zijn)
shopdb-leave-hint = Deze kassa gaat terug naar zijn eigen database; wat in de gedeelde database staat, blijft daar voor de andere kassa's.
shopdb-save = Overschakelen
shopdb-owner-title = Pincode van de eigenaar
shopdb-owner-hint = Waar elke kaart wordt bewaard, beslist de eigenaar. Aansluiten bij een winkel die al op de gedeelde database staat, vraagt de pincode van de eigenaar van die winkel.
shopdb-done = Klaar: deze kassa gebruikt nu de database hierboven.
shopdb-moved = { $cards } kaarten, { $customers } klanten, { $payments } betalingen, { $staff } medewerkers en { $entries } logboekregels verplaatst; elke tabel heeft op de server evenveel rijen als hier.

tills-title = Kassa's van deze winkel
tills-add = Een kassa toevoegen
tills-offer = Een koppelcode tonen
tills-offer-hint = Open op de nieuwe kassa Instellingen → Kassa's van deze winkel en typ deze code:
tills-offer-expires = De code werkt tot { $time }, één keer.
tills-waiting = Wachten op de nieuwe kassa…
tills-asked = ‘{ $name }’ vraagt om aan te sluiten. Sleutel: { $fingerprint }. Controleer of de nieuwe kassa dezelfde toont en laat hem dan toe.
tills-approve = Deze kassa toelaten
tills-admitted = ‘{ $name }’ heeft nu de sleutels van de winkel.
tills-revoke = Intrekken
tills-revoked = ingetrokken
tills-join = Deze kassa bij de winkel aansluiten
tills-join-hint = De kassa van een eigenaar toont een code onder Een kassa toevoegen. De sleutels van de winkel komen verzegeld voor deze kassa aan, nooit leesbaar.
tills-join-code = Code
tills-join-name = Naam van deze kassa
tills-join-submit = Vragen om aan te sluiten
tills-joining = Gevraagd. Sleutel van deze kassa: { $fingerprint }. De kassa van de eigenaar toont dezelfde; wachten tot de eigenaar hem toelaat…
tills-joined = Deze kassa heeft nu de sleutels van de winkel.

backup-title = Back-up maken of terugzetten
backup-now-passphrase = Wachtzin voor deze back-up (minstens 10 tekens)
backup-now = Nu back-up maken
backup-made = Back-up opgeslagen: { $path }
backup-restore = Een back-up terugzetten
backup-restore-warning = Terugzetten vervangt alle opgeslagen kaarten, de instellingen en de sleutels op deze computer door die van de back-up. Iedereen wordt afgemeld.
backup-restore-path = Back-upbestand (volledig pad)
backup-restore-passphrase = De wachtzin ervan
backup-restore-confirm = Ik begrijp dat dit alles op deze computer vervangt
backup-restore-button = Terugzetten
backup-restored = Back-up van { $date } teruggezet: { $cards ->
    [one] één opgeslagen kaart
   *[other] { $cards } opgeslagen kaarten
}.
audit-backup-create = Back-up gemaakt
audit-backup-restore = Back-up teruggezet
audit-staff-copy = Personeel overgenomen uit een andere omgeving
error-backup-passphrase-wrong = Met deze wachtzin gaat de back-up niet open. Er is niets gewijzigd.
error-backup-damaged = Dit bestand is beschadigd of geen cardbind-back-up. Er is niets gewijzigd: probeer een andere kopie.
error-backup-too-new = Deze back-up is gemaakt met een nieuwere cardbind. Werk de app bij en zet hem daarna terug. Er is niets gewijzigd.

# Notification listener
about-listener = Antom-meldingen
about-listener-off = Niet hier ontvangen: cardbind vraagt Antom zelf om elk resultaat.
about-listener-waiting = luistert, nog niets ontvangen
about-listener-last = { $count ->
    [one] één melding ontvangen
   *[other] { $count } meldingen ontvangen
}, de laatste op { $at }
about-listener-error = Laatste probleem: { $error }
settings-listener-bind = Luister naar meldingen op (adres:poort)
settings-listener-bind-hint = Optioneel. Een lokaal adres, bijv. 127.0.0.1:8787, waarheen een reverse proxy of tunnel voor de meldings-URL doorstuurt. Laat leeg om Antom zelf te vragen.

## Going live: the connection check, the go-live checklist, the first start (issue 21)

error-owner-pin-required = Overschakelen naar productie vraagt de pincode van een eigenaar. Heeft de winkel nog geen eigenaar, voeg er dan eerst een toe onder Personeel.
settings-currency = Valuta van de winkel
settings-currency-none = Niet ingesteld
settings-charge-limit = Kassiers mogen afschrijven tot ({ $currency })
settings-charge-limit-hint = Een kassamedewerker alleen mag een aanwezige klant tot dit bedrag belasten; daarboven, en voor een klant die er niet is, keurt een manager die betaling goed. Leeg: 100 van de valuta.
settings-merchant-region = Regio van de handelaar (landcode)
settings-merchant-region-hint = De tweeletterige ISO 3166-code van het land waarin de winkel handelt (bijvoorbeeld SG of BR), met kaartsessies en betalingen naar Antom gestuurd. Laat leeg tenzij Antom erom vroeg.
settings-check-title = Verbinding met Antom
settings-check-hint = Eén ondertekend verzoek dat bij Antom niets verandert, toont of het adres, de client-ID, beide sleutels en de klok van deze computer kloppen.
settings-check = Verbinding controleren
settings-check-running = Antom wordt gevraagd…
settings-check-ok = Alles werkt: Antom accepteerde het verzoek van deze winkel en het antwoord klopt.
settings-check-failed = Er moet iets worden opgelost vóór echte klanten: zie de regels hieronder.
settings-check-details = Details voor een ontwikkelaar
settings-check-offer = Opgeslagen. Controleer nu de verbinding met Antom, vóór de eerste klant.
settings-go-live-title = Overschakelen naar productie
settings-go-live-hint = Vanaf nu worden echte kaarten opgeslagen en kan er echt geld bewegen. Een eigenaar bevestigt met zijn pincode.
settings-go-live-submit = Live gaan
check-item-reach = Antom bereiken
check-item-client-host = Client-ID en host
check-item-signature = Handtekening van deze winkel
check-item-answer = Antwoord van Antom
check-item-clock = Klok van deze computer
check-reachable = De host van Antom antwoordde.
check-dns-failed = De hostnaam is niet gevonden (DNS). Controleer de internetverbinding en de regio of basis-URL.
check-tls-failed = Er kon geen beveiligde verbinding worden gemaakt (TLS). Een proxy of firewall kan in de weg zitten; controleer ook de datum van de computer.
check-proxy-failed = De proxy weigerde de verbinding. Controleer de proxy-instellingen van de computer.
check-connect-failed = Er antwoordde niets op dat adres. Controleer de internetverbinding, de firewall en de basis-URL.
check-timed-out = Antom antwoordde niet op tijd. Controleer de internetverbinding en probeer het opnieuw.
check-http-error = Er antwoordde iets, maar niet Antom (HTTP { $value }). Controleer de regio of basis-URL.
check-client-host-agree = De client-ID hoort bij deze omgeving en Antom kent hem.
check-sandbox-id-on-production = Dit is een sandbox-client-ID (SANDBOX_…) maar de omgeving is productie. Gebruik de echte client-ID uit Antom Dashboard, of kies de sandbox.
check-production-id-on-sandbox = Dit is een echte client-ID maar de omgeving is de sandbox. Gebruik de sandbox-client-ID (SANDBOX_…), of kies productie.
check-client-unknown = Antom kent deze client-ID hier niet. Controleer of hij volledig uit Antom Dashboard is gekopieerd, voor deze omgeving.
check-signature-accepted = Antom accepteerde de handtekening van deze winkel.
check-signature-rejected = Antom weigerde de handtekening van deze winkel. Meestal is de publieke sleutel in Antom Dashboard niet die van deze privésleutel: upload de publieke sleutel die Instellingen toont.
check-answer-verified = Het antwoord van Antom is echt: het is gecontroleerd met de publieke sleutel van Antom.
check-keys-swapped = In het veld voor de publieke sleutel van Antom staat de eigen publieke sleutel van deze winkel. Plak daar de publieke sleutel van Antom uit Antom Dashboard.
check-answer-not-verified = Het antwoord van Antom kon niet worden gecontroleerd: de publieke sleutel van Antom klopt niet. Kopieer hem opnieuw uit Antom Dashboard voor deze omgeving.
check-clock-ok = De klok van deze computer komt overeen met die van Antom.
check-clock-off = De klok van deze computer wijkt { $value } seconden af van die van Antom. Zet automatische datum en tijd (netwerktijd) aan.
check-not-checked = Niet gecontroleerd: los eerst de regel erboven op.
golive-title = Checklist voor live gaan
golive-intro = Wat een winkel klaar moet hebben vóór de eerste echte klant.
golive-ready = Klaar voor echte klanten.
golive-not-ready = Nog niet alles is klaar.
golive-fix = Oplossen
golive-shop-name = Naam van de winkel
golive-currency = Valuta van de winkel
golive-owner-pin = Een eigenaar met pincode
golive-antom-keys = Antom-sleutels geïmporteerd
golive-connection-checked = Verbindingscontrole geslaagd
golive-notifications = Meldingen van Antom
golive-backups = Back-ups gepland
golive-state-done = Klaar
golive-state-missing = Nog niet
golive-state-not-in-demo = Niet in demomodus: kies eerst de sandbox in Instellingen
golive-state-check-failed = De laatste controle vond een probleem
golive-state-check-stale = De instellingen zijn gewijzigd sinds de laatste controle: controleer opnieuw
golive-state-polling-only = Alleen opvragen: de app vraagt Antom elk resultaat, wat werkt zonder openbaar adres
golive-state-listening = Luistert: zorg dat de meldings-URL deze computer bereikt
welcome-title = Welkom bij cardbind
welcome-intro = Een paar gegevens en de winkel is klaar. Je kunt ook overslaan en eerst de demo verkennen: in demomodus gebeurt niets echt.
welcome-language = Taal
welcome-owner = De eigenaar
welcome-owner-hint = De persoonlijke pincode van de eigenaar beschermt instellingen, personeel en het verwijderen van kaarten. Laat leeg om later personeel toe te voegen.
welcome-owner-name = Naam van de eigenaar
welcome-owner-pin = Pincode (4 tot 8 cijfers)
welcome-owner-pin2 = Pincode nogmaals
welcome-pin-mismatch = De twee pincodes zijn niet gelijk.
welcome-skip = Overslaan en de demo verkennen
welcome-start = Beginnen
kiosk-blocked-title = Kioskmodus heeft een bedrijfsleider nodig
kiosk-blocked-text = Deze computer is gestart als kiosk voor klanten, maar niemand zou de kioskmodus kunnen verlaten: er is nog geen bedrijfsleider of eigenaar met pincode. Voeg er een toe onder Personeel en start dan de kioskmodus.
kiosk-blocked-staff = Naar Personeel

## payments (errors)
error-amount-invalid = Dit bedrag kan niet worden afgeschreven: voer een bedrag boven nul in de valuta van de winkel in. Heeft de winkel nog geen valuta, kies die dan in Instellingen.
error-card-not-chargeable = Deze kaart is verwijderd (of wordt verwijderd) en kan niet meer worden belast.
error-refund-not-possible = Deze terugbetaling kan niet: alleen een geslaagde betaling kan worden terugbetaald, en nooit meer dan er over is.
error-cancel-not-possible = Deze betaling kan niet meer worden geannuleerd (verrekend, terugbetaald of niet afgeschreven). Betaal hem terug.
error-request-inconsistent = Antom meldt een conflict met een eerder verzoek. Er is niets dubbel afgeschreven; neem contact op met support met de details hieronder.
error-receipt-not-available = Alleen een geslaagde betaling of terugbetaling heeft een bon.
error-print-failed = De bon kon niet als pdf worden opgeslagen. Controleer de vrije schijfruimte en probeer het opnieuw, of gebruik Afdrukken.

## payments: charging a saved card
action-back = Terug
charge-action = Afschrijven
charge-title = { $masked } belasten
charge-amount = Bedrag ({ $currency })
charge-amount-invalid = Voer een bedrag boven nul in met hoogstens { $decimals } decimalen.
charge-description = Omschrijving
charge-description-placeholder = Waarvoor wordt betaald
charge-reference = Bestelreferentie (optioneel)
charge-present = De klant is hier en gaat akkoord met deze betaling
charge-review = Controleren
charge-confirm-text = { $amount } afschrijven van { $brand } { $masked }?
charge-confirm = { $amount } afschrijven
charge-progress = Kaart wordt belast…
charge-approved = Goedgekeurd: { $amount }
charge-approved-detail = Autorisatiecode { $code } · Betaling { $payment }
charge-declined = Geweigerd
charge-declined-next = Er is niets afgeschreven. Vraag de klant om een andere kaart of betaalwijze.
charge-pending = Wachten op de bank
charge-pending-text = De bank heeft nog niet geantwoord. cardbind blijft controleren; het resultaat verschijnt hier en bij Betalingen.
charge-3ds = De bank van de klant vraagt deze betaling te bevestigen.
charge-done = Klaar
payment-state-cancelled = Geannuleerd
pay-decline-do-not-honor = De bank heeft de betaling geweigerd.
pay-decline-insufficient-funds = Er staat niet genoeg geld op de kaart.
pay-decline-expired-card = De kaart is verlopen.
pay-decline-authentication = De betaling is niet bij de bank bevestigd.
pay-decline-card-removed = Deze kaart is niet meer bij Antom opgeslagen.
pay-decline-other = De betaling is geweigerd.

## payments: the list and one payment
nav-payments = Betalingen
payments-title = Betalingen
payments-intro = Alle afschrijvingen van opgeslagen kaarten, nieuwste eerst.
payments-search = Zoeken
payments-search-placeholder = Laatste 4 cijfers, klant, referentie of betalings-ID
payments-state = Status
payments-state-all = Alle
payments-from = Van
payments-to = Tot
payment-state-sending = Wordt verzonden
payment-state-pending = In behandeling
payment-state-declined = Geweigerd
payment-state-refused = Geweigerd door Antom
refund-state-sending = Wordt verzonden
refund-state-pending = In behandeling
refund-state-succeeded = Terugbetaald
refund-state-failed = Geweigerd
payments-col-date = Datum
payments-col-customer = Klant
payments-col-card = Kaart
payments-col-amount = Bedrag
payments-col-status = Status
payments-empty = Nog geen betalingen. Schrijf af van een opgeslagen kaart vanuit de kaartenlijst.
payments-more = Meer tonen
payments-back = Alle betalingen
payment-title = Betaling van { $amount }
payment-refunded = Terugbetaald { $amount }
payment-id = Antom-betalings-ID
payment-auth-code = Autorisatiecode
payment-reference = Referentie
payment-description = Omschrijving
payment-made = Gedaan
payment-refunds = Terugbetalingen
payment-refresh = Navragen bij Antom
payment-refund = Terugbetalen
payment-refund-left = Er kan nog tot { $amount } worden terugbetaald.
payment-refund-amount = Terug te betalen bedrag ({ $currency })
payment-refund-reason = Reden (optioneel)
payment-refund-confirm = { $amount } terugbetalen
payment-cancel = Betaling annuleren
payment-cancel-title = Deze betaling annuleren?
payment-cancel-text = De afschrijving van { $amount } vervalt en er blijft niets afgeschreven. Dit kan niet ongedaan worden gemaakt.

## Receipts (components/ReceiptDialog.svelte); printed in the customer's language
receipt-open = Bon
receipt-dialog-title = Bon
receipt-language = Taal van de bon
receipt-print = Afdrukken
receipt-save-pdf = Opslaan als pdf
receipt-saved = Opgeslagen als pdf:
receipt-close = Sluiten
receipt-heading-payment = Betaalbewijs
receipt-heading-refund = Bewijs van terugbetaling
receipt-date = Datum
receipt-card = Kaart
receipt-amount = Betaald bedrag
receipt-refund-amount = Terugbetaald bedrag
receipt-original-amount = Oorspronkelijke betaling
receipt-description = Omschrijving
receipt-reference = Referentie
receipt-payment-id = Betalings-ID
receipt-refund-id = Terugbetalings-ID
receipt-auth-code = Autorisatiecode
receipt-demo = DEMO — er is geen echt geld verplaatst.
receipt-thanks = Bedankt voor uw aankoop!

## Activity log: payments, refunds, receipts, removals at Antom, kiosk codes, go-live (id: audit- + the action, . and _ as -)
audit-card-not-revoked = Kaart hier verwijderd, niet ingetrokken bij Antom (token onleesbaar)
audit-card-remove-requested = Verwijderen van kaart aangevraagd (wacht op Antom)
audit-customer-kiosk-code = Kioskcode aan een klant gegeven
audit-kiosk-code-locked = Invoer van kioskcodes gepauzeerd na foute codes
audit-kiosk-code-used = Kioskcode gebruikt
audit-payment-cancel = Annulering van betaling aangevraagd
audit-payment-cancelled = Betaling geannuleerd door Antom
audit-payment-cancel-refused = Antom weigerde de annulering (terugbetalen in plaats daarvan)
audit-payment-charge = Kaart belast (naar Antom verzonden)
audit-payment-declined = Betaling geweigerd
audit-payment-refused = Betaling afgewezen door Antom
audit-receipt-pdf = Bon opgeslagen als pdf
audit-refund-failed = Terugbetaling mislukt
audit-refund-request = Terugbetaling aangevraagd
audit-refund-succeeded = Terugbetaling voltooid
audit-settings-connection-check = Verbinding met Antom gecontroleerd
audit-settings-go-live = Overgeschakeld naar productie
audit-settings-shop-database = Gewijzigd waar de winkelgegevens worden bewaard
audit-till-offer = Koppeling van een nieuwe kassa aangeboden
audit-till-pair = Nieuwe kassa gekoppeld
audit-till-join = Aangesloten bij de kassa's van de winkel
audit-till-revoke = Kassa ingetrokken
audit-settings-data-key-rotated = Opgeslagen kaarten verzegeld met een nieuwe sleutel
audit-till-seal = Gegevens zoals aangetroffen verzegeld met de sleutel van de winkel

# Ready for the real Antom: capture, token APIs, notifications
payment-state-authorised = Geautoriseerd
payment-state-captured = Geïncasseerd
payment-state-capture-failed = Incasso mislukt
audit-payment-authorised = Betaling geautoriseerd
audit-payment-captured = Betaling geïncasseerd
audit-payment-capture-failed = Incasso van de betaling mislukt (niets afgeschreven)
audit-card-removal-unconfirmed = Verwijderen van de kaart niet bevestigd (Antom heeft het token nog)
audit-card-removal-refused = Antom weigerde het token van de kaart te verwijderen
receipt-status = Status
receipt-status-authorised = Geautoriseerd — incasso volgt
receipt-status-captured = Geïncasseerd
cards-removal-refused = Antom weigerde het token van kaart { $masked } te verwijderen. Ze kan hier niet meer worden belast; vraag Antom-support het in te trekken. cardbind blijft het vragen.
settings-merchant-account-id = Handelaarsaccount-ID
settings-merchant-account-id-hint = Het handelaarsaccount-ID bij Antom (tot 64 tekens). Antom heeft het nodig om het token van een verwijderde kaart te wissen; zonder blijven verwijderde kaarten "verwijderen in behandeling".
settings-settlement-currency = Afrekenvaluta
settings-settlement-currency-hint = Alleen als het Antom-contract meerdere afrekenvaluta's heeft: die waarin Antom de winkel betaalt. Laat anders leeg.
settings-client-ip = Openbaar IP-adres van de winkel
settings-client-ip-hint = Optioneel. Wordt met kaartbetalingen naar Antom gestuurd voor de risicocontrole. Leeg: het eigen adres van de kassa wordt gestuurd.
settings-listener-exposed = De ontvanger is bereikbaar buiten deze computer. Gebruik liever 127.0.0.1 achter een reverse proxy of tunnel.
about-unhandled = Bevestigde meldingen zonder actie
golive-merchant-account = Handelaarsaccount-ID (om kaarten te verwijderen)
error-shop-mismatch = Deze database is niet die waarnaar uw winkel is verhuisd, dus worden de sleutels van de winkel er niet in aangeboden. Controleer het adres met de eigenaar.
error-passphrase-weak = Deze wachtzin is te makkelijk te raden. Gebruik vier of meer losse woorden, of een lange willekeurige: hij is het enige dat de sleutels in een back-up beschermt.
golive-cashier-limits = Limieten voor kassamedewerkers
golive-state-default-limits = De standaard van een nieuwe winkel: wijzig ze in Instellingen als ze niet passen
golive-limits-amounts = { $limit } per betaling, { $daily } in 24 uur
settings-daily-limit = Een kassamedewerker alleen, in 24 uur ({ $currency })
settings-daily-limit-hint = Boven dit totaal van eigen betalingen van een kassamedewerker in 24 uur keurt een manager elke volgende goed. Leeg: 500 van de valuta.
welcome-limit-hint = Een kassamedewerker mag alleen tot dit bedrag belasten; daarboven keurt een manager goed. Leeg: 100 van de valuta. Te wijzigen in Instellingen.
approval-what-refund = { $amount } van betaling { $payment } terugbetalen op { $card }
approval-what-cancel = Betaling { $payment } annuleren ({ $card })
approval-what-charge = { $amount } belasten op { $card } van { $customer }
approval-what-remove = { $card } van { $customer } verwijderen
approval-what-settings = Deze instellingen opslaan: { $fields }
approval-what-shop = Wijzigen bij welke winkel deze kassa hoort, of waar de gegevens staan
approval-what-tills = De kassa's van de winkel beheren
approval-what-export = { $fields } exporteren
approval-what-staff = Personeel beheren
approval-what-backup = Een back-up maken of terugzetten (met alle sleutels)
approval-what-kiosk = Deze kassa buiten productie in een kiosk veranderen
approval-what-keys = De opgeslagen kaarten met een nieuwe sleutel verzegelen
approval-what-other = Eén keer toestaan
