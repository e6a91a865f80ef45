# cardbind — italiano

app-name = cardbind
app-tagline = Salva le carte dei clienti con Antom, addebita e rimborsa in seguito
app-starting = Avvio di cardbind…
language = Lingua
language-name = Italiano

env-demo = Demo — Antom simulato
env-sandbox = Sandbox di Antom
env-production = Antom produzione

nav-label = Menu principale
nav-cards = Carte
nav-customers = Clienti
nav-audit = Registro attività
nav-settings = Impostazioni
nav-about = Informazioni

action-cancel = Annulla

## Elenco carte

cards-title = Carte salvate
cards-intro = Carte salvate con Antom per i tuoi clienti. Su questo computer vengono conservate solo le ultime quattro cifre.
cards-search = Cerca
cards-search-placeholder = Ultime 4 cifre, nome, telefono o riferimento del cliente
cards-brand = Circuito
cards-brand-all = Tutti i circuiti
cards-expiry = Scadenza
cards-expiry-any = Qualsiasi scadenza
cards-expiry-expired = Scadute
cards-expiry-3m = Scadono entro 3 mesi
cards-expiry-12m = Scadono entro 12 mesi
cards-sort = Ordina per
cards-sort-recent = Salvate più di recente
cards-sort-expiry = Scadenza più vicina
cards-col-card = Carta
cards-col-expiry = Scadenza
cards-col-customer = Cliente
cards-col-bound = Salvata il
cards-col-actions = Azioni
cards-expired = Scaduta
cards-duplicate = Già salvata
cards-keep = Tieni entrambe
cards-replace = Tieni solo questa
cards-remove = Rimuovi
cards-remove-title = Rimuovere questa carta?
cards-remove-text = La carta { $brand } { $masked } di { $customer } verrà rimossa. Il negozio non potrà più usarla; il cliente dovrà aggiungerla di nuovo.
cards-remove-confirm = Rimuovi carta
cards-removed = Carta { $masked } rimossa.
cards-removal-pending = La carta { $masked } non può più essere addebitata. Antom non ha ancora confermato la rimozione; cardbind continua a chiederla e la rimuove appena Antom conferma.
cards-removal-pending-tag = Rimozione in attesa
cards-empty = Nessuna carta salvata. Apri un cliente e tocca “Aggiungi carta”.
cards-empty-action = Vai ai clienti
cards-empty-customer = Questo cliente non ha ancora carte salvate. Tocca “Aggiungi carta” per salvarne una.
cards-empty-filtered = Nessuna carta corrisponde alla ricerca. Modifica la ricerca o i filtri.
cards-shown =
    { $count ->
        [one] { $count } carta mostrata
       *[other] { $count } carte mostrate
    }
cards-loading = Caricamento delle carte…
cards-load-more = Mostra altre carte

## Clienti

customers-title = Clienti
customers-new = Nuovo cliente
customers-search = Cerca
customers-search-placeholder = Nome, telefono o riferimento
customers-loading = Caricamento dei clienti…
customers-empty = Ancora nessun cliente. Aggiungi il primo per salvarne la carta.
customers-empty-filtered = Nessun cliente corrisponde alla ricerca.
customers-col-name = Nome
customers-col-phone = Telefono
customers-col-reference = Riferimento
customers-col-cards = Carte
customers-card-count =
    { $count ->
        [0] Nessuna carta
        [one] { $count } carta
       *[other] { $count } carte
    }
customers-more = Sono mostrati i primi { $count }. Digita altre lettere del nome per restringere l'elenco.

customer-name = Nome
customer-phone = Telefono
customer-email = E-mail
customer-reference = Riferimento
customer-reference-hint = Un tuo riferimento, per esempio il numero della carta fedeltà.
customer-notes = Note
customer-save = Salva cliente
customer-edit = Modifica
customer-kiosk-code = Codice chiosco
customer-kiosk-code-text = Dai questo codice al cliente. Al chiosco sceglie «Ho un codice dal personale» e lo inserisce; la carta salvata viene aggiunta a questo cliente. Vale una volta, fino alle { $expires }.
customer-kiosk-code-done = Fatto
customer-edit-title = Modifica cliente
customer-cards = Carte salvate

## Aggiunta di una carta

add-card = Aggiungi carta
add-card-title = Aggiungi una carta
add-card-for = Per { $name }

consent-title = Salvataggio della tua carta
consent-text = Con il tuo consenso, { $shop } chiederà ad Antom di salvare questa carta, così potrai pagare in seguito senza inserirla di nuovo. Antom conserva i dati della carta; il negozio conserva solo il circuito, le ultime quattro cifre e la data di scadenza. Non ti verrà addebitato nulla ora e puoi chiedere al negozio di rimuovere la carta in qualsiasi momento.
consent-default-shop = questo negozio
consent-accept = Il cliente ha letto e accetta
consent-continue = Continua con i dati della carta
consent-loading = Caricamento del testo del consenso…

binding-starting = Apertura di un modulo sicuro di Antom…
binding-enter-card = Passa lo schermo al cliente perché inserisca i dati della carta nel modulo sicuro di Antom.
binding-loading = Caricamento del modulo sicuro di Antom…
binding-cancel = Annulla
binding-confirming = Conferma con Antom in corso…
binding-pending = La banca sta ancora verificando la carta.
binding-pending-hint = Può richiedere qualche minuto. La carta comparirà nell'elenco appena Antom la conferma; puoi lasciare questa pagina.
binding-pending-leave = Continua senza attendere
binding-bound-title = Carta salvata
binding-bound-expiry = Scade { $expiry }
binding-duplicate = Questo cliente aveva già salvato questa carta. Tenere entrambe o solo questa?
binding-add-another = Aggiungi un'altra carta
binding-done = Fine

## Pagina di avviso

