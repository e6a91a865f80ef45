# cardbind — español (España)

app-name = cardbind
app-tagline = Guarda tarjetas de clientes con Antom, cóbralas y reembólsalas después
app-starting = Iniciando cardbind…
language = Idioma
language-name = Español

env-demo = Demo — Antom simulado
env-sandbox = Sandbox de Antom
env-production = Antom producción

nav-label = Menú principal
nav-cards = Tarjetas
nav-customers = Clientes
nav-audit = Registro de actividad
nav-settings = Ajustes
nav-about = Acerca de

action-cancel = Cancelar

## Lista de tarjetas

cards-title = Tarjetas guardadas
cards-intro = Tarjetas guardadas con Antom para tus clientes. En este ordenador solo se conservan los cuatro últimos dígitos.
cards-search = Buscar
cards-search-placeholder = Últimos 4 dígitos, nombre, teléfono o referencia del cliente
cards-brand = Marca
cards-brand-all = Todas las marcas
cards-expiry = Caducidad
cards-expiry-any = Cualquier caducidad
cards-expiry-expired = Caducadas
cards-expiry-3m = Caducan en 3 meses
cards-expiry-12m = Caducan en 12 meses
cards-sort = Ordenar por
cards-sort-recent = Guardadas más recientemente
cards-sort-expiry = Caducidad más próxima
cards-col-card = Tarjeta
cards-col-expiry = Caduca
cards-col-customer = Cliente
cards-col-bound = Guardada el
cards-col-actions = Acciones
cards-expired = Caducada
cards-duplicate = Ya guardada
cards-keep = Conservar ambas
cards-replace = Conservar solo esta
cards-remove = Eliminar
cards-remove-title = ¿Eliminar esta tarjeta?
cards-remove-text = Se eliminará la tarjeta { $brand } { $masked } de { $customer }. La tienda ya no podrá usarla; el cliente tendrá que añadirla de nuevo.
cards-remove-confirm = Eliminar tarjeta
cards-removed = Tarjeta { $masked } eliminada.
cards-removal-pending = La tarjeta { $masked } ya no se puede cobrar. Antom aún no ha confirmado su eliminación; cardbind sigue pidiéndolo y la elimina en cuanto Antom lo confirme.
cards-removal-pending-tag = Eliminación pendiente
cards-empty = Todavía no hay tarjetas guardadas. Abre un cliente y pulsa «Añadir tarjeta».
cards-empty-action = Ir a clientes
cards-empty-customer = Este cliente aún no tiene tarjetas guardadas. Pulsa «Añadir tarjeta» para guardar una.
cards-empty-filtered = Ninguna tarjeta coincide con la búsqueda. Cambia la búsqueda o los filtros.
cards-shown =
    { $count ->
        [one] Se muestra { $count } tarjeta
       *[other] Se muestran { $count } tarjetas
    }
cards-loading = Cargando tarjetas…
cards-load-more = Mostrar más tarjetas

## Clientes

customers-title = Clientes
customers-new = Nuevo cliente
customers-search = Buscar
customers-search-placeholder = Nombre, teléfono o referencia
customers-loading = Cargando clientes…
customers-empty = Aún no hay clientes. Añade el primero para guardar su tarjeta.
customers-empty-filtered = Ningún cliente coincide con la búsqueda.
customers-col-name = Nombre
customers-col-phone = Teléfono
customers-col-reference = Referencia
customers-col-cards = Tarjetas
customers-card-count =
    { $count ->
        [0] Sin tarjetas
        [one] { $count } tarjeta
       *[other] { $count } tarjetas
    }
customers-more = Se muestran los primeros { $count }. Escribe más del nombre para acotar la lista.

customer-name = Nombre
customer-phone = Teléfono
customer-email = Correo electrónico
customer-reference = Referencia
customer-reference-hint = Tu propia referencia, por ejemplo el número de la tarjeta de fidelización.
customer-notes = Notas
customer-save = Guardar cliente
customer-edit = Editar
customer-kiosk-code = Código de quiosco
customer-kiosk-code-text = Da este código al cliente. En el quiosco elige «Tengo un código del personal» y lo escribe; la tarjeta que guarde se añade a este cliente. Sirve una vez, hasta las { $expires }.
customer-kiosk-code-done = Hecho
customer-edit-title = Editar cliente
customer-cards = Tarjetas guardadas

## Añadir tarjeta

add-card = Añadir tarjeta
add-card-title = Añadir una tarjeta
add-card-for = Para { $name }

consent-title = Guardar tu tarjeta
consent-text = Con tu permiso, { $shop } pedirá a Antom que guarde esta tarjeta para que puedas pagar con ella más adelante sin volver a introducirla. Antom conserva los datos de la tarjeta; la tienda solo guarda la marca, los cuatro últimos dígitos y la fecha de caducidad. No se te cobrará nada ahora y puedes pedir a la tienda que elimine la tarjeta en cualquier momento.
consent-default-shop = esta tienda
consent-accept = El cliente lo ha leído y está de acuerdo
consent-continue = Continuar con los datos de la tarjeta
consent-loading = Cargando el texto de consentimiento…

binding-starting = Abriendo un formulario seguro de Antom…
binding-enter-card = Pasa la pantalla al cliente para que introduzca los datos de la tarjeta en el formulario seguro de Antom.
binding-loading = Cargando el formulario seguro de Antom…
binding-cancel = Cancelar
binding-confirming = Confirmando con Antom…
binding-pending = El banco todavía está comprobando la tarjeta.
binding-pending-hint = Puede tardar unos minutos. La tarjeta aparecerá en la lista en cuanto Antom la confirme; puedes salir de esta página.
binding-pending-leave = Continuar sin esperar
binding-bound-title = Tarjeta guardada
binding-bound-expiry = Caduca { $expiry }
binding-duplicate = Este cliente ya tenía esta tarjeta guardada. ¿Conservar ambas o solo esta?
binding-add-another = Añadir otra tarjeta
binding-done = Listo

## Página de aviso

