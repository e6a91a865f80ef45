# cardbind — français

app-name = cardbind
app-tagline = Enregistrez les cartes des clients avec Antom, débitez-les et remboursez plus tard
app-starting = Démarrage de cardbind…
language = Langue
language-name = Français

env-demo = Démo — Antom simulé
env-sandbox = Bac à sable Antom
env-production = Antom production

nav-label = Menu principal
nav-cards = Cartes
nav-customers = Clients
nav-audit = Journal d'activité
nav-settings = Paramètres
nav-about = À propos

action-cancel = Annuler

## Liste des cartes

cards-title = Cartes enregistrées
cards-intro = Cartes enregistrées auprès d'Antom pour vos clients. Seuls les quatre derniers chiffres sont conservés sur cet ordinateur.
cards-search = Rechercher
cards-search-placeholder = 4 derniers chiffres, nom, téléphone ou référence du client
cards-brand = Réseau
cards-brand-all = Tous les réseaux
cards-expiry = Expiration
cards-expiry-any = Toute date d'expiration
cards-expiry-expired = Expirées
cards-expiry-3m = Expirent dans les 3 mois
cards-expiry-12m = Expirent dans les 12 mois
cards-sort = Trier par
cards-sort-recent = Enregistrées le plus récemment
cards-sort-expiry = Expiration la plus proche
cards-col-card = Carte
cards-col-expiry = Expire fin
cards-col-customer = Client
cards-col-bound = Enregistrée le
cards-col-actions = Actions
cards-expired = Expirée
cards-duplicate = Déjà enregistrée
cards-keep = Garder les deux
cards-replace = Garder seulement celle-ci
cards-remove = Supprimer
cards-remove-title = Supprimer cette carte ?
cards-remove-text = La carte { $brand } { $masked } de { $customer } sera supprimée. La boutique ne pourra plus l'utiliser ; le client devra l'ajouter à nouveau.
cards-remove-confirm = Supprimer la carte
cards-removed = Carte { $masked } supprimée.
cards-removal-pending = La carte { $masked } ne peut plus être débitée. Antom n'a pas encore confirmé sa suppression ; cardbind continue de la demander et la supprime dès qu'Antom confirme.
cards-removal-pending-tag = Suppression en attente
cards-empty = Aucune carte enregistrée pour l'instant. Ouvrez un client et appuyez sur « Ajouter une carte ».
cards-empty-action = Aller aux clients
cards-empty-customer = Ce client n'a encore aucune carte enregistrée. Appuyez sur « Ajouter une carte » pour en enregistrer une.
cards-empty-filtered = Aucune carte ne correspond à cette recherche. Modifiez la recherche ou les filtres.
cards-shown =
    { $count ->
        [one] { $count } carte affichée
       *[other] { $count } cartes affichées
    }
cards-loading = Chargement des cartes…
cards-load-more = Afficher plus de cartes

## Clients

customers-title = Clients
customers-new = Nouveau client
customers-search = Rechercher
customers-search-placeholder = Nom, téléphone ou référence
customers-loading = Chargement des clients…
customers-empty = Aucun client pour l'instant. Ajoutez le premier pour enregistrer sa carte.
customers-empty-filtered = Aucun client ne correspond à cette recherche.
customers-col-name = Nom
customers-col-phone = Téléphone
customers-col-reference = Référence
customers-col-cards = Cartes
customers-card-count =
    { $count ->
        [0] Aucune carte
        [one] { $count } carte
       *[other] { $count } cartes
    }
customers-more = Affichage des { $count } premiers. Saisissez davantage du nom pour affiner la liste.

customer-name = Nom
customer-phone = Téléphone
customer-email = E-mail
customer-reference = Référence
customer-reference-hint = Votre propre référence, par exemple un numéro de carte de fidélité.
customer-notes = Remarques
customer-save = Enregistrer le client
customer-edit = Modifier
customer-kiosk-code = Code borne
customer-kiosk-code-text = Donnez ce code au client. À la borne, il choisit « J'ai un code de l'équipe » et le saisit ; la carte enregistrée est ajoutée à ce client. Valable une fois, jusqu'à { $expires }.
customer-kiosk-code-done = Terminé
customer-edit-title = Modifier le client
customer-cards = Cartes enregistrées

## Ajout d'une carte

add-card = Ajouter une carte
add-card-title = Ajouter une carte
add-card-for = Pour { $name }

consent-title = Enregistrement de votre carte
consent-text = Avec votre accord, { $shop } demandera à Antom d'enregistrer cette carte pour que vous puissiez payer avec plus tard sans la saisir à nouveau. Antom conserve les données de la carte ; la boutique ne garde que le réseau, les quatre derniers chiffres et la date d'expiration. Aucun montant ne sera débité maintenant, et vous pouvez demander à la boutique de supprimer la carte à tout moment.
consent-default-shop = cette boutique
consent-accept = Le client a lu ce texte et l'accepte
consent-continue = Continuer vers les données de la carte
consent-loading = Chargement du texte de consentement…

binding-starting = Ouverture d'un formulaire sécurisé Antom…
binding-enter-card = Tendez l'écran au client pour qu'il saisisse les données de sa carte dans le formulaire sécurisé d'Antom.
binding-loading = Chargement du formulaire sécurisé d'Antom…
binding-cancel = Annuler
binding-confirming = Confirmation auprès d'Antom…
binding-pending = La banque vérifie encore la carte.
binding-pending-hint = Cela peut prendre quelques minutes. La carte apparaîtra dans la liste dès qu'Antom l'aura confirmée ; vous pouvez quitter cette page.
binding-pending-leave = Continuer sans attendre
binding-bound-title = Carte enregistrée
binding-bound-expiry = Expire fin { $expiry }
binding-duplicate = Ce client avait déjà enregistré cette carte. Garder les deux, ou seulement celle-ci ?
binding-add-another = Ajouter une autre carte
binding-done = Terminé

## Page d'alerte

