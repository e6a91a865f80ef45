// One card binding, from "consent accepted" to Antom's confirmed answer, for the staff's Add card
// page and the kiosk alike. The element's events only make the backend ask Antom
// (inquireVaulting); a card is shown as bound only when Antom's signed answer says so.
import { tick } from "svelte";
import { CLOSED_ATTEMPT_STATES, type AppError, type Attempt, type BindingSession, type CardRow, type ConsentInput } from "./gen/types";
import { bindingCancel, bindingClearStorage, bindingConfirm, bindingRefresh, bindingStart, cardGet } from "./gen/commands";
import { toAppError } from "./ipc";
import { Poller } from "./poll";
import { alertForAttempt, classifySdkEvent, type AlertInfo } from "./outcomes";
import { mountElement, type MountedElement, type SdkEvent } from "./sdk";

/** The SDK gives up after 15 s without the page; allow a little more before our alert. */
const LOAD_TIMEOUT_MS = 20_000;
const POLL_MS = 2_500;

/**
 * The stages of opening the card form, as `performance` marks (`add-card:<stage>`, the last of
 * each kept): "continue" pressed, the backend's session created, Antom's frame attached, the
 * element page loaded (`SDK_END_OF_LOADING`), the form shown (the frame faded in). Read by the
 * benchmark (`make bench-add-card`); nothing else depends on them.
 */
export type AddCardStage = "continue" | "session" | "frame" | "loaded" | "interactive";

export function stage(name: AddCardStage): void {
  const mark = `add-card:${name}`;
  performance.clearMarks(mark);
  performance.mark(mark);
}

/** Call `then` once the frame in `selector` is fully shown (the SDK fades it in). */
function whenShown(selector: string, then: () => void, deadline = performance.now() + 3000): void {
  const frame = document.querySelector<HTMLIFrameElement>(`${selector} iframe`);
  const shown = frame && getComputedStyle(frame).opacity === "1" && frame.getBoundingClientRect().height > 0;
  if (shown || performance.now() > deadline) then();
  else requestAnimationFrame(() => whenShown(selector, then, deadline));
}

export type BindStep = "idle" | "starting" | "element" | "confirming" | "pending" | "bound" | "alert";

export class Binder {
  step = $state<BindStep>("idle");
  session = $state<BindingSession | null>(null);
  /** The element reported it is showing. */
  loaded = $state(false);
  card = $state<CardRow | null>(null);
  alert = $state<AlertInfo | null>(null);
  appError = $state<AppError | null>(null);

  #selector: string;
  #mounted: MountedElement | null = null;
  #loadTimer: ReturnType<typeof setTimeout> | undefined;
  /** Asks Antom (binding_refresh) while the element or 3D Secure runs: one question at a time. */
  #poller = new Poller(POLL_MS);
  #settling = false;
  #destroyed = false;
  #last: { customerId: number; consent: ConsentInput } | null = null;

  /** `selector`: where the SDK mounts Antom's element (rendered while `step` is "element"). */
  constructor(selector: string) {
    this.#selector = selector;
  }

  /** Antom's element or its 3D Secure step may be in use: no idle reset now. */
  get busy(): boolean {
    return this.step === "starting" || this.step === "element" || this.step === "confirming";
  }