alert-code = Código: { $code }
alert-retry = Reintentar
alert-back = Volver al cliente
alert-declined-title = Tarjeta no guardada
alert-declined-next = Pide al cliente otra tarjeta o que se ponga en contacto con su banco.
alert-expired-title = El formulario ha caducado
alert-expired-text = El formulario seguro estuvo abierto demasiado tiempo y se ha cerrado. No se ha guardado ninguna tarjeta.
alert-expired-next = Pulsa «Reintentar» para abrir un formulario nuevo.
alert-cancelled-title = Cancelado
alert-cancelled-text = Se ha cancelado el alta de la tarjeta. No se ha guardado ninguna tarjeta.
alert-cancelled-next = Pulsa «Reintentar» para empezar de nuevo o vuelve atrás.
alert-timeout-title = El formulario no se ha cargado
alert-timeout-text = El formulario seguro de Antom no se ha cargado a tiempo.
alert-timeout-next = Comprueba la conexión a internet y pulsa «Reintentar».
alert-connection-title = Conexión perdida
alert-connection-text = Se ha perdido la conexión con Antom. Si la tarjeta se guardó, aparecerá en la lista automáticamente.
alert-connection-next = Comprueba la conexión a internet y pulsa «Reintentar».
alert-sdk-error-title = El formulario ha dejado de funcionar
alert-sdk-error-text = El formulario seguro de Antom ha informado de un error. No se ha guardado ninguna tarjeta.
alert-sdk-error-next = Pulsa «Reintentar». Si vuelve a ocurrir, contacta con soporte indicando el código de abajo.
alert-error-title = Tarjeta no guardada
alert-error-text = Algo ha fallado al guardar la tarjeta.
alert-error-next = Pulsa «Reintentar». Si vuelve a ocurrir, contacta con soporte indicando el código de abajo.

decline-generic = El banco ha denegado esta tarjeta.
decline-do-not-honor = El banco ha denegado esta tarjeta sin indicar el motivo.
decline-card-expired = Esta tarjeta está caducada.
decline-invalid-card-number = El número de tarjeta no es válido.
decline-invalid-cvv = El código de seguridad (CVV) no es correcto.
decline-card-not-supported = Este tipo de tarjeta no se puede guardar aquí.
decline-restricted-card = El banco no permite guardar esta tarjeta.
decline-verification-failed = El banco no ha podido autenticar al titular (3D Secure).

## Registro de actividad

audit-title = Registro de actividad
audit-intro = Todo lo hecho con clientes, tarjetas y ajustes en este ordenador, de lo más reciente a lo más antiguo. No se puede modificar.
audit-loading = Cargando el registro de actividad…
audit-empty = Todavía no ha pasado nada.
audit-load-more = Mostrar entradas anteriores
audit-col-at = Cuándo
audit-col-action = Qué
audit-col-subject = Elemento
audit-col-by = Quién
audit-by-system = cardbind
audit-by-staff = Empleado { $id }
audit-customer-create = Cliente añadido
audit-customer-update = Cliente modificado
audit-consent-accept = Consentimiento otorgado
audit-binding-start = Formulario de tarjeta abierto
audit-binding-succeeded = Tarjeta guardada por Antom
audit-binding-failed = Tarjeta denegada
audit-binding-expired = Formulario caducado
audit-binding-abandoned = Formulario abandonado
audit-binding-cancel = Alta de tarjeta cancelada
audit-card-bind = Tarjeta guardada
audit-card-remove = Tarjeta eliminada
audit-card-keep-duplicate = Tarjeta duplicada conservada
audit-card-replace-duplicate = Tarjeta anterior sustituida
audit-settings-save = Ajustes guardados
audit-settings-import-keys = Claves de pago importadas

## Ajustes

settings-title = Ajustes
settings-loading = Cargando ajustes…
settings-environment = Entorno
settings-demo-hint = El modo demo ejecuta un Antom simulado dentro de la aplicación: sin tarjetas reales ni dinero real. Usa las tarjetas de prueba del README.
settings-live-hint = Introduce los datos del portal de Antom. Se comprueban antes de guardar nada.
settings-shop-name = Nombre de la tienda
settings-shop-name-hint = Se muestra a los clientes en el texto de consentimiento.
settings-client-id = Client ID
settings-region = Región
settings-region-none = Elige una región
settings-base-url = O una dirección personalizada
settings-notification-url = URL de notificación
settings-notification-url-hint = Adónde envía Antom los resultados. Sin ella, cardbind consulta a Antom cada resultado.
settings-keys = Claves de pago
settings-merchant-key-set = Clave privada del comercio guardada
settings-merchant-key-missing = Aún no hay clave privada del comercio
settings-antom-key-set = Clave pública de Antom guardada
settings-antom-key-missing = Aún no hay clave pública de Antom
settings-merchant-key = Clave privada del comercio
settings-merchant-key-file = Importar la clave privada del comercio desde un archivo
settings-antom-key = Clave pública de Antom
settings-antom-key-file = Importar la clave pública de Antom desde un archivo
settings-key-paste = Pega la clave tal como la muestra Antom o elige un archivo abajo. Déjalo vacío para conservar la clave guardada.
settings-public-key = Clave pública del comercio
settings-public-key-hint = Sube esta clave pública al portal de Antom. La clave privada nunca sale del llavero de este ordenador.
settings-save = Guardar ajustes
settings-saved = Ajustes guardados.

## Acerca de

