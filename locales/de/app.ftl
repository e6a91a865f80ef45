# cardbind — Deutsch

app-name = cardbind
app-tagline = Kundenkarten bei Antom hinterlegen, später belasten und erstatten
app-starting = cardbind wird gestartet…
language = Sprache
language-name = Deutsch

env-demo = Demo — simuliertes Antom
env-sandbox = Antom-Sandbox
env-production = Antom-Produktion

nav-label = Hauptmenü
nav-cards = Karten
nav-customers = Kunden
nav-audit = Aktivitätsprotokoll
nav-settings = Einstellungen
nav-about = Über

action-cancel = Abbrechen

## Kartenliste

cards-title = Gespeicherte Karten
cards-intro = Bei Antom gespeicherte Karten Ihrer Kunden. Auf diesem Computer werden nur die letzten vier Ziffern aufbewahrt.
cards-search = Suchen
cards-search-placeholder = Letzte 4 Ziffern, Name, Telefon oder Referenz des Kunden
cards-brand = Kartenmarke
cards-brand-all = Alle Kartenmarken
cards-expiry = Ablaufdatum
cards-expiry-any = Beliebiges Ablaufdatum
cards-expiry-expired = Abgelaufen
cards-expiry-3m = Läuft in 3 Monaten ab
cards-expiry-12m = Läuft in 12 Monaten ab
cards-sort = Sortieren nach
cards-sort-recent = Zuletzt gespeichert
cards-sort-expiry = Nächstes Ablaufdatum
cards-col-card = Karte
cards-col-expiry = Gültig bis
cards-col-customer = Kunde
cards-col-bound = Gespeichert am
cards-col-actions = Aktionen
cards-expired = Abgelaufen
cards-duplicate = Bereits gespeichert
cards-keep = Beide behalten
cards-replace = Nur diese behalten
cards-remove = Entfernen
cards-remove-title = Diese Karte entfernen?
cards-remove-text = Die Karte { $brand } { $masked } von { $customer } wird entfernt. Das Geschäft kann sie dann nicht mehr verwenden; der Kunde muss sie neu hinterlegen.
cards-remove-confirm = Karte entfernen
cards-removed = Karte { $masked } entfernt.
cards-removal-pending = Karte { $masked } kann nicht mehr belastet werden. Antom hat das Entfernen noch nicht bestätigt; cardbind fragt weiter nach und entfernt sie, sobald Antom bestätigt.
cards-removal-pending-tag = Entfernen ausstehend
cards-empty = Noch keine Karten gespeichert. Öffnen Sie einen Kunden und tippen Sie auf „Karte hinzufügen“.
cards-empty-action = Zu den Kunden
cards-empty-customer = Für diesen Kunden ist noch keine Karte gespeichert. Tippen Sie auf „Karte hinzufügen“.
cards-empty-filtered = Keine Karte passt zu dieser Suche. Ändern Sie die Suche oder die Filter.
cards-shown =
    { $count ->
        [one] { $count } Karte angezeigt
       *[other] { $count } Karten angezeigt
    }
cards-loading = Karten werden geladen…
cards-load-more = Weitere Karten anzeigen

## Kunden

customers-title = Kunden
customers-new = Neuer Kunde
customers-search = Suchen
customers-search-placeholder = Name, Telefon oder Referenz
customers-loading = Kunden werden geladen…
customers-empty = Noch keine Kunden. Legen Sie den ersten an, um seine Karte zu speichern.
customers-empty-filtered = Kein Kunde passt zu dieser Suche.
customers-col-name = Name
customers-col-phone = Telefon
customers-col-reference = Referenz
customers-col-cards = Karten
customers-card-count =
    { $count ->
        [0] Keine Karten
        [one] { $count } Karte
       *[other] { $count } Karten
    }
customers-more = Die ersten { $count } werden angezeigt. Geben Sie mehr vom Namen ein, um die Liste einzugrenzen.

customer-name = Name
customer-phone = Telefon
customer-email = E-Mail
customer-reference = Referenz
customer-reference-hint = Ihre eigene Referenz, zum Beispiel eine Kundenkartennummer.
customer-notes = Notizen
customer-save = Kunden speichern
customer-edit = Bearbeiten
customer-kiosk-code = Kiosk-Code
customer-kiosk-code-text = Geben Sie diesen Code dem Kunden. Am Kiosk wählt er „Ich habe einen Code vom Personal“ und gibt ihn ein; die gespeicherte Karte wird diesem Kunden hinzugefügt. Gilt einmal, bis { $expires }.
customer-kiosk-code-done = Fertig
customer-edit-title = Kunden bearbeiten
customer-cards = Gespeicherte Karten

## Karte hinzufügen

add-card = Karte hinzufügen
add-card-title = Eine Karte hinzufügen
add-card-for = Für { $name }

consent-title = Ihre Karte speichern
consent-text = Mit Ihrer Zustimmung bittet { $shop } Antom, diese Karte zu speichern, damit Sie später damit bezahlen können, ohne sie erneut einzugeben. Antom verwahrt die Kartendaten; das Geschäft speichert nur die Kartenmarke, die letzten vier Ziffern und das Ablaufdatum. Es wird jetzt nichts abgebucht, und Sie können das Geschäft jederzeit bitten, die Karte zu entfernen.
consent-default-shop = dieses Geschäft
consent-accept = Der Kunde hat dies gelesen und stimmt zu
consent-continue = Weiter zu den Kartendaten
consent-loading = Einwilligungstext wird geladen…

binding-starting = Ein sicheres Kartenformular von Antom wird geöffnet…
binding-enter-card = Reichen Sie den Bildschirm dem Kunden, damit er die Kartendaten im sicheren Formular von Antom eingibt.
binding-loading = Sicheres Kartenformular von Antom wird geladen…
binding-cancel = Abbrechen
binding-confirming = Bestätigung durch Antom…
binding-pending = Die Bank prüft die Karte noch.
binding-pending-hint = Das kann einige Minuten dauern. Die Karte erscheint in der Liste, sobald Antom sie bestätigt; Sie können diese Seite verlassen.
binding-pending-leave = Ohne Warten fortfahren
binding-bound-title = Karte gespeichert
binding-bound-expiry = Gültig bis { $expiry }
binding-duplicate = Für diesen Kunden war diese Karte bereits gespeichert. Beide behalten oder nur diese?
binding-add-another = Weitere Karte hinzufügen
binding-done = Fertig

## Hinweisseite

