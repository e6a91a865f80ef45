# cardbind — português (Brasil)

app-name = cardbind
app-tagline = Salve cartões de clientes com a Antom, cobre e reembolse depois
app-starting = Iniciando o cardbind…
language = Idioma
language-name = Português

env-demo = Demonstração — Antom simulada
env-sandbox = Sandbox da Antom
env-production = Antom produção

nav-label = Menu principal
nav-cards = Cartões
nav-customers = Clientes
nav-audit = Registro de atividades
nav-settings = Configurações
nav-about = Sobre

action-cancel = Cancelar

## Lista de cartões

cards-title = Cartões salvos
cards-intro = Cartões salvos com a Antom para os seus clientes. Neste computador ficam apenas os quatro últimos dígitos.
cards-search = Buscar
cards-search-placeholder = Últimos 4 dígitos, nome, telefone ou referência do cliente
cards-brand = Bandeira
cards-brand-all = Todas as bandeiras
cards-expiry = Validade
cards-expiry-any = Qualquer validade
cards-expiry-expired = Vencidos
cards-expiry-3m = Vencem em até 3 meses
cards-expiry-12m = Vencem em até 12 meses
cards-sort = Ordenar por
cards-sort-recent = Salvos mais recentemente
cards-sort-expiry = Vencimento mais próximo
cards-col-card = Cartão
cards-col-expiry = Validade
cards-col-customer = Cliente
cards-col-bound = Salvo em
cards-col-actions = Ações
cards-expired = Vencido
cards-duplicate = Já salvo
cards-keep = Manter os dois
cards-replace = Manter só este
cards-remove = Remover
cards-remove-title = Remover este cartão?
cards-remove-text = O cartão { $brand } { $masked } de { $customer } será removido. A loja não poderá mais usá-lo; o cliente terá de cadastrá-lo de novo.
cards-remove-confirm = Remover cartão
cards-removed = Cartão { $masked } removido.
cards-removal-pending = O cartão { $masked } não pode mais ser cobrado. A Antom ainda não confirmou a remoção; o cardbind continua pedindo e o remove assim que a Antom confirmar.
cards-removal-pending-tag = Remoção pendente
cards-empty = Nenhum cartão salvo ainda. Abra um cliente e toque em “Adicionar cartão”.
cards-empty-action = Ir para clientes
cards-empty-customer = Este cliente ainda não tem cartões salvos. Toque em “Adicionar cartão” para salvar um.
cards-empty-filtered = Nenhum cartão corresponde à busca. Altere a busca ou os filtros.
cards-shown =
    { $count ->
        [one] Mostrando { $count } cartão
       *[other] Mostrando { $count } cartões
    }
cards-loading = Carregando cartões…
cards-load-more = Mostrar mais cartões

## Clientes

customers-title = Clientes
customers-new = Novo cliente
customers-search = Buscar
customers-search-placeholder = Nome, telefone ou referência
customers-loading = Carregando clientes…
customers-empty = Nenhum cliente ainda. Cadastre o primeiro para salvar o cartão dele.
customers-empty-filtered = Nenhum cliente corresponde à busca.
customers-col-name = Nome
customers-col-phone = Telefone
customers-col-reference = Referência
customers-col-cards = Cartões
customers-card-count =
    { $count ->
        [0] Nenhum cartão
        [one] { $count } cartão
       *[other] { $count } cartões
    }
customers-more = Mostrando os primeiros { $count }. Digite mais do nome para filtrar a lista.

customer-name = Nome
customer-phone = Telefone
customer-email = E-mail
customer-reference = Referência
customer-reference-hint = Sua própria referência, por exemplo o número do cartão fidelidade.
customer-notes = Observações
customer-save = Salvar cliente
customer-edit = Editar
customer-kiosk-code = Código do quiosque
customer-kiosk-code-text = Dê este código ao cliente. No quiosque, ele escolhe “Tenho um código da equipa” e escreve-o; o cartão que guardar é adicionado a este cliente. Funciona uma vez, até às { $expires }.
customer-kiosk-code-done = Concluído
customer-edit-title = Editar cliente
customer-cards = Cartões salvos

## Adicionar cartão

add-card = Adicionar cartão
add-card-title = Adicionar um cartão
add-card-for = Para { $name }

consent-title = Salvar o seu cartão
consent-text = Com a sua autorização, { $shop } pedirá à Antom que salve este cartão para que você possa pagar com ele depois sem digitá-lo de novo. A Antom guarda os dados do cartão; a loja guarda apenas a bandeira, os quatro últimos dígitos e a validade. Nada será cobrado agora, e você pode pedir à loja que remova o cartão a qualquer momento.
consent-default-shop = esta loja
consent-accept = O cliente leu e concorda
consent-continue = Continuar para os dados do cartão
consent-loading = Carregando o termo de consentimento…

binding-starting = Abrindo um formulário seguro da Antom…
binding-enter-card = Passe a tela ao cliente para que ele digite os dados do cartão no formulário seguro da Antom.
binding-loading = Carregando o formulário seguro da Antom…
binding-cancel = Cancelar
binding-confirming = Confirmando com a Antom…
binding-pending = O banco ainda está verificando o cartão.
binding-pending-hint = Isso pode levar alguns minutos. O cartão aparecerá na lista assim que a Antom confirmar; você pode sair desta página.
binding-pending-leave = Continuar sem esperar
binding-bound-title = Cartão salvo
binding-bound-expiry = Validade { $expiry }
binding-duplicate = Este cliente já tinha este cartão salvo. Manter os dois ou só este?
binding-add-another = Adicionar outro cartão
binding-done = Concluir

## Página de alerta