about-title = Acerca de esta aplicación
about-intro = Versión, entorno y dónde guarda cardbind sus datos en este ordenador.
about-load = Mostrar información de la aplicación
about-loading = Cargando información de la aplicación…
about-version = Versión
about-environment = Entorno
about-data-dir = Carpeta de datos
about-database = Base de datos de tarjetas (propia de este entorno)
about-config-dir = Carpeta de ajustes
about-platform = Plataforma
about-simulator = Antom de demostración (simulador)
about-binding = Alta de tarjetas
about-binding-ready = Listo
datakey-done = Se sellaron de nuevo { $count } tarjetas guardadas con una clave nueva.
datakey-confirm-text = Esta caja queda ocupada hasta terminar. Si se detiene (un corte de luz), termina en el siguiente inicio. Después, empareje de nuevo las otras cajas de la tienda.
datakey-confirm-title = ¿Sellar todas las tarjetas guardadas con una clave nueva?
datakey-rotate = Sellar con una clave nueva
datakey-intro = El token de cada tarjeta guardada se guarda cifrado con una clave del llavero de este equipo. Tras perder o robarse una caja, séllelas todas de nuevo con una clave nueva: una copia de la antigua ya no abre nada. Después se emparejan de nuevo las otras cajas de la tienda.
datakey-title = La clave de las tarjetas guardadas
about-integrity-unchecked = Sin comprobar: esta caja aún no tiene la clave de la tienda.
about-integrity-ok = Tal como los escribieron las cajas: { $count } entradas selladas del registro de actividad y los registros de personal.
about-integrity = Registros
integrity-advice = Restaure la base de datos de la tienda desde una copia de seguridad o consulte al propietario.
integrity-staff = { $count } registros de personal se cambiaron en la base de datos y no se usan.
integrity-unsealed = Se añadieron { $count } entradas al registro de actividad sin la clave de la tienda.
integrity-broken = El registro de actividad se editó, o se eliminó una entrada, en la entrada { $row }.
integrity-alert-title = Se cambiaron registros fuera de las cajas de esta tienda

## Errores

error-title = Algo ha fallado
error-details = Detalles: { $details }
error-internal = Se ha producido un error inesperado. Inténtalo de nuevo; si vuelve a ocurrir, contacta con soporte con los detalles de abajo.
error-data-dir-unavailable = cardbind no puede crear su carpeta de datos. Comprueba que el disco no esté lleno y que tu cuenta pueda escribir en tu carpeta personal.
error-storage-full = El disco está lleno. No se ha guardado ni perdido nada; libera espacio e inténtalo de nuevo.
error-storage-failed = No se ha podido leer ni guardar la lista de tarjetas. Inténtalo de nuevo; si sigue ocurriendo, contacta con soporte con los detalles de abajo.
error-database-unreachable = No se puede acceder a la base de datos compartida de la tienda. No se inició nada y no se perdió nada; revise la red o el servidor e inténtelo de nuevo.
error-shared-database-not-empty = La base de datos compartida ya contiene tarjetas o personal de una tienda. No se trasladó nada; elija una base de datos vacía.
error-backup-on-server = Esta tienda guarda sus datos en una base de datos compartida: la copia de seguridad se hace en su servidor, no desde una caja.
error-pairing-refused = No se pudo emparejar la caja. Compruebe el código en la caja del propietario o inicie allí un nuevo emparejamiento.
error-till-revoked = Un propietario retiró esta caja de la tienda: ya no tiene las claves de la tienda. Empareje de nuevo para usarla.
error-shop-key-missing = Esta caja tiene la clave de tarjetas de la tienda, pero no la clave con la que se sellan sus registros. Empareje de nuevo desde la caja de un propietario (Ajustes → Cajas).
error-staff-list-missing = Falta la lista de personal de la tienda: nadie puede iniciar sesión. Restaure la base de datos de la tienda desde una copia de seguridad o consulte al propietario. Esta caja no se abre sin su personal.
error-row-tampered = Alguien que no es una de las cajas de la tienda cambió un registro en su base de datos, así que no se usa. Restaure la base de datos desde una copia de seguridad o consulte al propietario.
error-not-found = Este elemento ya no existe. Puede que se haya eliminado en otra pantalla.
error-invalid-input = Faltan datos o no son válidos. Revisa el campo marcado.
error-settings-invalid = Un ajuste no es válido. Mira los detalles de abajo y corrígelo en Ajustes.
error-keyring-unavailable = El almacén de contraseñas del ordenador (llavero) no está disponible, así que no se pueden leer las claves de pago.
error-keyring-locked = El almacén de contraseñas del ordenador (llavero) está bloqueado. Desbloquéalo iniciando sesión en el ordenador e inténtalo de nuevo.
error-key-missing = Las claves de pago de este entorno aún no están configuradas. Impórtalas en Ajustes.
error-key-invalid = Una clave de pago no es válida: tipo o tamaño incorrecto, o está dañada. Vuelve a importarla en Ajustes.
error-token-unreadable = Esta tarjeta guardada no se puede desbloquear en este ordenador. Vuelve a dar de alta la tarjeta.
error-data-key-missing = Falta en el llavero del sistema la clave que protege las tarjetas guardadas en este ordenador. No se ha cambiado nada: restaura el llavero desde una copia de seguridad de este ordenador para volver a usar las tarjetas guardadas.
error-antom-unreachable = No se puede conectar con Antom. Comprueba la conexión a internet e inténtalo de nuevo.
error-antom-rejected-signature = Antom no ha aceptado la firma de esta tienda. Revisa el Client ID y la clave del comercio en Ajustes.
error-antom-response-invalid = No se ha podido verificar la respuesta de Antom, así que se ha descartado. Inténtalo de nuevo; si sigue ocurriendo, revisa la clave pública de Antom en Ajustes.
error-antom-failed = Antom ha rechazado la solicitud. Mira los detalles de abajo.
error-antom-unknown = Antom aún no ha confirmado el resultado. cardbind lo volverá a comprobar automáticamente.
error-binding-declined = La tarjeta ha sido denegada. Pide al cliente otra tarjeta.
error-binding-expired = El formulario caducó antes de introducir la tarjeta. Empieza de nuevo.
error-binding-pending = El banco todavía está comprobando la tarjeta. El resultado aparecerá automáticamente.
error-notification-invalid = Un mensaje que decía venir de Antom no ha superado la comprobación de seguridad y se ha ignorado.

