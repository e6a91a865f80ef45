//! Antom's word on a vaulting, a payment or a refund, read from an answer (inquireVaulting, pay,
//! inquiryPayment, refund, inquiryRefund) or a notification: the one mapping from Antom's fields
//! to what happened, shared by every caller.

use crate::codes;
use crate::model::{
    AntomResult, CardDetail, InquireVaultingResponse, InquiryPaymentResponse, InquiryRefundResponse, NotifyCapture,
    NotifyPayment, NotifyRefund, NotifyVaulting, PayResponse, PaymentResultInfo, RedirectActionForm, RefundResponse,
    ResultStatus, TransactionStatus, VaultingStatus,
};

/// What happened to a vaulting.
#[derive(Debug, Clone)]
pub enum VaultingOutcome {
    /// The card is bound; its details (the token among them).
    Success(Box<CardDetail>),
    /// Antom refused the card.
    Failed { code: String, message: String },
    /// The session ended before a card was bound.
    Expired { code: String, message: String },
    /// Still being verified (or not submitted yet).
    Processing,
    /// Antom never saw this request id.
    Unknown,
}

impl VaultingOutcome {
    /// A vaulting that did not bind: an expired session ([`codes::ORDER_IS_CLOSED`]) or a
    /// refusal.
    pub fn failure(code: String, message: String) -> Self {
        if code == codes::ORDER_IS_CLOSED {
            VaultingOutcome::Expired { code, message }
        } else {
            VaultingOutcome::Failed { code, message }
        }
    }
}

/// Why an answer does not say what happened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// `U`: Antom's result is unknown for now; ask again later.
    #[error("Antom's result is unknown for now ({0})")]
    Unknown(String),
    /// An `F` result other than "not found": the request itself was refused.
    #[error("the request was refused: {0}")]
    Refused(String),
    /// A success that does not carry the card.
    #[error("Antom reported SUCCESS without the card")]
    MissingCard,
}

fn card(detail: Option<&crate::model::PaymentMethodDetail>) -> Result<VaultingOutcome, ReadError> {
    detail.and_then(|d| d.card.clone()).map(|c| VaultingOutcome::Success(Box::new(c))).ok_or(ReadError::MissingCard)
}

impl InquireVaultingResponse {
    /// The vaulting's outcome per `vaultingStatus` (a missing status reads as still processing).
    pub fn outcome(&self) -> Result<VaultingOutcome, ReadError> {
        match (self.result.result_status, self.result.result_code.as_str()) {
            (ResultStatus::F, codes::VAULTING_NOT_EXIST) => Ok(VaultingOutcome::Unknown),
            (ResultStatus::F, code) => Err(ReadError::Refused(code.to_string())),
            (ResultStatus::U, code) => Err(ReadError::Unknown(code.to_string())),
            (ResultStatus::S, _) => match self.vaulting_status {
                Some(VaultingStatus::Success) => card(self.payment_method_detail.as_ref()),
                Some(VaultingStatus::Fail) => Ok(VaultingOutcome::failure(
                    self.vaulting_result_code.clone().unwrap_or_else(|| codes::PROCESS_FAIL.into()),
                    self.vaulting_result_message.clone().unwrap_or_default(),
                )),
                Some(VaultingStatus::Processing) | None => Ok(VaultingOutcome::Processing),
                Some(VaultingStatus::Unknown) => {
                    tracing::warn!("inquireVaulting: an undocumented vaultingStatus; read as still processing");
                    Ok(VaultingOutcome::Processing)
                }
            },
        }
    }
}