alert-code = Código: { $code }
alert-retry = Tentar novamente
alert-back = Voltar ao cliente
alert-declined-title = Cartão não salvo
alert-declined-next = Peça ao cliente outro cartão ou que entre em contato com o banco.
alert-expired-title = O formulário expirou
alert-expired-text = O formulário seguro ficou aberto tempo demais e foi fechado. Nenhum cartão foi salvo.
alert-expired-next = Toque em “Tentar novamente” para abrir um novo formulário.
alert-cancelled-title = Cancelado
alert-cancelled-text = O cadastro do cartão foi cancelado. Nenhum cartão foi salvo.
alert-cancelled-next = Toque em “Tentar novamente” para recomeçar ou volte.
alert-timeout-title = O formulário não carregou
alert-timeout-text = O formulário seguro da Antom não carregou a tempo.
alert-timeout-next = Verifique a conexão com a internet e toque em “Tentar novamente”.
alert-connection-title = Conexão perdida
alert-connection-text = A conexão com a Antom caiu. Se o cartão foi salvo, ele aparecerá na lista automaticamente.
alert-connection-next = Verifique a conexão com a internet e toque em “Tentar novamente”.
alert-sdk-error-title = O formulário parou de funcionar
alert-sdk-error-text = O formulário seguro da Antom informou um erro. Nenhum cartão foi salvo.
alert-sdk-error-next = Toque em “Tentar novamente”. Se acontecer de novo, contate o suporte com o código abaixo.
alert-error-title = Cartão não salvo
alert-error-text = Algo deu errado ao salvar o cartão.
alert-error-next = Toque em “Tentar novamente”. Se acontecer de novo, contate o suporte com o código abaixo.

decline-generic = O banco recusou este cartão.
decline-do-not-honor = O banco recusou este cartão sem informar o motivo.
decline-card-expired = Este cartão está vencido.
decline-invalid-card-number = O número do cartão não é válido.
decline-invalid-cvv = O código de segurança (CVV) está incorreto.
decline-card-not-supported = Este tipo de cartão não pode ser salvo aqui.
decline-restricted-card = O banco não permite salvar este cartão.
decline-verification-failed = O banco não conseguiu autenticar o titular (3D Secure).

## Registro de atividades

audit-title = Registro de atividades
audit-intro = Tudo o que foi feito com clientes, cartões e configurações neste computador, do mais recente ao mais antigo. Não pode ser alterado.
audit-loading = Carregando o registro de atividades…
audit-empty = Nada aconteceu ainda.
audit-load-more = Mostrar registros anteriores
audit-col-at = Quando
audit-col-action = O quê
audit-col-subject = Item
audit-col-by = Quem
audit-by-system = cardbind
audit-by-staff = Funcionário { $id }
audit-customer-create = Cliente cadastrado
audit-customer-update = Cliente alterado
audit-consent-accept = Consentimento dado
audit-binding-start = Formulário de cartão aberto
audit-binding-succeeded = Cartão salvo pela Antom
audit-binding-failed = Cartão recusado
audit-binding-expired = Formulário expirado
audit-binding-abandoned = Formulário abandonado
audit-binding-cancel = Cadastro de cartão cancelado
audit-card-bind = Cartão salvo
audit-card-remove = Cartão removido
audit-card-keep-duplicate = Cartão duplicado mantido
audit-card-replace-duplicate = Cartão anterior substituído
audit-settings-save = Configurações salvas
audit-settings-import-keys = Chaves de pagamento importadas

## Configurações

settings-title = Configurações
settings-loading = Carregando configurações…
settings-environment = Ambiente
settings-demo-hint = O modo de demonstração roda uma Antom simulada dentro do app: sem cartões reais, sem dinheiro real. Use os cartões de teste listados no README.
settings-live-hint = Informe os dados do portal da Antom. Eles são verificados antes de qualquer coisa ser salva.
settings-shop-name = Nome da loja
settings-shop-name-hint = Aparece para os clientes no termo de consentimento.
settings-client-id = Client ID
settings-region = Região
settings-region-none = Escolha uma região
settings-base-url = Ou um endereço personalizado
settings-notification-url = URL de notificação
settings-notification-url-hint = Para onde a Antom envia os resultados. Sem ela, o cardbind consulta a Antom a cada resultado.
settings-keys = Chaves de pagamento
settings-merchant-key-set = Chave privada do lojista salva
settings-merchant-key-missing = Nenhuma chave privada do lojista ainda
settings-antom-key-set = Chave pública da Antom salva
settings-antom-key-missing = Nenhuma chave pública da Antom ainda
settings-merchant-key = Chave privada do lojista
settings-merchant-key-file = Importar a chave privada do lojista de um arquivo
settings-antom-key = Chave pública da Antom
settings-antom-key-file = Importar a chave pública da Antom de um arquivo
settings-key-paste = Cole a chave como a Antom a mostra ou escolha um arquivo abaixo. Deixe vazio para manter a chave salva.
settings-public-key = Chave pública do lojista
settings-public-key-hint = Envie esta chave pública no portal da Antom. A chave privada nunca sai do chaveiro deste computador.
settings-save = Salvar configurações
settings-saved = Configurações salvas.

## Sobre