## Staff, roles and PINs
error-sign-in-required = Inicia sesión con tu PIN para continuar.
error-permission-denied = Tu función no permite hacer esto. Un encargado o el propietario debe aprobarlo con su PIN.
error-pin-wrong = Ese PIN no es correcto. Inténtalo de nuevo.
error-pin-locked = Demasiados PIN incorrectos. La introducción de PIN queda en pausa un tiempo.
error-pin-weak = Elige un PIN de 4 a 8 cifras que no sea una serie como 1234 ni una cifra repetida.
error-pin-in-use = Otra persona ya usa este PIN. Elige otro.
error-kiosk-locked = Esta caja está en modo quiosco. Primero un encargado debe salir del modo quiosco.
error-staff-required = El modo quiosco necesita un encargado o propietario con PIN. Añade uno en Personal primero.
error-kiosk-code-wrong = Este código no es correcto, ya se usó o ha caducado. Revísalo o pide uno nuevo al personal.
error-kiosk-code-paused = Demasiados códigos erróneos. La introducción de códigos está en pausa un tiempo; pide ayuda al personal.
kiosk-customer-name = Cliente del quiosco
pin-digits-entered =
    { $count ->
        [one] { $count } cifra introducida
       *[other] { $count } cifras introducidas
    }
pin-back = Borrar la última cifra
pin-clear = Borrar
pin-label = Introduce el PIN
pin-locked =
    { $seconds ->
        [one] Demasiados PIN incorrectos. Vuelve a intentarlo en { $seconds } segundo.
       *[other] Demasiados PIN incorrectos. Vuelve a intentarlo en { $seconds } segundos.
    }
sign-in-title = Iniciar sesión
sign-in-hint = Introduce tu PIN personal. Lo que hagas queda registrado a tu nombre.
sign-in-submit = Entrar
sign-out = Bloquear
role-owner = Propietario
role-manager = Encargado
role-cashier = Cajero
nav-staff = Personal
staff-title = Personal
staff-intro = Cada persona que usa esta caja tiene su propio PIN. Los cajeros añaden clientes y tarjetas; eliminar tarjetas, exportar, cambiar la configuración y salir del modo quiosco requieren un encargado o el propietario.
staff-open-mode = Todavía no hay personal dado de alta, así que cualquiera en este ordenador puede hacerlo todo. Añade al propietario para activar los PIN.
staff-name = Nombre
staff-role = Función
staff-since = Alta
staff-actions = Acciones
staff-disabled = Desactivado
staff-new-pin = Nuevo PIN
staff-disable = Desactivar
staff-pin-saved = El nuevo PIN se ha guardado.
staff-new-pin-for = Nuevo PIN para { $name }
staff-pin-hint = De 4 a 8 cifras. Cada persona tiene un PIN distinto.
staff-save-pin = Guardar PIN
staff-add-owner = Añadir al propietario
staff-add = Añadir a alguien del personal
staff-pin = PIN
staff-pin-again = Repite el PIN
staff-pin-mismatch = Los dos PIN no coinciden.
staff-added = Se ha añadido a { $name }.
staff-save = Añadir persona
staff-disable-title = ¿Desactivar a esta persona?
staff-disable-text = { $name } ya no podrá iniciar sesión. Su nombre se mantiene en el registro de actividad.
approval-title = Aprobación del encargado
approval-hint = Un encargado o el propietario introduce su PIN para permitirlo una vez.
approval-submit = Aprobar
export-csv = Exportar CSV
export-done =
    { $rows ->
        [one] { $rows } fila guardada en { $path }
       *[other] { $rows } filas guardadas en { $path }
    }
settings-kiosk = Modo quiosco
settings-kiosk-enabled = Iniciar como quiosco para clientes
settings-kiosk-hint = Pantalla completa; los clientes añaden su propia tarjeta. El PIN de un encargado sale del modo quiosco.
settings-kiosk-idle = Segundos hasta "¿Sigues ahí?"
settings-kiosk-countdown = Cuenta atrás antes de volver a empezar, en segundos
audit-staff-create = Persona del personal añadida
audit-staff-set-pin = PIN del personal cambiado
audit-staff-disable = Persona del personal desactivada
audit-staff-sign-in = Sesión iniciada
audit-staff-sign-out = Sesión cerrada
audit-staff-approve = Aprobado por un encargado
audit-staff-approval-given = Aprobación de encargado concedida
audit-staff-pin-locked = Introducción de PIN en pausa tras PIN incorrectos
audit-kiosk-enter = Modo quiosco iniciado
audit-kiosk-leave = Salida del modo quiosco
audit-kiosk-leave-refused = Salida del quiosco rechazada (función insuficiente)
audit-export-cards = Lista de tarjetas exportada
audit-export-activity = Registro de actividad exportado

## Kiosk
kiosk-enter = Modo quiosco
kiosk-enter-title = ¿Iniciar el modo quiosco?
kiosk-enter-text = La pantalla pasa a ser un quiosco para clientes y se cierra tu sesión. Para salir hace falta el PIN de un encargado o del propietario.
kiosk-staff = Personal
kiosk-attract-title = Guarda tu tarjeta y paga más rápido
kiosk-attract-text = Nuestro proveedor de pagos guarda tu tarjeta de forma segura. No se cobra nada.
kiosk-choose-language = Elige tu idioma para empezar
kiosk-decline = No, gracias
kiosk-agree = Acepto
kiosk-start-over = Volver a empezar
kiosk-number-title = Tu teléfono o número de socio
kiosk-number-hint = La tienda lo usa para reconocerte la próxima vez. ¿Ya eres cliente? Pide un código al personal para que la tarjeta se añada a tu cuenta.
kiosk-number-label = Teléfono o número de socio
kiosk-code-title = Tu código del personal
kiosk-code-hint = Escribe el código de 6 dígitos que te dio el personal. La tarjeta se añadirá a tu cuenta.
kiosk-code-label = Código de 6 dígitos
kiosk-code-have = Tengo un código del personal
kiosk-code-use-number = Usar un número de teléfono
kiosk-continue = Continuar
kiosk-cancel = Cancelar
kiosk-card-title = Introduce tu tarjeta
kiosk-pending-hint = Tu banco todavía está comprobando la tarjeta. Ya puedes irte; el resultado se guarda automáticamente.
kiosk-finish = Terminar
kiosk-bound-title = Tu tarjeta se ha guardado
kiosk-bound-text = Gracias. Ahora pagarás más rápido en caja.
kiosk-idle-title = ¿Sigues ahí?
kiosk-idle-text =
    { $seconds ->
        [one] Se vuelve a empezar en { $seconds } segundo.
       *[other] Se vuelve a empezar en { $seconds } segundos.
    }