alert-code = Code : { $code }
alert-retry = Réessayer
alert-back = Retour au client
alert-declined-title = Carte non enregistrée
alert-declined-next = Demandez au client une autre carte, ou de contacter sa banque.
alert-expired-title = Le formulaire a expiré
alert-expired-text = Le formulaire sécurisé est resté ouvert trop longtemps et s'est fermé. Aucune carte n'a été enregistrée.
alert-expired-next = Appuyez sur « Réessayer » pour ouvrir un nouveau formulaire.
alert-cancelled-title = Annulé
alert-cancelled-text = L'ajout de la carte a été annulé. Aucune carte n'a été enregistrée.
alert-cancelled-next = Appuyez sur « Réessayer » pour recommencer, ou revenez en arrière.
alert-timeout-title = Le formulaire ne s'est pas chargé
alert-timeout-text = Le formulaire sécurisé d'Antom ne s'est pas chargé à temps.
alert-timeout-next = Vérifiez la connexion Internet, puis appuyez sur « Réessayer ».
alert-connection-title = Connexion perdue
alert-connection-text = La connexion à Antom a été perdue. Si la carte a été enregistrée, elle apparaîtra automatiquement dans la liste.
alert-connection-next = Vérifiez la connexion Internet, puis appuyez sur « Réessayer ».
alert-sdk-error-title = Le formulaire a cessé de fonctionner
alert-sdk-error-text = Le formulaire sécurisé d'Antom a signalé une erreur. Aucune carte n'a été enregistrée.
alert-sdk-error-next = Appuyez sur « Réessayer ». Si cela se reproduit, contactez l'assistance avec le code ci-dessous.
alert-error-title = Carte non enregistrée
alert-error-text = Un problème est survenu pendant l'enregistrement de la carte.
alert-error-next = Appuyez sur « Réessayer ». Si cela se reproduit, contactez l'assistance avec le code ci-dessous.

decline-generic = La banque a refusé cette carte.
decline-do-not-honor = La banque a refusé cette carte sans en donner la raison.
decline-card-expired = Cette carte a expiré.
decline-invalid-card-number = Le numéro de carte n'est pas valide.
decline-invalid-cvv = Le cryptogramme (CVV) est incorrect.
decline-card-not-supported = Ce type de carte ne peut pas être enregistré ici.
decline-restricted-card = La banque n'autorise pas l'enregistrement de cette carte.
decline-verification-failed = La banque n'a pas pu authentifier le titulaire (3D Secure).

## Journal d'activité

audit-title = Journal d'activité
audit-intro = Tout ce qui a été fait avec les clients, les cartes et les paramètres sur cet ordinateur, du plus récent au plus ancien. Il ne peut pas être modifié.
audit-loading = Chargement du journal d'activité…
audit-empty = Il ne s'est encore rien passé.
audit-load-more = Afficher les entrées plus anciennes
audit-col-at = Quand
audit-col-action = Quoi
audit-col-subject = Élément
audit-col-by = Qui
audit-by-system = cardbind
audit-by-staff = Employé { $id }
audit-customer-create = Client ajouté
audit-customer-update = Client modifié
audit-consent-accept = Consentement donné
audit-binding-start = Formulaire de carte ouvert
audit-binding-succeeded = Carte enregistrée par Antom
audit-binding-failed = Carte refusée
audit-binding-expired = Formulaire expiré
audit-binding-abandoned = Formulaire abandonné
audit-binding-cancel = Ajout de carte annulé
audit-card-bind = Carte enregistrée
audit-card-remove = Carte supprimée
audit-card-keep-duplicate = Carte en double conservée
audit-card-replace-duplicate = Carte précédente remplacée
audit-settings-save = Paramètres enregistrés
audit-settings-import-keys = Clés de paiement importées

## Paramètres

settings-title = Paramètres
settings-loading = Chargement des paramètres…
settings-environment = Environnement
settings-demo-hint = Le mode démo fait tourner un Antom simulé dans l'application : pas de vraies cartes, pas d'argent réel. Utilisez les cartes de test listées dans le README.
settings-live-hint = Saisissez les informations du portail Antom. Elles sont vérifiées avant tout enregistrement.
settings-shop-name = Nom de la boutique
settings-shop-name-hint = Affiché aux clients dans le texte de consentement.
settings-client-id = Client ID
settings-region = Région
settings-region-none = Choisissez une région
settings-base-url = Ou une adresse personnalisée
settings-notification-url = URL de notification
settings-notification-url-hint = Où Antom envoie les résultats. Sans elle, cardbind interroge Antom pour chaque résultat.
settings-keys = Clés de paiement
settings-merchant-key-set = Clé privée du marchand enregistrée
settings-merchant-key-missing = Pas encore de clé privée du marchand
settings-antom-key-set = Clé publique Antom enregistrée
settings-antom-key-missing = Pas encore de clé publique Antom
settings-merchant-key = Clé privée du marchand
settings-merchant-key-file = Importer la clé privée du marchand depuis un fichier
settings-antom-key = Clé publique Antom
settings-antom-key-file = Importer la clé publique Antom depuis un fichier
settings-key-paste = Collez la clé telle qu'Antom l'affiche, ou choisissez un fichier ci-dessous. Laissez vide pour garder la clé enregistrée.
settings-public-key = Clé publique du marchand
settings-public-key-hint = Téléversez cette clé publique dans le portail Antom. La clé privée ne quitte jamais le trousseau de cet ordinateur.
settings-save = Enregistrer les paramètres
settings-saved = Paramètres enregistrés.

## À propos

