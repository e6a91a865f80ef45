# cardbind — 한국어

app-name = cardbind
app-tagline = 고객의 카드를 Antom에 등록하고, 나중에 결제하고 환불합니다
app-starting = cardbind를 시작하는 중…
language = 언어
language-name = 한국어

env-demo = 데모 — 가상 Antom
env-sandbox = Antom 샌드박스
env-production = Antom 운영 환경

nav-label = 주 메뉴
nav-cards = 카드
nav-customers = 고객
nav-audit = 활동 기록
nav-settings = 설정
nav-about = 정보

action-cancel = 취소

## 카드 목록

cards-title = 등록된 카드
cards-intro = 고객을 위해 Antom에 등록된 카드입니다. 이 컴퓨터에는 카드번호 끝 네 자리만 보관됩니다.
cards-search = 검색
cards-search-placeholder = 카드번호 끝 4자리, 고객 이름, 전화번호 또는 참조 번호
cards-brand = 카드 브랜드
cards-brand-all = 모든 브랜드
cards-expiry = 유효기간
cards-expiry-any = 전체 유효기간
cards-expiry-expired = 만료됨
cards-expiry-3m = 3개월 이내 만료
cards-expiry-12m = 12개월 이내 만료
cards-sort = 정렬
cards-sort-recent = 최근 등록순
cards-sort-expiry = 만료 임박순
cards-col-card = 카드
cards-col-expiry = 유효기간
cards-col-customer = 고객
cards-col-bound = 등록일
cards-col-actions = 작업
cards-expired = 만료됨
cards-duplicate = 이미 등록됨
cards-keep = 둘 다 유지
cards-replace = 이 카드만 유지
cards-remove = 삭제
cards-remove-title = 이 카드를 삭제할까요?
cards-remove-text = { $customer } 고객의 { $brand } { $masked } 카드가 삭제됩니다. 매장에서 더 이상 사용할 수 없으며, 고객이 카드를 다시 등록해야 합니다.
cards-remove-confirm = 카드 삭제
cards-removed = { $masked } 카드를 삭제했습니다.
cards-removal-pending = 카드 { $masked }는 더 이상 결제할 수 없습니다. Antom이 아직 삭제를 확인하지 않았습니다. cardbind가 계속 요청하며 확인되는 즉시 삭제합니다.
cards-removal-pending-tag = 삭제 대기 중
cards-empty = 아직 등록된 카드가 없습니다. 고객을 열고 ‘카드 등록’을 누르세요.
cards-empty-action = 고객 목록으로
cards-empty-customer = 이 고객은 아직 등록된 카드가 없습니다. ‘카드 등록’을 눌러 카드를 등록하세요.
cards-empty-filtered = 검색 조건에 맞는 카드가 없습니다. 검색어나 필터를 바꿔 보세요.
cards-shown =
    { $count ->
       *[other] 카드 { $count }장 표시 중
    }
cards-loading = 카드를 불러오는 중…
cards-load-more = 카드 더 보기

## 고객

customers-title = 고객
customers-new = 새 고객
customers-search = 검색
customers-search-placeholder = 이름, 전화번호 또는 참조 번호
customers-loading = 고객을 불러오는 중…
customers-empty = 아직 고객이 없습니다. 첫 고객을 추가하고 카드를 등록하세요.
customers-empty-filtered = 검색 조건에 맞는 고객이 없습니다.
customers-col-name = 이름
customers-col-phone = 전화번호
customers-col-reference = 참조 번호
customers-col-cards = 카드
customers-card-count =
    { $count ->
        [0] 카드 없음
       *[other] 카드 { $count }장
    }
customers-more = 처음 { $count }명만 표시됩니다. 이름을 더 입력해 목록을 좁히세요.

customer-name = 이름
customer-phone = 전화번호
customer-email = 이메일
customer-reference = 참조 번호
customer-reference-hint = 매장 자체 참조 번호(예: 멤버십 카드 번호)입니다.
customer-notes = 메모
customer-save = 고객 저장
customer-edit = 수정
customer-kiosk-code = 키오스크 코드
customer-kiosk-code-text = 이 코드를 고객에게 알려 주세요. 고객이 키오스크에서 “직원에게 받은 코드가 있어요”를 누르고 입력하면 저장한 카드가 이 고객에게 추가됩니다. { $expires }까지 한 번만 사용할 수 있습니다.
customer-kiosk-code-done = 완료
customer-edit-title = 고객 정보 수정
customer-cards = 등록된 카드

## 카드 등록

add-card = 카드 등록
add-card-title = 카드 등록하기
add-card-for = { $name } 고객

consent-title = 카드 등록 안내
consent-text = 고객님의 동의에 따라 { $shop }은(는) 나중에 카드번호를 다시 입력하지 않고 결제할 수 있도록 Antom에 이 카드의 등록을 요청합니다. 카드 정보는 Antom이 보관하며, 매장은 카드 브랜드, 카드번호 끝 네 자리, 유효기간만 보관합니다. 지금 결제되는 금액은 없으며, 언제든지 매장에 카드 삭제를 요청할 수 있습니다.
consent-default-shop = 이 매장
consent-accept = 고객이 내용을 읽고 동의했습니다
consent-continue = 카드 정보 입력으로 계속
consent-loading = 동의 안내문을 불러오는 중…

binding-starting = Antom 보안 카드 입력 화면을 여는 중…
binding-enter-card = 고객에게 화면을 건네 Antom 보안 입력 화면에 카드 정보를 입력하도록 해 주세요.
binding-loading = Antom 보안 카드 입력 화면을 불러오는 중…
binding-cancel = 취소
binding-confirming = Antom에 확인하는 중…
binding-pending = 카드사에서 아직 카드를 확인하고 있습니다.
binding-pending-hint = 몇 분 정도 걸릴 수 있습니다. Antom이 확인하는 즉시 목록에 카드가 표시되므로 이 화면을 나가셔도 됩니다.
binding-pending-leave = 기다리지 않고 계속
binding-bound-title = 카드가 등록되었습니다
binding-bound-expiry = 유효기간 { $expiry }
binding-duplicate = 이 고객은 이미 이 카드를 등록했습니다. 둘 다 유지할까요, 이 카드만 유지할까요?
binding-add-another = 다른 카드 등록
binding-done = 완료