kiosk-still-here = Sigo aquí
kiosk-leave-title = Salir del modo quiosco
kiosk-leave-hint = Solo personal: un encargado o el propietario introduce su PIN.
kiosk-leave-submit = Salir del modo quiosco
settings-lock-minutes = Bloquear tras (minutos sin uso)
settings-lock-minutes-hint = El personal con sesión iniciada sale tras este tiempo sin tocar ni teclear: de 1 a 240 minutos.
audit-staff-auto-lock = Bloqueado por inactividad

# Backups
settings-backup = Copias de seguridad
settings-backup-hint = Una copia de seguridad contiene todas las tarjetas guardadas, los ajustes y las claves, cifrados con tu frase de contraseña. Guárdala lejos de este ordenador (una memoria USB en una caja fuerte, otro ordenador). Sin ella, si se pierde el ordenador se pierde qué cliente tiene qué tarjeta guardada.
settings-backup-folder = Carpeta de copias
settings-backup-every = Copia cada (horas, 0 = solo a mano)
settings-backup-keep = Copias que se conservan
settings-backup-passphrase = Frase de contraseña de las copias programadas
settings-backup-passphrase-hint = Al menos 10 caracteres, guardada en el llavero de este ordenador. Anótala en un lugar seguro: sin ella no se puede abrir una copia. Déjala vacía para conservar la guardada.
shopdb-title = Base de datos de la tienda
shopdb-current-local = Los datos de esta tienda se guardan en este ordenador.
shopdb-current-shared = Esta caja usa la base de datos compartida de la tienda en { $server }.
shopdb-where = Dónde se guardan las tarjetas, los pagos, el personal y el registro de actividad
shopdb-local = Este ordenador (una caja)
shopdb-shared = La base de datos compartida de la tienda (varias cajas, PostgreSQL)
shopdb-url = Dirección de la base de datos compartida
shopdb-url-hint = postgresql://usuario:contraseña@servidor:5432/base. Se guarda en el llavero de este ordenador. La conexión se cifra y se comprueba el certificado del servidor, salvo que la dirección termine en ?sslmode=disable.
shopdb-ca = Archivo del certificado de la autoridad (opcional)
shopdb-ca-hint = Ruta completa del archivo PEM de su propia autoridad de certificación, si el certificado del servidor no es de una pública.
shopdb-move = Trasladar a ella las tarjetas, los pagos, el personal y el registro de actividad de este ordenador (la base compartida debe estar vacía)
shopdb-leave-hint = Esta caja vuelve a su propia base de datos; lo que hay en la base compartida se queda allí para las demás cajas.
shopdb-save = Cambiar
shopdb-owner-title = PIN del propietario
shopdb-owner-hint = Dónde se guarda cada tarjeta lo decide el propietario. Unirse a una tienda que ya está en la base compartida requiere el PIN del propietario de esa tienda.
shopdb-done = Hecho: esta caja usa ahora la base de datos indicada arriba.
shopdb-moved = trasladadas { $cards } tarjetas, { $customers } clientes, { $payments } pagos, { $staff } empleados y { $entries } entradas de actividad; cada tabla tiene en el servidor tantas filas como aquí.

tills-title = Cajas de esta tienda
tills-add = Añadir una caja
tills-offer = Mostrar un código de emparejamiento
tills-offer-hint = En la caja nueva, abra Ajustes → Cajas de esta tienda y escriba este código:
tills-offer-expires = El código vale hasta las { $time }, una vez.
tills-waiting = Esperando a la caja nueva…
tills-asked = «{ $name }» pide unirse. Su clave: { $fingerprint }. Compruebe que la caja nueva muestra la misma y admítala.
tills-approve = Admitir esta caja
tills-admitted = «{ $name }» ya tiene las claves de la tienda.
tills-revoke = Revocar
tills-revoked = revocada
tills-join = Unir esta caja a la tienda
tills-join-hint = La caja de un propietario muestra un código en Añadir una caja. Las claves de la tienda llegan a esta caja selladas para ella, nunca en claro.
tills-join-code = Código
tills-join-name = Nombre de esta caja
tills-join-submit = Pedir unirse
tills-joining = Pedido. Clave de esta caja: { $fingerprint }. La caja del propietario muestra la misma; esperando a que el propietario la admita…
tills-joined = Esta caja ya tiene las claves de la tienda.

backup-title = Copia de seguridad o restauración
backup-now-passphrase = Frase de contraseña de esta copia (al menos 10 caracteres)
backup-now = Hacer copia ahora
backup-made = Copia guardada: { $path }
backup-restore = Restaurar una copia
backup-restore-warning = Restaurar sustituye todas las tarjetas guardadas, los ajustes y las claves de este ordenador por los de la copia. Se cierra la sesión de todos.
backup-restore-path = Archivo de copia (ruta completa)
backup-restore-passphrase = Su frase de contraseña
backup-restore-confirm = Entiendo que esto sustituye todo en este ordenador
backup-restore-button = Restaurar
backup-restored = Copia del { $date } restaurada: { $cards ->
    [one] una tarjeta guardada
   *[other] { $cards } tarjetas guardadas
}.
audit-backup-create = Copia de seguridad hecha
audit-backup-restore = Copia de seguridad restaurada
audit-staff-copy = Personal copiado de otro entorno
error-backup-passphrase-wrong = Esa frase de contraseña no abre esta copia. No se ha cambiado nada.
error-backup-damaged = Este archivo está dañado o no es una copia de cardbind. No se ha cambiado nada: prueba con otra copia.
error-backup-too-new = Esta copia se hizo con un cardbind más reciente. Actualiza la aplicación y restáurala después. No se ha cambiado nada.