alert-code = Codice: { $code }
alert-retry = Riprova
alert-back = Torna al cliente
alert-declined-title = Carta non salvata
alert-declined-next = Chiedi al cliente un'altra carta, oppure di contattare la sua banca.
alert-expired-title = Il modulo è scaduto
alert-expired-text = Il modulo sicuro è rimasto aperto troppo a lungo ed è stato chiuso. Nessuna carta è stata salvata.
alert-expired-next = Tocca “Riprova” per aprire un nuovo modulo.
alert-cancelled-title = Annullato
alert-cancelled-text = L'aggiunta della carta è stata annullata. Nessuna carta è stata salvata.
alert-cancelled-next = Tocca “Riprova” per ricominciare, oppure torna indietro.
alert-timeout-title = Il modulo non si è caricato
alert-timeout-text = Il modulo sicuro di Antom non si è caricato in tempo.
alert-timeout-next = Controlla la connessione a internet, poi tocca “Riprova”.
alert-connection-title = Connessione persa
alert-connection-text = La connessione con Antom si è interrotta. Se la carta è stata salvata, comparirà automaticamente nell'elenco.
alert-connection-next = Controlla la connessione a internet, poi tocca “Riprova”.
alert-sdk-error-title = Il modulo ha smesso di funzionare
alert-sdk-error-text = Il modulo sicuro di Antom ha segnalato un errore. Nessuna carta è stata salvata.
alert-sdk-error-next = Tocca “Riprova”. Se succede di nuovo, contatta l'assistenza indicando il codice qui sotto.
alert-error-title = Carta non salvata
alert-error-text = Si è verificato un problema durante il salvataggio della carta.
alert-error-next = Tocca “Riprova”. Se succede di nuovo, contatta l'assistenza indicando il codice qui sotto.

decline-generic = La banca ha rifiutato questa carta.
decline-do-not-honor = La banca ha rifiutato questa carta senza indicarne il motivo.
decline-card-expired = Questa carta è scaduta.
decline-invalid-card-number = Il numero della carta non è valido.
decline-invalid-cvv = Il codice di sicurezza (CVV) non è corretto.
decline-card-not-supported = Questo tipo di carta non può essere salvato qui.
decline-restricted-card = La banca non consente di salvare questa carta.
decline-verification-failed = La banca non ha potuto autenticare il titolare (3D Secure).

## Registro attività

audit-title = Registro attività
audit-intro = Tutto ciò che è stato fatto con clienti, carte e impostazioni su questo computer, dal più recente. Non può essere modificato.
audit-loading = Caricamento del registro attività…
audit-empty = Non è ancora successo nulla.
audit-load-more = Mostra voci precedenti
audit-col-at = Quando
audit-col-action = Cosa
audit-col-subject = Elemento
audit-col-by = Chi
audit-by-system = cardbind
audit-by-staff = Addetto { $id }
audit-customer-create = Cliente aggiunto
audit-customer-update = Cliente modificato
audit-consent-accept = Consenso dato
audit-binding-start = Modulo carta aperto
audit-binding-succeeded = Carta salvata da Antom
audit-binding-failed = Carta rifiutata
audit-binding-expired = Modulo scaduto
audit-binding-abandoned = Modulo abbandonato
audit-binding-cancel = Aggiunta carta annullata
audit-card-bind = Carta salvata
audit-card-remove = Carta rimossa
audit-card-keep-duplicate = Carta duplicata mantenuta
audit-card-replace-duplicate = Carta precedente sostituita
audit-settings-save = Impostazioni salvate
audit-settings-import-keys = Chiavi di pagamento importate

## Impostazioni

settings-title = Impostazioni
settings-loading = Caricamento delle impostazioni…
settings-environment = Ambiente
settings-demo-hint = La modalità demo esegue un Antom simulato all'interno dell'app: nessuna carta reale, nessun denaro reale. Usa le carte di prova elencate nel README.
settings-live-hint = Inserisci i dati del portale Antom. Vengono verificati prima di salvare qualsiasi cosa.
settings-shop-name = Nome del negozio
settings-shop-name-hint = Mostrato ai clienti nel testo del consenso.
settings-client-id = Client ID
settings-region = Regione
settings-region-none = Scegli una regione
settings-base-url = Oppure un indirizzo personalizzato
settings-notification-url = URL di notifica
settings-notification-url-hint = Dove Antom invia i risultati. Senza, cardbind chiede ad Antom ogni risultato.
settings-keys = Chiavi di pagamento
settings-merchant-key-set = Chiave privata dell'esercente salvata
settings-merchant-key-missing = Nessuna chiave privata dell'esercente
settings-antom-key-set = Chiave pubblica di Antom salvata
settings-antom-key-missing = Nessuna chiave pubblica di Antom
settings-merchant-key = Chiave privata dell'esercente
settings-merchant-key-file = Importa la chiave privata dell'esercente da un file
settings-antom-key = Chiave pubblica di Antom
settings-antom-key-file = Importa la chiave pubblica di Antom da un file
settings-key-paste = Incolla la chiave come la mostra Antom, oppure scegli un file qui sotto. Lascia vuoto per mantenere la chiave salvata.
settings-public-key = Chiave pubblica dell'esercente
settings-public-key-hint = Carica questa chiave pubblica nel portale Antom. La chiave privata non lascia mai il portachiavi di questo computer.
settings-save = Salva impostazioni
settings-saved = Impostazioni salvate.

## Informazioni