about-title = Sobre este app
about-intro = Versão, ambiente e onde o cardbind guarda os dados neste computador.
about-load = Mostrar informações do app
about-loading = Carregando informações do app…
about-version = Versão
about-environment = Ambiente
about-data-dir = Pasta de dados
about-database = Banco de dados de cartões (próprio deste ambiente)
about-config-dir = Pasta de configurações
about-platform = Plataforma
about-simulator = Antom de demonstração (simulador)
about-binding = Cadastro de cartões
about-binding-ready = Pronto
datakey-done = { $count } cartões salvos foram selados novamente com uma nova chave.
datakey-confirm-text = Este caixa fica ocupado até terminar. Se parar (uma queda de energia), termina no próximo início. Depois, pareie novamente os outros caixas da loja.
datakey-confirm-title = Selar todos os cartões salvos com uma nova chave?
datakey-rotate = Selar com uma nova chave
datakey-intro = O token de cada cartão salvo fica criptografado com uma chave no chaveiro deste computador. Depois que um caixa foi perdido ou roubado, sele todos novamente com uma nova chave: uma cópia da antiga então não abre nada. Os outros caixas da loja são pareados novamente depois.
datakey-title = A chave dos cartões salvos
about-integrity-unchecked = Não verificado: este caixa ainda não tem a chave da loja.
about-integrity-ok = Como os caixas os gravaram: { $count } entradas seladas no registro de atividades e os registros de funcionários.
about-integrity = Registros
integrity-advice = Restaure o banco de dados da loja de um backup ou fale com o proprietário.
integrity-staff = { $count } registros de funcionários foram alterados no banco de dados e não são usados.
integrity-unsealed = { $count } entradas do registro de atividades foram adicionadas sem a chave da loja.
integrity-broken = O registro de atividades foi editado, ou uma entrada removida, na entrada { $row }.
integrity-alert-title = Registros foram alterados fora dos caixas desta loja

## Erros

error-title = Algo deu errado
error-details = Detalhes: { $details }
error-internal = Ocorreu um erro inesperado. Tente novamente; se acontecer de novo, contate o suporte com os detalhes abaixo.
error-data-dir-unavailable = O cardbind não consegue criar a pasta de dados. Verifique se o disco não está cheio e se a sua conta pode gravar na pasta pessoal.
error-storage-full = O disco está cheio. Nada foi salvo e nada foi perdido; libere espaço e tente novamente.
error-storage-failed = Não foi possível ler ou salvar a lista de cartões. Tente novamente; se continuar, contate o suporte com os detalhes abaixo.
error-database-unreachable = Não é possível acessar o banco de dados compartilhado da loja. Nada foi iniciado e nada foi perdido; verifique a rede ou o servidor e tente novamente.
error-shared-database-not-empty = O banco de dados compartilhado já contém cartões ou funcionários de uma loja. Nada foi transferido; escolha um banco de dados vazio.
error-backup-on-server = Esta loja guarda os dados em um banco de dados compartilhado: o backup é feito no servidor, não em um caixa.
error-pairing-refused = Não foi possível parear o caixa. Confira o código no caixa do proprietário ou inicie um novo pareamento lá.
error-till-revoked = Um proprietário removeu este caixa da loja: ele não tem mais as chaves da loja. Pareie-o novamente para usá-lo.
error-shop-key-missing = Este caixa tem a chave dos cartões da loja, mas não a chave com que os registros da loja são selados. Pareie-o novamente a partir do caixa de um proprietário (Configurações → Caixas).
error-staff-list-missing = A lista de funcionários da loja sumiu: ninguém consegue entrar. Restaure o banco de dados da loja de um backup ou fale com o proprietário. Este caixa não abre sem os seus funcionários.
error-row-tampered = Um registro foi alterado no banco de dados da loja por alguém que não é um dos seus caixas, por isso não é usado. Restaure o banco de dados de um backup ou fale com o proprietário.
error-not-found = Este item não existe mais. Ele pode ter sido removido em outra tela.
error-invalid-input = Alguns dados estão faltando ou não são válidos. Verifique o campo destacado.
error-settings-invalid = Uma configuração não é válida. Veja os detalhes abaixo e corrija em Configurações.
error-keyring-unavailable = O cofre de senhas do computador (chaveiro) não está disponível, então as chaves de pagamento não podem ser lidas.
error-keyring-locked = O cofre de senhas do computador (chaveiro) está bloqueado. Desbloqueie-o entrando no computador e tente novamente.
error-key-missing = As chaves de pagamento deste ambiente ainda não foram configuradas. Importe-as em Configurações.
error-key-invalid = Uma chave de pagamento não é válida: tipo errado, tamanho errado ou danificada. Importe-a de novo em Configurações.
error-token-unreadable = Este cartão salvo não pode ser desbloqueado neste computador. Cadastre o cartão novamente.
error-data-key-missing = A chave que protege os cartões salvos neste computador não está no chaveiro do sistema. Nada foi alterado: restaure o chaveiro a partir de um backup deste computador para voltar a usar os cartões salvos.
error-antom-unreachable = Não foi possível conectar à Antom. Verifique a conexão com a internet e tente novamente.
error-antom-rejected-signature = A Antom não aceitou a assinatura desta loja. Verifique o Client ID e a chave do lojista em Configurações.
error-antom-response-invalid = Não foi possível verificar a resposta da Antom, por isso ela foi descartada. Tente novamente; se continuar, verifique a chave pública da Antom em Configurações.
error-antom-failed = A Antom recusou a solicitação. Veja os detalhes abaixo.
error-antom-unknown = A Antom ainda não confirmou o resultado. O cardbind verificará de novo automaticamente.
error-binding-declined = O cartão foi recusado. Peça ao cliente outro cartão.
error-binding-expired = O formulário expirou antes de o cartão ser digitado. Comece de novo.
error-binding-pending = O banco ainda está verificando o cartão. O resultado aparecerá automaticamente.
error-notification-invalid = Uma mensagem que dizia vir da Antom não passou na verificação de segurança e foi ignorada.

