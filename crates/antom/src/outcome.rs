//! Antom's word on a vaulting, read from an inquireVaulting answer or a notifyVaulting message:
//! the one mapping from Antom's fields to what happened to the card, shared by every caller.

use crate::codes;
use crate::model::{CardDetail, InquireVaultingResponse, NotifyVaulting, ResultStatus, VaultingStatus};

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
}