## 안내 화면

alert-code = 코드: { $code }
alert-retry = 다시 시도
alert-back = 고객 화면으로
alert-declined-title = 카드가 등록되지 않았습니다
alert-declined-next = 고객에게 다른 카드를 요청하거나 카드사에 문의하도록 안내하세요.
alert-expired-title = 입력 시간이 만료되었습니다
alert-expired-text = 보안 입력 화면이 너무 오래 열려 있어 닫혔습니다. 등록된 카드는 없습니다.
alert-expired-next = ‘다시 시도’를 눌러 새 입력 화면을 여세요.
alert-cancelled-title = 취소됨
alert-cancelled-text = 카드 등록이 취소되었습니다. 등록된 카드는 없습니다.
alert-cancelled-next = ‘다시 시도’를 눌러 처음부터 시작하거나 이전 화면으로 돌아가세요.
alert-timeout-title = 입력 화면을 불러오지 못했습니다
alert-timeout-text = Antom 보안 카드 입력 화면이 제시간에 열리지 않았습니다.
alert-timeout-next = 인터넷 연결을 확인한 후 ‘다시 시도’를 누르세요.
alert-connection-title = 연결이 끊어졌습니다
alert-connection-text = Antom과의 연결이 끊어졌습니다. 카드가 등록되었다면 목록에 자동으로 표시됩니다.
alert-connection-next = 인터넷 연결을 확인한 후 ‘다시 시도’를 누르세요.
alert-sdk-error-title = 입력 화면이 작동을 멈췄습니다
alert-sdk-error-text = Antom 보안 카드 입력 화면에서 오류가 발생했습니다. 등록된 카드는 없습니다.
alert-sdk-error-next = ‘다시 시도’를 누르세요. 같은 문제가 반복되면 아래 코드를 알려 고객지원에 문의하세요.
alert-error-title = 카드가 등록되지 않았습니다
alert-error-text = 카드를 등록하는 중 문제가 발생했습니다.
alert-error-next = ‘다시 시도’를 누르세요. 같은 문제가 반복되면 아래 코드를 알려 고객지원에 문의하세요.

decline-generic = 카드사에서 이 카드를 승인하지 않았습니다.
decline-do-not-honor = 카드사에서 사유 없이 이 카드를 승인하지 않았습니다.
decline-card-expired = 유효기간이 지난 카드입니다.
decline-invalid-card-number = 카드번호가 올바르지 않습니다.
decline-invalid-cvv = 보안코드(CVC)가 올바르지 않습니다.
decline-card-not-supported = 이 종류의 카드는 여기에서 등록할 수 없습니다.
decline-restricted-card = 카드사에서 이 카드의 등록을 허용하지 않습니다.
decline-verification-failed = 카드사에서 카드 소지자 본인 인증(3D Secure)을 완료하지 못했습니다.

## 활동 기록

audit-title = 활동 기록
audit-intro = 이 컴퓨터에서 고객, 카드, 설정에 대해 이루어진 모든 작업이 최신순으로 표시됩니다. 수정할 수 없습니다.
audit-loading = 활동 기록을 불러오는 중…
audit-empty = 아직 기록이 없습니다.
audit-load-more = 이전 기록 더 보기
audit-col-at = 일시
audit-col-action = 작업
audit-col-subject = 대상
audit-col-by = 작업자
audit-by-system = cardbind
audit-by-staff = 직원 { $id }
audit-customer-create = 고객 추가
audit-customer-update = 고객 정보 수정
audit-consent-accept = 동의 완료
audit-binding-start = 카드 입력 화면 열림
audit-binding-succeeded = Antom에서 카드 등록 완료
audit-binding-failed = 카드 승인 거절
audit-binding-expired = 입력 화면 만료
audit-binding-abandoned = 입력 화면 중단
audit-binding-cancel = 카드 등록 취소
audit-card-bind = 카드 등록
audit-card-remove = 카드 삭제
audit-card-keep-duplicate = 중복 카드 유지
audit-card-replace-duplicate = 이전 카드 교체
audit-settings-save = 설정 저장
audit-settings-import-keys = 결제 키 가져오기

## 설정

settings-title = 설정
settings-loading = 설정을 불러오는 중…
settings-environment = 환경
settings-demo-hint = 데모 모드는 앱 안에서 가상 Antom을 실행합니다. 실제 카드나 실제 금액은 사용되지 않습니다. README의 테스트 카드를 사용하세요.
settings-live-hint = Antom 포털의 정보를 입력하세요. 저장하기 전에 모두 확인합니다.
settings-shop-name = 매장 이름
settings-shop-name-hint = 동의 안내문에서 고객에게 표시됩니다.
settings-client-id = 클라이언트 ID
settings-region = 지역
settings-region-none = 지역 선택
settings-base-url = 또는 사용자 지정 주소
settings-notification-url = 알림 URL
settings-notification-url-hint = Antom이 결과를 보내는 주소입니다. 없으면 cardbind가 결과마다 Antom에 직접 조회합니다.
settings-keys = 결제 키
settings-merchant-key-set = 가맹점 개인 키 저장됨
settings-merchant-key-missing = 가맹점 개인 키 없음
settings-antom-key-set = Antom 공개 키 저장됨
settings-antom-key-missing = Antom 공개 키 없음
settings-merchant-key = 가맹점 개인 키
settings-merchant-key-file = 파일에서 가맹점 개인 키 가져오기
settings-antom-key = Antom 공개 키
settings-antom-key-file = 파일에서 Antom 공개 키 가져오기
settings-key-paste = Antom에 표시된 그대로 키를 붙여 넣거나 아래에서 파일을 선택하세요. 저장된 키를 유지하려면 비워 두세요.
settings-public-key = 가맹점 공개 키
settings-public-key-hint = 이 공개 키를 Antom 포털에 업로드하세요. 개인 키는 이 컴퓨터의 키링을 벗어나지 않습니다.
settings-save = 설정 저장
settings-saved = 설정을 저장했습니다.