about-title = À propos de cette application
about-intro = Version, environnement et emplacement des données de cardbind sur cet ordinateur.
about-load = Afficher les informations de l'application
about-loading = Chargement des informations de l'application…
about-version = Version
about-environment = Environnement
about-data-dir = Dossier des données
about-database = Base de données des cartes (propre à cet environnement)
about-config-dir = Dossier des paramètres
about-platform = Plateforme
about-simulator = Antom de démonstration (simulateur)
about-binding = Enregistrement des cartes
about-binding-ready = Prêt
datakey-done = { $count } cartes enregistrées ont été scellées de nouveau avec une nouvelle clé.
datakey-confirm-text = Cette caisse est occupée jusqu'à la fin. Si elle s'arrête (une coupure de courant), elle termine au prochain démarrage. Appairez ensuite de nouveau les autres caisses du magasin.
datakey-confirm-title = Sceller toutes les cartes enregistrées avec une nouvelle clé ?
datakey-rotate = Sceller avec une nouvelle clé
datakey-intro = Le jeton de chaque carte enregistrée est chiffré avec une clé du trousseau de cet ordinateur. Après la perte ou le vol d'une caisse, scellez-les toutes de nouveau avec une nouvelle clé : une copie de l'ancienne n'ouvre alors plus rien. Les autres caisses du magasin sont ensuite appairées de nouveau.
datakey-title = La clé des cartes enregistrées
about-integrity-unchecked = Non vérifié : cette caisse n'a pas encore la clé du magasin.
about-integrity-ok = Tels que les caisses les ont écrits : { $count } entrées scellées du journal d'activité, et les fiches du personnel.
about-integrity = Enregistrements
integrity-advice = Restaurez la base du magasin depuis une sauvegarde, ou demandez au propriétaire.
integrity-staff = { $count } fiches du personnel ont été modifiées dans la base et ne sont pas utilisées.
integrity-unsealed = { $count } entrées du journal d'activité ont été ajoutées sans la clé du magasin.
integrity-broken = Le journal d'activité a été modifié, ou une entrée supprimée, à l'entrée { $row }.
integrity-alert-title = Des enregistrements ont été modifiés hors des caisses du magasin

## Erreurs

error-title = Un problème est survenu
error-details = Détails : { $details }
error-internal = Une erreur inattendue s'est produite. Réessayez ; si cela se reproduit, contactez l'assistance avec les détails ci-dessous.
error-data-dir-unavailable = cardbind ne peut pas créer son dossier de données. Vérifiez que le disque n'est pas plein et que votre compte peut écrire dans votre dossier personnel.
error-storage-full = Le disque est plein. Rien n'a été enregistré ni perdu ; libérez de l'espace et réessayez.
error-storage-failed = La liste des cartes n'a pas pu être lue ou enregistrée. Réessayez ; si cela persiste, contactez l'assistance avec les détails ci-dessous.
error-database-unreachable = La base de données partagée du magasin est injoignable. Rien n'a été lancé et rien n'est perdu ; vérifiez le réseau ou le serveur, puis réessayez.
error-shared-database-not-empty = La base de données partagée contient déjà les cartes ou le personnel d'un magasin. Rien n'a été déplacé ; choisissez une base vide.
error-backup-on-server = Ce magasin garde ses données dans une base partagée : elle est sauvegardée sur son serveur, pas depuis une caisse.
error-pairing-refused = La caisse n'a pas pu être appairée. Vérifiez le code sur la caisse du propriétaire ou relancez l'appairage depuis celle-ci.
error-till-revoked = Un propriétaire a retiré cette caisse du magasin : elle n'a plus les clés du magasin. Appairez-la de nouveau pour l'utiliser.
error-shop-key-missing = Cette caisse a la clé des cartes du magasin, mais pas celle qui scelle ses enregistrements. Appairez-la de nouveau depuis la caisse d'un propriétaire (Paramètres → Caisses).
error-staff-list-missing = La liste du personnel du magasin a disparu : personne ne peut se connecter. Restaurez la base du magasin depuis une sauvegarde, ou demandez au propriétaire. Cette caisse ne s'ouvre pas sans son personnel.
error-row-tampered = Un enregistrement a été modifié dans la base de données du magasin par quelqu'un d'autre que l'une de ses caisses : il n'est pas utilisé. Restaurez la base depuis une sauvegarde, ou demandez au propriétaire.
error-not-found = Cet élément n'existe plus. Il a peut-être été supprimé sur un autre écran.
error-invalid-input = Des informations manquent ou ne sont pas valides. Vérifiez le champ signalé.
error-settings-invalid = Un paramètre n'est pas valide. Consultez les détails ci-dessous et corrigez-le dans les Paramètres.
error-keyring-unavailable = Le coffre à mots de passe de l'ordinateur (trousseau) n'est pas disponible : les clés de paiement ne peuvent pas être lues.
error-keyring-locked = Le coffre à mots de passe de l'ordinateur (trousseau) est verrouillé. Déverrouillez-le en vous connectant à l'ordinateur, puis réessayez.
error-key-missing = Les clés de paiement de cet environnement ne sont pas encore configurées. Importez-les dans les Paramètres.
error-key-invalid = Une clé de paiement n'est pas valide : mauvais type, mauvaise taille ou clé endommagée. Importez-la à nouveau dans les Paramètres.
error-token-unreadable = Cette carte enregistrée ne peut pas être déverrouillée sur cet ordinateur. Enregistrez la carte à nouveau.
error-data-key-missing = La clé qui protège les cartes enregistrées sur cet ordinateur est absente du trousseau du système. Rien n'a été modifié : restaurez le trousseau depuis une sauvegarde de cet ordinateur pour utiliser à nouveau les cartes enregistrées.
error-antom-unreachable = Impossible de joindre Antom. Vérifiez la connexion Internet et réessayez.
error-antom-rejected-signature = Antom n'a pas accepté la signature de cette boutique. Vérifiez le Client ID et la clé du marchand dans les Paramètres.
error-antom-response-invalid = La réponse d'Antom n'a pas pu être vérifiée, elle a donc été ignorée. Réessayez ; si cela persiste, vérifiez la clé publique Antom dans les Paramètres.
error-antom-failed = Antom a refusé la demande. Consultez les détails ci-dessous.
error-antom-unknown = Antom n'a pas encore confirmé le résultat. cardbind vérifiera à nouveau automatiquement.
error-binding-declined = La carte a été refusée. Demandez une autre carte au client.
error-binding-expired = Le formulaire a expiré avant la saisie de la carte. Recommencez.
error-binding-pending = La banque vérifie encore la carte. Le résultat s'affichera automatiquement.
error-notification-invalid = Un message prétendant venir d'Antom n'a pas passé le contrôle de sécurité et a été ignoré.