# Notification listener
about-listener = Notificaciones de Antom
about-listener-off = No se reciben aquí: cardbind pregunta a Antom por cada resultado.
about-listener-waiting = escuchando, aún no se ha recibido nada
about-listener-last = { $count ->
    [one] una notificación recibida
   *[other] { $count } notificaciones recibidas
}, la última el { $at }
about-listener-error = Último problema: { $error }
settings-listener-bind = Escuchar notificaciones en (dirección:puerto)
settings-listener-bind-hint = Opcional. Una dirección local, p. ej. 127.0.0.1:8787, a la que reenvía un proxy inverso o túnel que sirve la URL de notificación. Déjala vacía para consultar a Antom.

## Going live: the connection check, the go-live checklist, the first start (issue 21)

error-owner-pin-required = Pasar a producción requiere el PIN de un propietario. Si la tienda aún no tiene propietario, añade uno en Personal primero.
settings-currency = Moneda de la tienda
settings-currency-none = Sin definir
settings-charge-limit = Los cajeros pueden cobrar hasta ({ $currency })
settings-charge-limit-hint = Un cajero solo puede cobrar a un cliente presente hasta este importe; por encima, y para un cliente que no está presente, un gerente aprueba ese cobro. Vacío: 100 de la moneda.
settings-merchant-region = Región del comercio (código de país)
settings-merchant-region-hint = El código ISO 3166 de dos letras del país donde opera la tienda (por ejemplo SG o BR), enviado a Antom con las sesiones de tarjeta y los pagos. Déjalo vacío salvo que Antom te haya pedido uno.
settings-check-title = Conexión con Antom
settings-check-hint = Una solicitud firmada que no cambia nada en Antom muestra si la dirección, el ID de cliente, las dos claves y el reloj de este ordenador son correctos.
settings-check = Comprobar conexión
settings-check-running = Consultando a Antom…
settings-check-ok = Todo funciona: Antom aceptó la solicitud de esta tienda y su respuesta se comprobó.
settings-check-failed = Hay algo que corregir antes de los clientes reales: mira las líneas de abajo.
settings-check-details = Detalles para un desarrollador
settings-check-offer = Guardado. Comprueba ahora la conexión con Antom, antes del primer cliente.
settings-go-live-title = Pasar a producción
settings-go-live-hint = A partir de ahora se guardan tarjetas reales y puede moverse dinero real. Un propietario lo confirma con su PIN.
settings-go-live-submit = Empezar en producción
check-item-reach = Llegar a Antom
check-item-client-host = ID de cliente y servidor
check-item-signature = Firma de esta tienda
check-item-answer = Respuesta de Antom
check-item-clock = Reloj de este ordenador
check-reachable = El servidor de Antom respondió.
check-dns-failed = No se encontró el nombre del servidor (DNS). Revisa la conexión a internet y la región o la URL base.
check-tls-failed = No se pudo establecer una conexión segura (TLS). Puede haber un proxy o cortafuegos en medio; revisa también la fecha del ordenador.
check-proxy-failed = El proxy rechazó la conexión. Revisa la configuración de proxy del ordenador.
check-connect-failed = Nada respondió en esa dirección. Revisa la conexión a internet, el cortafuegos y la URL base.
check-timed-out = Antom no respondió a tiempo. Revisa la conexión a internet y vuelve a intentarlo.
check-http-error = Algo respondió, pero no Antom (HTTP { $value }). Revisa la región o la URL base.
check-client-host-agree = El ID de cliente pertenece a este entorno y Antom lo conoce.
check-sandbox-id-on-production = Es un ID de cliente de sandbox (SANDBOX_…), pero el entorno es producción. Usa el ID real de Antom Dashboard o elige el sandbox.
check-production-id-on-sandbox = Es un ID de cliente real, pero el entorno es el sandbox. Usa el ID de sandbox (SANDBOX_…) o elige producción.
check-client-unknown = Antom no conoce aquí este ID de cliente. Comprueba que se copió entero desde Antom Dashboard, para este entorno.
check-signature-accepted = Antom aceptó la firma de esta tienda.
check-signature-rejected = Antom rechazó la firma de esta tienda. Normalmente la clave pública subida a Antom Dashboard no corresponde a esta clave privada: sube la clave pública que muestra Ajustes.
check-answer-verified = La respuesta de Antom es auténtica: se verificó con la clave pública de Antom.
check-keys-swapped = El campo de la clave pública de Antom contiene la clave pública de esta tienda. Pega ahí la clave pública de Antom, de Antom Dashboard.
check-answer-not-verified = No se pudo verificar la respuesta de Antom: la clave pública de Antom es incorrecta. Cópiala de nuevo de Antom Dashboard para este entorno.
check-clock-ok = El reloj de este ordenador coincide con el de Antom.
check-clock-off = El reloj de este ordenador difiere { $value } segundos del de Antom. Activa la fecha y hora automáticas (hora de red).
check-not-checked = Sin comprobar: corrige primero la línea de arriba.
golive-title = Lista para pasar a producción
golive-intro = Lo que una tienda debe tener listo antes del primer cliente real.
golive-ready = Lista para clientes reales.
golive-not-ready = Aún falta algo.
golive-fix = Corregir
golive-shop-name = Nombre de la tienda
golive-currency = Moneda de la tienda
golive-owner-pin = Un propietario con PIN
golive-antom-keys = Claves de Antom importadas
golive-connection-checked = Comprobación de conexión superada
golive-notifications = Notificaciones de Antom
golive-backups = Copias de seguridad programadas
golive-state-done = Hecho
golive-state-missing = Todavía no
golive-state-not-in-demo = No en modo demo: elige primero el sandbox en Ajustes
golive-state-check-failed = La última comprobación encontró un problema
golive-state-check-stale = Los ajustes cambiaron desde la última comprobación: vuelve a comprobar
golive-state-polling-only = Solo consultas: la app pregunta a Antom cada resultado, lo que funciona sin dirección pública
golive-state-listening = Escuchando: asegúrate de que la URL de notificación llega a este ordenador
welcome-title = Te damos la bienvenida a cardbind
welcome-intro = Unos pocos datos y la tienda está lista. También puedes saltarlo y explorar la demo primero: en modo demo no pasa nada real.
welcome-language = Idioma
welcome-owner = El propietario
welcome-owner-hint = El PIN personal del propietario protege los ajustes, el personal y la eliminación de tarjetas. Déjalo vacío para añadir personal más tarde.
welcome-owner-name = Nombre del propietario
welcome-owner-pin = PIN (de 4 a 8 dígitos)
welcome-owner-pin2 = Repite el PIN
welcome-pin-mismatch = Los dos PIN no son iguales.
welcome-skip = Saltar y explorar la demo
welcome-start = Empezar
kiosk-blocked-title = El modo quiosco necesita un encargado
kiosk-blocked-text = Este ordenador se inició como quiosco para clientes, pero nadie podría salir del modo quiosco: aún no hay encargado ni propietario con PIN. Añade uno en Personal y luego inicia el modo quiosco.
kiosk-blocked-staff = Ir a Personal