impl NotifyVaulting {
    /// The vaulting's outcome as this notification states it, read as an inquiry is read:
    /// `resultStatus` F is a failure, U still processing; with S, `vaultingStatus` decides
    /// (FAIL and PROCESSING are not a bound card); S without a `vaultingStatus` (it is on the
    /// APO page only) is a bound card, as the notifyVaulting page says. An undocumented
    /// `vaultingStatus` reads as still processing and is logged, so an authentic message is
    /// still acknowledged.
    pub fn outcome(&self) -> Result<VaultingOutcome, ReadError> {
        match (self.result.result_status, self.vaulting_status) {
            (ResultStatus::F, _) => Ok(VaultingOutcome::failure(
                self.result.result_code.clone(),
                self.result.result_message.clone().unwrap_or_default(),
            )),
            (ResultStatus::U, _) => Ok(VaultingOutcome::Processing),
            (ResultStatus::S, Some(VaultingStatus::Success) | None) => card(self.payment_method_detail.as_ref()),
            (ResultStatus::S, Some(VaultingStatus::Fail)) => {
                let code = if self.result.result_code == codes::SUCCESS {
                    codes::PROCESS_FAIL.to_string()
                } else {
                    self.result.result_code.clone()
                };
                Ok(VaultingOutcome::failure(code, self.result.result_message.clone().unwrap_or_default()))
            }
            (ResultStatus::S, Some(VaultingStatus::Processing)) => Ok(VaultingOutcome::Processing),
            (ResultStatus::S, Some(VaultingStatus::Unknown)) => {
                tracing::warn!(vaulting_request_id = %self.vaulting_request_id, "notifyVaulting: an undocumented vaultingStatus; read as still processing");
                Ok(VaultingOutcome::Processing)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// payments and refunds (§9)

/// What happened to a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentOutcome {
    /// Authorised (`isAuthorization`): the capture that follows is reported on its own (§9.1),
    /// and `capture` says what is known of it (inquiryPayment's `transactions[]`).
    Authorised {
        payment_id: String,
        payment_time: Option<String>,
        info: Box<PaymentResultInfo>,
        capture: Option<CaptureOutcome>,
    },
    /// The card (its issuer, Antom's risk checks) refused the payment: final, nothing charged.
    Declined { payment_id: Option<String>, code: String, message: String },
    /// Not final: 3D Secure (`challenge_url` where the buyer goes) or the issuer is still at it.
    Pending { payment_id: Option<String>, challenge_url: Option<String> },
    /// Cancelled (voided) before capture.
    Cancelled { payment_id: Option<String> },
    /// inquiryPayment: Antom never saw this `paymentRequestId` (the pay never arrived).
    NotFound,
}

/// Why a payment or refund answer does not say what happened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyReadError {
    /// `U` other than "in process": unknown for now; ask again (same request id).
    #[error("Antom's result is unknown for now ({0})")]
    Unknown(String),
    /// The request itself was refused (a parameter, the key, the client): nothing happened.
    #[error("the request was refused: {0}")]
    Refused(String),
    /// `REPEAT_REQ_INCONSISTENT`: a request id re-used with another body. A bug, never retried.
    #[error("Antom says this request id was used before with another body (REPEAT_REQ_INCONSISTENT)")]
    Inconsistent,
    /// A success that names no payment or refund id.
    #[error("Antom reported success without the {0}")]
    MissingId(&'static str),
}

/// F codes that refuse the *request* (nothing about the card): a set-up or program error to
/// show staff, not a decline to tell the customer. Any other F code of a pay is a decline.
fn refuses_the_request(code: &str) -> bool {
    matches!(
        code,
        codes::PARAM_ILLEGAL
            | codes::INVALID_SIGNATURE
            | codes::INVALID_CLIENT
            | codes::NO_INTERFACE_DEF
            | codes::CURRENCY_NOT_SUPPORT
            | "ACCESS_DENIED"
            | "KEY_NOT_FOUND"
            | "INVALID_CLIENT_STATUS"
            | "INVALID_API"
            | "METHOD_NOT_SUPPORTED"
            | "MEDIA_TYPE_NOT_ACCEPTABLE"
    )
}

fn challenge(normal_url: Option<&String>, form: Option<&RedirectActionForm>) -> Option<String> {
    normal_url.cloned().or_else(|| form.and_then(|f| f.redirect_url.clone()))
}

fn message(r: &AntomResult) -> String {
    r.result_message.clone().unwrap_or_default()
}

impl PayResponse {
    /// A pay answer read: S succeeded; `PAYMENT_IN_PROCESS` pending (3DS or the issuer); other U
    /// unknown; `REPEAT_REQ_INCONSISTENT` a bug; request errors refused; any other F a decline.
    pub fn outcome(&self) -> Result<PaymentOutcome, MoneyReadError> {
        let r = &self.result;
        match r.result_status {
            ResultStatus::S => Ok(PaymentOutcome::Authorised {
                payment_id: self.payment_id.clone().ok_or(MoneyReadError::MissingId("paymentId"))?,
                payment_time: self.payment_time.clone(),
                info: Box::new(self.payment_result_info.clone().unwrap_or_default()),
                capture: None,
            }),
            ResultStatus::U if r.result_code == codes::PAYMENT_IN_PROCESS => Ok(PaymentOutcome::Pending {
                payment_id: self.payment_id.clone(),
                challenge_url: challenge(self.normal_url.as_ref(), self.redirect_action_form.as_ref()),
            }),
            ResultStatus::U => Err(MoneyReadError::Unknown(r.result_code.clone())),
            ResultStatus::F if r.result_code == codes::REPEAT_REQ_INCONSISTENT => Err(MoneyReadError::Inconsistent),
            ResultStatus::F if refuses_the_request(&r.result_code) => {
                Err(MoneyReadError::Refused(r.result_code.clone()))
            }
            ResultStatus::F => Ok(PaymentOutcome::Declined {
                payment_id: self.payment_id.clone(),
                code: r.result_code.clone(),
                message: message(r),
            }),
        }
    }
}

impl InquiryPaymentResponse {
    /// `result` says whether the inquiry worked; `paymentStatus` what happened to the payment.
    /// PROCESSING, PENDING, an undocumented status or none at all read as still pending.
    pub fn outcome(&self) -> Result<PaymentOutcome, MoneyReadError> {
        let r = &self.result;
        match r.result_status {
            ResultStatus::F if r.result_code == codes::ORDER_NOT_EXIST => Ok(PaymentOutcome::NotFound),
            ResultStatus::F => Err(MoneyReadError::Refused(r.result_code.clone())),
            ResultStatus::U => Err(MoneyReadError::Unknown(r.result_code.clone())),
            ResultStatus::S => Ok(match self.payment_status {
                Some(TransactionStatus::Success) => PaymentOutcome::Authorised {
                    payment_id: self.payment_id.clone().ok_or(MoneyReadError::MissingId("paymentId"))?,
                    payment_time: self.payment_time.clone(),
                    info: Box::new(self.payment_result_info.clone().unwrap_or_default()),
                    capture: self.capture(),
                },
                Some(TransactionStatus::Fail) => PaymentOutcome::Declined {
                    payment_id: self.payment_id.clone(),
                    code: self.payment_result_code.clone().unwrap_or_else(|| codes::PROCESS_FAIL.into()),
                    message: self.payment_result_message.clone().unwrap_or_default(),
                },
                Some(TransactionStatus::Cancelled) => PaymentOutcome::Cancelled { payment_id: self.payment_id.clone() },
                Some(TransactionStatus::Unknown) => {
                    tracing::warn!("inquiryPayment: an undocumented paymentStatus; read as still pending");
                    PaymentOutcome::Pending { payment_id: self.payment_id.clone(), challenge_url: None }
                }
                Some(TransactionStatus::Processing | TransactionStatus::Pending) | None => PaymentOutcome::Pending {
                    payment_id: self.payment_id.clone(),
                    challenge_url: challenge(None, self.redirect_action_form.as_ref()),
                },
            }),
        }
    }
}

impl NotifyPayment {
    /// `PAYMENT_PENDING` is not final; otherwise the `result` is the payment's.
    pub fn outcome(&self) -> Result<PaymentOutcome, MoneyReadError> {
        let r = &self.result;
        if self.notify_type == crate::model::PAYMENT_PENDING || r.result_status == ResultStatus::U {
            return Ok(PaymentOutcome::Pending { payment_id: Some(self.payment_id.clone()), challenge_url: None });
        }
        Ok(match r.result_status {
            ResultStatus::S => PaymentOutcome::Authorised {
                payment_id: self.payment_id.clone(),
                payment_time: self.payment_time.clone(),
                info: Box::new(self.payment_result_info.clone().unwrap_or_default()),
                capture: None,
            },
            _ => PaymentOutcome::Declined {
                payment_id: Some(self.payment_id.clone()),
                code: r.result_code.clone(),
                message: message(r),
            },
        })
    }
}

/// What happened to the capture of an authorised card payment (§9.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureOutcome {
    Captured {
        capture_id: Option<String>,
        capture_time: Option<String>,
    },
    /// The capture failed: nothing is owed, and there is nothing to refund.
    Failed {
        code: String,
        message: String,
    },
}

impl InquiryPaymentResponse {
    /// The capture's result, once `transactions[]` has a final `CAPTURE` entry: captured when
    /// any capture succeeded, failed when every final one failed; `None` while none is final.
    pub fn capture(&self) -> Option<CaptureOutcome> {
        let captures =
            self.transactions.iter().filter(|t| t.transaction_type.as_deref() == Some(crate::model::CAPTURE));
        let mut failed = None;
        for t in captures {
            let status = t.transaction_status.or_else(|| {
                t.transaction_result.as_ref().map(|r| match r.result_status {
                    ResultStatus::S => TransactionStatus::Success,
                    ResultStatus::F => TransactionStatus::Fail,
                    ResultStatus::U => TransactionStatus::Processing,
                })
            });
            match status {
                Some(TransactionStatus::Success) => {
                    return Some(CaptureOutcome::Captured {
                        capture_id: t.transaction_id.clone(),
                        capture_time: t.transaction_time.clone(),
                    })
                }
                Some(TransactionStatus::Fail | TransactionStatus::Cancelled) => {
                    let r = t.transaction_result.as_ref();
                    failed = Some(CaptureOutcome::Failed {
                        code: r.map_or_else(|| codes::PROCESS_FAIL.to_string(), |r| r.result_code.clone()),
                        message: r.map(message).unwrap_or_default(),
                    });
                }
                _ => {}
            }
        }
        failed
    }
}

impl NotifyCapture {
    /// `result` S captured, F failed; U (not documented for notifyCapture) reads as not known yet.
    pub fn outcome(&self) -> Option<CaptureOutcome> {
        match self.result.result_status {
            ResultStatus::S => Some(CaptureOutcome::Captured {
                capture_id: Some(self.capture_id.clone()),
                capture_time: self.capture_time.clone(),
            }),
            ResultStatus::F => {
                Some(CaptureOutcome::Failed { code: self.result.result_code.clone(), message: message(&self.result) })
            }
            ResultStatus::U => None,
        }
    }
}

/// What happened to a refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundOutcome {
    Succeeded {
        refund_id: String,
        refund_time: Option<String>,
    },
    /// Refused (more than is left, a cancelled payment, …): final, nothing refunded.
    Failed {
        code: String,
        message: String,
    },
    Pending {
        refund_id: Option<String>,
    },
    /// inquiryRefund: Antom never saw this `refundRequestId`.
    NotFound,
}

impl RefundResponse {
    pub fn outcome(&self) -> Result<RefundOutcome, MoneyReadError> {
        let r = &self.result;
        match r.result_status {
            ResultStatus::S => Ok(RefundOutcome::Succeeded {
                refund_id: self.refund_id.clone().ok_or(MoneyReadError::MissingId("refundId"))?,
                refund_time: self.refund_time.clone(),
            }),
            ResultStatus::U => Err(MoneyReadError::Unknown(r.result_code.clone())),
            ResultStatus::F if r.result_code == codes::REPEAT_REQ_INCONSISTENT => Err(MoneyReadError::Inconsistent),
            ResultStatus::F if refuses_the_request(&r.result_code) => {
                Err(MoneyReadError::Refused(r.result_code.clone()))
            }
            ResultStatus::F => Ok(RefundOutcome::Failed { code: r.result_code.clone(), message: message(r) }),
        }
    }
}

impl InquiryRefundResponse {
    pub fn outcome(&self) -> Result<RefundOutcome, MoneyReadError> {
        let r = &self.result;
        match r.result_status {
            ResultStatus::F if r.result_code == codes::REFUND_NOT_EXIST => Ok(RefundOutcome::NotFound),
            ResultStatus::F => Err(MoneyReadError::Refused(r.result_code.clone())),
            ResultStatus::U => Err(MoneyReadError::Unknown(r.result_code.clone())),
            ResultStatus::S => Ok(match self.refund_status {
                Some(TransactionStatus::Success) => RefundOutcome::Succeeded {
                    refund_id: self.refund_id.clone().ok_or(MoneyReadError::MissingId("refundId"))?,
                    refund_time: self.refund_time.clone(),
                },
                Some(TransactionStatus::Fail | TransactionStatus::Cancelled) => {
                    RefundOutcome::Failed { code: codes::PROCESS_FAIL.into(), message: message(r) }
                }
                _ => RefundOutcome::Pending { refund_id: self.refund_id.clone() },
            }),
        }
    }
}

impl NotifyRefund {
    pub fn outcome(&self) -> Result<RefundOutcome, MoneyReadError> {
        let r = &self.result;
        Ok(match (r.result_status, self.refund_status) {
            (_, Some(TransactionStatus::Success)) | (ResultStatus::S, None) => RefundOutcome::Succeeded {
                refund_id: self.refund_id.clone().ok_or(MoneyReadError::MissingId("refundId"))?,
                refund_time: self.refund_time.clone(),
            },
            (ResultStatus::F, _) | (_, Some(TransactionStatus::Fail | TransactionStatus::Cancelled)) => {
                RefundOutcome::Failed { code: r.result_code.clone(), message: message(r) }
            }
            _ => RefundOutcome::Pending { refund_id: self.refund_id.clone() },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inquire(json: &str) -> InquireVaultingResponse {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn inquire_answers_map_to_outcomes() {
        let r = inquire(r#"{"result":{"resultCode":"VAULTING_NOT_EXIST","resultStatus":"F"}}"#);
        assert!(matches!(r.outcome(), Ok(VaultingOutcome::Unknown)));
        let r = inquire(r#"{"result":{"resultCode":"PARAM_ILLEGAL","resultStatus":"F"}}"#);
        assert_eq!(r.outcome().unwrap_err(), ReadError::Refused("PARAM_ILLEGAL".into()));
        let r = inquire(r#"{"result":{"resultCode":"UNKNOWN_EXCEPTION","resultStatus":"U"}}"#);
        assert!(matches!(r.outcome(), Err(ReadError::Unknown(_))));
        let r = inquire(
            r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"vaultingStatus":"FAIL","vaultingResultCode":"ORDER_IS_CLOSED"}"#,
        );
        assert!(matches!(r.outcome(), Ok(VaultingOutcome::Expired { code, .. }) if code == "ORDER_IS_CLOSED"));
        let r = inquire(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"vaultingStatus":"FAIL"}"#);
        assert!(matches!(r.outcome(), Ok(VaultingOutcome::Failed { code, .. }) if code == "PROCESS_FAIL"));
        let r = inquire(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"vaultingStatus":"SUCCESS"}"#);
        assert_eq!(r.outcome().unwrap_err(), ReadError::MissingCard);
        let r = inquire(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#);
        assert!(matches!(r.outcome(), Ok(VaultingOutcome::Processing)));
    }

    #[test]
    fn a_notification_is_read_as_an_inquiry_is() {
        let n = |json: &str| serde_json::from_str::<NotifyVaulting>(json).unwrap().outcome();
        let card = r#","paymentMethodDetail":{"paymentMethodType":"CARD","card":{"cardToken":"ALIPAYx","maskedCardNo":"************1111"}}"#;
        // S with FAIL or PROCESSING is not a bound card
        let failed = n(&format!(
            r#"{{"result":{{"resultCode":"SUCCESS","resultStatus":"S"}},"vaultingRequestId":"a","vaultingStatus":"FAIL"{card}}}"#
        ));
        assert!(matches!(failed, Ok(VaultingOutcome::Failed { .. })), "{failed:?}");
        let pending = n(&format!(
            r#"{{"result":{{"resultCode":"SUCCESS","resultStatus":"S"}},"vaultingRequestId":"a","vaultingStatus":"PROCESSING"{card}}}"#
        ));
        assert!(matches!(pending, Ok(VaultingOutcome::Processing)), "{pending:?}");
        let bound = n(&format!(
            r#"{{"result":{{"resultCode":"SUCCESS","resultStatus":"S"}},"vaultingRequestId":"a","vaultingStatus":"SUCCESS"{card}}}"#
        ));
        assert!(matches!(bound, Ok(VaultingOutcome::Success(_))));
        // no vaultingStatus (it is on the APO page only): S means bound, as the page says
        let plain =
            n(&format!(r#"{{"result":{{"resultCode":"SUCCESS","resultStatus":"S"}},"vaultingRequestId":"a"{card}}}"#));
        assert!(matches!(plain, Ok(VaultingOutcome::Success(_))));
        // a status value nobody documented reads as still processing, not as a broken message
        let unknown = n(
            r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"vaultingRequestId":"a","vaultingStatus":"UNDER_REVIEW"}"#,
        );
        assert!(matches!(unknown, Ok(VaultingOutcome::Processing)), "{unknown:?}");
    }

    #[test]
    fn notifications_map_to_outcomes() {
        let n: NotifyVaulting = serde_json::from_str(
            r#"{"result":{"resultCode":"ORDER_IS_CLOSED","resultStatus":"F","resultMessage":"closed"},"vaultingRequestId":"a"}"#,
        )
        .unwrap();
        assert!(matches!(n.outcome(), Ok(VaultingOutcome::Expired { message, .. }) if message == "closed"));
        let n: NotifyVaulting =
            serde_json::from_str(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"vaultingRequestId":"a"}"#)
                .unwrap();
        assert_eq!(n.outcome().unwrap_err(), ReadError::MissingCard);
    }

    #[test]
    fn pay_answers_map_to_outcomes() {
        let pay = |json: &str| serde_json::from_str::<PayResponse>(json).unwrap().outcome();
        let ok = pay(
            r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentId":"P1","paymentResultInfo":{"cardBrand":"VISA","cardNo":"************1111","networkTransactionId":"n1"}}"#,
        );
        assert!(
            matches!(ok, Ok(PaymentOutcome::Authorised { ref payment_id, ref info, .. }) if payment_id == "P1" && info.network_transaction_id.as_deref() == Some("n1")),
            "{ok:?}"
        );
        assert_eq!(
            pay(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#).unwrap_err(),
            MoneyReadError::MissingId("paymentId")
        );
        let three_ds = pay(
            r#"{"result":{"resultCode":"PAYMENT_IN_PROCESS","resultStatus":"U"},"paymentId":"P2","redirectActionForm":{"method":"GET","redirectUrl":"https://x/3ds"}}"#,
        );
        assert_eq!(
            three_ds.unwrap(),
            PaymentOutcome::Pending { payment_id: Some("P2".into()), challenge_url: Some("https://x/3ds".into()) }
        );
        assert!(matches!(
            pay(r#"{"result":{"resultCode":"UNKNOWN_EXCEPTION","resultStatus":"U"}}"#),
            Err(MoneyReadError::Unknown(_))
        ));
        assert_eq!(
            pay(r#"{"result":{"resultCode":"REPEAT_REQ_INCONSISTENT","resultStatus":"F"}}"#).unwrap_err(),
            MoneyReadError::Inconsistent
        );
        assert_eq!(
            pay(r#"{"result":{"resultCode":"PARAM_ILLEGAL","resultStatus":"F"}}"#).unwrap_err(),
            MoneyReadError::Refused("PARAM_ILLEGAL".into())
        );
        // a code nobody listed is a decline, never a success
        let odd = pay(r#"{"result":{"resultCode":"SOMETHING_NEW","resultStatus":"F","resultMessage":"no"}}"#);
        assert!(matches!(odd, Ok(PaymentOutcome::Declined { ref code, .. }) if code == "SOMETHING_NEW"), "{odd:?}");
    }

    #[test]
    fn inquiry_payment_reads_the_payment_status_not_the_result() {
        let q = |json: &str| serde_json::from_str::<InquiryPaymentResponse>(json).unwrap().outcome();
        let s = r#"{"resultCode":"SUCCESS","resultStatus":"S"}"#;
        assert!(matches!(
            q(&format!(r#"{{"result":{s},"paymentStatus":"SUCCESS","paymentId":"P"}}"#)),
            Ok(PaymentOutcome::Authorised { .. })
        ));
        assert!(
            matches!(q(&format!(r#"{{"result":{s},"paymentStatus":"FAIL","paymentResultCode":"DO_NOT_HONOR"}}"#)), Ok(PaymentOutcome::Declined { code, .. }) if code == "DO_NOT_HONOR")
        );
        assert!(matches!(
            q(&format!(r#"{{"result":{s},"paymentStatus":"CANCELLED"}}"#)),
            Ok(PaymentOutcome::Cancelled { .. })
        ));
        for open in ["PROCESSING", "PENDING", "UNDER_REVIEW"] {
            assert!(
                matches!(
                    q(&format!(r#"{{"result":{s},"paymentStatus":"{open}"}}"#)),
                    Ok(PaymentOutcome::Pending { .. })
                ),
                "{open}"
            );
        }
        assert_eq!(
            q(r#"{"result":{"resultCode":"ORDER_NOT_EXIST","resultStatus":"F"}}"#).unwrap(),
            PaymentOutcome::NotFound
        );
        assert!(matches!(
            q(r#"{"result":{"resultCode":"UNKNOWN_EXCEPTION","resultStatus":"U"}}"#),
            Err(MoneyReadError::Unknown(_))
        ));
    }

    #[test]
    fn refund_answers_map_to_outcomes() {
        let r = |json: &str| serde_json::from_str::<RefundResponse>(json).unwrap().outcome();
        assert!(
            matches!(r(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"refundId":"R1"}"#), Ok(RefundOutcome::Succeeded { refund_id, .. }) if refund_id == "R1")
        );
        assert!(
            matches!(r(r#"{"result":{"resultCode":"REFUND_AMOUNT_EXCEED","resultStatus":"F"}}"#), Ok(RefundOutcome::Failed { code, .. }) if code == "REFUND_AMOUNT_EXCEED")
        );
        assert_eq!(
            r(r#"{"result":{"resultCode":"REPEAT_REQ_INCONSISTENT","resultStatus":"F"}}"#).unwrap_err(),
            MoneyReadError::Inconsistent
        );
        let q = |json: &str| serde_json::from_str::<InquiryRefundResponse>(json).unwrap().outcome();
        assert_eq!(
            q(r#"{"result":{"resultCode":"REFUND_NOT_EXIST","resultStatus":"F"}}"#).unwrap(),
            RefundOutcome::NotFound
        );
        assert!(matches!(
            q(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"refundStatus":"PROCESSING"}"#),
            Ok(RefundOutcome::Pending { .. })
        ));
    }
}