alert-code = Code: { $code }
alert-retry = Erneut versuchen
alert-back = Zurück zum Kunden
alert-declined-title = Karte nicht gespeichert
alert-declined-next = Bitten Sie den Kunden um eine andere Karte oder darum, sich an seine Bank zu wenden.
alert-expired-title = Das Formular ist abgelaufen
alert-expired-text = Das sichere Formular war zu lange geöffnet und wurde geschlossen. Es wurde keine Karte gespeichert.
alert-expired-next = Tippen Sie auf „Erneut versuchen“, um ein neues Formular zu öffnen.
alert-cancelled-title = Abgebrochen
alert-cancelled-text = Das Hinzufügen der Karte wurde abgebrochen. Es wurde keine Karte gespeichert.
alert-cancelled-next = Tippen Sie auf „Erneut versuchen“, um neu zu beginnen, oder gehen Sie zurück.
alert-timeout-title = Das Formular wurde nicht geladen
alert-timeout-text = Das sichere Kartenformular von Antom wurde nicht rechtzeitig geladen.
alert-timeout-next = Prüfen Sie die Internetverbindung und tippen Sie dann auf „Erneut versuchen“.
alert-connection-title = Verbindung unterbrochen
alert-connection-text = Die Verbindung zu Antom ist abgebrochen. Falls die Karte gespeichert wurde, erscheint sie automatisch in der Liste.
alert-connection-next = Prüfen Sie die Internetverbindung und tippen Sie dann auf „Erneut versuchen“.
alert-sdk-error-title = Das Formular funktioniert nicht mehr
alert-sdk-error-text = Das sichere Kartenformular von Antom hat einen Fehler gemeldet. Es wurde keine Karte gespeichert.
alert-sdk-error-next = Tippen Sie auf „Erneut versuchen“. Tritt der Fehler wieder auf, wenden Sie sich mit dem Code unten an den Support.
alert-error-title = Karte nicht gespeichert
alert-error-text = Beim Speichern der Karte ist etwas schiefgelaufen.
alert-error-next = Tippen Sie auf „Erneut versuchen“. Tritt der Fehler wieder auf, wenden Sie sich mit dem Code unten an den Support.

decline-generic = Die Bank hat diese Karte abgelehnt.
decline-do-not-honor = Die Bank hat diese Karte ohne Angabe von Gründen abgelehnt.
decline-card-expired = Diese Karte ist abgelaufen.
decline-invalid-card-number = Die Kartennummer ist ungültig.
decline-invalid-cvv = Die Kartenprüfnummer (CVV) ist falsch.
decline-card-not-supported = Diese Kartenart kann hier nicht gespeichert werden.
decline-restricted-card = Die Bank erlaubt nicht, diese Karte zu speichern.
decline-verification-failed = Die Bank konnte den Karteninhaber nicht authentifizieren (3D Secure).

## Aktivitätsprotokoll

audit-title = Aktivitätsprotokoll
audit-intro = Alles, was auf diesem Computer mit Kunden, Karten und Einstellungen geschehen ist, das Neueste zuerst. Es kann nicht verändert werden.
audit-loading = Aktivitätsprotokoll wird geladen…
audit-empty = Bisher ist nichts geschehen.
audit-load-more = Ältere Einträge anzeigen
audit-col-at = Wann
audit-col-action = Was
audit-col-subject = Objekt
audit-col-by = Wer
audit-by-system = cardbind
audit-by-staff = Mitarbeiter { $id }
audit-customer-create = Kunde angelegt
audit-customer-update = Kunde geändert
audit-consent-accept = Einwilligung erteilt
audit-binding-start = Kartenformular geöffnet
audit-binding-succeeded = Karte von Antom gespeichert
audit-binding-failed = Karte abgelehnt
audit-binding-expired = Formular abgelaufen
audit-binding-abandoned = Formular aufgegeben
audit-binding-cancel = Hinzufügen der Karte abgebrochen
audit-card-bind = Karte gespeichert
audit-card-remove = Karte entfernt
audit-card-keep-duplicate = Doppelte Karte behalten
audit-card-replace-duplicate = Frühere Karte ersetzt
audit-settings-save = Einstellungen gespeichert
audit-settings-import-keys = Zahlungsschlüssel importiert

## Einstellungen

settings-title = Einstellungen
settings-loading = Einstellungen werden geladen…
settings-environment = Umgebung
settings-demo-hint = Der Demo-Modus betreibt ein simuliertes Antom in der App: keine echten Karten, kein echtes Geld. Verwenden Sie die Testkarten aus der README.
settings-live-hint = Geben Sie die Daten aus dem Antom-Portal ein. Sie werden geprüft, bevor etwas gespeichert wird.
settings-shop-name = Name des Geschäfts
settings-shop-name-hint = Wird Kunden im Einwilligungstext angezeigt.
settings-client-id = Client-ID
settings-region = Region
settings-region-none = Region wählen
settings-base-url = Oder eine eigene Adresse
settings-notification-url = Benachrichtigungs-URL
settings-notification-url-hint = Wohin Antom die Ergebnisse sendet. Ohne sie fragt cardbind jedes Ergebnis selbst bei Antom ab.
settings-keys = Zahlungsschlüssel
settings-merchant-key-set = Privater Händlerschlüssel gespeichert
settings-merchant-key-missing = Noch kein privater Händlerschlüssel
settings-antom-key-set = Öffentlicher Antom-Schlüssel gespeichert
settings-antom-key-missing = Noch kein öffentlicher Antom-Schlüssel
settings-merchant-key = Privater Händlerschlüssel
settings-merchant-key-file = Privaten Händlerschlüssel aus einer Datei importieren
settings-antom-key = Öffentlicher Antom-Schlüssel
settings-antom-key-file = Öffentlichen Antom-Schlüssel aus einer Datei importieren
settings-key-paste = Fügen Sie den Schlüssel so ein, wie Antom ihn anzeigt, oder wählen Sie unten eine Datei. Leer lassen, um den gespeicherten Schlüssel zu behalten.
settings-public-key = Öffentlicher Händlerschlüssel
settings-public-key-hint = Laden Sie diesen öffentlichen Schlüssel im Antom-Portal hoch. Der private Schlüssel verlässt nie den Schlüsselbund dieses Computers.
settings-save = Einstellungen speichern
settings-saved = Einstellungen gespeichert.

## Über