## 정보

about-title = 앱 정보
about-intro = 버전, 환경, 그리고 이 컴퓨터에서 cardbind가 데이터를 보관하는 위치입니다.
about-load = 앱 정보 보기
about-loading = 앱 정보를 불러오는 중…
about-version = 버전
about-environment = 환경
about-data-dir = 데이터 폴더
about-database = 카드 데이터베이스(이 환경 전용)
about-config-dir = 설정 폴더
about-platform = 플랫폼
about-simulator = 데모 Antom(시뮬레이터)
about-binding = 카드 등록
about-binding-ready = 준비됨

## 오류

error-title = 문제가 발생했습니다
error-details = 상세 정보: { $details }
error-internal = 예기치 않은 오류가 발생했습니다. 다시 시도하고, 반복되면 아래 상세 정보를 알려 고객지원에 문의하세요.
error-data-dir-unavailable = cardbind 데이터 폴더를 만들 수 없습니다. 디스크 공간이 충분한지, 계정이 홈 폴더에 쓸 수 있는지 확인하세요.
error-storage-full = 디스크가 가득 찼습니다. 저장되거나 손실된 내용은 없습니다. 공간을 확보한 후 다시 시도하세요.
error-storage-failed = 카드 목록을 읽거나 저장할 수 없습니다. 다시 시도하고, 계속되면 아래 상세 정보를 알려 고객지원에 문의하세요.
error-database-unreachable = 매장의 공유 데이터베이스에 연결할 수 없습니다. 시작된 작업도, 잃어버린 데이터도 없습니다. 네트워크나 서버를 확인한 후 다시 시도하세요.
error-shared-database-not-empty = 공유 데이터베이스에 이미 매장의 카드나 직원 정보가 있습니다. 아무것도 옮기지 않았습니다. 빈 데이터베이스를 선택하세요.
error-backup-on-server = 이 매장은 공유 데이터베이스에 데이터를 보관합니다. 백업은 계산대가 아니라 서버에서 합니다.
error-pairing-refused = 계산대를 페어링하지 못했습니다. 소유자 계산대의 코드를 확인하거나 그곳에서 페어링을 다시 시작하세요.
error-till-revoked = 소유자가 이 계산대를 매장에서 제거했습니다. 매장 키가 더 이상 없습니다. 사용하려면 다시 페어링하세요.
error-not-found = 이 항목은 더 이상 존재하지 않습니다. 다른 화면에서 삭제되었을 수 있습니다.
error-invalid-input = 누락되었거나 올바르지 않은 정보가 있습니다. 표시된 항목을 확인하세요.
error-settings-invalid = 올바르지 않은 설정이 있습니다. 아래 상세 정보를 확인하고 설정에서 수정하세요.
error-keyring-unavailable = 컴퓨터의 암호 저장소(키링)를 사용할 수 없어 결제 키를 읽을 수 없습니다.
error-keyring-locked = 컴퓨터의 암호 저장소(키링)가 잠겨 있습니다. 컴퓨터에 로그인해 잠금을 해제한 후 다시 시도하세요.
error-key-missing = 이 환경의 결제 키가 아직 설정되지 않았습니다. 설정에서 가져오세요.
error-key-invalid = 결제 키가 올바르지 않습니다(종류나 길이가 다르거나 손상됨). 설정에서 다시 가져오세요.
error-token-unreadable = 이 컴퓨터에서는 등록된 카드의 잠금을 해제할 수 없습니다. 카드를 다시 등록하세요.
error-data-key-missing = 이 컴퓨터에 저장된 카드를 보호하는 키가 시스템 키링에 없습니다. 변경된 것은 없습니다. 저장된 카드를 다시 사용하려면 이 컴퓨터의 백업에서 키링을 복원하세요.
error-antom-unreachable = Antom에 연결할 수 없습니다. 인터넷 연결을 확인한 후 다시 시도하세요.
error-antom-rejected-signature = Antom이 이 매장의 서명을 받아들이지 않았습니다. 설정에서 클라이언트 ID와 가맹점 키를 확인하세요.
error-antom-response-invalid = Antom의 응답을 검증할 수 없어 무시했습니다. 다시 시도하고, 계속되면 설정에서 Antom 공개 키를 확인하세요.
error-antom-failed = Antom이 요청을 거절했습니다. 아래 상세 정보를 확인하세요.
error-antom-unknown = Antom이 아직 결과를 확인하지 않았습니다. cardbind가 자동으로 다시 확인합니다.
error-binding-declined = 카드가 승인되지 않았습니다. 고객에게 다른 카드를 요청하세요.
error-binding-expired = 카드를 입력하기 전에 입력 화면이 만료되었습니다. 처음부터 다시 시작하세요.
error-binding-pending = 카드사에서 아직 카드를 확인하고 있습니다. 결과는 자동으로 표시됩니다.
error-notification-invalid = Antom에서 온 것처럼 보이는 메시지가 보안 확인을 통과하지 못해 무시되었습니다.