## payments (errors)
error-amount-invalid = No se puede cobrar ese importe: introduce un importe mayor que cero en la moneda de la tienda. Si la tienda aún no tiene moneda, elígela en Ajustes.
error-card-not-chargeable = Esta tarjeta se eliminó (o se está eliminando) y ya no se puede cobrar.
error-refund-not-possible = Este reembolso no es posible: solo se puede reembolsar un pago aprobado, y nunca más de lo que queda.
error-cancel-not-possible = Este pago ya no se puede cancelar (está liquidado, reembolsado o no se cobró). Reembólsalo.
error-request-inconsistent = Antom informa de un conflicto con una solicitud anterior. No se cobró nada dos veces; contacta con soporte con los detalles de abajo.
error-receipt-not-available = Solo un pago o un reembolso aprobado tiene recibo.
error-print-failed = No se pudo guardar el recibo como PDF. Comprueba que haya espacio libre en el disco y vuelve a intentarlo, o usa Imprimir.

## payments: charging a saved card
action-back = Atrás
charge-action = Cobrar
charge-title = Cobrar { $masked }
charge-amount = Importe ({ $currency })
charge-amount-invalid = Introduce un importe mayor que cero con { $decimals } decimales como máximo.
charge-description = Descripción
charge-description-placeholder = Qué se paga
charge-reference = Referencia del pedido (opcional)
charge-present = El cliente está aquí y acepta este pago
charge-review = Revisar
charge-confirm-text = ¿Cobrar { $amount } a la { $brand } { $masked }?
charge-confirm = Cobrar { $amount }
charge-progress = Cobrando la tarjeta…
charge-approved = Aprobado: { $amount }
charge-approved-detail = Código de autorización { $code } · Pago { $payment }
charge-declined = Rechazado
charge-declined-next = No se cobró nada. Pide al cliente otra tarjeta u otra forma de pago.
charge-pending = Esperando al banco
charge-pending-text = El banco aún no ha respondido. cardbind sigue comprobándolo; el resultado aparece aquí y en Pagos.
charge-3ds = El banco del cliente le pide que confirme este pago.
charge-done = Listo
payment-state-cancelled = Cancelado
pay-decline-do-not-honor = El banco rechazó el pago.
pay-decline-insufficient-funds = No hay saldo suficiente en la tarjeta.
pay-decline-expired-card = La tarjeta ha caducado.
pay-decline-authentication = El pago no se confirmó con el banco.
pay-decline-card-removed = Esta tarjeta ya no está guardada en Antom.
pay-decline-other = El pago fue rechazado.

## payments: the list and one payment
nav-payments = Pagos
payments-title = Pagos
payments-intro = Todos los cobros de tarjetas guardadas, del más reciente al más antiguo.
payments-search = Buscar
payments-search-placeholder = Últimos 4 dígitos, cliente, referencia o ID del pago
payments-state = Estado
payments-state-all = Todos
payments-from = Desde
payments-to = Hasta
payment-state-sending = Enviando
payment-state-pending = Pendiente
payment-state-declined = Rechazado
payment-state-refused = Rechazado por Antom
refund-state-sending = Enviando
refund-state-pending = Pendiente
refund-state-succeeded = Reembolsado
refund-state-failed = Rechazado
payments-col-date = Fecha
payments-col-customer = Cliente
payments-col-card = Tarjeta
payments-col-amount = Importe
payments-col-status = Estado
payments-empty = Aún no hay pagos. Cobra una tarjeta guardada desde la lista de tarjetas.
payments-more = Mostrar más
payments-back = Todos los pagos
payment-title = Pago de { $amount }
payment-refunded = Reembolsado { $amount }
payment-id = ID del pago en Antom
payment-auth-code = Código de autorización
payment-reference = Referencia
payment-description = Descripción
payment-made = Realizado
payment-refunds = Reembolsos
payment-refresh = Consultar con Antom
payment-refund = Reembolsar
payment-refund-left = Aún se pueden reembolsar hasta { $amount }.
payment-refund-amount = Importe a reembolsar ({ $currency })
payment-refund-reason = Motivo (opcional)
payment-refund-confirm = Reembolsar { $amount }
payment-cancel = Cancelar pago
payment-cancel-title = ¿Cancelar este pago?
payment-cancel-text = El cobro de { $amount } se anula y no queda nada cobrado. No se puede deshacer.

