import { describe, expect, it } from "vitest";
import type { SettingsView } from "./gen/types";
import { formOf, toUpdate } from "./settings-form";

const view = {
  settings: {
    environment: "sandbox",
    region: "SG",
    baseUrl: null,
    clientId: "2188120000000077",
    merchantRegion: "PT",
    merchantAccountId: "2188116129848784",
    settlementCurrency: null,
    clientIp: null,
    shopName: "Loja",
    currency: "EUR",
    welcomeDone: true,
    chargeLimit: 25_000,
    dailyChargeLimit: 100_000,
    notificationUrl: null,
    listenerBind: null,
    locale: "pt",
    kiosk: { enabled: false, idleSeconds: 90, countdownSeconds: 15 },
    lockMinutes: 10,
    backup: { folder: "/media/backup", everyHours: 24, keep: 5 },
    shopDatabase: { shared: false, server: null, caFile: null },
    keySets: { sandbox: "k-1" },
  },
  locale: "pt",
  merchantKeySet: true,
  antomPublicKeySet: true,
  merchantPublicKey: null,
  keyringError: null,
} as unknown as SettingsView;

describe("the settings form", () => {
  it("gives back the settings it was made from, unchanged", () => {
    const update = toUpdate(formOf(view), view, "en", null);
    expect(update.settings).toEqual(view.settings);
    expect(update.merchantPrivateKey).toBeNull();
    expect(update.backupPassphrase).toBeNull();
  });

  it("sends what was edited, trimmed, and a limit in minor units", () => {
    const f = formOf(view);
    f.shopName = "  Loja Nova ";
    f.merchantRegion = "br";
    f.chargeLimit = "300.50";
    f.merchantKey = " KEY ";
    f.idleSeconds = 120;
    const u = toUpdate(f, view, "en", "2580");
    expect(u.settings.shopName).toBe("Loja Nova");
    expect(u.settings.merchantRegion).toBe("BR");
    expect(u.settings.chargeLimit).toBe(30_050);
    expect(u.settings.kiosk.idleSeconds).toBe(120);
    expect(u.merchantPrivateKey).toBe("KEY");
    expect(u.ownerPin).toBe("2580");
    // what the form does not edit goes back as the backend sent it
    expect(u.settings.backup).toEqual({ folder: "/media/backup", everyHours: 24, keep: 5 });
  });
});