## Staff, roles and PINs
error-sign-in-required = Connectez-vous avec votre code PIN pour continuer.
error-permission-denied = Votre rôle ne permet pas cette action. Un responsable ou le propriétaire doit l'autoriser avec son code PIN.
error-pin-wrong = Ce code PIN est incorrect. Réessayez.
error-pin-locked = Trop de codes PIN erronés. La saisie du code PIN est suspendue un moment.
error-pin-weak = Choisissez un code PIN de 4 à 8 chiffres qui ne soit ni une suite comme 1234 ni un même chiffre répété.
error-pin-in-use = Une autre personne utilise déjà ce code PIN. Choisissez-en un autre.
error-kiosk-locked = Cette caisse est en mode borne. Un responsable doit d'abord quitter le mode borne.
error-staff-required = Le mode borne nécessite un responsable ou un propriétaire avec un code PIN. Ajoutez-en un dans Équipe d'abord.
error-kiosk-code-wrong = Ce code n'est pas bon, a déjà servi ou a expiré. Vérifiez-le ou demandez-en un nouveau à l'équipe.
error-kiosk-code-paused = Trop de codes erronés. La saisie des codes est suspendue un moment ; demandez de l'aide à l'équipe.
kiosk-customer-name = Client de la borne
pin-digits-entered =
    { $count ->
        [one] { $count } chiffre saisi
       *[other] { $count } chiffres saisis
    }
pin-back = Effacer le dernier chiffre
pin-clear = Effacer
pin-label = Saisissez le code PIN
pin-locked =
    { $seconds ->
        [one] Trop de codes PIN erronés. Réessayez dans { $seconds } seconde.
       *[other] Trop de codes PIN erronés. Réessayez dans { $seconds } secondes.
    }
sign-in-title = Connexion
sign-in-hint = Saisissez votre code PIN personnel. Vos actions sont enregistrées à votre nom.
sign-in-submit = Se connecter
sign-out = Verrouiller
role-owner = Propriétaire
role-manager = Responsable
role-cashier = Caissier
nav-staff = Équipe
staff-title = Équipe
staff-intro = Chaque personne qui utilise cette caisse a son propre code PIN. Les caissiers ajoutent clients et cartes ; supprimer des cartes, exporter, modifier les paramètres et quitter le mode borne demandent un responsable ou le propriétaire.
staff-open-mode = Aucun membre de l'équipe n'est encore enregistré : toute personne sur cet ordinateur peut tout faire. Ajoutez le propriétaire pour activer les codes PIN.
staff-name = Nom
staff-role = Rôle
staff-since = Ajouté le
staff-actions = Actions
staff-disabled = Désactivé
staff-new-pin = Nouveau code PIN
staff-disable = Désactiver
staff-pin-saved = Le nouveau code PIN est enregistré.
staff-new-pin-for = Nouveau code PIN pour { $name }
staff-pin-hint = De 4 à 8 chiffres. Chaque personne a un code PIN différent.
staff-save-pin = Enregistrer le code PIN
staff-add-owner = Ajouter le propriétaire
staff-add = Ajouter un membre de l'équipe
staff-pin = Code PIN
staff-pin-again = Code PIN à nouveau
staff-pin-mismatch = Les deux codes PIN sont différents.
staff-added = { $name } a été ajouté.
staff-save = Ajouter le membre
staff-disable-title = Désactiver ce membre de l'équipe ?
staff-disable-text = { $name } ne pourra plus se connecter. Son nom reste dans le journal d'activité.
approval-title = Autorisation d'un responsable
approval-hint = Un responsable ou le propriétaire saisit son code PIN pour autoriser cette action une fois.
approval-submit = Autoriser
export-csv = Exporter en CSV
export-done =
    { $rows ->
        [one] { $rows } ligne enregistrée dans { $path }
       *[other] { $rows } lignes enregistrées dans { $path }
    }
settings-kiosk = Mode borne
settings-kiosk-enabled = Démarrer en borne client
settings-kiosk-hint = Plein écran, les clients enregistrent eux-mêmes leur carte. Le code PIN d'un responsable permet de quitter le mode borne.
settings-kiosk-idle = Secondes avant « Êtes-vous toujours là ? »
settings-kiosk-countdown = Compte à rebours avant de recommencer, en secondes
audit-staff-create = Membre de l'équipe ajouté
audit-staff-set-pin = Code PIN d'un membre modifié
audit-staff-disable = Membre de l'équipe désactivé
audit-staff-sign-in = Connexion
audit-staff-sign-out = Déconnexion
audit-staff-approve = Autorisé par un responsable
audit-staff-approval-given = Autorisation de responsable donnée
audit-staff-pin-locked = Saisie du code PIN suspendue après des erreurs
audit-kiosk-enter = Mode borne démarré
audit-kiosk-leave = Mode borne quitté
audit-kiosk-leave-refused = Sortie de borne refusée (rôle insuffisant)
audit-export-cards = Liste des cartes exportée
audit-export-activity = Journal d'activité exporté

## Kiosk
kiosk-enter = Mode borne
kiosk-enter-title = Démarrer le mode borne ?
kiosk-enter-text = L'écran devient une borne pour les clients et vous êtes déconnecté. Il faut le code PIN d'un responsable ou du propriétaire pour en sortir.
kiosk-staff = Équipe
kiosk-attract-title = Enregistrez votre carte pour payer plus vite
kiosk-attract-text = Votre carte est conservée en toute sécurité par notre prestataire de paiement. Rien n'est débité.
kiosk-choose-language = Choisissez votre langue pour commencer
kiosk-decline = Non merci
kiosk-agree = J'accepte
kiosk-start-over = Recommencer
kiosk-number-title = Votre numéro de téléphone ou de fidélité
kiosk-number-hint = La boutique s'en sert pour vous reconnaître la prochaine fois. Déjà client ici ? Demandez un code à l'équipe pour que la carte soit ajoutée à votre compte.
kiosk-number-label = Téléphone ou numéro de fidélité
kiosk-code-title = Votre code de l'équipe
kiosk-code-hint = Saisissez le code à 6 chiffres que l'équipe vous a donné. La carte sera ajoutée à votre compte.
kiosk-code-label = Code à 6 chiffres
kiosk-code-have = J'ai un code de l'équipe
kiosk-code-use-number = Utiliser un numéro de téléphone
kiosk-continue = Continuer
kiosk-cancel = Annuler
kiosk-card-title = Saisissez votre carte
kiosk-pending-hint = Votre banque vérifie encore la carte. Vous pouvez partir ; le résultat est enregistré automatiquement.
kiosk-finish = Terminer
kiosk-bound-title = Votre carte est enregistrée
kiosk-bound-text = Merci. Vous payerez désormais plus vite en caisse.
kiosk-idle-title = Êtes-vous toujours là ?
kiosk-idle-text =
    { $seconds ->
        [one] Retour au début dans { $seconds } seconde.
       *[other] Retour au début dans { $seconds } secondes.
    }