## Staff, roles and PINs
error-sign-in-required = 계속하려면 PIN으로 로그인하세요.
error-permission-denied = 현재 역할로는 이 작업을 할 수 없습니다. 매니저나 점주가 PIN으로 승인해야 합니다.
error-pin-wrong = PIN이 올바르지 않습니다. 다시 시도하세요.
error-pin-locked = 잘못된 PIN을 너무 많이 입력했습니다. 잠시 동안 PIN 입력이 중지됩니다.
error-pin-weak = 1234 같은 연속 숫자나 같은 숫자 반복이 아닌 4~8자리 PIN을 정하세요.
error-pin-in-use = 다른 직원이 이미 이 PIN을 사용하고 있습니다. 다른 PIN을 정하세요.
error-kiosk-locked = 이 계산대는 키오스크 모드입니다. 먼저 매니저가 키오스크 모드를 해제해야 합니다.
error-staff-required = 키오스크 모드에는 PIN이 있는 매니저나 점주가 필요합니다. 먼저 직원 메뉴에서 추가하세요.
error-kiosk-code-wrong = 코드가 맞지 않거나 이미 사용되었거나 만료되었습니다. 확인하거나 직원에게 새 코드를 요청하세요.
error-kiosk-code-paused = 잘못된 코드가 너무 많습니다. 잠시 동안 코드 입력이 중지됩니다. 직원에게 도움을 요청하세요.
kiosk-customer-name = 키오스크 고객
pin-digits-entered = { $count }자리 입력됨
pin-back = 마지막 숫자 지우기
pin-clear = 지우기
pin-label = PIN 입력
pin-locked = 잘못된 PIN을 너무 많이 입력했습니다. { $seconds }초 후에 다시 시도하세요.
sign-in-title = 로그인
sign-in-hint = 개인 PIN을 입력하세요. 모든 작업이 본인 이름으로 기록됩니다.
sign-in-submit = 로그인
sign-out = 잠금
role-owner = 점주
role-manager = 매니저
role-cashier = 계산원
nav-staff = 직원
staff-title = 직원
staff-intro = 이 계산대를 쓰는 모든 사람은 자기 PIN을 가집니다. 계산원은 고객과 카드를 등록하고, 카드 삭제·내보내기·설정 변경·키오스크 모드 해제는 매니저나 점주가 합니다.
staff-open-mode = 아직 등록된 직원이 없어 이 컴퓨터를 쓰는 누구나 모든 작업을 할 수 있습니다. 점주를 추가하면 PIN이 적용됩니다.
staff-name = 이름
staff-role = 역할
staff-since = 등록일
staff-actions = 작업
staff-disabled = 비활성
staff-new-pin = 새 PIN
staff-disable = 비활성화
staff-pin-saved = 새 PIN이 저장되었습니다.
staff-new-pin-for = { $name }의 새 PIN
staff-pin-hint = 4~8자리 숫자. 사람마다 PIN이 달라야 합니다.
staff-save-pin = PIN 저장
staff-add-owner = 점주 추가
staff-add = 직원 추가
staff-pin = PIN
staff-pin-again = PIN 다시 입력
staff-pin-mismatch = 두 PIN이 서로 다릅니다.
staff-added = { $name } 님이 추가되었습니다.
staff-save = 직원 추가
staff-disable-title = 이 직원을 비활성화할까요?
staff-disable-text = { $name } 님은 더 이상 로그인할 수 없습니다. 활동 기록에는 이름이 남습니다.
approval-title = 매니저 승인
approval-hint = 매니저나 점주가 PIN을 입력하면 이번 한 번만 허용됩니다.
approval-submit = 승인
export-csv = CSV로 내보내기
export-done = { $rows }개 행을 { $path }에 저장했습니다
settings-kiosk = 키오스크 모드
settings-kiosk-enabled = 고객용 키오스크로 시작
settings-kiosk-hint = 전체 화면에서 고객이 직접 카드를 등록합니다. 매니저 PIN으로 키오스크 모드를 해제합니다.
settings-kiosk-idle = "아직 계신가요?"까지의 시간(초)
settings-kiosk-countdown = 처음으로 돌아가기 전 카운트다운(초)
audit-staff-create = 직원 추가됨
audit-staff-set-pin = 직원 PIN 변경됨
audit-staff-disable = 직원 비활성화됨
audit-staff-sign-in = 로그인
audit-staff-sign-out = 로그아웃
audit-staff-approve = 매니저가 승인함
audit-staff-approval-given = 매니저 승인 입력됨
audit-staff-pin-locked = 잘못된 PIN으로 PIN 입력 중지
audit-kiosk-enter = 키오스크 모드 시작
audit-kiosk-leave = 키오스크 모드 해제
audit-kiosk-leave-refused = 키오스크 해제 거부(권한 부족)
audit-export-cards = 카드 목록 내보냄
audit-export-activity = 활동 기록 내보냄

## Kiosk
kiosk-enter = 키오스크 모드
kiosk-enter-title = 키오스크 모드를 시작할까요?
kiosk-enter-text = 화면이 고객용 키오스크로 바뀌고 로그아웃됩니다. 해제하려면 매니저나 점주의 PIN이 필요합니다.
kiosk-staff = 직원
kiosk-attract-title = 카드를 등록하고 더 빠르게 결제하세요
kiosk-attract-text = 카드 정보는 결제 대행사가 안전하게 보관합니다. 결제는 일어나지 않습니다.
kiosk-choose-language = 언어를 선택해 시작하세요
kiosk-decline = 괜찮습니다
kiosk-agree = 동의합니다
kiosk-start-over = 처음으로
kiosk-number-title = 전화번호 또는 멤버십 번호
kiosk-number-hint = 매장에서 다음에 고객님을 알아보는 데 사용합니다. 이미 고객이신가요? 직원에게 코드를 요청하시면 카드가 고객님 계정에 추가됩니다.
kiosk-number-label = 전화번호 또는 멤버십 번호
kiosk-code-title = 직원에게 받은 코드
kiosk-code-hint = 직원에게 받은 6자리 코드를 입력하세요. 카드가 고객님 계정에 추가됩니다.
kiosk-code-label = 6자리 코드
kiosk-code-have = 직원에게 받은 코드가 있어요
kiosk-code-use-number = 전화번호로 하기
kiosk-continue = 계속
kiosk-cancel = 취소
kiosk-card-title = 카드 정보를 입력하세요
kiosk-pending-hint = 은행에서 아직 카드를 확인하고 있습니다. 지금 떠나셔도 결과는 자동으로 저장됩니다.
kiosk-finish = 완료
kiosk-bound-title = 카드가 등록되었습니다
kiosk-bound-text = 감사합니다. 이제 계산대에서 더 빠르게 결제할 수 있습니다.
kiosk-idle-title = 아직 계신가요?
kiosk-idle-text = { $seconds }초 후 처음으로 돌아갑니다.
kiosk-still-here = 계속할게요
kiosk-leave-title = 키오스크 모드 해제
kiosk-leave-hint = 직원 전용: 매니저나 점주가 PIN을 입력합니다.
kiosk-leave-submit = 키오스크 모드 해제
settings-lock-minutes = 잠금까지의 시간(사용하지 않은 분)
settings-lock-minutes-hint = 로그인한 직원은 이 시간 동안 터치나 키 입력이 없으면 로그아웃됩니다. 0은 잠그지 않음입니다.
audit-staff-auto-lock = 사용하지 않아 잠김