about-title = Über diese App
about-intro = Version, Umgebung und wo cardbind seine Daten auf diesem Computer ablegt.
about-load = App-Informationen anzeigen
about-loading = App-Informationen werden geladen…
about-version = Version
about-environment = Umgebung
about-data-dir = Datenordner
about-database = Kartendatenbank (eigene dieser Umgebung)
about-config-dir = Einstellungsordner
about-platform = Plattform
about-simulator = Demo-Antom (Simulator)
about-binding = Karten hinterlegen
about-binding-ready = Bereit
datakey-done = { $count } gespeicherte Karten wurden mit einem neuen Schlüssel neu versiegelt.
datakey-confirm-text = Diese Kasse ist beschäftigt, bis es fertig ist. Bricht es ab (ein Stromausfall), wird es beim nächsten Start beendet. Koppeln Sie danach die anderen Kassen des Geschäfts neu.
datakey-confirm-title = Alle gespeicherten Karten mit einem neuen Schlüssel versiegeln?
datakey-rotate = Mit neuem Schlüssel versiegeln
datakey-intro = Das Token jeder gespeicherten Karte ist mit einem Schlüssel im Schlüsselbund dieses Computers verschlüsselt. Nachdem eine Kasse verloren ging oder gestohlen wurde, versiegeln Sie alle neu mit einem neuen Schlüssel: Eine Kopie des alten öffnet dann nichts mehr. Die anderen Kassen des Geschäfts werden danach neu gekoppelt.
datakey-title = Der Schlüssel der gespeicherten Karten
about-integrity-unchecked = Nicht geprüft: Diese Kasse hat den Schlüssel des Geschäfts noch nicht.
about-integrity-ok = So, wie die Kassen sie schrieben: { $count } versiegelte Einträge im Aktivitätsprotokoll und die Mitarbeitereinträge.
about-integrity = Einträge
integrity-advice = Stellen Sie die Datenbank des Geschäfts aus einer Sicherung wieder her oder fragen Sie den Inhaber.
integrity-staff = { $count } Mitarbeitereinträge wurden in der Datenbank geändert und werden nicht verwendet.
integrity-unsealed = { $count } Einträge des Aktivitätsprotokolls wurden ohne den Schlüssel des Geschäfts hinzugefügt.
integrity-broken = Das Aktivitätsprotokoll wurde bei Eintrag { $row } bearbeitet oder ein Eintrag entfernt.
integrity-alert-title = Einträge wurden außerhalb der Kassen dieses Geschäfts geändert

## Fehler

error-title = Etwas ist schiefgelaufen
error-details = Details: { $details }
error-internal = Ein unerwarteter Fehler ist aufgetreten. Versuchen Sie es erneut; tritt er wieder auf, wenden Sie sich mit den Details unten an den Support.
error-data-dir-unavailable = cardbind kann seinen Datenordner nicht anlegen. Prüfen Sie, ob die Festplatte voll ist und ob Ihr Konto in Ihren Benutzerordner schreiben darf.
error-storage-full = Die Festplatte ist voll. Nichts wurde gespeichert und nichts ging verloren; schaffen Sie Platz und versuchen Sie es erneut.
error-storage-failed = Die Kartenliste konnte nicht gelesen oder gespeichert werden. Versuchen Sie es erneut; bleibt der Fehler, wenden Sie sich mit den Details unten an den Support.
error-database-unreachable = Die gemeinsame Datenbank des Geschäfts ist nicht erreichbar. Es wurde nichts begonnen und nichts ging verloren; prüfen Sie Netzwerk oder Server und versuchen Sie es erneut.
error-shared-database-not-empty = Die gemeinsame Datenbank enthält bereits Karten oder Personal eines Geschäfts. Es wurde nichts übertragen; wählen Sie eine leere Datenbank.
error-backup-on-server = Dieses Geschäft speichert seine Daten in einer gemeinsamen Datenbank: Sie wird auf ihrem Server gesichert, nicht von einer Kasse aus.
error-pairing-refused = Die Kasse konnte nicht gekoppelt werden. Prüfen Sie den Code an der Kasse des Inhabers oder starten Sie dort eine neue Kopplung.
error-till-revoked = Ein Inhaber hat diese Kasse aus dem Geschäft entfernt: Sie hat die Schlüssel des Geschäfts nicht mehr. Koppeln Sie sie erneut, um sie zu nutzen.
error-shop-key-missing = Diese Kasse hat den Kartenschlüssel des Geschäfts, aber nicht den Schlüssel, mit dem seine Einträge versiegelt sind. Koppeln Sie sie erneut von der Kasse eines Inhabers (Einstellungen → Kassen).
error-staff-list-missing = Die Mitarbeiterliste des Geschäfts fehlt: Niemand kann sich anmelden. Stellen Sie die Datenbank des Geschäfts aus einer Sicherung wieder her oder fragen Sie den Inhaber. Diese Kasse öffnet sich nicht ohne ihre Mitarbeiter.
error-row-tampered = Ein Eintrag in der Datenbank des Geschäfts wurde von jemand anderem als einer seiner Kassen geändert und wird daher nicht verwendet. Stellen Sie die Datenbank aus einer Sicherung wieder her oder fragen Sie den Inhaber.
error-not-found = Dieser Eintrag existiert nicht mehr. Er wurde vielleicht auf einem anderen Bildschirm entfernt.
error-invalid-input = Angaben fehlen oder sind ungültig. Prüfen Sie das markierte Feld.
error-settings-invalid = Eine Einstellung ist ungültig. Sehen Sie sich die Details unten an und korrigieren Sie sie in den Einstellungen.
error-keyring-unavailable = Der Passwortspeicher des Computers (Schlüsselbund) ist nicht verfügbar, daher können die Zahlungsschlüssel nicht gelesen werden.
error-keyring-locked = Der Passwortspeicher des Computers (Schlüsselbund) ist gesperrt. Entsperren Sie ihn durch Anmelden am Computer und versuchen Sie es erneut.
error-key-missing = Die Zahlungsschlüssel für diese Umgebung sind noch nicht eingerichtet. Importieren Sie sie in den Einstellungen.
error-key-invalid = Ein Zahlungsschlüssel ist ungültig: falscher Typ, falsche Länge oder beschädigt. Importieren Sie ihn erneut in den Einstellungen.
error-token-unreadable = Diese gespeicherte Karte kann auf diesem Computer nicht entschlüsselt werden. Hinterlegen Sie die Karte erneut.
error-data-key-missing = Der Schlüssel, der die gespeicherten Karten dieses Computers schützt, fehlt im Schlüsselbund des Systems. Es wurde nichts geändert: Stellen Sie den Schlüsselbund aus einer Sicherung dieses Computers wieder her, um die gespeicherten Karten wieder zu nutzen.
error-antom-unreachable = Antom ist nicht erreichbar. Prüfen Sie die Internetverbindung und versuchen Sie es erneut.
error-antom-rejected-signature = Antom hat die Signatur dieses Geschäfts nicht akzeptiert. Prüfen Sie die Client-ID und den Händlerschlüssel in den Einstellungen.
error-antom-response-invalid = Die Antwort von Antom konnte nicht verifiziert werden und wurde daher verworfen. Versuchen Sie es erneut; bleibt der Fehler, prüfen Sie den öffentlichen Antom-Schlüssel in den Einstellungen.
error-antom-failed = Antom hat die Anfrage abgelehnt. Details siehe unten.
error-antom-unknown = Antom hat das Ergebnis noch nicht bestätigt. cardbind fragt automatisch erneut nach.
error-binding-declined = Die Karte wurde abgelehnt. Bitten Sie den Kunden um eine andere Karte.
error-binding-expired = Das Formular ist abgelaufen, bevor eine Karte eingegeben wurde. Beginnen Sie neu.
error-binding-pending = Die Bank prüft die Karte noch. Das Ergebnis erscheint automatisch.
error-notification-invalid = Eine Nachricht, die angeblich von Antom stammte, hat die Sicherheitsprüfung nicht bestanden und wurde ignoriert.