about-title = Informazioni su questa app
about-intro = Versione, ambiente e dove cardbind conserva i dati su questo computer.
about-load = Mostra le informazioni dell'app
about-loading = Caricamento delle informazioni dell'app…
about-version = Versione
about-environment = Ambiente
about-data-dir = Cartella dei dati
about-database = Database delle carte (proprio di questo ambiente)
about-config-dir = Cartella delle impostazioni
about-platform = Piattaforma
about-simulator = Antom dimostrativo (simulatore)
about-binding = Salvataggio carte
about-binding-ready = Pronto
datakey-done = { $count } carte salvate sono state sigillate di nuovo con una nuova chiave.
datakey-confirm-text = Questa cassa resta occupata fino alla fine. Se si ferma (un blackout), finisce al prossimo avvio. Poi associa di nuovo le altre casse del negozio.
datakey-confirm-title = Sigillare tutte le carte salvate con una nuova chiave?
datakey-rotate = Sigilla con una nuova chiave
datakey-intro = Il token di ogni carta salvata è cifrato con una chiave nel portachiavi di questo computer. Dopo la perdita o il furto di una cassa, sigillale tutte di nuovo con una nuova chiave: una copia della vecchia non apre più nulla. Le altre casse del negozio vanno poi associate di nuovo.
datakey-title = La chiave delle carte salvate
about-integrity-unchecked = Non verificato: questa cassa non ha ancora la chiave del negozio.
about-integrity-ok = Come li hanno scritti le casse: { $count } voci sigillate del registro attività e i record del personale.
about-integrity = Record
integrity-advice = Ripristina il database del negozio da un backup o chiedi al titolare.
integrity-staff = { $count } record del personale sono stati modificati nel database e non vengono usati.
integrity-unsealed = { $count } voci del registro attività sono state aggiunte senza la chiave del negozio.
integrity-broken = Il registro attività è stato modificato, o una voce rimossa, alla voce { $row }.
integrity-alert-title = Alcuni record sono stati modificati fuori dalle casse del negozio

## Errori

error-title = Si è verificato un problema
error-details = Dettagli: { $details }
error-internal = Si è verificato un errore imprevisto. Riprova; se succede di nuovo, contatta l'assistenza con i dettagli qui sotto.
error-data-dir-unavailable = cardbind non riesce a creare la cartella dei dati. Verifica che il disco non sia pieno e che il tuo account possa scrivere nella cartella personale.
error-storage-full = Il disco è pieno. Nulla è stato salvato e nulla è andato perso; libera spazio e riprova.
error-storage-failed = Non è stato possibile leggere o salvare l'elenco delle carte. Riprova; se continua, contatta l'assistenza con i dettagli qui sotto.
error-database-unreachable = Il database condiviso del negozio non è raggiungibile. Non è stato avviato nulla e non è andato perso nulla; controlla la rete o il server e riprova.
error-shared-database-not-empty = Il database condiviso contiene già carte o personale di un negozio. Non è stato spostato nulla; scegli un database vuoto.
error-backup-on-server = Questo negozio conserva i dati in un database condiviso: il backup si fa sul suo server, non da una cassa.
error-pairing-refused = Impossibile associare la cassa. Controlla il codice sulla cassa del titolare o avvia lì una nuova associazione.
error-till-revoked = Un titolare ha rimosso questa cassa dal negozio: non ha più le chiavi del negozio. Associala di nuovo per usarla.
error-shop-key-missing = Questa cassa ha la chiave delle carte del negozio, ma non la chiave con cui sono sigillati i suoi record. Associala di nuovo dalla cassa di un titolare (Impostazioni → Casse).
error-staff-list-missing = Manca l'elenco del personale del negozio: nessuno può accedere. Ripristina il database del negozio da un backup o chiedi al titolare. Questa cassa non si apre senza il suo personale.
error-row-tampered = Un record è stato modificato nel database del negozio da qualcuno che non è una delle sue casse, quindi non viene usato. Ripristina il database da un backup o chiedi al titolare.
error-not-found = Questo elemento non esiste più. Potrebbe essere stato rimosso in un'altra schermata.
error-invalid-input = Alcuni dati mancano o non sono validi. Controlla il campo evidenziato.
error-settings-invalid = Un'impostazione non è valida. Guarda i dettagli qui sotto e correggila nelle Impostazioni.
error-keyring-unavailable = L'archivio password del computer (portachiavi) non è disponibile, quindi le chiavi di pagamento non possono essere lette.
error-keyring-locked = L'archivio password del computer (portachiavi) è bloccato. Sbloccalo accedendo al computer, poi riprova.
error-key-missing = Le chiavi di pagamento per questo ambiente non sono ancora configurate. Importale nelle Impostazioni.
error-key-invalid = Una chiave di pagamento non è valida: tipo o lunghezza errati, oppure è danneggiata. Importala di nuovo nelle Impostazioni.
error-token-unreadable = Questa carta salvata non può essere sbloccata su questo computer. Salva di nuovo la carta.
error-data-key-missing = Nel portachiavi di sistema manca la chiave che protegge le carte salvate su questo computer. Non è stato modificato nulla: ripristina il portachiavi da un backup di questo computer per usare di nuovo le carte salvate.
error-antom-unreachable = Impossibile raggiungere Antom. Controlla la connessione a internet e riprova.
error-antom-rejected-signature = Antom non ha accettato la firma di questo negozio. Controlla il Client ID e la chiave dell'esercente nelle Impostazioni.
error-antom-response-invalid = Non è stato possibile verificare la risposta di Antom, quindi è stata scartata. Riprova; se continua, controlla la chiave pubblica di Antom nelle Impostazioni.
error-antom-failed = Antom ha rifiutato la richiesta. Vedi i dettagli qui sotto.
error-antom-unknown = Antom non ha ancora confermato il risultato. cardbind ricontrollerà automaticamente.
error-binding-declined = La carta è stata rifiutata. Chiedi al cliente un'altra carta.
error-binding-expired = Il modulo è scaduto prima che venisse inserita una carta. Ricomincia.
error-binding-pending = La banca sta ancora verificando la carta. Il risultato comparirà automaticamente.
error-notification-invalid = Un messaggio che diceva di provenire da Antom non ha superato il controllo di sicurezza ed è stato ignorato.