kiosk-still-here = Je suis toujours là
kiosk-leave-title = Quitter le mode borne
kiosk-leave-hint = Réservé à l'équipe : un responsable ou le propriétaire saisit son code PIN.
kiosk-leave-submit = Quitter le mode borne
settings-lock-minutes = Verrouiller après (minutes sans utilisation)
settings-lock-minutes-hint = Le personnel connecté est déconnecté après ce délai sans toucher ni touche : de 1 à 240 minutes.
audit-staff-auto-lock = Verrouillé faute d'utilisation

# Backups
settings-backup = Sauvegardes
settings-backup-hint = Une sauvegarde contient toutes les cartes enregistrées, les paramètres et les clés, chiffrés avec votre phrase secrète. Conservez-la loin de cet ordinateur (une clé USB dans un coffre, un autre ordinateur). Sans elle, la perte de l'ordinateur fait perdre quel client possède quelle carte enregistrée.
settings-backup-folder = Dossier des sauvegardes
settings-backup-every = Sauvegarder toutes les (heures, 0 = à la main seulement)
settings-backup-keep = Sauvegardes à conserver
settings-backup-passphrase = Phrase secrète des sauvegardes planifiées
settings-backup-passphrase-hint = Au moins 10 caractères, conservée dans le trousseau de cet ordinateur. Notez-la en lieu sûr : sans elle, une sauvegarde ne peut pas être ouverte. Laissez vide pour garder celle enregistrée.
shopdb-title = Base de données du magasin
shopdb-current-local = Les données de ce magasin sont gardées sur cet ordinateur.
shopdb-current-shared = Cette caisse utilise la base partagée du magasin sur { $server }.
shopdb-where = Où sont gardés les cartes, les paiements, le personnel et le journal d'activité
shopdb-local = Cet ordinateur (une caisse)
shopdb-shared = La base partagée du magasin (plusieurs caisses, PostgreSQL)
shopdb-url = Adresse de la base partagée
shopdb-url-hint = postgresql://utilisateur:mot_de_passe@hôte:5432/base. Gardée dans le trousseau de cet ordinateur. La connexion est chiffrée et le certificat du serveur vérifié, sauf si l'adresse se termine par ?sslmode=disable.
shopdb-ca = Fichier du certificat de l'autorité (facultatif)
shopdb-ca-hint = Chemin complet du fichier PEM de votre propre autorité de certification, si le certificat du serveur ne vient pas d'une autorité publique.
shopdb-move = Y déplacer les cartes, les paiements, le personnel et le journal d'activité de cet ordinateur (la base partagée doit être vide)
shopdb-leave-hint = Cette caisse revient à sa propre base ; ce qui est dans la base partagée y reste pour les autres caisses.
shopdb-save = Changer
shopdb-owner-title = PIN du propriétaire
shopdb-owner-hint = L'endroit où chaque carte est gardée est la décision du propriétaire. Rejoindre un magasin déjà sur la base partagée demande le PIN du propriétaire de ce magasin.
shopdb-done = C'est fait : cette caisse utilise maintenant la base indiquée ci-dessus.
shopdb-moved = { $cards } cartes, { $customers } clients, { $payments } paiements, { $staff } employés et { $entries } entrées du journal déplacés ; chaque table a autant de lignes sur le serveur qu'ici.

tills-title = Caisses de ce magasin
tills-add = Ajouter une caisse
tills-offer = Afficher un code d'appairage
tills-offer-hint = Sur la nouvelle caisse, ouvrez Réglages → Caisses de ce magasin et tapez ce code :
tills-offer-expires = Le code vaut jusqu'à { $time }, une seule fois.
tills-waiting = En attente de la nouvelle caisse…
tills-asked = « { $name } » demande à rejoindre. Sa clé : { $fingerprint }. Vérifiez que la nouvelle caisse affiche la même, puis admettez-la.
tills-approve = Admettre cette caisse
tills-admitted = « { $name } » a maintenant les clés du magasin.
tills-revoke = Révoquer
tills-revoked = révoquée
tills-join = Joindre cette caisse au magasin
tills-join-hint = La caisse d'un propriétaire affiche un code sous Ajouter une caisse. Les clés du magasin arrivent scellées pour cette caisse, jamais en clair.
tills-join-code = Code
tills-join-name = Nom de cette caisse
tills-join-submit = Demander à rejoindre
tills-joining = Demande envoyée. Clé de cette caisse : { $fingerprint }. La caisse du propriétaire affiche la même ; en attente de son accord…
tills-joined = Cette caisse a maintenant les clés du magasin.

backup-title = Sauvegarder ou restaurer
backup-now-passphrase = Phrase secrète de cette sauvegarde (au moins 10 caractères)
backup-now = Sauvegarder maintenant
backup-made = Sauvegarde enregistrée : { $path }
backup-restore = Restaurer une sauvegarde
backup-restore-warning = La restauration remplace toutes les cartes enregistrées, les paramètres et les clés de cet ordinateur par ceux de la sauvegarde. Tout le monde est déconnecté.
backup-restore-path = Fichier de sauvegarde (chemin complet)
backup-restore-passphrase = Sa phrase secrète
backup-restore-confirm = Je comprends que cela remplace tout sur cet ordinateur
backup-restore-button = Restaurer
backup-restored = Sauvegarde du { $date } restaurée : { $cards ->
    [one] une carte enregistrée
   *[other] { $cards } cartes enregistrées
}.
audit-backup-create = Sauvegarde effectuée
audit-backup-restore = Sauvegarde restaurée
audit-staff-copy = Personnel copié depuis un autre environnement
error-backup-passphrase-wrong = Cette phrase secrète n'ouvre pas cette sauvegarde. Rien n'a été modifié.
error-backup-damaged = Ce fichier est endommagé ou n'est pas une sauvegarde cardbind. Rien n'a été modifié : essayez une autre copie.
error-backup-too-new = Cette sauvegarde a été faite par un cardbind plus récent. Mettez l'application à jour, puis restaurez-la. Rien n'a été modifié.