# Backups
settings-backup = 백업
settings-backup-hint = 백업에는 저장된 모든 카드, 설정, 키가 암호 문구로 암호화되어 들어 있습니다. 이 컴퓨터와 떨어진 곳(금고 속 USB, 다른 컴퓨터)에 보관하세요. 백업이 없으면 컴퓨터를 잃을 때 어느 고객이 어떤 카드를 저장했는지도 잃게 됩니다.
settings-backup-folder = 백업 폴더
settings-backup-every = 백업 주기(시간, 0 = 수동으로만)
settings-backup-keep = 보관할 백업 수
settings-backup-passphrase = 예약 백업용 암호 문구
settings-backup-passphrase-hint = 10자 이상이며 이 컴퓨터의 키링에 보관됩니다. 안전한 곳에 적어 두세요. 암호 문구가 없으면 백업을 열 수 없습니다. 비워 두면 저장된 것을 유지합니다.
shopdb-title = 매장 데이터베이스
shopdb-current-local = 이 매장의 데이터는 이 컴퓨터에 보관됩니다.
shopdb-current-shared = 이 계산대는 { $server }의 매장 공유 데이터베이스를 사용합니다.
shopdb-where = 카드, 결제, 직원, 활동 기록을 보관할 곳
shopdb-local = 이 컴퓨터 (계산대 하나)
shopdb-shared = 매장 공유 데이터베이스 (여러 계산대, PostgreSQL)
shopdb-url = 공유 데이터베이스 주소
shopdb-url-hint = postgresql://사용자:비밀번호@호스트:5432/데이터베이스. 이 컴퓨터의 키링에 보관됩니다. 주소가 ?sslmode=disable로 끝나지 않으면 연결은 암호화되고 서버 인증서를 확인합니다.
shopdb-ca = CA 인증서 파일 (선택)
shopdb-ca-hint = 서버 인증서가 공인 기관에서 발급되지 않았다면 자체 인증 기관의 PEM 파일 전체 경로.
shopdb-move = 이 컴퓨터의 카드, 결제, 직원, 활동 기록을 그곳으로 옮기기 (공유 데이터베이스는 비어 있어야 합니다)
shopdb-leave-hint = 이 계산대는 자체 데이터베이스로 돌아갑니다. 공유 데이터베이스의 내용은 다른 계산대를 위해 그대로 남습니다.
shopdb-save = 전환
shopdb-owner-title = 소유자 PIN
shopdb-owner-hint = 모든 카드를 어디에 보관할지는 소유자가 결정합니다. 이미 공유 데이터베이스를 쓰는 매장에 합류하려면 그 매장 소유자의 PIN이 필요합니다.
shopdb-done = 완료: 이 계산대는 이제 위에 표시된 데이터베이스를 사용합니다.
shopdb-moved = 카드 { $cards }장, 고객 { $customers }명, 결제 { $payments }건, 직원 { $staff }명, 활동 기록 { $entries }건을 옮겼습니다. 모든 표의 행 수가 서버와 이곳에서 같습니다.

tills-title = 이 매장의 계산대
tills-add = 계산대 추가
tills-offer = 페어링 코드 표시
tills-offer-hint = 새 계산대에서 설정 → 이 매장의 계산대를 열고 이 코드를 입력하세요:
tills-offer-expires = 코드는 { $time }까지 한 번 사용할 수 있습니다.
tills-waiting = 새 계산대를 기다리는 중…
tills-asked = “{ $name }”이(가) 합류를 요청합니다. 키: { $fingerprint }. 새 계산대에 같은 값이 표시되는지 확인한 후 승인하세요.
tills-approve = 이 계산대 승인
tills-admitted = “{ $name }”에 이제 매장 키가 있습니다.
tills-revoke = 해지
tills-revoked = 해지됨
tills-join = 이 계산대를 매장에 합류
tills-join-hint = 소유자의 계산대는 계산대 추가에서 코드를 표시합니다. 매장 키는 평문이 아니라 이 계산대용으로 봉인되어 도착합니다.
tills-join-code = 코드
tills-join-name = 이 계산대 이름
tills-join-submit = 합류 요청
tills-joining = 요청했습니다. 이 계산대의 키: { $fingerprint }. 소유자 계산대에도 같은 값이 표시됩니다. 소유자의 승인을 기다리는 중…
tills-joined = 이 계산대에 이제 매장 키가 있습니다.

backup-title = 백업 또는 복원
backup-now-passphrase = 이 백업의 암호 문구(10자 이상)
backup-now = 지금 백업
backup-made = 백업 저장됨: { $path }
backup-restore = 백업 복원
backup-restore-warning = 복원하면 이 컴퓨터의 저장된 카드, 설정, 키가 모두 백업의 것으로 바뀝니다. 모든 사용자가 로그아웃됩니다.
backup-restore-path = 백업 파일(전체 경로)
backup-restore-passphrase = 해당 암호 문구
backup-restore-confirm = 이 컴퓨터의 모든 것이 바뀐다는 것을 이해합니다
backup-restore-button = 복원
backup-restored = { $date }의 백업을 복원했습니다: 저장된 카드 { $cards }장.
audit-backup-create = 백업 생성
audit-backup-restore = 백업 복원
audit-staff-copy = 다른 환경에서 직원 복사
error-backup-passphrase-wrong = 이 암호 문구로는 백업을 열 수 없습니다. 변경된 것은 없습니다.
error-backup-damaged = 이 파일은 손상되었거나 cardbind 백업이 아닙니다. 변경된 것은 없습니다. 다른 사본을 사용해 보세요.
error-backup-too-new = 이 백업은 더 새로운 cardbind로 만들어졌습니다. 앱을 업데이트한 뒤 복원하세요. 변경된 것은 없습니다.