## Staff, roles and PINs
error-sign-in-required = Melden Sie sich mit Ihrer PIN an, um fortzufahren.
error-permission-denied = Ihre Rolle darf das nicht. Eine Filialleitung oder der Inhaber muss es mit der eigenen PIN freigeben.
error-pin-wrong = Diese PIN stimmt nicht. Versuchen Sie es noch einmal.
error-pin-locked = Zu viele falsche PINs. Die PIN-Eingabe ist für eine Weile gesperrt.
error-pin-weak = Wählen Sie eine PIN mit 4 bis 8 Ziffern, die keine Folge wie 1234 und keine wiederholte Ziffer ist.
error-pin-in-use = Diese PIN verwendet bereits jemand anderes. Wählen Sie eine andere.
error-kiosk-locked = Diese Kasse ist im Kioskmodus. Eine Filialleitung muss den Kioskmodus zuerst beenden.
error-staff-required = Der Kioskmodus braucht eine Filialleitung oder einen Inhaber mit PIN. Legen Sie zuerst unter Personal jemanden an.
error-kiosk-code-wrong = Dieser Code stimmt nicht, wurde schon verwendet oder ist abgelaufen. Prüfen Sie ihn oder fragen Sie das Personal nach einem neuen.
error-kiosk-code-paused = Zu viele falsche Codes. Die Code-Eingabe ist eine Weile gesperrt; bitten Sie das Personal um Hilfe.
kiosk-customer-name = Kiosk-Kunde
pin-digits-entered =
    { $count ->
        [one] { $count } Ziffer eingegeben
       *[other] { $count } Ziffern eingegeben
    }
pin-back = Letzte Ziffer löschen
pin-clear = Löschen
pin-label = PIN eingeben
pin-locked =
    { $seconds ->
        [one] Zu viele falsche PINs. Erneut versuchen in { $seconds } Sekunde.
       *[other] Zu viele falsche PINs. Erneut versuchen in { $seconds } Sekunden.
    }
sign-in-title = Anmelden
sign-in-hint = Geben Sie Ihre persönliche PIN ein. Ihre Aktionen werden unter Ihrem Namen protokolliert.
sign-in-submit = Anmelden
sign-out = Sperren
role-owner = Inhaber
role-manager = Filialleitung
role-cashier = Kassierer
nav-staff = Personal
staff-title = Personal
staff-intro = Jede Person, die diese Kasse nutzt, hat eine eigene PIN. Kassierer legen Kunden und Karten an; Karten entfernen, Exporte, Einstellungen und das Beenden des Kioskmodus erfordern eine Filialleitung oder den Inhaber.
staff-open-mode = Es ist noch kein Personal angelegt, daher darf jeder an diesem Computer alles. Legen Sie den Inhaber an, um PINs einzuschalten.
staff-name = Name
staff-role = Rolle
staff-since = Angelegt
staff-actions = Aktionen
staff-disabled = Deaktiviert
staff-new-pin = Neue PIN
staff-disable = Deaktivieren
staff-pin-saved = Die neue PIN ist gespeichert.
staff-new-pin-for = Neue PIN für { $name }
staff-pin-hint = 4 bis 8 Ziffern. Jede Person hat eine andere PIN.
staff-save-pin = PIN speichern
staff-add-owner = Inhaber anlegen
staff-add = Mitarbeiter anlegen
staff-pin = PIN
staff-pin-again = PIN wiederholen
staff-pin-mismatch = Die beiden PINs sind verschieden.
staff-added = { $name } wurde angelegt.
staff-save = Mitarbeiter anlegen
staff-disable-title = Diesen Mitarbeiter deaktivieren?
staff-disable-text = { $name } kann sich nicht mehr anmelden. Der Name bleibt im Aktivitätsprotokoll.
approval-title = Freigabe durch die Filialleitung
approval-hint = Eine Filialleitung oder der Inhaber gibt die eigene PIN ein, um dies einmal zu erlauben.
approval-submit = Freigeben
export-csv = Als CSV exportieren
export-done =
    { $rows ->
        [one] { $rows } Zeile gespeichert in { $path }
       *[other] { $rows } Zeilen gespeichert in { $path }
    }
settings-kiosk = Kioskmodus
settings-kiosk-enabled = Als Kundenkiosk starten
settings-kiosk-hint = Vollbild, Kunden hinterlegen ihre Karte selbst. Die PIN einer Filialleitung beendet den Kioskmodus.
settings-kiosk-idle = Sekunden bis „Sind Sie noch da?“
settings-kiosk-countdown = Countdown vor dem Neustart, in Sekunden
audit-staff-create = Mitarbeiter angelegt
audit-staff-set-pin = Mitarbeiter-PIN geändert
audit-staff-disable = Mitarbeiter deaktiviert
audit-staff-sign-in = Angemeldet
audit-staff-sign-out = Abgemeldet
audit-staff-approve = Von der Filialleitung freigegeben
audit-staff-approval-given = Freigabe der Filialleitung erteilt
audit-staff-pin-locked = PIN-Eingabe nach falschen PINs gesperrt
audit-kiosk-enter = Kioskmodus gestartet
audit-kiosk-leave = Kioskmodus beendet
audit-kiosk-leave-refused = Kiosk-Beenden abgelehnt (Rolle zu niedrig)
audit-export-cards = Kartenliste exportiert
audit-export-activity = Aktivitätsprotokoll exportiert

## Kiosk
kiosk-enter = Kioskmodus
kiosk-enter-title = Kioskmodus starten?
kiosk-enter-text = Der Bildschirm wird zum Kundenkiosk und Sie werden abgemeldet. Zum Beenden braucht es die PIN einer Filialleitung oder des Inhabers.
kiosk-staff = Personal
kiosk-attract-title = Karte hinterlegen und schneller bezahlen
kiosk-attract-text = Ihre Karte wird von unserem Zahlungsdienstleister sicher gespeichert. Es wird nichts abgebucht.
kiosk-choose-language = Wählen Sie Ihre Sprache, um zu beginnen
kiosk-decline = Nein, danke
kiosk-agree = Ich stimme zu
kiosk-start-over = Neu beginnen
kiosk-number-title = Ihre Telefon- oder Kundenkartennummer
kiosk-number-hint = Das Geschäft erkennt Sie daran beim nächsten Mal wieder. Schon Kunde hier? Fragen Sie das Personal nach einem Code, damit die Karte Ihrem Konto hinzugefügt wird.
kiosk-number-label = Telefon- oder Kundenkartennummer
kiosk-code-title = Ihr Code vom Personal
kiosk-code-hint = Geben Sie den 6-stelligen Code ein, den Ihnen das Personal gegeben hat. Die Karte wird dann Ihrem Konto hinzugefügt.
kiosk-code-label = 6-stelliger Code
kiosk-code-have = Ich habe einen Code vom Personal
kiosk-code-use-number = Stattdessen Telefonnummer verwenden
kiosk-continue = Weiter
kiosk-cancel = Abbrechen
kiosk-card-title = Geben Sie Ihre Karte ein
kiosk-pending-hint = Ihre Bank prüft die Karte noch. Sie können jetzt gehen; das Ergebnis wird automatisch gespeichert.
kiosk-finish = Fertig
kiosk-bound-title = Ihre Karte ist hinterlegt
kiosk-bound-text = Vielen Dank. An der Kasse bezahlen Sie jetzt schneller.
kiosk-idle-title = Sind Sie noch da?
kiosk-idle-text =
    { $seconds ->
        [one] Neustart in { $seconds } Sekunde.
       *[other] Neustart in { $seconds } Sekunden.
    }