# Notification listener
about-listener = Notifications Antom
about-listener-off = Non reçues ici : cardbind demande chaque résultat à Antom.
about-listener-waiting = à l'écoute, rien reçu pour l'instant
about-listener-last = { $count ->
    [one] une notification reçue
   *[other] { $count } notifications reçues
}, la dernière le { $at }
about-listener-error = Dernier problème : { $error }
settings-listener-bind = Écouter les notifications sur (adresse:port)
settings-listener-bind-hint = Facultatif. Une adresse locale, par ex. 127.0.0.1:8787, vers laquelle un proxy inverse ou un tunnel servant l'URL de notification transmet. Laissez vide pour interroger Antom.

## Going live: the connection check, the go-live checklist, the first start (issue 21)

error-owner-pin-required = Passer en production demande le code PIN d'un propriétaire. Si la boutique n'a pas encore de propriétaire, ajoutez-en un dans Équipe d'abord.
settings-currency = Devise de la boutique
settings-currency-none = Non définie
settings-charge-limit = Les caissiers peuvent débiter jusqu'à ({ $currency })
settings-charge-limit-hint = Un caissier seul peut débiter un client présent jusqu'à ce montant ; au-delà, et pour un client absent, un responsable approuve ce débit. Vide : 100 de la devise.
settings-merchant-region = Région du marchand (code pays)
settings-merchant-region-hint = Le code ISO 3166 à deux lettres du pays où la boutique exerce (par exemple SG ou BR), envoyé à Antom avec les sessions de carte et les paiements. Laissez-le vide sauf si Antom en a demandé un.
settings-check-title = Connexion à Antom
settings-check-hint = Une requête signée qui ne change rien chez Antom montre si l'adresse, l'identifiant client, les deux clés et l'horloge de cet ordinateur sont justes.
settings-check = Vérifier la connexion
settings-check-running = Interrogation d'Antom…
settings-check-ok = Tout fonctionne : Antom a accepté la requête de cette boutique et sa réponse a été vérifiée.
settings-check-failed = Quelque chose est à corriger avant les vrais clients : voir les lignes ci-dessous.
settings-check-details = Détails pour un développeur
settings-check-offer = Enregistré. Vérifiez maintenant la connexion à Antom, avant le premier client.
settings-go-live-title = Passer en production
settings-go-live-hint = Désormais, de vraies cartes sont enregistrées et de l'argent réel peut circuler. Un propriétaire confirme avec son code PIN.
settings-go-live-submit = Passer en production maintenant
check-item-reach = Joindre Antom
check-item-client-host = Identifiant client et serveur
check-item-signature = Signature de cette boutique
check-item-answer = Réponse d'Antom
check-item-clock = Horloge de cet ordinateur
check-reachable = Le serveur d'Antom a répondu.
check-dns-failed = Le nom du serveur est introuvable (DNS). Vérifiez la connexion internet et la région ou l'URL de base.
check-tls-failed = Aucune connexion sécurisée possible (TLS). Un proxy ou un pare-feu peut s'interposer ; vérifiez aussi la date de l'ordinateur.
check-proxy-failed = Le proxy a refusé la connexion. Vérifiez les réglages de proxy de l'ordinateur.
check-connect-failed = Rien n'a répondu à cette adresse. Vérifiez la connexion internet, le pare-feu et l'URL de base.
check-timed-out = Antom n'a pas répondu à temps. Vérifiez la connexion internet et réessayez.
check-http-error = Quelque chose a répondu, mais pas Antom (HTTP { $value }). Vérifiez la région ou l'URL de base.
check-client-host-agree = L'identifiant client appartient à cet environnement et Antom le connaît.
check-sandbox-id-on-production = C'est un identifiant client de sandbox (SANDBOX_…) mais l'environnement est la production. Utilisez l'identifiant réel d'Antom Dashboard, ou choisissez la sandbox.
check-production-id-on-sandbox = C'est un identifiant client réel mais l'environnement est la sandbox. Utilisez l'identifiant de sandbox (SANDBOX_…), ou choisissez la production.
check-client-unknown = Antom ne connaît pas cet identifiant client ici. Vérifiez qu'il a été copié en entier depuis Antom Dashboard, pour cet environnement.
check-signature-accepted = Antom a accepté la signature de cette boutique.
check-signature-rejected = Antom a refusé la signature de cette boutique. En général, la clé publique déposée sur Antom Dashboard n'est pas celle de cette clé privée : déposez la clé publique affichée dans Paramètres.
check-answer-verified = La réponse d'Antom est authentique : elle a été vérifiée avec la clé publique d'Antom.
check-keys-swapped = Le champ de la clé publique d'Antom contient la clé publique de cette boutique. Collez-y plutôt la clé publique d'Antom, depuis Antom Dashboard.
check-answer-not-verified = La réponse d'Antom n'a pas pu être vérifiée : la clé publique d'Antom est fausse. Copiez-la de nouveau depuis Antom Dashboard pour cet environnement.
check-clock-ok = L'horloge de cet ordinateur est d'accord avec celle d'Antom.
check-clock-off = L'horloge de cet ordinateur a { $value } secondes d'écart avec celle d'Antom. Activez la date et l'heure automatiques (heure réseau).
check-not-checked = Non vérifié : corrigez d'abord la ligne au-dessus.
golive-title = Liste de mise en production
golive-intro = Ce qu'une boutique doit avoir en place avant le premier vrai client.
golive-ready = Prête pour de vrais clients.
golive-not-ready = Tout n'est pas encore en place.
golive-fix = Corriger
golive-shop-name = Nom de la boutique
golive-currency = Devise de la boutique
golive-owner-pin = Un propriétaire avec code PIN
golive-antom-keys = Clés Antom importées
golive-connection-checked = Vérification de connexion réussie
golive-notifications = Notifications d'Antom
golive-backups = Sauvegardes planifiées
golive-state-done = Fait
golive-state-missing = Pas encore
golive-state-not-in-demo = Pas en mode démo : choisissez d'abord la sandbox dans Paramètres
golive-state-check-failed = La dernière vérification a trouvé un problème
golive-state-check-stale = Les paramètres ont changé depuis la dernière vérification : vérifiez de nouveau
golive-state-polling-only = Interrogation seule : l'app demande chaque résultat à Antom, ce qui marche sans adresse publique
golive-state-listening = À l'écoute : assurez-vous que l'URL de notification atteint cet ordinateur
welcome-title = Bienvenue dans cardbind
welcome-intro = Quelques informations et la boutique est prête. Vous pouvez aussi passer et explorer la démo d'abord : rien de réel ne se passe en mode démo.
welcome-language = Langue
welcome-owner = Le propriétaire
welcome-owner-hint = Le code PIN personnel du propriétaire protège les paramètres, l'équipe et la suppression de cartes. Laissez vide pour ajouter l'équipe plus tard.
welcome-owner-name = Nom du propriétaire
welcome-owner-pin = Code PIN (4 à 8 chiffres)
welcome-owner-pin2 = Code PIN encore
welcome-pin-mismatch = Les deux codes PIN ne sont pas identiques.
welcome-skip = Passer et explorer la démo
welcome-start = Commencer
kiosk-blocked-title = Le mode borne a besoin d'un responsable
kiosk-blocked-text = Cet ordinateur a démarré en borne pour les clients, mais personne ne pourrait quitter le mode borne : il n'y a pas encore de responsable ni de propriétaire avec code PIN. Ajoutez-en un dans Équipe, puis démarrez le mode borne.
kiosk-blocked-staff = Aller à Équipe