## Receipts (components/ReceiptDialog.svelte); printed in the customer's language
receipt-open = Recibo
receipt-dialog-title = Recibo
receipt-language = Idioma del recibo
receipt-print = Imprimir
receipt-save-pdf = Guardar como PDF
receipt-saved = Guardado como PDF:
receipt-close = Cerrar
receipt-heading-payment = Recibo de pago
receipt-heading-refund = Recibo de reembolso
receipt-date = Fecha
receipt-card = Tarjeta
receipt-amount = Importe pagado
receipt-refund-amount = Importe reembolsado
receipt-original-amount = Pago original
receipt-description = Descripción
receipt-reference = Referencia
receipt-payment-id = ID del pago
receipt-refund-id = ID del reembolso
receipt-auth-code = Código de autorización
receipt-demo = DEMO: no se ha movido dinero real.
receipt-thanks = ¡Gracias por su compra!

## Activity log: payments, refunds, receipts, removals at Antom, kiosk codes, go-live (id: audit- + the action, . and _ as -)
audit-card-not-revoked = Tarjeta eliminada aquí, no revocada en Antom (token ilegible)
audit-card-remove-requested = Eliminación de tarjeta solicitada (esperando a Antom)
audit-customer-kiosk-code = Código de quiosco dado a un cliente
audit-kiosk-code-locked = Entrada de códigos de quiosco en pausa tras códigos erróneos
audit-kiosk-code-used = Código de quiosco usado
audit-payment-cancel = Cancelación de pago solicitada
audit-payment-cancelled = Pago cancelado por Antom
audit-payment-cancel-refused = Antom rechazó la anulación (reembolsar en su lugar)
audit-payment-charge = Tarjeta cobrada (enviado a Antom)
audit-payment-declined = Pago rechazado
audit-payment-refused = Pago rehusado por Antom
audit-receipt-pdf = Recibo guardado como PDF
audit-refund-failed = Reembolso fallido
audit-refund-request = Reembolso solicitado
audit-refund-succeeded = Reembolso completado
audit-settings-connection-check = Conexión con Antom comprobada
audit-settings-go-live = Cambio a producción
audit-settings-shop-database = Cambió dónde se guardan los datos de la tienda
audit-till-offer = Ofreció emparejar una caja nueva
audit-till-pair = Emparejó una caja nueva
audit-till-join = Se unió a las cajas de la tienda
audit-till-revoke = Revocó una caja
audit-settings-data-key-rotated = Selló las tarjetas guardadas con una clave nueva
audit-till-seal = Selló los registros tal como estaban con la clave de la tienda

# Ready for the real Antom: capture, token APIs, notifications
payment-state-authorised = Autorizado
payment-state-captured = Capturado
payment-state-capture-failed = Captura fallida
audit-payment-authorised = Pago autorizado
audit-payment-captured = Pago capturado
audit-payment-capture-failed = Falló la captura del pago (no se cobró nada)
audit-card-removal-unconfirmed = Eliminación de la tarjeta no confirmada (Antom aún tiene el token)
audit-card-removal-refused = Antom rechazó borrar el token de la tarjeta
receipt-status = Estado
receipt-status-authorised = Autorizado — captura pendiente
receipt-status-captured = Capturado
cards-removal-refused = Antom rechazó borrar el token de la tarjeta { $masked }. Ya no se puede cobrar aquí; pida al soporte de Antom que lo revoque. cardbind sigue intentándolo.
settings-merchant-account-id = ID de la cuenta de comercio
settings-merchant-account-id-hint = El ID de la cuenta de comercio de Antom (hasta 64 caracteres). Antom lo necesita para borrar el token de una tarjeta eliminada; sin él, las tarjetas eliminadas quedan "eliminación pendiente".
settings-settlement-currency = Moneda de liquidación
settings-settlement-currency-hint = Solo si el contrato con Antom tiene varias monedas de liquidación: aquella en la que Antom paga a la tienda. Si no, déjelo vacío.
settings-client-ip = Dirección IP pública de la tienda
settings-client-ip-hint = Opcional. Se envía a Antom con los cobros con tarjeta para sus controles de riesgo. Vacío: se envía la dirección de la propia caja.
settings-listener-exposed = El receptor escucha más allá de este ordenador. Prefiera 127.0.0.1 detrás de un proxy inverso o un túnel.
about-unhandled = Notificaciones confirmadas, sin acción
golive-merchant-account = ID de la cuenta de comercio (para eliminar tarjetas)
error-shop-mismatch = Esta base de datos no es a la que se trasladó tu tienda, así que no se ofrecen en ella las claves de la tienda. Comprueba la dirección con el propietario.
error-passphrase-weak = Esta frase de contraseña es demasiado fácil de adivinar. Usa cuatro o más palabras sin relación, o una larga y aleatoria: es lo único que protege las claves de una copia de seguridad.
golive-cashier-limits = Límites de los cajeros
golive-state-default-limits = Los valores de una tienda nueva: cámbialos en Ajustes si no encajan
golive-limits-amounts = { $limit } por cobro, { $daily } en 24 horas
settings-daily-limit = Un cajero solo, en 24 horas ({ $currency })
settings-daily-limit-hint = Por encima de este total de cobros del propio cajero en 24 horas, un gerente aprueba cada cobro más. Vacío: 500 de la moneda.
welcome-limit-hint = Un cajero puede cobrar solo hasta este importe; por encima, aprueba un gerente. Vacío: 100 de la moneda. Se puede cambiar en Ajustes.
approval-what-refund = Reembolsar { $amount } del pago { $payment } a { $card }
approval-what-cancel = Cancelar el pago { $payment } ({ $card })
approval-what-charge = Cobrar { $amount } a { $card } de { $customer }
approval-what-remove = Eliminar { $card } de { $customer }
approval-what-settings = Guardar estos ajustes: { $fields }
approval-what-shop = Cambiar la tienda a la que pertenece esta caja, o dónde se guardan sus datos
approval-what-tills = Gestionar las cajas de la tienda
approval-what-export = Exportar { $fields }
approval-what-staff = Gestionar el personal
approval-what-backup = Hacer o restaurar una copia de seguridad (contiene todas las claves)
approval-what-kiosk = Convertir esta caja en quiosco fuera de producción
approval-what-keys = Sellar las tarjetas guardadas con una clave nueva
approval-what-other = Permitirlo una vez