## Staff, roles and PINs
error-sign-in-required = Accedi con il tuo PIN per continuare.
error-permission-denied = Il tuo ruolo non consente questa operazione. Un responsabile o il titolare deve approvarla con il proprio PIN.
error-pin-wrong = Questo PIN non è corretto. Riprova.
error-pin-locked = Troppi PIN errati. L'inserimento del PIN è sospeso per un po'.
error-pin-weak = Scegli un PIN di 4-8 cifre che non sia una sequenza come 1234 né una cifra ripetuta.
error-pin-in-use = Un'altra persona usa già questo PIN. Scegline un altro.
error-kiosk-locked = Questa cassa è in modalità chiosco. Prima un responsabile deve uscire dalla modalità chiosco.
error-staff-required = La modalità chiosco richiede un responsabile o un titolare con PIN. Aggiungine uno in Personale prima.
error-kiosk-code-wrong = Questo codice non è corretto, è già stato usato o è scaduto. Controllalo o chiedine uno nuovo al personale.
error-kiosk-code-paused = Troppi codici errati. L'inserimento dei codici è sospeso per un po'; chiedi aiuto al personale.
kiosk-customer-name = Cliente del chiosco
pin-digits-entered =
    { $count ->
        [one] { $count } cifra inserita
       *[other] { $count } cifre inserite
    }
pin-back = Cancella l'ultima cifra
pin-clear = Cancella
pin-label = Inserisci il PIN
pin-locked =
    { $seconds ->
        [one] Troppi PIN errati. Riprova tra { $seconds } secondo.
       *[other] Troppi PIN errati. Riprova tra { $seconds } secondi.
    }
sign-in-title = Accedi
sign-in-hint = Inserisci il tuo PIN personale. Ciò che fai viene registrato a tuo nome.
sign-in-submit = Accedi
sign-out = Blocca
role-owner = Titolare
role-manager = Responsabile
role-cashier = Cassiere
nav-staff = Personale
staff-title = Personale
staff-intro = Ogni persona che usa questa cassa ha il proprio PIN. I cassieri aggiungono clienti e carte; rimuovere carte, esportare, cambiare le impostazioni e uscire dalla modalità chiosco richiedono un responsabile o il titolare.
staff-open-mode = Non c'è ancora personale registrato, quindi chiunque usi questo computer può fare tutto. Aggiungi il titolare per attivare i PIN.
staff-name = Nome
staff-role = Ruolo
staff-since = Aggiunto il
staff-actions = Azioni
staff-disabled = Disattivato
staff-new-pin = Nuovo PIN
staff-disable = Disattiva
staff-pin-saved = Il nuovo PIN è stato salvato.
staff-new-pin-for = Nuovo PIN per { $name }
staff-pin-hint = Da 4 a 8 cifre. Ogni persona ha un PIN diverso.
staff-save-pin = Salva PIN
staff-add-owner = Aggiungi il titolare
staff-add = Aggiungi una persona del personale
staff-pin = PIN
staff-pin-again = Ripeti il PIN
staff-pin-mismatch = I due PIN sono diversi.
staff-added = { $name } è stato aggiunto.
staff-save = Aggiungi persona
staff-disable-title = Disattivare questa persona?
staff-disable-text = { $name } non potrà più accedere. Il nome resta nel registro attività.
approval-title = Approvazione del responsabile
approval-hint = Un responsabile o il titolare inserisce il proprio PIN per consentirlo una volta.
approval-submit = Approva
export-csv = Esporta CSV
export-done =
    { $rows ->
        [one] { $rows } riga salvata in { $path }
       *[other] { $rows } righe salvate in { $path }
    }
settings-kiosk = Modalità chiosco
settings-kiosk-enabled = Avvia come chiosco per i clienti
settings-kiosk-hint = Schermo intero, i clienti registrano da soli la carta. Il PIN di un responsabile esce dalla modalità chiosco.
settings-kiosk-idle = Secondi prima di "Sei ancora lì?"
settings-kiosk-countdown = Conto alla rovescia prima di ricominciare, in secondi
audit-staff-create = Persona del personale aggiunta
audit-staff-set-pin = PIN del personale cambiato
audit-staff-disable = Persona del personale disattivata
audit-staff-sign-in = Accesso effettuato
audit-staff-sign-out = Uscita effettuata
audit-staff-approve = Approvato da un responsabile
audit-staff-approval-given = Approvazione del responsabile concessa
audit-staff-pin-locked = Inserimento PIN sospeso dopo PIN errati
audit-kiosk-enter = Modalità chiosco avviata
audit-kiosk-leave = Uscita dalla modalità chiosco
audit-kiosk-leave-refused = Uscita dal chiosco rifiutata (ruolo insufficiente)
audit-export-cards = Elenco carte esportato
audit-export-activity = Registro attività esportato

## Kiosk
kiosk-enter = Modalità chiosco
kiosk-enter-title = Avviare la modalità chiosco?
kiosk-enter-text = Lo schermo diventa un chiosco per i clienti e la tua sessione viene chiusa. Per uscire serve il PIN di un responsabile o del titolare.
kiosk-staff = Personale
kiosk-attract-title = Salva la tua carta e paga più in fretta
kiosk-attract-text = La tua carta viene conservata in modo sicuro dal nostro fornitore di pagamenti. Non viene addebitato nulla.
kiosk-choose-language = Scegli la tua lingua per iniziare
kiosk-decline = No, grazie
kiosk-agree = Accetto
kiosk-start-over = Ricomincia
kiosk-number-title = Il tuo telefono o numero fedeltà
kiosk-number-hint = Il negozio lo usa per riconoscerti la prossima volta. Sei già cliente? Chiedi un codice al personale, così la carta viene aggiunta al tuo conto.
kiosk-number-label = Telefono o numero fedeltà
kiosk-code-title = Il tuo codice dal personale
kiosk-code-hint = Inserisci il codice di 6 cifre che ti ha dato il personale. La carta verrà aggiunta al tuo conto.
kiosk-code-label = Codice di 6 cifre
kiosk-code-have = Ho un codice dal personale
kiosk-code-use-number = Usa un numero di telefono
kiosk-continue = Continua
kiosk-cancel = Annulla
kiosk-card-title = Inserisci la tua carta
kiosk-pending-hint = La tua banca sta ancora verificando la carta. Puoi andare; il risultato viene salvato automaticamente.
kiosk-finish = Fine
kiosk-bound-title = La tua carta è stata salvata
kiosk-bound-text = Grazie. Ora alla cassa paghi più in fretta.
kiosk-idle-title = Sei ancora lì?
kiosk-idle-text =
    { $seconds ->
        [one] Si ricomincia tra { $seconds } secondo.
       *[other] Si ricomincia tra { $seconds } secondi.
    }