## Staff, roles and PINs
error-sign-in-required = Entre com seu PIN para continuar.
error-permission-denied = Sua função não permite esta ação. Um gerente ou proprietário precisa aprová-la com o PIN dele.
error-pin-wrong = Esse PIN não está correto. Tente de novo.
error-pin-locked = PINs errados demais. A digitação de PIN está pausada por um tempo.
error-pin-weak = Escolha um PIN de 4 a 8 dígitos que não seja uma sequência como 1234 nem um dígito repetido.
error-pin-in-use = Outra pessoa já usa este PIN. Escolha outro.
error-kiosk-locked = Este caixa está no modo quiosque. Um gerente precisa sair do modo quiosque primeiro.
error-staff-required = O modo quiosque precisa de um gerente ou proprietário com PIN. Cadastre um em Equipe primeiro.
error-kiosk-code-wrong = Este código não está certo, já foi usado ou expirou. Verifique-o ou peça um novo à equipa.
error-kiosk-code-paused = Demasiados códigos errados. A introdução de códigos está em pausa por algum tempo; peça ajuda à equipa.
kiosk-customer-name = Cliente do quiosque
pin-digits-entered =
    { $count ->
        [one] { $count } dígito digitado
       *[other] { $count } dígitos digitados
    }
pin-back = Apagar o último dígito
pin-clear = Limpar
pin-label = Digite o PIN
pin-locked =
    { $seconds ->
        [one] PINs errados demais. Tente de novo em { $seconds } segundo.
       *[other] PINs errados demais. Tente de novo em { $seconds } segundos.
    }
sign-in-title = Entrar
sign-in-hint = Digite seu PIN pessoal. O que você fizer fica registrado em seu nome.
sign-in-submit = Entrar
sign-out = Bloquear
role-owner = Proprietário
role-manager = Gerente
role-cashier = Operador de caixa
nav-staff = Equipe
staff-title = Equipe
staff-intro = Cada pessoa que usa este caixa tem o próprio PIN. Operadores de caixa cadastram clientes e cartões; remover cartões, exportar, mudar configurações e sair do modo quiosque exigem um gerente ou proprietário.
staff-open-mode = Ainda não há equipe cadastrada, então qualquer pessoa neste computador pode fazer tudo. Cadastre o proprietário para ativar os PINs.
staff-name = Nome
staff-role = Função
staff-since = Cadastrado em
staff-actions = Ações
staff-disabled = Desativado
staff-new-pin = Novo PIN
staff-disable = Desativar
staff-pin-saved = O novo PIN foi salvo.
staff-new-pin-for = Novo PIN para { $name }
staff-pin-hint = De 4 a 8 dígitos. O PIN de cada pessoa é diferente.
staff-save-pin = Salvar PIN
staff-add-owner = Cadastrar o proprietário
staff-add = Cadastrar membro da equipe
staff-pin = PIN
staff-pin-again = Repita o PIN
staff-pin-mismatch = Os dois PINs são diferentes.
staff-added = { $name } foi cadastrado.
staff-save = Cadastrar membro
staff-disable-title = Desativar este membro da equipe?
staff-disable-text = { $name } não poderá mais entrar. O nome continua no registro de atividades.
approval-title = Aprovação do gerente
approval-hint = Um gerente ou proprietário digita o PIN para permitir isto uma vez.
approval-submit = Aprovar
export-csv = Exportar CSV
export-done =
    { $rows ->
        [one] { $rows } linha salva em { $path }
       *[other] { $rows } linhas salvas em { $path }
    }
settings-kiosk = Modo quiosque
settings-kiosk-enabled = Iniciar como quiosque para clientes
settings-kiosk-hint = Tela cheia, os clientes cadastram o próprio cartão. O PIN de um gerente sai do modo quiosque.
settings-kiosk-idle = Segundos até "Você ainda está aí?"
settings-kiosk-countdown = Contagem antes de recomeçar, em segundos
audit-staff-create = Membro da equipe cadastrado
audit-staff-set-pin = PIN de membro da equipe alterado
audit-staff-disable = Membro da equipe desativado
audit-staff-sign-in = Entrou
audit-staff-sign-out = Saiu
audit-staff-approve = Aprovado por um gerente
audit-staff-approval-given = Aprovação de gerente concedida
audit-staff-pin-locked = Digitação de PIN pausada após PINs errados
audit-kiosk-enter = Modo quiosque iniciado
audit-kiosk-leave = Saída do modo quiosque
audit-kiosk-leave-refused = Saída do quiosque recusada (função insuficiente)
audit-export-cards = Lista de cartões exportada
audit-export-activity = Registro de atividades exportado

## Kiosk
kiosk-enter = Modo quiosque
kiosk-enter-title = Iniciar o modo quiosque?
kiosk-enter-text = A tela vira um quiosque para clientes e você sai da sua sessão. É preciso o PIN de um gerente ou proprietário para sair dele.
kiosk-staff = Equipe
kiosk-attract-title = Salve seu cartão e pague mais rápido
kiosk-attract-text = Seu cartão fica guardado com segurança pelo nosso provedor de pagamentos. Nada é cobrado.
kiosk-choose-language = Escolha seu idioma para começar
kiosk-decline = Não, obrigado
kiosk-agree = Eu concordo
kiosk-start-over = Recomeçar
kiosk-number-title = Seu telefone ou número de fidelidade
kiosk-number-hint = A loja usa-o para o reconhecer da próxima vez. Já é cliente? Peça um código à equipa para o cartão ser adicionado à sua conta.
kiosk-number-label = Telefone ou número de fidelidade
kiosk-code-title = O seu código da equipa
kiosk-code-hint = Escreva o código de 6 dígitos que a equipa lhe deu. O cartão é então adicionado à sua conta.
kiosk-code-label = Código de 6 dígitos
kiosk-code-have = Tenho um código da equipa
kiosk-code-use-number = Usar um número de telefone
kiosk-continue = Continuar
kiosk-cancel = Cancelar
kiosk-card-title = Digite os dados do seu cartão
kiosk-pending-hint = Seu banco ainda está verificando o cartão. Você já pode sair; o resultado é salvo automaticamente.
kiosk-finish = Concluir
kiosk-bound-title = Seu cartão foi salvo
kiosk-bound-text = Obrigado. Agora você paga mais rápido no caixa.
kiosk-idle-title = Você ainda está aí?
kiosk-idle-text =
    { $seconds ->
        [one] Recomeçando em { $seconds } segundo.
       *[other] Recomeçando em { $seconds } segundos.
    }
