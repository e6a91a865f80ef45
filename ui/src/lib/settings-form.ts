// The Settings form as one object: made from what the backend shows (`formOf`), edited by the
// form's inputs, and turned back into the update the backend validates (`toUpdate`). Keys and
// the backup passphrase are only ever typed here: the view never carries them.
import type { Environment, SettingsUpdate, SettingsView } from "./gen/types";
import { parseAmount, toPlain } from "./money";

export interface SettingsForm {
  environment: Environment;
  shopName: string;
  currency: string;
  /** The per-payment limit as typed, in the shop's currency (major units). */
  chargeLimit: string;
  /** What a cashier may charge alone in 24 hours, as typed. */
  dailyChargeLimit: string;
  clientId: string;
  merchantRegion: string;
  merchantAccountId: string;
  settlementCurrency: string;
  clientIp: string;
  region: string;
  baseUrl: string;
  notificationUrl: string;
  listenerBind: string;
  /** Pasted keys, sent once and then cleared. */
  merchantKey: string;
  antomKey: string;
  kioskEnabled: boolean;
  idleSeconds: number;
  countdownSeconds: number;
  lockMinutes: number;
  backupFolder: string;
  backupEvery: number;
  backupKeep: number;
  backupPassphrase: string;
}

export function emptyForm(): SettingsForm {
  return {
    environment: "demo",
    shopName: "",
    currency: "",
    chargeLimit: "",
    dailyChargeLimit: "",
    clientId: "",
    merchantRegion: "",
    merchantAccountId: "",
    settlementCurrency: "",
    clientIp: "",
    region: "",
    baseUrl: "",
    notificationUrl: "",
    listenerBind: "",
    merchantKey: "",
    antomKey: "",
    kioskEnabled: false,
    idleSeconds: 60,
    countdownSeconds: 20,
    lockMinutes: 5,
    backupFolder: "",
    backupEvery: 0,
    backupKeep: 7,
    backupPassphrase: "",
  };
}

export function formOf(v: SettingsView): SettingsForm {
  const s = v.settings;
  return {
    ...emptyForm(),
    environment: s.environment,
    shopName: s.shopName ?? "",
    currency: s.currency ?? "",
    chargeLimit: s.chargeLimit !== null && s.currency ? toPlain(s.chargeLimit, s.currency) : "",
    dailyChargeLimit: s.dailyChargeLimit !== null && s.currency ? toPlain(s.dailyChargeLimit, s.currency) : "",
    clientId: s.clientId ?? "",
    merchantRegion: s.merchantRegion ?? "",
    merchantAccountId: s.merchantAccountId ?? "",
    settlementCurrency: s.settlementCurrency ?? "",
    clientIp: s.clientIp ?? "",
    region: s.region ?? "",
    baseUrl: s.baseUrl ?? "",
    notificationUrl: s.notificationUrl ?? "",
    listenerBind: s.listenerBind ?? "",
    kioskEnabled: s.kiosk.enabled,
    idleSeconds: s.kiosk.idleSeconds,
    countdownSeconds: s.kiosk.countdownSeconds,
    lockMinutes: s.lockMinutes,
    backupFolder: s.backup.folder ?? "",
    backupEvery: s.backup.everyHours,
    backupKeep: s.backup.keep,
  };
}

const blank = (s: string) => (s.trim() === "" ? null : s.trim());

/** The form as a settings update (also what "Check connection" checks before saving). */
export function toUpdate(f: SettingsForm, view: SettingsView, locale: string, ownerPin: string | null): SettingsUpdate {
  return {
    settings: {
      ...view.settings,
      environment: f.environment,
      shopName: blank(f.shopName),
      currency: blank(f.currency),
      // an amount that does not parse is sent as 0, which the backend refuses by name
      // (empty: the default limit, which the backend applies and the go-live list shows)
      chargeLimit: f.chargeLimit.trim() === "" || !f.currency ? null : (parseAmount(f.chargeLimit, f.currency, locale) ?? 0),
      dailyChargeLimit:
        f.dailyChargeLimit.trim() === "" || !f.currency ? null : (parseAmount(f.dailyChargeLimit, f.currency, locale) ?? 0),
      clientId: blank(f.clientId),
      merchantRegion: blank(f.merchantRegion)?.toUpperCase() ?? null,
      merchantAccountId: blank(f.merchantAccountId),
      settlementCurrency: blank(f.settlementCurrency)?.toUpperCase() ?? null,
      clientIp: blank(f.clientIp),
      region: blank(f.region),
      baseUrl: blank(f.baseUrl),
      notificationUrl: blank(f.notificationUrl),
      listenerBind: blank(f.listenerBind),
      kiosk: { enabled: f.kioskEnabled, idleSeconds: Number(f.idleSeconds), countdownSeconds: Number(f.countdownSeconds) },
      lockMinutes: Number(f.lockMinutes),
      backup: { folder: blank(f.backupFolder), everyHours: Number(f.backupEvery), keep: Number(f.backupKeep) },
    },
    merchantPrivateKey: blank(f.merchantKey),
    antomPublicKey: blank(f.antomKey),
    backupPassphrase: blank(f.backupPassphrase),
    ownerPin,
  };
}

/** A listener address other than loopback: reachable from the shop's network (Settings warns). */
export function listensBeyondThisComputer(bind: string): boolean {
  const b = bind.trim();
  if (b === "") return false;
  return !(b.startsWith("127.") || b.startsWith("[::1]") || b.startsWith("localhost"));
}