kiosk-still-here = Sono ancora qui
kiosk-leave-title = Esci dalla modalità chiosco
kiosk-leave-hint = Solo personale: un responsabile o il titolare inserisce il proprio PIN.
kiosk-leave-submit = Esci dalla modalità chiosco
settings-lock-minutes = Blocca dopo (minuti senza uso)
settings-lock-minutes-hint = Il personale connesso viene disconnesso dopo questo tempo senza tocchi né tasti: da 1 a 240 minuti.
audit-staff-auto-lock = Bloccato per inattività

# Backups
settings-backup = Backup
settings-backup-hint = Un backup contiene tutte le carte salvate, le impostazioni e le chiavi, cifrate con la tua passphrase. Conservalo lontano da questo computer (una chiavetta USB in cassaforte, un altro computer). Senza backup, perdendo il computer si perde quale cliente possiede quale carta salvata.
settings-backup-folder = Cartella dei backup
settings-backup-every = Backup ogni (ore, 0 = solo a mano)
settings-backup-keep = Backup da conservare
settings-backup-passphrase = Passphrase dei backup pianificati
settings-backup-passphrase-hint = Almeno 10 caratteri, conservata nel portachiavi di questo computer. Annotala in un posto sicuro: senza di essa un backup non si può aprire. Lascia vuoto per mantenere quella salvata.
shopdb-title = Database del negozio
shopdb-current-local = I dati di questo negozio sono conservati su questo computer.
shopdb-current-shared = Questa cassa usa il database condiviso del negozio su { $server }.
shopdb-where = Dove sono conservati carte, pagamenti, personale e registro attività
shopdb-local = Questo computer (una cassa)
shopdb-shared = Il database condiviso del negozio (più casse, PostgreSQL)
shopdb-url = Indirizzo del database condiviso
shopdb-url-hint = postgresql://utente:password@host:5432/database. Conservato nel portachiavi di questo computer. La connessione è cifrata e il certificato del server verificato, a meno che l'indirizzo finisca con ?sslmode=disable.
shopdb-ca = File del certificato dell'autorità (facoltativo)
shopdb-ca-hint = Percorso completo del file PEM della tua autorità di certificazione, se il certificato del server non è di un'autorità pubblica.
shopdb-move = Spostare lì carte, pagamenti, personale e registro attività di questo computer (il database condiviso deve essere vuoto)
shopdb-leave-hint = Questa cassa torna al proprio database; ciò che è nel database condiviso vi resta per le altre casse.
shopdb-save = Cambia
shopdb-owner-title = PIN del titolare
shopdb-owner-hint = Dove si conserva ogni carta lo decide il titolare. Per unirsi a un negozio già sul database condiviso serve il PIN del titolare di quel negozio.
shopdb-done = Fatto: questa cassa ora usa il database indicato sopra.
shopdb-moved = spostati { $cards } carte, { $customers } clienti, { $payments } pagamenti, { $staff } dipendenti e { $entries } voci di attività; ogni tabella ha sul server tante righe quante qui.

tills-title = Casse di questo negozio
tills-add = Aggiungi una cassa
tills-offer = Mostra un codice di associazione
tills-offer-hint = Sulla nuova cassa apri Impostazioni → Casse di questo negozio e digita questo codice:
tills-offer-expires = Il codice vale fino alle { $time }, una volta.
tills-waiting = In attesa della nuova cassa…
tills-asked = «{ $name }» chiede di unirsi. La sua chiave: { $fingerprint }. Controlla che la nuova cassa mostri la stessa, poi ammettila.
tills-approve = Ammetti questa cassa
tills-admitted = «{ $name }» ora ha le chiavi del negozio.
tills-revoke = Revoca
tills-revoked = revocata
tills-join = Unisci questa cassa al negozio
tills-join-hint = La cassa di un titolare mostra un codice in Aggiungi una cassa. Le chiavi del negozio arrivano sigillate per questa cassa, mai in chiaro.
tills-join-code = Codice
tills-join-name = Nome di questa cassa
tills-join-submit = Chiedi di unirti
tills-joining = Richiesta inviata. Chiave di questa cassa: { $fingerprint }. La cassa del titolare mostra la stessa; in attesa che il titolare la ammetta…
tills-joined = Questa cassa ora ha le chiavi del negozio.

backup-title = Backup o ripristino
backup-now-passphrase = Passphrase di questo backup (almeno 10 caratteri)
backup-now = Esegui backup ora
backup-made = Backup salvato: { $path }
backup-restore = Ripristina un backup
backup-restore-warning = Il ripristino sostituisce tutte le carte salvate, le impostazioni e le chiavi di questo computer con quelle del backup. Tutti vengono disconnessi.
backup-restore-path = File di backup (percorso completo)
backup-restore-passphrase = La sua passphrase
backup-restore-confirm = Ho capito che questo sostituisce tutto su questo computer
backup-restore-button = Ripristina
backup-restored = Backup del { $date } ripristinato: { $cards ->
    [one] una carta salvata
   *[other] { $cards } carte salvate
}.
audit-backup-create = Backup eseguito
audit-backup-restore = Backup ripristinato
audit-staff-copy = Personale copiato da un altro ambiente
error-backup-passphrase-wrong = Questa passphrase non apre il backup. Non è stato modificato nulla.
error-backup-damaged = Questo file è danneggiato o non è un backup di cardbind. Non è stato modificato nulla: prova un'altra copia.
error-backup-too-new = Questo backup è stato creato da un cardbind più recente. Aggiorna l'app, poi ripristinalo. Non è stato modificato nulla.