kiosk-still-here = Ich bin noch da
kiosk-leave-title = Kioskmodus beenden
kiosk-leave-hint = Nur für Personal: Eine Filialleitung oder der Inhaber gibt die eigene PIN ein.
kiosk-leave-submit = Kioskmodus beenden
settings-lock-minutes = Sperren nach (Minuten ohne Nutzung)
settings-lock-minutes-hint = Angemeldetes Personal wird nach dieser Zeit ohne Berührung oder Tastendruck abgemeldet: 1 bis 240 Minuten.
audit-staff-auto-lock = Wegen Nichtnutzung gesperrt

# Backups
settings-backup = Sicherungen
settings-backup-hint = Eine Sicherung enthält alle gespeicherten Karten, die Einstellungen und die Schlüssel, verschlüsselt mit Ihrer Passphrase. Bewahren Sie sie getrennt von diesem Computer auf (ein USB-Stick im Tresor, ein anderer Computer). Ohne Sicherung geht mit dem Computer verloren, welchem Kunden welche gespeicherte Karte gehört.
settings-backup-folder = Sicherungsordner
settings-backup-every = Sichern alle (Stunden, 0 = nur von Hand)
settings-backup-keep = Aufzubewahrende Sicherungen
settings-backup-passphrase = Passphrase für geplante Sicherungen
settings-backup-passphrase-hint = Mindestens 10 Zeichen, im Schlüsselbund dieses Computers gespeichert. Notieren Sie sie an einem sicheren Ort: Ohne sie lässt sich eine Sicherung nicht öffnen. Leer lassen, um die gespeicherte zu behalten.
shopdb-title = Datenbank des Geschäfts
shopdb-current-local = Die Daten dieses Geschäfts liegen auf diesem Computer.
shopdb-current-shared = Diese Kasse nutzt die gemeinsame Datenbank des Geschäfts auf { $server }.
shopdb-where = Wo Karten, Zahlungen, Personal und Aktivitätsprotokoll gespeichert werden
shopdb-local = Dieser Computer (eine Kasse)
shopdb-shared = Die gemeinsame Datenbank des Geschäfts (mehrere Kassen, PostgreSQL)
shopdb-url = Adresse der gemeinsamen Datenbank
shopdb-url-hint = postgresql://benutzer:passwort@host:5432/datenbank. Wird im Schlüsselbund dieses Computers gespeichert. Die Verbindung ist verschlüsselt und das Zertifikat des Servers wird geprüft, außer die Adresse endet auf ?sslmode=disable.
shopdb-ca = CA-Zertifikatsdatei (optional)
shopdb-ca-hint = Vollständiger Pfad der PEM-Datei Ihrer eigenen Zertifizierungsstelle, falls das Serverzertifikat nicht von einer öffentlichen stammt.
shopdb-move = Karten, Zahlungen, Personal und Aktivitätsprotokoll dieses Computers dorthin übertragen (die gemeinsame Datenbank muss leer sein)
shopdb-leave-hint = Diese Kasse kehrt zu ihrer eigenen Datenbank zurück; was in der gemeinsamen Datenbank ist, bleibt dort für die anderen Kassen.
shopdb-save = Umstellen
shopdb-owner-title = PIN des Inhabers
shopdb-owner-hint = Wo jede Karte gespeichert wird, entscheidet der Inhaber. Wer einem Geschäft beitritt, das schon die gemeinsame Datenbank nutzt, braucht die PIN von dessen Inhaber.
shopdb-done = Erledigt: Diese Kasse nutzt jetzt die oben angezeigte Datenbank.
shopdb-moved = { $cards } Karten, { $customers } Kunden, { $payments } Zahlungen, { $staff } Mitarbeitende und { $entries } Protokolleinträge übertragen; jede Tabelle hat auf dem Server so viele Zeilen wie hier.

tills-title = Kassen dieses Geschäfts
tills-add = Kasse hinzufügen
tills-offer = Kopplungscode anzeigen
tills-offer-hint = Öffnen Sie an der neuen Kasse Einstellungen → Kassen dieses Geschäfts und geben Sie diesen Code ein:
tills-offer-expires = Der Code gilt bis { $time }, einmal.
tills-waiting = Warte auf die neue Kasse…
tills-asked = „{ $name }“ möchte beitreten. Ihr Schlüssel: { $fingerprint }. Prüfen Sie, ob die neue Kasse denselben zeigt, und lassen Sie sie dann zu.
tills-approve = Diese Kasse zulassen
tills-admitted = „{ $name }“ hat jetzt die Schlüssel des Geschäfts.
tills-revoke = Widerrufen
tills-revoked = widerrufen
tills-join = Diese Kasse dem Geschäft anschließen
tills-join-hint = Die Kasse eines Inhabers zeigt unter „Kasse hinzufügen“ einen Code. Die Schlüssel des Geschäfts kommen für diese Kasse versiegelt an, nie im Klartext.
tills-join-code = Code
tills-join-name = Name dieser Kasse
tills-join-submit = Beitritt anfragen
tills-joining = Angefragt. Schlüssel dieser Kasse: { $fingerprint }. Die Kasse des Inhabers zeigt denselben; warte auf die Zulassung…
tills-joined = Diese Kasse hat jetzt die Schlüssel des Geschäfts.

backup-title = Sichern oder wiederherstellen
backup-now-passphrase = Passphrase für diese Sicherung (mindestens 10 Zeichen)
backup-now = Jetzt sichern
backup-made = Sicherung gespeichert: { $path }
backup-restore = Eine Sicherung wiederherstellen
backup-restore-warning = Die Wiederherstellung ersetzt alle gespeicherten Karten, die Einstellungen und die Schlüssel dieses Computers durch die der Sicherung. Alle werden abgemeldet.
backup-restore-path = Sicherungsdatei (vollständiger Pfad)
backup-restore-passphrase = Ihre Passphrase
backup-restore-confirm = Mir ist klar, dass dies alles auf diesem Computer ersetzt
backup-restore-button = Wiederherstellen
backup-restored = Sicherung vom { $date } wiederhergestellt: { $cards ->
    [one] eine gespeicherte Karte
   *[other] { $cards } gespeicherte Karten
}.
audit-backup-create = Sicherung erstellt
audit-backup-restore = Sicherung wiederhergestellt
audit-staff-copy = Personal aus einer anderen Umgebung übernommen
error-backup-passphrase-wrong = Diese Passphrase öffnet die Sicherung nicht. Es wurde nichts geändert.
error-backup-damaged = Diese Datei ist beschädigt oder keine cardbind-Sicherung. Es wurde nichts geändert: Versuchen Sie eine andere Kopie.
error-backup-too-new = Diese Sicherung stammt von einem neueren cardbind. Aktualisieren Sie die App und stellen Sie sie dann wieder her. Es wurde nichts geändert.