  #showAlert(a: AlertInfo, err: AppError | null = null) {
    this.alert = a;
    this.appError = err;
    this.step = "alert";
  }

  #failed(e: unknown) {
    const err = toAppError(e);
    this.#showAlert(
      { kind: err.code === "ANTOM_UNREACHABLE" ? "connection" : "error", code: err.code, details: err.message },
      err,
    );
  }

  /** Record consent, open the Antom session and mount the element. */
  async begin(customerId: number, consent: ConsentInput): Promise<void> {
    stage("continue");
    this.#last = { customerId, consent };
    this.step = "starting";
    this.#settling = false;
    this.loaded = false;
    this.card = null;
    this.alert = null;
    this.appError = null;
    let session: BindingSession;
    try {
      session = await bindingStart(customerId, consent);
    } catch (e) {
      this.#failed(e);
      return;
    }
    if (this.#destroyed || this.step !== "starting") {
      void bindingCancel(session.attempt.id).catch(() => {});
      return;
    }
    stage("session");
    this.session = session;
    this.step = "element";
    await tick();
    if (this.#destroyed || this.step !== "element") return;
    this.#loadTimer = setTimeout(() => {
      if (!this.loaded && this.step === "element") {
        this.endElement();
        this.#showAlert({ kind: "timeout", code: "SDK_LOAD_TIMEOUT" });
      }
    }, LOAD_TIMEOUT_MS);
    try {
      const m = await mountElement(session.sdk, session.sessionData, this.#selector, (e) => this.#onSdkEvent(e), () =>
        stage("frame"),
      );
      if (this.step === "element" && !this.#destroyed) this.#mounted = m;
      else m.unmount();
    } catch (e) {
      if (this.step === "element") {
        this.endElement();
        this.#showAlert({ kind: "sdk-error", code: "SDK_CREATECOMPONENT_ERROR", details: String(e) });
      }
    }
  }

  /** The same customer and consent again (the alert page's Try again). */
  retry(): Promise<void> {
    return this.#last ? this.begin(this.#last.customerId, this.#last.consent) : Promise.resolve();
  }

  #onSdkEvent(e: SdkEvent) {
    if (this.step !== "element" || !this.session) return;
    switch (classifySdkEvent(e.code, e.result?.result?.resultCode)) {
      case "loaded":
        this.loaded = true;
        clearTimeout(this.#loadTimer);
        stage("loaded");
        whenShown(this.#selector, () => stage("interactive"));
        break;
      case "confirm":
      case "expired":
        void this.#confirm();
        break;
      case "processing":
        // 3D Secure or a slow issuer: the element stays; Antom is asked in the background.
        this.#schedulePoll();
        break;
      case "cancel":
        void this.cancel();
        break;
      case "connection":
        this.endElement();
        this.#showAlert({ kind: "connection", code: e.result?.result?.resultCode ?? e.code ?? null });
        break;
      case "error":
        this.endElement();
        this.#showAlert({ kind: "sdk-error", code: e.code ?? null, details: e.message });
        break;
    }
  }

  #schedulePoll() {
    this.#poller.start(async () => {
      const s = this.session;
      if (!s || (this.step !== "element" && this.step !== "pending")) return true;
      try {
        const a = await bindingRefresh(s.attempt.id);
        if (CLOSED_ATTEMPT_STATES.includes(a.state)) {
          this.endElement();
          await this.#settle(a);
          return true;
        }
      } catch {
        // a missed poll is retried; a lost connection shows on the element itself
      }
      return false;
    }, () => {});
  }

  async #confirm() {
    if (!this.session || this.#settling) return;
    this.#settling = true;
    this.endElement();
    this.step = "confirming";
    try {
      await this.#settle(await bindingConfirm(this.session.attempt.id));
    } catch (e) {
      this.#failed(e);
    }
  }

  async #settle(a: Attempt) {
    if (a.state === "SUCCEEDED" && a.cardId !== null) {
      this.card = await cardGet(a.cardId);
      this.step = "bound";
    } else if (CLOSED_ATTEMPT_STATES.includes(a.state)) {
      this.#showAlert(alertForAttempt(a.state, a.resultCode, a.resultMessage));
    } else {
      this.step = "pending";
      this.#schedulePoll();
    }
  }

  /** The customer or staff gave up: Antom is still asked later (a card bound anyway is kept). */
  async cancel(): Promise<void> {
    if (!this.session || this.#settling) return;
    this.#settling = true;
    this.endElement();
    try {
      const a = await bindingCancel(this.session.attempt.id);
      if (a.state === "SUCCEEDED") await this.#settle(a);
      else this.#showAlert({ kind: "cancelled", code: null });
    } catch (e) {
      this.#failed(e);
    }
  }

  /** Unmount Antom's element and clear what it stored in the webview. */
  endElement(): void {
    clearTimeout(this.#loadTimer);
    this.#poller.stop();
    if (this.#mounted) {
      this.#mounted.unmount();
      this.#mounted = null;
    }
    try {
      localStorage.clear();
      sessionStorage.clear();
    } catch {
      // storage unavailable: nothing to clear
    }
    void bindingClearStorage().catch(() => {});
  }

  /** The network went away while the element was showing. */
  offline(): void {
    if (this.step === "element") {
      this.endElement();
      this.#showAlert({ kind: "connection", code: "OFFLINE" });
    }
  }

  /** Back to the start: an open attempt is cancelled, the element and storage cleared. */
  reset(): void {
    if ((this.step === "element" || this.step === "starting") && this.session && !this.#settling) {
      void bindingCancel(this.session.attempt.id).catch(() => {});
    }
    this.#settling = false;
    this.endElement();
    this.step = "idle";
    this.session = null;
    this.card = null;
    this.alert = null;
    this.appError = null;
    this.loaded = false;
  }

  /** The page goes away. */
  destroy(): void {
    this.reset();
    this.#destroyed = true;
  }
}