# Notification listener
about-listener = Notifiche Antom
about-listener-off = Non ricevute qui: cardbind chiede ad Antom ogni risultato.
about-listener-waiting = in ascolto, ancora nulla ricevuto
about-listener-last = { $count ->
    [one] una notifica ricevuta
   *[other] { $count } notifiche ricevute
}, l'ultima il { $at }
about-listener-error = Ultimo problema: { $error }
settings-listener-bind = Ascolta le notifiche su (indirizzo:porta)
settings-listener-bind-hint = Facoltativo. Un indirizzo locale, ad es. 127.0.0.1:8787, verso cui inoltra un reverse proxy o un tunnel che serve l'URL di notifica. Lascia vuoto per interrogare Antom.

## Going live: the connection check, the go-live checklist, the first start (issue 21)

error-owner-pin-required = Passare alla produzione richiede il PIN di un titolare. Se il negozio non ha ancora un titolare, aggiungine uno in Personale prima.
settings-currency = Valuta del negozio
settings-currency-none = Non impostata
settings-charge-limit = I cassieri possono addebitare fino a ({ $currency })
settings-charge-limit-hint = Un cassiere da solo può addebitare a un cliente presente fino a questo importo; oltre, e per un cliente non presente, un responsabile approva quell'addebito. Vuoto: 100 della valuta.
settings-merchant-region = Regione dell'esercente (codice paese)
settings-merchant-region-hint = Il codice ISO 3166 di due lettere del paese in cui opera il negozio (per esempio SG o BR), inviato ad Antom con le sessioni carta e i pagamenti. Lascialo vuoto a meno che Antom non ne abbia chiesto uno.
settings-check-title = Connessione ad Antom
settings-check-hint = Una richiesta firmata che non cambia nulla in Antom mostra se l'indirizzo, l'ID cliente, le due chiavi e l'orologio di questo computer sono corretti.
settings-check = Verifica connessione
settings-check-running = Interrogazione di Antom…
settings-check-ok = Tutto funziona: Antom ha accettato la richiesta di questo negozio e la risposta è stata verificata.
settings-check-failed = C'è qualcosa da correggere prima dei clienti reali: vedi le righe qui sotto.
settings-check-details = Dettagli per uno sviluppatore
settings-check-offer = Salvato. Verifica ora la connessione ad Antom, prima del primo cliente.
settings-go-live-title = Passa alla produzione
settings-go-live-hint = Da ora si salvano carte reali e può muoversi denaro reale. Un titolare conferma con il suo PIN.
settings-go-live-submit = Vai in produzione
check-item-reach = Raggiungere Antom
check-item-client-host = ID cliente e server
check-item-signature = Firma di questo negozio
check-item-answer = Risposta di Antom
check-item-clock = Orologio di questo computer
check-reachable = Il server di Antom ha risposto.
check-dns-failed = Il nome del server non è stato trovato (DNS). Controlla la connessione internet e la regione o l'URL di base.
check-tls-failed = Non è stato possibile stabilire una connessione sicura (TLS). Un proxy o un firewall potrebbe interferire; controlla anche la data del computer.
check-proxy-failed = Il proxy ha rifiutato la connessione. Controlla le impostazioni proxy del computer.
check-connect-failed = Nulla ha risposto a quell'indirizzo. Controlla la connessione internet, il firewall e l'URL di base.
check-timed-out = Antom non ha risposto in tempo. Controlla la connessione internet e riprova.
check-http-error = Qualcosa ha risposto, ma non Antom (HTTP { $value }). Controlla la regione o l'URL di base.
check-client-host-agree = L'ID cliente appartiene a questo ambiente e Antom lo conosce.
check-sandbox-id-on-production = Questo è un ID cliente sandbox (SANDBOX_…) ma l'ambiente è la produzione. Usa l'ID reale di Antom Dashboard o scegli la sandbox.
check-production-id-on-sandbox = Questo è un ID cliente reale ma l'ambiente è la sandbox. Usa l'ID sandbox (SANDBOX_…) o scegli la produzione.
check-client-unknown = Antom qui non conosce questo ID cliente. Controlla che sia stato copiato per intero da Antom Dashboard, per questo ambiente.
check-signature-accepted = Antom ha accettato la firma di questo negozio.
check-signature-rejected = Antom ha rifiutato la firma di questo negozio. Di solito la chiave pubblica caricata su Antom Dashboard non è quella di questa chiave privata: carica la chiave pubblica mostrata in Impostazioni.
check-answer-verified = La risposta di Antom è autentica: è stata verificata con la chiave pubblica di Antom.
check-keys-swapped = Il campo della chiave pubblica di Antom contiene la chiave pubblica di questo negozio. Incolla lì la chiave pubblica di Antom, da Antom Dashboard.
check-answer-not-verified = Non è stato possibile verificare la risposta di Antom: la chiave pubblica di Antom è sbagliata. Copiala di nuovo da Antom Dashboard per questo ambiente.
check-clock-ok = L'orologio di questo computer concorda con quello di Antom.
check-clock-off = L'orologio di questo computer differisce di { $value } secondi da quello di Antom. Attiva data e ora automatiche (ora di rete).
check-not-checked = Non verificato: correggi prima la riga sopra.
golive-title = Lista per andare in produzione
golive-intro = Ciò che un negozio dovrebbe avere pronto prima del primo cliente reale.
golive-ready = Pronto per clienti reali.
golive-not-ready = Non è ancora tutto pronto.
golive-fix = Correggi
golive-shop-name = Nome del negozio
golive-currency = Valuta del negozio
golive-owner-pin = Un titolare con PIN
golive-antom-keys = Chiavi Antom importate
golive-connection-checked = Verifica della connessione superata
golive-notifications = Notifiche di Antom
golive-backups = Backup pianificati
golive-state-done = Fatto
golive-state-missing = Non ancora
golive-state-not-in-demo = Non in modalità demo: scegli prima la sandbox in Impostazioni
golive-state-check-failed = L'ultima verifica ha trovato un problema
golive-state-check-stale = Le impostazioni sono cambiate dall'ultima verifica: verifica di nuovo
golive-state-polling-only = Solo interrogazioni: l'app chiede ad Antom ogni risultato, il che funziona senza indirizzo pubblico
golive-state-listening = In ascolto: assicurati che l'URL di notifica raggiunga questo computer
welcome-title = Benvenuto in cardbind
welcome-intro = Pochi dati e il negozio è pronto. Puoi anche saltare ed esplorare prima la demo: in modalità demo non succede nulla di reale.
welcome-language = Lingua
welcome-owner = Il titolare
welcome-owner-hint = Il PIN personale del titolare protegge impostazioni, personale e rimozione delle carte. Lascia vuoto per aggiungere il personale più tardi.
welcome-owner-name = Nome del titolare
welcome-owner-pin = PIN (da 4 a 8 cifre)
welcome-owner-pin2 = Ripeti il PIN
welcome-pin-mismatch = I due PIN non sono uguali.
welcome-skip = Salta ed esplora la demo
welcome-start = Inizia
kiosk-blocked-title = La modalità chiosco richiede un responsabile
kiosk-blocked-text = Questo computer è stato avviato come chiosco per i clienti, ma nessuno potrebbe uscire dalla modalità chiosco: non c'è ancora un responsabile né un titolare con PIN. Aggiungine uno in Personale, poi avvia la modalità chiosco.
kiosk-blocked-staff = Vai a Personale