# Notification listener
about-listener = Antom-Benachrichtigungen
about-listener-off = Hier nicht empfangen: cardbind fragt Antom selbst nach jedem Ergebnis.
about-listener-waiting = empfangsbereit, noch nichts erhalten
about-listener-last = { $count ->
    [one] eine Benachrichtigung erhalten
   *[other] { $count } Benachrichtigungen erhalten
}, die letzte am { $at }
about-listener-error = Letztes Problem: { $error }
settings-listener-bind = Benachrichtigungen empfangen auf (Adresse:Port)
settings-listener-bind-hint = Optional. Eine lokale Adresse, z. B. 127.0.0.1:8787, an die ein Reverse Proxy oder Tunnel für die Benachrichtigungs-URL weiterleitet. Leer lassen, um stattdessen bei Antom nachzufragen.

## Going live: the connection check, the go-live checklist, the first start (issue 21)

error-owner-pin-required = Der Wechsel in den Produktivbetrieb braucht die PIN eines Inhabers. Hat das Geschäft noch keinen Inhaber, legen Sie zuerst unter Personal einen an.
settings-currency = Währung des Geschäfts
settings-currency-none = Nicht festgelegt
settings-charge-limit = Kassierer dürfen belasten bis ({ $currency })
settings-charge-limit-hint = Ein Kassierer allein darf einen anwesenden Kunden bis zu diesem Betrag belasten; darüber und bei einem nicht anwesenden Kunden genehmigt ein Manager diese Belastung. Leer: 100 der Währung.
settings-merchant-region = Händlerregion (Ländercode)
settings-merchant-region-hint = Der zweistellige ISO-3166-Code des Landes, in dem das Geschäft tätig ist (zum Beispiel SG oder BR), wird mit Kartensitzungen und Zahlungen an Antom gesendet. Leer lassen, sofern Antom keinen verlangt hat.
settings-check-title = Verbindung zu Antom
settings-check-hint = Eine signierte Anfrage, die bei Antom nichts ändert, zeigt, ob Adresse, Client-ID, beide Schlüssel und die Uhr dieses Computers stimmen.
settings-check = Verbindung prüfen
settings-check-running = Antom wird gefragt …
settings-check-ok = Alles funktioniert: Antom hat die Anfrage dieses Geschäfts angenommen und die Antwort ist geprüft.
settings-check-failed = Vor echten Kunden ist etwas zu beheben: siehe die Zeilen unten.
settings-check-details = Details für Entwickler
settings-check-offer = Gespeichert. Prüfen Sie jetzt die Verbindung zu Antom, vor dem ersten Kunden.
settings-go-live-title = In den Produktivbetrieb wechseln
settings-go-live-hint = Ab jetzt werden echte Karten gespeichert und echtes Geld kann fließen. Ein Inhaber bestätigt mit seiner PIN.
settings-go-live-submit = Produktiv schalten
check-item-reach = Antom erreichen
check-item-client-host = Client-ID und Host
check-item-signature = Signatur dieses Geschäfts
check-item-answer = Antwort von Antom
check-item-clock = Uhr dieses Computers
check-reachable = Der Host von Antom hat geantwortet.
check-dns-failed = Der Hostname wurde nicht gefunden (DNS). Prüfen Sie die Internetverbindung und die Region oder Basis-URL.
check-tls-failed = Es kam keine sichere Verbindung zustande (TLS). Ein Proxy oder eine Firewall könnte dazwischenstehen; prüfen Sie auch das Datum des Computers.
check-proxy-failed = Der Proxy hat die Verbindung abgelehnt. Prüfen Sie die Proxy-Einstellungen des Computers.
check-connect-failed = Unter dieser Adresse hat nichts geantwortet. Prüfen Sie Internetverbindung, Firewall und Basis-URL.
check-timed-out = Antom hat nicht rechtzeitig geantwortet. Prüfen Sie die Internetverbindung und versuchen Sie es erneut.
check-http-error = Etwas hat geantwortet, aber nicht Antom (HTTP { $value }). Prüfen Sie die Region oder Basis-URL.
check-client-host-agree = Die Client-ID gehört zu dieser Umgebung und Antom kennt sie.
check-sandbox-id-on-production = Das ist eine Sandbox-Client-ID (SANDBOX_…), aber die Umgebung ist der Produktivbetrieb. Verwenden Sie die echte Client-ID aus dem Antom Dashboard oder wählen Sie die Sandbox.
check-production-id-on-sandbox = Das ist eine echte Client-ID, aber die Umgebung ist die Sandbox. Verwenden Sie die Sandbox-Client-ID (SANDBOX_…) oder wählen Sie den Produktivbetrieb.
check-client-unknown = Antom kennt diese Client-ID hier nicht. Prüfen Sie, ob sie vollständig aus dem Antom Dashboard kopiert wurde, für diese Umgebung.
check-signature-accepted = Antom hat die Signatur dieses Geschäfts angenommen.
check-signature-rejected = Antom hat die Signatur dieses Geschäfts abgelehnt. Meist ist der im Antom Dashboard hochgeladene öffentliche Schlüssel nicht der zu diesem privaten Schlüssel: Laden Sie den in den Einstellungen angezeigten öffentlichen Schlüssel hoch.
check-answer-verified = Die Antwort von Antom ist echt: Sie wurde mit dem öffentlichen Schlüssel von Antom geprüft.
check-keys-swapped = Im Feld für den öffentlichen Schlüssel von Antom steht der eigene öffentliche Schlüssel dieses Geschäfts. Fügen Sie dort den öffentlichen Schlüssel von Antom aus dem Antom Dashboard ein.
check-answer-not-verified = Die Antwort von Antom ließ sich nicht prüfen: Der öffentliche Schlüssel von Antom ist falsch. Kopieren Sie ihn erneut aus dem Antom Dashboard für diese Umgebung.
check-clock-ok = Die Uhr dieses Computers stimmt mit der von Antom überein.
check-clock-off = Die Uhr dieses Computers weicht { $value } Sekunden von der von Antom ab. Schalten Sie automatisches Datum und Uhrzeit (Netzwerkzeit) ein.
check-not-checked = Nicht geprüft: Beheben Sie zuerst die Zeile darüber.
golive-title = Checkliste für den Produktivbetrieb
golive-intro = Was ein Geschäft vor dem ersten echten Kunden bereit haben sollte.
golive-ready = Bereit für echte Kunden.
golive-not-ready = Noch ist nicht alles bereit.
golive-fix = Beheben
golive-shop-name = Name des Geschäfts
golive-currency = Währung des Geschäfts
golive-owner-pin = Ein Inhaber mit PIN
golive-antom-keys = Antom-Schlüssel importiert
golive-connection-checked = Verbindungsprüfung bestanden
golive-notifications = Benachrichtigungen von Antom
golive-backups = Sicherungen geplant
golive-state-done = Erledigt
golive-state-missing = Noch nicht
golive-state-not-in-demo = Nicht im Demomodus: Wählen Sie zuerst in den Einstellungen die Sandbox
golive-state-check-failed = Die letzte Prüfung hat ein Problem gefunden
golive-state-check-stale = Die Einstellungen haben sich seit der letzten Prüfung geändert: erneut prüfen
golive-state-polling-only = Nur Abfragen: Die App fragt Antom nach jedem Ergebnis, das klappt ohne öffentliche Adresse
golive-state-listening = Empfangsbereit: Stellen Sie sicher, dass die Benachrichtigungs-URL diesen Computer erreicht
welcome-title = Willkommen bei cardbind
welcome-intro = Ein paar Angaben, und das Geschäft ist bereit. Sie können auch überspringen und zuerst die Demo erkunden: Im Demomodus passiert nichts Echtes.
welcome-language = Sprache
welcome-owner = Der Inhaber
welcome-owner-hint = Die persönliche PIN des Inhabers schützt Einstellungen, Personal und das Entfernen von Karten. Leer lassen, um Personal später anzulegen.
welcome-owner-name = Name des Inhabers
welcome-owner-pin = PIN (4 bis 8 Ziffern)
welcome-owner-pin2 = PIN wiederholen
welcome-pin-mismatch = Die beiden PINs sind nicht gleich.
welcome-skip = Überspringen und Demo erkunden
welcome-start = Los geht's
kiosk-blocked-title = Der Kioskmodus braucht eine Filialleitung
kiosk-blocked-text = Dieser Computer wurde als Kunden-Kiosk gestartet, aber niemand könnte den Kioskmodus verlassen: Es gibt noch keine Filialleitung und keinen Inhaber mit PIN. Legen Sie unter Personal jemanden an und starten Sie dann den Kioskmodus.
kiosk-blocked-staff = Zum Personal

