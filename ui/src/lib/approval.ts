// What a manager is asked to approve, in words: the PIN pad names the action, what it is done
// to and the amount ("Refund €1.00 of payment till-1-0042 to VISA •••• 1111"), from what the
// backend says it would allow (StaffStatus.pendingApproval) — the one thing the PIN allows.
import type { ApprovalRequest } from "./gen/types";
import { formatMoney } from "./money";

/** The message of each command's approval (literal ids: crates/core/tests/locales.rs). */
const WHAT: Record<string, string> = {
  payment_refund: "approval-what-refund",
  payment_cancel: "approval-what-cancel",
  payment_charge: "approval-what-charge",
  card_remove: "approval-what-remove",
  card_replace_duplicate: "approval-what-remove",
  settings_save: "approval-what-settings",
  shop_database_set: "approval-what-shop",
  till_join: "approval-what-shop",
  till_offer: "approval-what-tills",
  till_offer_status: "approval-what-tills",
  till_offer_approve: "approval-what-tills",
  till_list: "approval-what-tills",
  till_revoke: "approval-what-tills",
  export_csv: "approval-what-export",
  staff_list: "approval-what-staff",
  staff_create: "approval-what-staff",
  staff_set_pin: "approval-what-staff",
  staff_disable: "approval-what-staff",
  backup_create: "approval-what-backup",
  backup_restore: "approval-what-backup",
  kiosk_enter: "approval-what-kiosk",
  data_key_rotate: "approval-what-keys",
};

/** The message id and its arguments for `r`. */
export function approvalMessage(
  r: ApprovalRequest,
  locale: string,
): { id: string; args: Record<string, string> } {
  const card = r.cardBrand && r.cardLast4 ? `${r.cardBrand} •••• ${r.cardLast4}` : "—";
  const amount = r.amount !== null && r.currency ? formatMoney(r.amount, r.currency, locale) : "—";
  // settings: "settings:baseUrl,clientId#digest" → "baseUrl, clientId"
  const fields = (r.subject ?? "").replace(/^settings:/, "").replace(/#.*$/, "").split(",").filter(Boolean).join(", ");
  return {
    id: WHAT[r.command] ?? "approval-what-other",
    args: {
      amount,
      card,
      payment: r.paymentReference ?? "—",
      customer: r.customerName ?? "—",
      fields: fields || "—",
    },
  };
}