kiosk-still-here = Ainda estou aqui
kiosk-leave-title = Sair do modo quiosque
kiosk-leave-hint = Somente equipe: um gerente ou proprietário digita o PIN.
kiosk-leave-submit = Sair do modo quiosque
settings-lock-minutes = Bloquear após (minutos sem uso)
settings-lock-minutes-hint = A equipe conectada sai da sessão após esse tempo sem toque nem tecla: de 1 a 240 minutos.
audit-staff-auto-lock = Bloqueado por falta de uso

# Backups
settings-backup = Backups
settings-backup-hint = Um backup contém todos os cartões salvos, as configurações e as chaves, criptografados com a sua frase-senha. Guarde-o longe deste computador (um pendrive num cofre, outro computador). Sem ele, um computador perdido leva consigo a informação de qual cliente tem qual cartão salvo.
settings-backup-folder = Pasta de backup
settings-backup-every = Fazer backup a cada (horas, 0 = só manualmente)
settings-backup-keep = Backups a manter
settings-backup-passphrase = Frase-senha dos backups agendados
settings-backup-passphrase-hint = Pelo menos 10 caracteres, guardada no chaveiro deste computador. Anote-a num lugar seguro: sem ela um backup não pode ser aberto. Deixe em branco para manter a atual.
shopdb-title = Banco de dados da loja
shopdb-current-local = Os dados desta loja ficam neste computador.
shopdb-current-shared = Este caixa usa o banco de dados compartilhado da loja em { $server }.
shopdb-where = Onde ficam os cartões, pagamentos, funcionários e o registro de atividades
shopdb-local = Este computador (um caixa)
shopdb-shared = O banco de dados compartilhado da loja (vários caixas, PostgreSQL)
shopdb-url = Endereço do banco de dados compartilhado
shopdb-url-hint = postgresql://usuário:senha@servidor:5432/banco. Guardado no chaveiro deste computador. A conexão é criptografada e o certificado do servidor é verificado, a menos que o endereço termine em ?sslmode=disable.
shopdb-ca = Arquivo do certificado da autoridade (opcional)
shopdb-ca-hint = Caminho completo do arquivo PEM da sua própria autoridade certificadora, se o certificado do servidor não vier de uma pública.
shopdb-move = Transferir para ele os cartões, pagamentos, funcionários e o registro de atividades deste computador (o banco compartilhado deve estar vazio)
shopdb-leave-hint = Este caixa volta ao seu próprio banco de dados; o que está no banco compartilhado continua lá para os outros caixas.
shopdb-save = Mudar
shopdb-owner-title = PIN do proprietário
shopdb-owner-hint = Onde cada cartão fica guardado é decisão do proprietário. Entrar em uma loja que já está no banco compartilhado exige o PIN do proprietário dessa loja.
shopdb-done = Pronto: este caixa agora usa o banco de dados mostrado acima.
shopdb-moved = transferidos { $cards } cartões, { $customers } clientes, { $payments } pagamentos, { $staff } funcionários e { $entries } registros de atividade; cada tabela tem no servidor tantas linhas quanto aqui.

tills-title = Caixas desta loja
tills-add = Adicionar um caixa
tills-offer = Mostrar um código de pareamento
tills-offer-hint = No novo caixa, abra Configurações → Caixas desta loja e digite este código:
tills-offer-expires = O código vale até { $time }, uma vez.
tills-waiting = Aguardando o novo caixa…
tills-asked = “{ $name }” pede para entrar. A chave dele: { $fingerprint }. Confira se o novo caixa mostra a mesma e então admita-o.
tills-approve = Admitir este caixa
tills-admitted = “{ $name }” agora tem as chaves da loja.
tills-revoke = Revogar
tills-revoked = revogado
tills-join = Juntar este caixa à loja
tills-join-hint = O caixa de um proprietário mostra um código em Adicionar um caixa. As chaves da loja chegam a este caixa lacradas para ele, nunca em texto claro.
tills-join-code = Código
tills-join-name = Nome deste caixa
tills-join-submit = Pedir para entrar
tills-joining = Pedido enviado. Chave deste caixa: { $fingerprint }. O caixa do proprietário mostra a mesma; aguardando que o proprietário o admita…
tills-joined = Este caixa agora tem as chaves da loja.

backup-title = Fazer backup ou restaurar
backup-now-passphrase = Frase-senha deste backup (pelo menos 10 caracteres)
backup-now = Fazer backup agora
backup-made = Backup salvo: { $path }
backup-restore = Restaurar um backup
backup-restore-warning = Restaurar substitui todos os cartões salvos, as configurações e as chaves deste computador pelos do backup. Todos são desconectados.
backup-restore-path = Arquivo de backup (caminho completo)
backup-restore-passphrase = A frase-senha dele
backup-restore-confirm = Entendo que isto substitui tudo neste computador
backup-restore-button = Restaurar
backup-restored = Backup de { $date } restaurado: { $cards ->
    [one] um cartão salvo
   *[other] { $cards } cartões salvos
}.
audit-backup-create = Backup feito
audit-backup-restore = Backup restaurado
audit-staff-copy = Equipe copiada de outro ambiente
error-backup-passphrase-wrong = Essa frase-senha não abre este backup. Nada foi alterado.
error-backup-damaged = Este arquivo está danificado ou não é um backup do cardbind. Nada foi alterado: tente outra cópia.
error-backup-too-new = Este backup foi feito por um cardbind mais novo. Atualize o app e depois restaure-o. Nada foi alterado.