## payments (errors)
error-amount-invalid = Dieser Betrag kann nicht belastet werden: Geben Sie einen Betrag über null in der Währung des Geschäfts ein. Hat das Geschäft noch keine Währung, wählen Sie sie in den Einstellungen.
error-card-not-chargeable = Diese Karte wurde entfernt (oder wird gerade entfernt) und kann nicht mehr belastet werden.
error-refund-not-possible = Diese Erstattung ist nicht möglich: Nur eine erfolgreiche Zahlung kann erstattet werden, und nie mehr als noch übrig ist.
error-cancel-not-possible = Diese Zahlung kann nicht mehr storniert werden (abgerechnet, erstattet oder nicht belastet). Erstatten Sie sie stattdessen.
error-request-inconsistent = Antom meldet einen Konflikt mit einer früheren Anfrage. Nichts wurde doppelt belastet; wenden Sie sich mit den Details unten an den Support.
error-receipt-not-available = Nur eine erfolgreiche Zahlung oder Erstattung hat einen Beleg.
error-print-failed = Der Beleg konnte nicht als PDF gespeichert werden. Prüfen Sie den freien Speicherplatz und versuchen Sie es erneut, oder verwenden Sie Drucken.

## payments: charging a saved card
action-back = Zurück
charge-action = Belasten
charge-title = { $masked } belasten
charge-amount = Betrag ({ $currency })
charge-amount-invalid = Geben Sie einen Betrag über null mit höchstens { $decimals } Nachkommastellen ein.
charge-description = Beschreibung
charge-description-placeholder = Wofür bezahlt wird
charge-reference = Bestellnummer (optional)
charge-present = Der Kunde ist hier und stimmt dieser Zahlung zu
charge-review = Prüfen
charge-confirm-text = { $amount } auf { $brand } { $masked } belasten?
charge-confirm = { $amount } belasten
charge-progress = Karte wird belastet…
charge-approved = Genehmigt: { $amount }
charge-approved-detail = Autorisierungscode { $code } · Zahlung { $payment }
charge-declined = Abgelehnt
charge-declined-next = Es wurde nichts belastet. Bitten Sie den Kunden um eine andere Karte oder Zahlungsart.
charge-pending = Warten auf die Bank
charge-pending-text = Die Bank hat noch nicht geantwortet. cardbind prüft weiter; das Ergebnis erscheint hier und unter Zahlungen.
charge-3ds = Die Bank des Kunden bittet ihn, diese Zahlung zu bestätigen.
charge-done = Fertig
payment-state-cancelled = Storniert
pay-decline-do-not-honor = Die Bank hat die Zahlung abgelehnt.
pay-decline-insufficient-funds = Auf der Karte ist nicht genug Geld.
pay-decline-expired-card = Die Karte ist abgelaufen.
pay-decline-authentication = Die Zahlung wurde bei der Bank nicht bestätigt.
pay-decline-card-removed = Diese Karte ist bei Antom nicht mehr gespeichert.
pay-decline-other = Die Zahlung wurde abgelehnt.

## payments: the list and one payment
nav-payments = Zahlungen
payments-title = Zahlungen
payments-intro = Alle Belastungen gespeicherter Karten, die neuesten zuerst.
payments-search = Suchen
payments-search-placeholder = Letzte 4 Ziffern, Kunde, Referenz oder Zahlungs-ID
payments-state = Status
payments-state-all = Alle
payments-from = Von
payments-to = Bis
payment-state-sending = Wird gesendet
payment-state-pending = Ausstehend
payment-state-declined = Abgelehnt
payment-state-refused = Von Antom abgelehnt
refund-state-sending = Wird gesendet
refund-state-pending = Ausstehend
refund-state-succeeded = Erstattet
refund-state-failed = Abgelehnt
payments-col-date = Datum
payments-col-customer = Kunde
payments-col-card = Karte
payments-col-amount = Betrag
payments-col-status = Status
payments-empty = Noch keine Zahlungen. Belasten Sie eine gespeicherte Karte aus der Kartenliste.
payments-more = Mehr anzeigen
payments-back = Alle Zahlungen
payment-title = Zahlung über { $amount }
payment-refunded = Erstattet { $amount }
payment-id = Antom-Zahlungs-ID
payment-auth-code = Autorisierungscode
payment-reference = Referenz
payment-description = Beschreibung
payment-made = Erstellt
payment-refunds = Erstattungen
payment-refresh = Bei Antom nachfragen
payment-refund = Erstatten
payment-refund-left = Es können noch bis zu { $amount } erstattet werden.
payment-refund-amount = Zu erstattender Betrag ({ $currency })
payment-refund-reason = Grund (optional)
payment-refund-confirm = { $amount } erstatten
payment-cancel = Zahlung stornieren
payment-cancel-title = Diese Zahlung stornieren?
payment-cancel-text = Die Belastung über { $amount } wird aufgehoben, nichts bleibt belastet. Das kann nicht rückgängig gemacht werden.