# Notification listener
about-listener = Antom 알림
about-listener-off = 여기서 받지 않음: cardbind가 결과마다 Antom에 직접 조회합니다.
about-listener-waiting = 수신 대기 중, 아직 받은 알림 없음
about-listener-last = 알림 { $count }건 수신, 마지막 수신 { $at }
about-listener-error = 마지막 문제: { $error }
settings-listener-bind = 알림 수신 주소(주소:포트)
settings-listener-bind-hint = 선택 사항입니다. 알림 URL을 제공하는 리버스 프록시나 터널이 전달할 로컬 주소(예: 127.0.0.1:8787)입니다. 비워 두면 Antom에 직접 조회합니다.

## Going live: the connection check, the go-live checklist, the first start (issue 21)

error-owner-pin-required = 운영 환경으로 전환하려면 점주의 PIN이 필요합니다. 아직 점주가 없다면 먼저 직원 메뉴에서 추가하세요.
settings-currency = 매장 통화
settings-currency-none = 설정 안 됨
settings-charge-limit = 계산원 결제 한도 ({ $currency })
settings-charge-limit-hint = 이 금액을 넘거나 고객이 현장에 없으면 관리자가 결제를 승인합니다. 비워 두면 한도가 없습니다.
settings-merchant-region = 가맹점 지역(국가 코드)
settings-merchant-region-hint = 매장이 영업하는 국가의 ISO 3166 두 글자 코드(예: SG, BR)로, 카드 세션과 결제와 함께 Antom에 전송됩니다. Antom이 요청하지 않았다면 비워 두세요.
settings-check-title = Antom 연결
settings-check-hint = Antom에서 아무것도 바꾸지 않는 서명된 요청 하나로 주소, 클라이언트 ID, 두 키와 이 컴퓨터의 시계가 올바른지 확인합니다.
settings-check = 연결 확인
settings-check-running = Antom에 묻는 중…
settings-check-ok = 모두 정상입니다. Antom이 이 매장의 요청을 받아들였고 응답도 확인되었습니다.
settings-check-failed = 실제 고객을 받기 전에 고칠 것이 있습니다. 아래 항목을 보세요.
settings-check-details = 개발자용 세부 정보
settings-check-offer = 저장했습니다. 첫 고객 전에 지금 Antom 연결을 확인하세요.
settings-go-live-title = 운영 환경으로 전환
settings-go-live-hint = 이제부터 실제 카드가 저장되고 실제 돈이 오갈 수 있습니다. 점주가 PIN으로 확인합니다.
settings-go-live-submit = 운영 시작
check-item-reach = Antom 연결
check-item-client-host = 클라이언트 ID와 호스트
check-item-signature = 이 매장의 서명
check-item-answer = Antom의 응답
check-item-clock = 이 컴퓨터의 시계
check-reachable = Antom 호스트가 응답했습니다.
check-dns-failed = 호스트 이름을 찾을 수 없습니다(DNS). 인터넷 연결과 지역 또는 기본 URL을 확인하세요.
check-tls-failed = 보안 연결(TLS)을 만들 수 없습니다. 프록시나 방화벽이 막고 있을 수 있습니다. 컴퓨터 날짜도 확인하세요.
check-proxy-failed = 프록시가 연결을 거부했습니다. 컴퓨터의 프록시 설정을 확인하세요.
check-connect-failed = 그 주소에서 아무것도 응답하지 않았습니다. 인터넷 연결, 방화벽, 기본 URL을 확인하세요.
check-timed-out = Antom이 제때 응답하지 않았습니다. 인터넷 연결을 확인하고 다시 시도하세요.
check-http-error = 응답은 왔지만 Antom이 아닙니다(HTTP { $value }). 지역 또는 기본 URL을 확인하세요.
check-client-host-agree = 클라이언트 ID가 이 환경의 것이고 Antom이 알고 있습니다.
check-sandbox-id-on-production = 샌드박스 클라이언트 ID(SANDBOX_…)인데 환경은 운영입니다. Antom Dashboard의 실제 클라이언트 ID를 쓰거나 샌드박스를 선택하세요.
check-production-id-on-sandbox = 실제 클라이언트 ID인데 환경은 샌드박스입니다. 샌드박스 클라이언트 ID(SANDBOX_…)를 쓰거나 운영을 선택하세요.
check-client-unknown = Antom이 여기서 이 클라이언트 ID를 모릅니다. Antom Dashboard에서 이 환경의 ID를 빠짐없이 복사했는지 확인하세요.
check-signature-accepted = Antom이 이 매장의 서명을 받아들였습니다.
check-signature-rejected = Antom이 이 매장의 서명을 거부했습니다. 보통 Antom Dashboard에 올린 공개 키가 이 개인 키의 것이 아닙니다. 설정에 표시된 공개 키를 올리세요.
check-answer-verified = Antom의 응답은 진짜입니다. Antom 공개 키로 검증되었습니다.
check-keys-swapped = Antom 공개 키 칸에 이 매장 자신의 공개 키가 들어 있습니다. 그 자리에 Antom Dashboard의 Antom 공개 키를 붙여 넣으세요.
check-answer-not-verified = Antom의 응답을 검증할 수 없습니다. Antom 공개 키가 틀렸습니다. Antom Dashboard에서 이 환경의 키를 다시 복사하세요.
check-clock-ok = 이 컴퓨터의 시계가 Antom과 맞습니다.
check-clock-off = 이 컴퓨터의 시계가 Antom과 { $value }초 차이 납니다. 날짜와 시간 자동 설정(네트워크 시간)을 켜세요.
check-not-checked = 확인하지 않음: 먼저 위 항목을 고치세요.
golive-title = 운영 시작 점검표
golive-intro = 첫 실제 고객 전에 매장이 갖춰야 할 것들입니다.
golive-ready = 실제 고객을 받을 준비가 되었습니다.
golive-not-ready = 아직 갖추지 못한 것이 있습니다.
golive-fix = 고치기
golive-shop-name = 매장 이름
golive-currency = 매장 통화
golive-owner-pin = PIN이 있는 점주
golive-antom-keys = Antom 키 가져오기
golive-connection-checked = 연결 확인 통과
golive-notifications = Antom 알림
golive-backups = 백업 예약
golive-state-done = 완료
golive-state-missing = 아직
golive-state-not-in-demo = 데모 모드에서는 해당 없음: 먼저 설정에서 샌드박스를 선택하세요
golive-state-check-failed = 마지막 확인에서 문제가 발견되었습니다
golive-state-check-stale = 마지막 확인 이후 설정이 바뀌었습니다: 다시 확인하세요
golive-state-polling-only = 조회만 사용: 앱이 결과마다 Antom에 물어보므로 공개 주소 없이도 동작합니다
golive-state-listening = 수신 중: 알림 URL이 이 컴퓨터에 닿는지 확인하세요
welcome-title = cardbind에 오신 것을 환영합니다
welcome-intro = 몇 가지만 입력하면 매장 준비가 끝납니다. 먼저 건너뛰고 데모를 둘러봐도 됩니다. 데모 모드에서는 실제로 일어나는 일이 없습니다.
welcome-language = 언어
welcome-owner = 점주
welcome-owner-hint = 점주의 개인 PIN은 설정, 직원 관리, 카드 삭제를 보호합니다. 직원을 나중에 추가하려면 비워 두세요.
welcome-owner-name = 점주 이름
welcome-owner-pin = PIN(4~8자리)
welcome-owner-pin2 = PIN 다시 입력
welcome-pin-mismatch = 두 PIN이 같지 않습니다.
welcome-skip = 건너뛰고 데모 둘러보기
welcome-start = 시작
kiosk-blocked-title = 키오스크 모드에는 매니저가 필요합니다
kiosk-blocked-text = 이 컴퓨터는 고객용 키오스크로 시작되었지만 키오스크 모드를 끝낼 수 있는 사람이 없습니다. PIN이 있는 매니저나 점주가 아직 없습니다. 직원 메뉴에서 추가한 뒤 키오스크 모드를 시작하세요.
kiosk-blocked-staff = 직원 메뉴로 이동