# Notification listener
about-listener = Notificações da Antom
about-listener-off = Não recebidas aqui: o cardbind consulta a Antom sobre cada resultado.
about-listener-waiting = à escuta, nada recebido ainda
about-listener-last = { $count ->
    [one] uma notificação recebida
   *[other] { $count } notificações recebidas
}, a última em { $at }
about-listener-error = Último problema: { $error }
settings-listener-bind = Receber notificações em (endereço:porta)
settings-listener-bind-hint = Opcional. Um endereço local, por exemplo 127.0.0.1:8787, para o qual um proxy reverso ou túnel que serve a URL de notificação encaminha. Deixe em branco para consultar a Antom.

## Going live: the connection check, the go-live checklist, the first start (issue 21)

error-owner-pin-required = Mudar para produção exige o PIN de um proprietário. Se a loja ainda não tem proprietário, adicione um em Equipe primeiro.
settings-currency = Moeda da loja
settings-currency-none = Não definida
settings-charge-limit = Caixas podem cobrar até ({ $currency })
settings-charge-limit-hint = Um caixa sozinho pode cobrar de um cliente presente até este valor; acima dele, e para um cliente que não está presente, um gerente aprova essa cobrança. Vazio: 100 da moeda.
settings-merchant-region = Região do comerciante (código do país)
settings-merchant-region-hint = O código ISO 3166 de duas letras do país onde a loja opera (por exemplo SG ou BR), enviado à Antom com as sessões de cartão e os pagamentos. Deixe vazio, a menos que a Antom tenha pedido um.
settings-check-title = Conexão com a Antom
settings-check-hint = Um pedido assinado que não altera nada na Antom mostra se o endereço, o ID de cliente, as duas chaves e o relógio deste computador estão certos.
settings-check = Verificar conexão
settings-check-running = Consultando a Antom…
settings-check-ok = Tudo funciona: a Antom aceitou o pedido desta loja e a resposta foi confirmada.
settings-check-failed = Algo precisa ser corrigido antes dos clientes reais: veja as linhas abaixo.
settings-check-details = Detalhes para um desenvolvedor
settings-check-offer = Salvo. Verifique agora a conexão com a Antom, antes do primeiro cliente.
settings-go-live-title = Mudar para produção
settings-go-live-hint = A partir de agora são salvos cartões reais e pode circular dinheiro real. Um proprietário confirma com o seu PIN.
settings-go-live-submit = Entrar em produção
check-item-reach = Alcançar a Antom
check-item-client-host = ID de cliente e servidor
check-item-signature = Assinatura desta loja
check-item-answer = Resposta da Antom
check-item-clock = Relógio deste computador
check-reachable = O servidor da Antom respondeu.
check-dns-failed = O nome do servidor não foi encontrado (DNS). Verifique a internet e a região ou o URL base.
check-tls-failed = Não foi possível uma conexão segura (TLS). Um proxy ou firewall pode estar no caminho; verifique também a data do computador.
check-proxy-failed = O proxy recusou a conexão. Verifique as configurações de proxy do computador.
check-connect-failed = Nada respondeu nesse endereço. Verifique a internet, o firewall e o URL base.
check-timed-out = A Antom não respondeu a tempo. Verifique a internet e tente de novo.
check-http-error = Algo respondeu, mas não a Antom (HTTP { $value }). Verifique a região ou o URL base.
check-client-host-agree = O ID de cliente pertence a este ambiente e a Antom o conhece.
check-sandbox-id-on-production = Este é um ID de cliente de sandbox (SANDBOX_…), mas o ambiente é produção. Use o ID real do Antom Dashboard ou escolha o sandbox.
check-production-id-on-sandbox = Este é um ID de cliente real, mas o ambiente é o sandbox. Use o ID de sandbox (SANDBOX_…) ou escolha produção.
check-client-unknown = A Antom não conhece este ID de cliente aqui. Confira se foi copiado inteiro do Antom Dashboard, para este ambiente.
check-signature-accepted = A Antom aceitou a assinatura desta loja.
check-signature-rejected = A Antom rejeitou a assinatura desta loja. Normalmente a chave pública enviada ao Antom Dashboard não é a desta chave privada: envie a chave pública mostrada em Configurações.
check-answer-verified = A resposta da Antom é autêntica: foi verificada com a chave pública da Antom.
check-keys-swapped = O campo da chave pública da Antom contém a chave pública desta loja. Cole ali a chave pública da Antom, do Antom Dashboard.
check-answer-not-verified = Não foi possível verificar a resposta da Antom: a chave pública da Antom está errada. Copie-a de novo do Antom Dashboard para este ambiente.
check-clock-ok = O relógio deste computador concorda com o da Antom.
check-clock-off = O relógio deste computador difere { $value } segundos do da Antom. Ative a data e hora automáticas (hora da rede).
check-not-checked = Não verificado: corrija primeiro a linha acima.
golive-title = Lista para entrar em produção
golive-intro = O que uma loja deve ter pronto antes do primeiro cliente real.
golive-ready = Pronto para clientes reais.
golive-not-ready = Ainda falta alguma coisa.
golive-fix = Corrigir
golive-shop-name = Nome da loja
golive-currency = Moeda da loja
golive-owner-pin = Um proprietário com PIN
golive-antom-keys = Chaves da Antom importadas
golive-connection-checked = Verificação de conexão aprovada
golive-notifications = Notificações da Antom
golive-backups = Cópias de segurança agendadas
golive-state-done = Feito
golive-state-missing = Ainda não
golive-state-not-in-demo = Não no modo demonstração: escolha primeiro o sandbox em Configurações
golive-state-check-failed = A última verificação encontrou um problema
golive-state-check-stale = As configurações mudaram desde a última verificação: verifique de novo
golive-state-polling-only = Só consulta: o app pergunta à Antom cada resultado, o que funciona sem endereço público
golive-state-listening = Escutando: garanta que o URL de notificação chega a este computador
welcome-title = Boas-vindas ao cardbind
welcome-intro = Alguns dados e a loja fica pronta. Também pode pular e explorar a demonstração primeiro: nada real acontece no modo demonstração.
welcome-language = Idioma
welcome-owner = O proprietário
welcome-owner-hint = O PIN pessoal do proprietário protege configurações, equipe e remoção de cartões. Deixe vazio para adicionar a equipe depois.
welcome-owner-name = Nome do proprietário
welcome-owner-pin = PIN (4 a 8 dígitos)
welcome-owner-pin2 = PIN de novo
welcome-pin-mismatch = Os dois PINs não são iguais.
welcome-skip = Pular e explorar a demonstração
welcome-start = Começar
kiosk-blocked-title = O modo quiosque precisa de um gerente
kiosk-blocked-text = Este computador foi iniciado como quiosque de clientes, mas ninguém poderia sair do modo quiosque: ainda não há gerente nem proprietário com PIN. Adicione um em Equipe e depois inicie o modo quiosque.
kiosk-blocked-staff = Ir para Equipe