## payments (errors)
error-amount-invalid = Questo importo non può essere addebitato: inserisci un importo maggiore di zero nella valuta del negozio. Se il negozio non ha ancora una valuta, sceglila in Impostazioni.
error-card-not-chargeable = Questa carta è stata rimossa (o è in rimozione) e non può più essere addebitata.
error-refund-not-possible = Questo rimborso non è possibile: si può rimborsare solo un pagamento riuscito, e mai oltre quanto resta.
error-cancel-not-possible = Questo pagamento non può più essere annullato (regolato, rimborsato o non addebitato). Rimborsalo invece.
error-request-inconsistent = Antom segnala un conflitto con una richiesta precedente. Nulla è stato addebitato due volte; contatta l'assistenza con i dettagli qui sotto.
error-receipt-not-available = Solo un pagamento o un rimborso riuscito ha una ricevuta.
error-print-failed = Non è stato possibile salvare la ricevuta in PDF. Controlla lo spazio libero sul disco e riprova, oppure usa Stampa.

## payments: charging a saved card
action-back = Indietro
charge-action = Addebita
charge-title = Addebita { $masked }
charge-amount = Importo ({ $currency })
charge-amount-invalid = Inserisci un importo maggiore di zero con al massimo { $decimals } decimali.
charge-description = Descrizione
charge-description-placeholder = Cosa si sta pagando
charge-reference = Riferimento ordine (facoltativo)
charge-present = Il cliente è qui e accetta questo pagamento
charge-review = Controlla
charge-confirm-text = Addebitare { $amount } sulla { $brand } { $masked }?
charge-confirm = Addebita { $amount }
charge-progress = Addebito sulla carta…
charge-approved = Approvato: { $amount }
charge-approved-detail = Codice di autorizzazione { $code } · Pagamento { $payment }
charge-declined = Rifiutato
charge-declined-next = Non è stato addebitato nulla. Chiedi al cliente un'altra carta o un altro metodo di pagamento.
charge-pending = In attesa della banca
charge-pending-text = La banca non ha ancora risposto. cardbind continua a controllare; il risultato compare qui e in Pagamenti.
charge-3ds = La banca del cliente gli chiede di confermare questo pagamento.
charge-done = Fatto
payment-state-cancelled = Annullato
pay-decline-do-not-honor = La banca ha rifiutato il pagamento.
pay-decline-insufficient-funds = Sulla carta non ci sono fondi sufficienti.
pay-decline-expired-card = La carta è scaduta.
pay-decline-authentication = Il pagamento non è stato confermato con la banca.
pay-decline-card-removed = Questa carta non è più salvata presso Antom.
pay-decline-other = Il pagamento è stato rifiutato.

## payments: the list and one payment
nav-payments = Pagamenti
payments-title = Pagamenti
payments-intro = Tutti gli addebiti di carte salvate, dal più recente.
payments-search = Cerca
payments-search-placeholder = Ultime 4 cifre, cliente, riferimento o ID pagamento
payments-state = Stato
payments-state-all = Tutti
payments-from = Dal
payments-to = Al
payment-state-sending = Invio
payment-state-pending = In attesa
payment-state-declined = Rifiutato
payment-state-refused = Rifiutato da Antom
refund-state-sending = Invio
refund-state-pending = In attesa
refund-state-succeeded = Rimborsato
refund-state-failed = Rifiutato
payments-col-date = Data
payments-col-customer = Cliente
payments-col-card = Carta
payments-col-amount = Importo
payments-col-status = Stato
payments-empty = Ancora nessun pagamento. Addebita una carta salvata dall'elenco delle carte.
payments-more = Mostra altri
payments-back = Tutti i pagamenti
payment-title = Pagamento di { $amount }
payment-refunded = Rimborsato { $amount }
payment-id = ID pagamento Antom
payment-auth-code = Codice di autorizzazione
payment-reference = Riferimento
payment-description = Descrizione
payment-made = Effettuato
payment-refunds = Rimborsi
payment-refresh = Verifica con Antom
payment-refund = Rimborsa
payment-refund-left = Si possono ancora rimborsare fino a { $amount }.
payment-refund-amount = Importo da rimborsare ({ $currency })
payment-refund-reason = Motivo (facoltativo)
payment-refund-confirm = Rimborsa { $amount }
payment-cancel = Annulla pagamento
payment-cancel-title = Annullare questo pagamento?
payment-cancel-text = L'addebito di { $amount } viene annullato e non resta nulla addebitato. Non si può tornare indietro.