## payments (errors)
error-amount-invalid = 이 금액은 결제할 수 없습니다. 매장 통화로 0보다 큰 금액을 입력하세요. 매장 통화가 아직 없다면 설정에서 선택하세요.
error-card-not-chargeable = 이 카드는 삭제되었거나 삭제 중이어서 더 이상 결제할 수 없습니다.
error-refund-not-possible = 이 환불은 할 수 없습니다. 승인된 결제만 환불할 수 있으며, 남은 금액을 넘을 수 없습니다.
error-cancel-not-possible = 이 결제는 더 이상 취소할 수 없습니다(정산, 환불되었거나 결제되지 않음). 대신 환불하세요.
error-request-inconsistent = Antom이 이전 요청과 충돌한다고 알려 왔습니다. 이중 결제는 없었습니다. 아래 세부 정보와 함께 고객 지원에 문의하세요.
error-receipt-not-available = 영수증은 승인된 결제나 환불에만 있습니다.
error-print-failed = 영수증을 PDF로 저장하지 못했습니다. 디스크 여유 공간을 확인하고 다시 시도하거나 인쇄를 사용하세요.

## payments: charging a saved card
action-back = 뒤로
charge-action = 결제
charge-title = { $masked } 결제
charge-amount = 금액 ({ $currency })
charge-amount-invalid = 0보다 크고 소수점 이하 { $decimals }자리 이내의 금액을 입력하세요.
charge-description = 설명
charge-description-placeholder = 결제 내용
charge-reference = 주문 번호 (선택)
charge-present = 고객이 현장에 있으며 이 결제에 동의합니다
charge-review = 확인
charge-confirm-text = { $brand } { $masked }에 { $amount }을(를) 결제할까요?
charge-confirm = { $amount } 결제
charge-progress = 카드 결제 중…
charge-approved = 승인됨: { $amount }
charge-approved-detail = 승인 번호 { $code } · 결제 { $payment }
charge-declined = 거절됨
charge-declined-next = 결제되지 않았습니다. 고객에게 다른 카드나 다른 결제 수단을 요청하세요.
charge-pending = 은행 응답 대기 중
charge-pending-text = 은행이 아직 응답하지 않았습니다. cardbind가 계속 확인하며, 결과는 여기와 결제 내역에 표시됩니다.
charge-3ds = 고객의 은행이 이 결제의 확인을 요청합니다.
charge-done = 완료
payment-state-cancelled = 취소됨
pay-decline-do-not-honor = 은행이 결제를 거절했습니다.
pay-decline-insufficient-funds = 카드 잔액이 부족합니다.
pay-decline-expired-card = 카드 유효기간이 지났습니다.
pay-decline-authentication = 은행에서 결제가 확인되지 않았습니다.
pay-decline-card-removed = 이 카드는 더 이상 Antom에 저장되어 있지 않습니다.
pay-decline-other = 결제가 거절되었습니다.