## payments (errors)
error-amount-invalid = Não é possível cobrar esse valor: informe um valor acima de zero na moeda da loja. Se a loja ainda não tem moeda, escolha-a em Configurações.
error-card-not-chargeable = Este cartão foi removido (ou está sendo removido) e não pode mais ser cobrado.
error-refund-not-possible = Este reembolso não é possível: só um pagamento aprovado pode ser reembolsado, e nunca acima do que resta.
error-cancel-not-possible = Este pagamento não pode mais ser cancelado (já foi liquidado, reembolsado ou não foi cobrado). Faça um reembolso.
error-request-inconsistent = A Antom relata um conflito com um pedido anterior. Nada foi cobrado duas vezes; contate o suporte com os detalhes abaixo.
error-receipt-not-available = Só um pagamento ou reembolso aprovado tem recibo.
error-print-failed = Não foi possível salvar o recibo em PDF. Verifique se há espaço livre no disco e tente de novo, ou use Imprimir.

## payments: charging a saved card
action-back = Voltar
charge-action = Cobrar
charge-title = Cobrar { $masked }
charge-amount = Valor ({ $currency })
charge-amount-invalid = Informe um valor acima de zero com no máximo { $decimals } casas decimais.
charge-description = Descrição
charge-description-placeholder = O que está sendo pago
charge-reference = Referência do pedido (opcional)
charge-present = O cliente está aqui e concorda com este pagamento
charge-review = Revisar
charge-confirm-text = Cobrar { $amount } no { $brand } { $masked }?
charge-confirm = Cobrar { $amount }
charge-progress = Cobrando o cartão…
charge-approved = Aprovado: { $amount }
charge-approved-detail = Código de autorização { $code } · Pagamento { $payment }
charge-declined = Recusado
charge-declined-next = Nada foi cobrado. Peça ao cliente outro cartão ou outra forma de pagamento.
charge-pending = Aguardando o banco
charge-pending-text = O banco ainda não respondeu. O cardbind continua verificando; o resultado aparece aqui e em Pagamentos.
charge-3ds = O banco do cliente pede que ele confirme este pagamento.
charge-done = Concluir
payment-state-cancelled = Cancelado
pay-decline-do-not-honor = O banco recusou o pagamento.
pay-decline-insufficient-funds = Não há saldo suficiente no cartão.
pay-decline-expired-card = O cartão está vencido.
pay-decline-authentication = O pagamento não foi confirmado com o banco.
pay-decline-card-removed = Este cartão não está mais salvo na Antom.
pay-decline-other = O pagamento foi recusado.

## payments: the list and one payment
nav-payments = Pagamentos
payments-title = Pagamentos
payments-intro = Todas as cobranças de cartões salvos, das mais recentes às mais antigas.
payments-search = Pesquisar
payments-search-placeholder = Últimos 4 dígitos, cliente, referência ou ID do pagamento
payments-state = Status
payments-state-all = Todos
payments-from = De
payments-to = Até
payment-state-sending = Enviando
payment-state-pending = Pendente
payment-state-declined = Recusado
payment-state-refused = Recusado pela Antom
refund-state-sending = Enviando
refund-state-pending = Pendente
refund-state-succeeded = Reembolsado
refund-state-failed = Recusado
payments-col-date = Data
payments-col-customer = Cliente
payments-col-card = Cartão
payments-col-amount = Valor
payments-col-status = Status
payments-empty = Nenhum pagamento ainda. Cobre um cartão salvo na lista de cartões.
payments-more = Mostrar mais
payments-back = Todos os pagamentos
payment-title = Pagamento de { $amount }
payment-refunded = Reembolsado { $amount }
payment-id = ID do pagamento na Antom
payment-auth-code = Código de autorização
payment-reference = Referência
payment-description = Descrição
payment-made = Feito em
payment-refunds = Reembolsos
payment-refresh = Verificar com a Antom
payment-refund = Reembolsar
payment-refund-left = Ainda é possível reembolsar até { $amount }.
payment-refund-amount = Valor a reembolsar ({ $currency })
payment-refund-reason = Motivo (opcional)
payment-refund-confirm = Reembolsar { $amount }
payment-cancel = Cancelar pagamento
payment-cancel-title = Cancelar este pagamento?
payment-cancel-text = A cobrança de { $amount } é anulada e nada fica cobrado. Isso não pode ser desfeito.