## payments (errors)
error-amount-invalid = Ce montant ne peut pas être débité : saisissez un montant supérieur à zéro dans la devise de la boutique. Si la boutique n'a pas encore de devise, choisissez-la dans Réglages.
error-card-not-chargeable = Cette carte a été supprimée (ou est en cours de suppression) et ne peut plus être débitée.
error-refund-not-possible = Ce remboursement n'est pas possible : seul un paiement accepté peut être remboursé, et jamais au-delà de ce qui reste.
error-cancel-not-possible = Ce paiement ne peut plus être annulé (réglé, remboursé ou non débité). Remboursez-le plutôt.
error-request-inconsistent = Antom signale un conflit avec une demande précédente. Rien n'a été débité deux fois ; contactez le support avec les détails ci-dessous.
error-receipt-not-available = Seul un paiement ou un remboursement réussi a un reçu.
error-print-failed = Le reçu n'a pas pu être enregistré en PDF. Vérifiez l'espace disque libre et réessayez, ou utilisez Imprimer.

## payments: charging a saved card
action-back = Retour
charge-action = Débiter
charge-title = Débiter { $masked }
charge-amount = Montant ({ $currency })
charge-amount-invalid = Saisissez un montant supérieur à zéro avec au plus { $decimals } décimales.
charge-description = Description
charge-description-placeholder = Ce qui est payé
charge-reference = Référence de commande (facultatif)
charge-present = Le client est là et accepte ce paiement
charge-review = Vérifier
charge-confirm-text = Débiter { $amount } sur la { $brand } { $masked } ?
charge-confirm = Débiter { $amount }
charge-progress = Débit de la carte…
charge-approved = Accepté : { $amount }
charge-approved-detail = Code d'autorisation { $code } · Paiement { $payment }
charge-declined = Refusé
charge-declined-next = Rien n'a été débité. Demandez au client une autre carte ou un autre moyen de paiement.
charge-pending = En attente de la banque
charge-pending-text = La banque n'a pas encore répondu. cardbind continue de vérifier ; le résultat s'affiche ici et dans Paiements.
charge-3ds = La banque du client lui demande de confirmer ce paiement.
charge-done = Terminé
payment-state-cancelled = Annulé
pay-decline-do-not-honor = La banque a refusé le paiement.
pay-decline-insufficient-funds = Il n'y a pas assez d'argent sur la carte.
pay-decline-expired-card = La carte a expiré.
pay-decline-authentication = Le paiement n'a pas été confirmé auprès de la banque.
pay-decline-card-removed = Cette carte n'est plus enregistrée chez Antom.
pay-decline-other = Le paiement a été refusé.

## payments: the list and one payment
nav-payments = Paiements
payments-title = Paiements
payments-intro = Tous les débits de cartes enregistrées, du plus récent au plus ancien.
payments-search = Rechercher
payments-search-placeholder = 4 derniers chiffres, client, référence ou ID de paiement
payments-state = Statut
payments-state-all = Tous
payments-from = Du
payments-to = Au
payment-state-sending = Envoi
payment-state-pending = En attente
payment-state-declined = Refusé
payment-state-refused = Refusé par Antom
refund-state-sending = Envoi
refund-state-pending = En attente
refund-state-succeeded = Remboursé
refund-state-failed = Refusé
payments-col-date = Date
payments-col-customer = Client
payments-col-card = Carte
payments-col-amount = Montant
payments-col-status = Statut
payments-empty = Aucun paiement pour l'instant. Débitez une carte enregistrée depuis la liste des cartes.
payments-more = Afficher plus
payments-back = Tous les paiements
payment-title = Paiement de { $amount }
payment-refunded = Remboursé { $amount }
payment-id = ID de paiement Antom
payment-auth-code = Code d'autorisation
payment-reference = Référence
payment-description = Description
payment-made = Effectué
payment-refunds = Remboursements
payment-refresh = Vérifier auprès d'Antom
payment-refund = Rembourser
payment-refund-left = Encore { $amount } au plus peut être remboursé.
payment-refund-amount = Montant à rembourser ({ $currency })
payment-refund-reason = Motif (facultatif)
payment-refund-confirm = Rembourser { $amount }
payment-cancel = Annuler le paiement
payment-cancel-title = Annuler ce paiement ?
payment-cancel-text = Le débit de { $amount } est annulé et rien ne reste débité. C'est irréversible.