## Receipts (components/ReceiptDialog.svelte); printed in the customer's language
receipt-open = Ricevuta
receipt-dialog-title = Ricevuta
receipt-language = Lingua della ricevuta
receipt-print = Stampa
receipt-save-pdf = Salva come PDF
receipt-saved = Salvata come PDF:
receipt-close = Chiudi
receipt-heading-payment = Ricevuta di pagamento
receipt-heading-refund = Ricevuta di rimborso
receipt-date = Data
receipt-card = Carta
receipt-amount = Importo pagato
receipt-refund-amount = Importo rimborsato
receipt-original-amount = Pagamento originale
receipt-description = Descrizione
receipt-reference = Riferimento
receipt-payment-id = ID pagamento
receipt-refund-id = ID rimborso
receipt-auth-code = Codice di autorizzazione
receipt-demo = DEMO — non è stato mosso denaro reale.
receipt-thanks = Grazie per l'acquisto!

## Activity log: payments, refunds, receipts, removals at Antom, kiosk codes, go-live (id: audit- + the action, . and _ as -)
audit-card-not-revoked = Carta rimossa qui, non revocata presso Antom (token illeggibile)
audit-card-remove-requested = Rimozione della carta richiesta (in attesa di Antom)
audit-customer-kiosk-code = Codice chiosco dato a un cliente
audit-kiosk-code-locked = Inserimento codici chiosco in pausa dopo codici errati
audit-kiosk-code-used = Codice chiosco usato
audit-payment-cancel = Annullamento del pagamento richiesto
audit-payment-cancelled = Pagamento annullato da Antom
audit-payment-cancel-refused = Antom ha rifiutato l'annullamento (rimborsare invece)
audit-payment-charge = Carta addebitata (inviato ad Antom)
audit-payment-declined = Pagamento rifiutato
audit-payment-refused = Pagamento respinto da Antom
audit-receipt-pdf = Ricevuta salvata in PDF
audit-refund-failed = Rimborso non riuscito
audit-refund-request = Rimborso richiesto
audit-refund-succeeded = Rimborso completato
audit-settings-connection-check = Connessione ad Antom verificata
audit-settings-go-live = Passaggio a produzione
audit-settings-shop-database = Cambiato dove sono conservati i dati del negozio
audit-till-offer = Offerta l'associazione di una nuova cassa
audit-till-pair = Associata una nuova cassa
audit-till-join = Unita alle casse del negozio
audit-till-revoke = Cassa revocata
audit-settings-data-key-rotated = Sigillate le carte salvate con una nuova chiave
audit-till-seal = Sigillati i record così com'erano con la chiave del negozio

# Ready for the real Antom: capture, token APIs, notifications
payment-state-authorised = Autorizzato
payment-state-captured = Incassato
payment-state-capture-failed = Incasso non riuscito
audit-payment-authorised = Pagamento autorizzato
audit-payment-captured = Pagamento incassato
audit-payment-capture-failed = Incasso del pagamento non riuscito (nulla addebitato)
audit-card-removal-unconfirmed = Rimozione della carta non confermata (Antom ha ancora il token)
audit-card-removal-refused = Antom ha rifiutato di eliminare il token della carta
receipt-status = Stato
receipt-status-authorised = Autorizzato — incasso in attesa
receipt-status-captured = Incassato
cards-removal-refused = Antom ha rifiutato di eliminare il token della carta { $masked }. Non può più essere addebitata qui; chieda al supporto Antom di revocarlo. cardbind continua a chiedere.
settings-merchant-account-id = ID dell'account esercente
settings-merchant-account-id-hint = L'ID dell'account esercente Antom (fino a 64 caratteri). Antom ne ha bisogno per eliminare il token di una carta rimossa; senza, le carte rimosse restano "rimozione in attesa".
settings-settlement-currency = Valuta di regolamento
settings-settlement-currency-hint = Solo se il contratto Antom prevede più valute di regolamento: quella in cui Antom paga il negozio. Altrimenti lasci vuoto.
settings-client-ip = Indirizzo IP pubblico del negozio
settings-client-ip-hint = Facoltativo. Inviato ad Antom con gli addebiti su carta per i controlli di rischio. Vuoto: viene inviato l'indirizzo della cassa stessa.
settings-listener-exposed = Il ricevitore è raggiungibile oltre questo computer. Meglio 127.0.0.1 dietro un reverse proxy o un tunnel.
about-unhandled = Notifiche confermate, senza azione
golive-merchant-account = ID dell'account esercente (per rimuovere carte)
error-shop-mismatch = Questo database non è quello in cui il negozio si è trasferito, quindi le chiavi del negozio non vi vengono offerte. Verifica l'indirizzo con il titolare.
error-passphrase-weak = Questa passphrase è troppo facile da indovinare. Usa quattro o più parole senza relazione, o una lunga e casuale: è tutto ciò che protegge le chiavi di un backup.
golive-cashier-limits = Limiti dei cassieri
golive-state-default-limits = I valori di un negozio nuovo: cambiali nelle Impostazioni se non vanno bene
golive-limits-amounts = { $limit } per addebito, { $daily } in 24 ore
settings-daily-limit = Un cassiere da solo, in 24 ore ({ $currency })
settings-daily-limit-hint = Oltre questo totale degli addebiti del cassiere in 24 ore, un responsabile approva ogni addebito successivo. Vuoto: 500 della valuta.
welcome-limit-hint = Un cassiere può addebitare da solo fino a questo importo; oltre, approva un responsabile. Vuoto: 100 della valuta. Si può cambiare nelle Impostazioni.
approval-what-refund = Rimborsare { $amount } del pagamento { $payment } su { $card }
approval-what-cancel = Annullare il pagamento { $payment } ({ $card })
approval-what-charge = Addebitare { $amount } su { $card } di { $customer }
approval-what-remove = Rimuovere { $card } di { $customer }
approval-what-settings = Salvare queste impostazioni: { $fields }
approval-what-shop = Cambiare il negozio a cui appartiene questa cassa, o dove sono i suoi dati
approval-what-tills = Gestire le casse del negozio
approval-what-export = Esportare { $fields }
approval-what-staff = Gestire il personale
approval-what-backup = Creare o ripristinare un backup (contiene tutte le chiavi)
approval-what-kiosk = Trasformare questa cassa in chiosco fuori dalla produzione
approval-what-keys = Sigillare le carte salvate con una nuova chiave
approval-what-other = Consentire una volta