## Receipts (components/ReceiptDialog.svelte); printed in the customer's language
receipt-open = Recibo
receipt-dialog-title = Recibo
receipt-language = Idioma do recibo
receipt-print = Imprimir
receipt-save-pdf = Salvar em PDF
receipt-saved = Salvo em PDF:
receipt-close = Fechar
receipt-heading-payment = Recibo de pagamento
receipt-heading-refund = Recibo de reembolso
receipt-date = Data
receipt-card = Cartão
receipt-amount = Valor pago
receipt-refund-amount = Valor reembolsado
receipt-original-amount = Pagamento original
receipt-description = Descrição
receipt-reference = Referência
receipt-payment-id = ID do pagamento
receipt-refund-id = ID do reembolso
receipt-auth-code = Código de autorização
receipt-demo = DEMONSTRAÇÃO — nenhum dinheiro real foi movimentado.
receipt-thanks = Obrigado pela preferência!

## Activity log: payments, refunds, receipts, removals at Antom, kiosk codes, go-live (id: audit- + the action, . and _ as -)
audit-card-not-revoked = Cartão removido aqui, não revogado na Antom (token ilegível)
audit-card-remove-requested = Remoção de cartão pedida (aguardando a Antom)
audit-customer-kiosk-code = Código de quiosque dado a um cliente
audit-kiosk-code-locked = Entrada de código de quiosque pausada após códigos errados
audit-kiosk-code-used = Código de quiosque usado
audit-payment-cancel = Cancelamento de pagamento pedido
audit-payment-cancelled = Pagamento cancelado pela Antom
audit-payment-cancel-refused = A Antom recusou o cancelamento (reembolse em vez disso)
audit-payment-charge = Cartão cobrado (enviado à Antom)
audit-payment-declined = Pagamento recusado
audit-payment-refused = Pagamento rejeitado pela Antom
audit-receipt-pdf = Recibo salvo em PDF
audit-refund-failed = Reembolso falhou
audit-refund-request = Reembolso pedido
audit-refund-succeeded = Reembolso concluído
audit-settings-connection-check = Conexão com a Antom verificada
audit-settings-go-live = Mudou para produção
audit-settings-shop-database = Mudou onde os dados da loja são guardados
audit-till-offer = Ofereceu parear um novo caixa
audit-till-pair = Pareou um novo caixa
audit-till-join = Entrou nos caixas da loja
audit-till-revoke = Revogou um caixa
audit-settings-data-key-rotated = Selou os cartões salvos com uma nova chave
audit-till-seal = Selou os registros como estavam com a chave da loja

# Ready for the real Antom: capture, token APIs, notifications
payment-state-authorised = Autorizado
payment-state-captured = Capturado
payment-state-capture-failed = Captura falhou
audit-payment-authorised = Pagamento autorizado
audit-payment-captured = Pagamento capturado
audit-payment-capture-failed = Captura do pagamento falhou (nada cobrado)
audit-card-removal-unconfirmed = Remoção do cartão não confirmada (a Antom ainda tem o token)
audit-card-removal-refused = A Antom recusou apagar o token do cartão
receipt-status = Estado
receipt-status-authorised = Autorizado — captura pendente
receipt-status-captured = Capturado
cards-removal-refused = A Antom recusou apagar o token do cartão { $masked }. Ele já não pode ser cobrado aqui; peça ao suporte da Antom que o revogue. O cardbind continua a pedir.
settings-merchant-account-id = ID da conta de comerciante
settings-merchant-account-id-hint = O ID da conta de comerciante da Antom (até 64 caracteres). A Antom precisa dele para apagar o token de um cartão removido; sem ele, os cartões removidos ficam "remoção pendente".
settings-settlement-currency = Moeda de liquidação
settings-settlement-currency-hint = Só se o contrato com a Antom tiver várias moedas de liquidação: aquela em que a Antom paga a loja. Caso contrário, deixe vazio.
settings-client-ip = Endereço IP público da loja
settings-client-ip-hint = Opcional. Enviado à Antom com as cobranças de cartão para as verificações de risco. Vazio: é enviado o endereço do próprio caixa.
settings-listener-exposed = O recetor escuta para além deste computador. Prefira 127.0.0.1 atrás de um proxy reverso ou túnel.
about-unhandled = Notificações confirmadas, sem ação
golive-merchant-account = ID da conta de comerciante (para remover cartões)
error-shop-mismatch = Este banco de dados não é aquele para onde sua loja se mudou, por isso as chaves da loja não são oferecidas nele. Confira o endereço com o proprietário.
error-passphrase-weak = Esta frase-senha é fácil demais de adivinhar. Use quatro ou mais palavras sem relação entre si, ou uma longa e aleatória: ela é tudo o que protege as chaves de um backup.
golive-cashier-limits = Limites dos caixas
golive-state-default-limits = Os padrões de uma loja nova: altere-os em Configurações se não servirem
golive-limits-amounts = { $limit } por cobrança, { $daily } em 24 horas
settings-daily-limit = Um caixa sozinho, em 24 horas ({ $currency })
settings-daily-limit-hint = Acima deste total das cobranças do próprio caixa em 24 horas, um gerente aprova cada nova cobrança. Vazio: 500 da moeda.
welcome-limit-hint = Um caixa pode cobrar até este valor sozinho; acima dele um gerente aprova. Vazio: 100 da moeda. Dá para mudar em Configurações.
approval-what-refund = Reembolsar { $amount } do pagamento { $payment } para { $card }
approval-what-cancel = Cancelar o pagamento { $payment } ({ $card })
approval-what-charge = Cobrar { $amount } de { $card } de { $customer }
approval-what-remove = Remover { $card } de { $customer }
approval-what-settings = Salvar estas configurações: { $fields }
approval-what-shop = Mudar a loja a que este caixa pertence, ou onde ficam os seus dados
approval-what-tills = Gerir os caixas da loja
approval-what-export = Exportar { $fields }
approval-what-staff = Gerir a equipe
approval-what-backup = Fazer ou restaurar um backup (ele contém todas as chaves)
approval-what-kiosk = Transformar este caixa em quiosque fora da produção
approval-what-keys = Selar os cartões salvos com uma nova chave
approval-what-other = Permitir uma vez
