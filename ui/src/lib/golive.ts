// Going live: message ids of the connection check's lines and the go-live checklist, by rule
// from their codes (crates/core/tests/locales.rs checks every code has its message), and where
// each checklist line is fixed.
import type { CheckCode, CheckItem, GoLiveItem, GoLiveState } from "./gen/types";
import type { Route } from "./router.svelte";

const kebab = (code: string) => code.toLowerCase().replaceAll("_", "-");

/** `check-<code>`: what a line found, and the next step. */
export const checkMessageId = (code: CheckCode): string => `check-${kebab(code)}`;
/** `check-item-<item>`: the line's name. */
export const checkItemId = (item: CheckItem): string => `check-item-${kebab(item)}`;
/** `golive-<item>`: a checklist line's name. */
export const goLiveItemId = (item: GoLiveItem): string => `golive-${kebab(item)}`;
/** `golive-state-<state>`: where the line stands. */
export const goLiveStateId = (state: GoLiveState): string => `golive-state-${kebab(state)}`;

/** The screen where each checklist line is fixed. */
export const GO_LIVE_FIX: Record<GoLiveItem, Route> = {
  SHOP_NAME: { view: "settings" },
  CURRENCY: { view: "settings" },
  OWNER_PIN: { view: "staff" },
  ANTOM_KEYS: { view: "settings" },
  CONNECTION_CHECKED: { view: "settings" },
  MERCHANT_ACCOUNT: { view: "settings" },
  NOTIFICATIONS: { view: "settings" },
  BACKUPS: { view: "settings" },
  CASHIER_LIMITS: { view: "settings" },
};