## Receipts (components/ReceiptDialog.svelte); printed in the customer's language
receipt-open = Beleg
receipt-dialog-title = Beleg
receipt-language = Sprache des Belegs
receipt-print = Drucken
receipt-save-pdf = Als PDF speichern
receipt-saved = Als PDF gespeichert:
receipt-close = Schließen
receipt-heading-payment = Zahlungsbeleg
receipt-heading-refund = Erstattungsbeleg
receipt-date = Datum
receipt-card = Karte
receipt-amount = Bezahlter Betrag
receipt-refund-amount = Erstatteter Betrag
receipt-original-amount = Ursprüngliche Zahlung
receipt-description = Beschreibung
receipt-reference = Referenz
receipt-payment-id = Zahlungs-ID
receipt-refund-id = Erstattungs-ID
receipt-auth-code = Autorisierungscode
receipt-demo = DEMO – es wurde kein echtes Geld bewegt.
receipt-thanks = Vielen Dank für Ihren Einkauf!

## Activity log: payments, refunds, receipts, removals at Antom, kiosk codes, go-live (id: audit- + the action, . and _ as -)
audit-card-not-revoked = Karte hier entfernt, bei Antom nicht widerrufen (Token unlesbar)
audit-card-remove-requested = Entfernen der Karte beantragt (wartet auf Antom)
audit-customer-kiosk-code = Kiosk-Code an einen Kunden gegeben
audit-kiosk-code-locked = Kiosk-Code-Eingabe nach falschen Codes pausiert
audit-kiosk-code-used = Kiosk-Code verwendet
audit-payment-cancel = Stornierung der Zahlung beantragt
audit-payment-cancelled = Zahlung von Antom storniert
audit-payment-cancel-refused = Antom hat die Stornierung abgelehnt (stattdessen erstatten)
audit-payment-charge = Karte belastet (an Antom gesendet)
audit-payment-declined = Zahlung abgelehnt
audit-payment-refused = Zahlung von Antom zurückgewiesen
audit-receipt-pdf = Beleg als PDF gespeichert
audit-refund-failed = Erstattung fehlgeschlagen
audit-refund-request = Erstattung beantragt
audit-refund-succeeded = Erstattung abgeschlossen
audit-settings-connection-check = Verbindung zu Antom geprüft
audit-settings-go-live = Auf Produktion umgestellt
audit-settings-shop-database = Speicherort der Geschäftsdaten geändert
audit-till-offer = Kopplung einer neuen Kasse angeboten
audit-till-pair = Neue Kasse gekoppelt
audit-till-join = Den Kassen des Geschäfts beigetreten
audit-till-revoke = Kasse widerrufen
audit-settings-data-key-rotated = Gespeicherte Karten mit neuem Schlüssel versiegelt
audit-till-seal = Einträge wie vorgefunden mit dem Schlüssel des Geschäfts versiegelt

# Ready for the real Antom: capture, token APIs, notifications
payment-state-authorised = Autorisiert
payment-state-captured = Eingezogen
payment-state-capture-failed = Einzug fehlgeschlagen
audit-payment-authorised = Zahlung autorisiert
audit-payment-captured = Zahlung eingezogen
audit-payment-capture-failed = Einzug der Zahlung fehlgeschlagen (nichts belastet)
audit-card-removal-unconfirmed = Entfernen der Karte nicht bestätigt (Antom hat das Token noch)
audit-card-removal-refused = Antom hat das Löschen des Karten-Tokens abgelehnt
receipt-status = Status
receipt-status-authorised = Autorisiert — Einzug ausstehend
receipt-status-captured = Eingezogen
cards-removal-refused = Antom hat das Löschen des Tokens der Karte { $masked } abgelehnt. Sie kann hier nicht mehr belastet werden; bitten Sie den Antom-Support, es zu widerrufen. cardbind fragt weiter nach.
settings-merchant-account-id = Händlerkonto-ID
settings-merchant-account-id-hint = Die Händlerkonto-ID bei Antom (bis 64 Zeichen). Antom braucht sie, um das Token einer entfernten Karte zu löschen; ohne sie bleiben entfernte Karten „Entfernen ausstehend“.
settings-settlement-currency = Abrechnungswährung
settings-settlement-currency-hint = Nur wenn der Antom-Vertrag mehrere Abrechnungswährungen hat: die, in der Antom den Laden bezahlt. Sonst leer lassen.
settings-client-ip = Öffentliche IP-Adresse des Ladens
settings-client-ip-hint = Optional. Wird mit Kartenzahlungen für die Risikoprüfung an Antom gesendet. Leer: die eigene Adresse der Kasse wird gesendet.
settings-listener-exposed = Der Empfänger ist über diesen Computer hinaus erreichbar. Besser 127.0.0.1 hinter einem Reverse-Proxy oder Tunnel.
about-unhandled = Bestätigte Benachrichtigungen ohne Aktion
golive-merchant-account = Händlerkonto-ID (zum Entfernen von Karten)
error-shop-mismatch = Diese Datenbank ist nicht die, in die Ihr Geschäft umgezogen ist, daher werden die Schlüssel des Geschäfts dort nicht angeboten. Prüfen Sie die Adresse mit dem Inhaber.
error-passphrase-weak = Diese Passphrase ist zu leicht zu erraten. Verwenden Sie vier oder mehr unzusammenhängende Wörter oder eine lange zufällige: Sie ist alles, was die Schlüssel in einer Sicherung schützt.
golive-cashier-limits = Grenzen für Kassierer
golive-state-default-limits = Die Vorgaben eines neuen Geschäfts: in den Einstellungen ändern, wenn sie nicht passen
golive-limits-amounts = { $limit } je Belastung, { $daily } in 24 Stunden
settings-daily-limit = Ein Kassierer allein, in 24 Stunden ({ $currency })
settings-daily-limit-hint = Über dieser Summe der eigenen Belastungen eines Kassierers in 24 Stunden genehmigt ein Manager jede weitere. Leer: 500 der Währung.
welcome-limit-hint = Ein Kassierer darf allein bis zu diesem Betrag belasten; darüber genehmigt ein Manager. Leer: 100 der Währung. Änderbar in den Einstellungen.
approval-what-refund = { $amount } von Zahlung { $payment } auf { $card } erstatten
approval-what-cancel = Zahlung { $payment } stornieren ({ $card })
approval-what-charge = { $amount } auf { $card } von { $customer } belasten
approval-what-remove = { $card } von { $customer } entfernen
approval-what-settings = Diese Einstellungen speichern: { $fields }
approval-what-shop = Ändern, zu welchem Geschäft diese Kasse gehört oder wo ihre Daten liegen
approval-what-tills = Die Kassen des Geschäfts verwalten
approval-what-export = { $fields } exportieren
approval-what-staff = Personal verwalten
approval-what-backup = Eine Sicherung erstellen oder wiederherstellen (sie enthält alle Schlüssel)
approval-what-kiosk = Diese Kasse außerhalb der Produktion zum Kiosk machen
approval-what-keys = Die gespeicherten Karten mit einem neuen Schlüssel versiegeln
approval-what-other = Einmal erlauben