## Receipts (components/ReceiptDialog.svelte); printed in the customer's language
receipt-open = Reçu
receipt-dialog-title = Reçu
receipt-language = Langue du reçu
receipt-print = Imprimer
receipt-save-pdf = Enregistrer en PDF
receipt-saved = Enregistré en PDF :
receipt-close = Fermer
receipt-heading-payment = Reçu de paiement
receipt-heading-refund = Reçu de remboursement
receipt-date = Date
receipt-card = Carte
receipt-amount = Montant payé
receipt-refund-amount = Montant remboursé
receipt-original-amount = Paiement d'origine
receipt-description = Description
receipt-reference = Référence
receipt-payment-id = ID du paiement
receipt-refund-id = ID du remboursement
receipt-auth-code = Code d'autorisation
receipt-demo = DÉMO — aucun argent réel n'a été déplacé.
receipt-thanks = Merci de votre visite !

## Activity log: payments, refunds, receipts, removals at Antom, kiosk codes, go-live (id: audit- + the action, . and _ as -)
audit-card-not-revoked = Carte supprimée ici, non révoquée chez Antom (jeton illisible)
audit-card-remove-requested = Suppression de carte demandée (en attente d'Antom)
audit-customer-kiosk-code = Code borne remis à un client
audit-kiosk-code-locked = Saisie des codes borne en pause après des codes erronés
audit-kiosk-code-used = Code borne utilisé
audit-payment-cancel = Annulation de paiement demandée
audit-payment-cancelled = Paiement annulé par Antom
audit-payment-cancel-refused = Antom a refusé l'annulation (rembourser à la place)
audit-payment-charge = Carte débitée (envoyé à Antom)
audit-payment-declined = Paiement refusé
audit-payment-refused = Paiement rejeté par Antom
audit-receipt-pdf = Reçu enregistré en PDF
audit-refund-failed = Remboursement échoué
audit-refund-request = Remboursement demandé
audit-refund-succeeded = Remboursement effectué
audit-settings-connection-check = Connexion à Antom vérifiée
audit-settings-go-live = Passage en production
audit-settings-shop-database = Emplacement des données du magasin modifié
audit-till-offer = Appairage d'une nouvelle caisse proposé
audit-till-pair = Nouvelle caisse appairée
audit-till-join = A rejoint les caisses du magasin
audit-till-revoke = Caisse révoquée
audit-settings-data-key-rotated = Cartes enregistrées scellées avec une nouvelle clé
audit-till-seal = Enregistrements scellés tels quels avec la clé du magasin

# Ready for the real Antom: capture, token APIs, notifications
payment-state-authorised = Autorisé
payment-state-captured = Encaissé
payment-state-capture-failed = Encaissement échoué
audit-payment-authorised = Paiement autorisé
audit-payment-captured = Paiement encaissé
audit-payment-capture-failed = Encaissement du paiement échoué (rien débité)
audit-card-removal-unconfirmed = Suppression de la carte non confirmée (Antom détient encore le jeton)
audit-card-removal-refused = Antom a refusé de supprimer le jeton de la carte
receipt-status = Statut
receipt-status-authorised = Autorisé — encaissement en attente
receipt-status-captured = Encaissé
cards-removal-refused = Antom a refusé de supprimer le jeton de la carte { $masked }. Elle ne peut plus être débitée ici ; demandez au support Antom de le révoquer. cardbind continue de demander.
settings-merchant-account-id = ID du compte marchand
settings-merchant-account-id-hint = L'ID du compte marchand Antom (64 caractères au plus). Antom en a besoin pour supprimer le jeton d'une carte retirée ; sans lui, les cartes retirées restent « suppression en attente ».
settings-settlement-currency = Devise de règlement
settings-settlement-currency-hint = Seulement si le contrat Antom prévoit plusieurs devises de règlement : celle dans laquelle Antom paie la boutique. Sinon, laissez vide.
settings-client-ip = Adresse IP publique de la boutique
settings-client-ip-hint = Facultatif. Envoyée à Antom avec les débits de carte pour ses contrôles de risque. Vide : l'adresse de la caisse elle-même est envoyée.
settings-listener-exposed = L'écouteur est joignable au-delà de cet ordinateur. Préférez 127.0.0.1 derrière un proxy inverse ou un tunnel.
about-unhandled = Notifications accusées, sans suite
golive-merchant-account = ID du compte marchand (pour retirer des cartes)
error-shop-mismatch = Cette base de données n'est pas celle où votre boutique a emménagé : les clés de la boutique n'y sont pas proposées. Vérifiez l'adresse avec le propriétaire.
error-passphrase-weak = Cette phrase secrète est trop facile à deviner. Utilisez quatre mots sans rapport ou plus, ou une longue phrase aléatoire : c'est tout ce qui protège les clés d'une sauvegarde.
golive-cashier-limits = Limites des caissiers
golive-state-default-limits = Les valeurs d'une nouvelle boutique : modifiez-les dans Réglages si elles ne conviennent pas
golive-limits-amounts = { $limit } par débit, { $daily } sur 24 heures
settings-daily-limit = Un caissier seul, sur 24 heures ({ $currency })
settings-daily-limit-hint = Au-delà de ce total des débits du caissier sur 24 heures, un responsable approuve chaque débit supplémentaire. Vide : 500 de la devise.
welcome-limit-hint = Un caissier peut débiter seul jusqu'à ce montant ; au-delà, un responsable approuve. Vide : 100 de la devise. Modifiable dans Réglages.
approval-what-refund = Rembourser { $amount } du paiement { $payment } sur { $card }
approval-what-cancel = Annuler le paiement { $payment } ({ $card })
approval-what-charge = Débiter { $amount } sur { $card } de { $customer }
approval-what-remove = Supprimer { $card } de { $customer }
approval-what-settings = Enregistrer ces réglages : { $fields }
approval-what-shop = Changer la boutique de cette caisse, ou l'endroit où ses données sont conservées
approval-what-tills = Gérer les caisses de la boutique
approval-what-export = Exporter { $fields }
approval-what-staff = Gérer le personnel
approval-what-backup = Faire ou restaurer une sauvegarde (elle contient toutes les clés)
approval-what-kiosk = Passer cette caisse en borne hors production
approval-what-keys = Sceller les cartes enregistrées avec une nouvelle clé
approval-what-other = Autoriser une fois