## payments: the list and one payment
nav-payments = 결제 내역
payments-title = 결제 내역
payments-intro = 저장된 카드로 결제한 모든 내역, 최신순.
payments-search = 검색
payments-search-placeholder = 카드 끝 4자리, 고객, 주문 번호 또는 결제 ID
payments-state = 상태
payments-state-all = 전체
payments-from = 시작일
payments-to = 종료일
payment-state-sending = 전송 중
payment-state-pending = 대기 중
payment-state-declined = 거절됨
payment-state-refused = Antom이 거부함
refund-state-sending = 전송 중
refund-state-pending = 대기 중
refund-state-succeeded = 환불됨
refund-state-failed = 거부됨
payments-col-date = 날짜
payments-col-customer = 고객
payments-col-card = 카드
payments-col-amount = 금액
payments-col-status = 상태
payments-empty = 아직 결제가 없습니다. 카드 목록에서 저장된 카드로 결제하세요.
payments-more = 더 보기
payments-back = 모든 결제
payment-title = { $amount } 결제
payment-refunded = { $amount } 환불됨
payment-id = Antom 결제 ID
payment-auth-code = 승인 번호
payment-reference = 주문 번호
payment-description = 설명
payment-made = 결제 시각
payment-refunds = 환불
payment-refresh = Antom에 확인
payment-refund = 환불
payment-refund-left = 최대 { $amount }까지 환불할 수 있습니다.
payment-refund-amount = 환불 금액 ({ $currency })
payment-refund-reason = 사유 (선택)
payment-refund-confirm = { $amount } 환불
payment-cancel = 결제 취소
payment-cancel-title = 이 결제를 취소할까요?
payment-cancel-text = { $amount } 결제가 무효화되어 청구되지 않습니다. 되돌릴 수 없습니다.

## Receipts (components/ReceiptDialog.svelte); printed in the customer's language
receipt-open = 영수증
receipt-dialog-title = 영수증
receipt-language = 영수증 언어
receipt-print = 인쇄
receipt-save-pdf = PDF로 저장
receipt-saved = PDF로 저장됨:
receipt-close = 닫기
receipt-heading-payment = 결제 영수증
receipt-heading-refund = 환불 영수증
receipt-date = 일시
receipt-card = 카드
receipt-amount = 결제 금액
receipt-refund-amount = 환불 금액
receipt-original-amount = 원래 결제 금액
receipt-description = 내용
receipt-reference = 참조 번호
receipt-payment-id = 결제 ID
receipt-refund-id = 환불 ID
receipt-auth-code = 승인 번호
receipt-demo = 데모 — 실제 돈은 오가지 않았습니다.
receipt-thanks = 이용해 주셔서 감사합니다!

## Activity log: payments, refunds, receipts, removals at Antom, kiosk codes, go-live (id: audit- + the action, . and _ as -)
audit-card-not-revoked = 여기서 카드 삭제됨, Antom에서는 해지되지 않음(토큰 읽기 불가)
audit-card-remove-requested = 카드 삭제 요청됨(Antom 대기 중)
audit-customer-kiosk-code = 고객에게 키오스크 코드 발급
audit-kiosk-code-locked = 잘못된 코드 입력으로 키오스크 코드 입력 일시 중지
audit-kiosk-code-used = 키오스크 코드 사용됨
audit-payment-cancel = 결제 취소 요청
audit-payment-cancelled = Antom에서 결제 취소됨
audit-payment-cancel-refused = Antom이 취소를 거절함 (대신 환불)
audit-payment-charge = 카드 결제 요청(Antom으로 전송)
audit-payment-declined = 결제 거절됨
audit-payment-refused = Antom이 결제 요청을 거부함
audit-receipt-pdf = 영수증을 PDF로 저장함
audit-refund-failed = 환불 실패
audit-refund-request = 환불 요청
audit-refund-succeeded = 환불 완료
audit-settings-connection-check = Antom 연결 확인
audit-settings-go-live = 운영 환경으로 전환
audit-settings-shop-database = 매장 데이터 보관 위치 변경
audit-till-offer = 새 계산대 페어링 제안
audit-till-pair = 새 계산대 페어링
audit-till-join = 매장 계산대에 합류
audit-till-revoke = 계산대 해지

# Ready for the real Antom: capture, token APIs, notifications
payment-state-authorised = 승인됨(매입 대기)
payment-state-captured = 매입 완료
payment-state-capture-failed = 매입 실패
audit-payment-authorised = 결제 승인됨
audit-payment-captured = 결제 매입 완료
audit-payment-capture-failed = 결제 매입 실패(청구 없음)
audit-card-removal-unconfirmed = 카드 삭제 미확인(Antom에 토큰이 남아 있음)
audit-card-removal-refused = Antom이 카드 토큰 삭제를 거부함
receipt-status = 상태
receipt-status-authorised = 승인됨 — 매입 대기 중
receipt-status-captured = 매입 완료
cards-removal-refused = Antom이 카드 { $masked }의 토큰 삭제를 거부했습니다. 여기서는 더 이상 청구할 수 없습니다. Antom 지원팀에 토큰 폐기를 요청하세요. cardbind는 계속 요청합니다.
settings-merchant-account-id = 가맹점 계정 ID
settings-merchant-account-id-hint = Antom 가맹점 계정 ID(최대 64자). 삭제한 카드의 토큰을 지우려면 필요합니다. 없으면 삭제한 카드가 "삭제 대기"로 남습니다.
settings-settlement-currency = 정산 통화
settings-settlement-currency-hint = Antom 계약에 정산 통화가 여러 개인 경우에만: Antom이 매장에 지급하는 통화. 그 외에는 비워 두세요.
settings-client-ip = 매장 공인 IP 주소
settings-client-ip-hint = 선택 사항. 위험 점검용으로 카드 결제와 함께 Antom에 전송됩니다. 비워 두면 계산대 자체 주소가 전송됩니다.
settings-listener-exposed = 수신기가 이 컴퓨터 밖에서도 접속을 받습니다. 리버스 프록시나 터널 뒤의 127.0.0.1을 권장합니다.
about-unhandled = 확인만 한 알림(처리 안 함)
golive-merchant-account = 가맹점 계정 ID(카드 삭제용)
