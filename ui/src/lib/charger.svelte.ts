// Charging a saved card from the charge dialog: the one charge this dialog makes, and following
// the payment until Antom has settled it. Beside the binding controller (binder.svelte.ts); the
// dialog only renders `payment` and calls these.
import type { ChargeRequest, Payment } from "./gen/types";
import { OPEN_PAYMENT_STATES } from "./gen/types";
import { paymentCharge, paymentRefresh } from "./gen/commands";
import { Poller } from "./poll";

/** How often an open payment is asked about again (inquiryPayment in the backend). */
export const FOLLOW_MS = 1_500;

/** Whether Antom has not settled the payment yet (the backend's list: `OPEN_PAYMENT_STATES`). */
export function isOpen(p: Payment | null): boolean {
  return p !== null && OPEN_PAYMENT_STATES.includes(p.state);
}

export class Charger {
  payment = $state<Payment | null>(null);
  /** This dialog's key: its one charge is one payment, however often it is sent (the backend
   * keeps the key with the payment it made). */
  readonly key: string = crypto.randomUUID();
  #poller = new Poller(FOLLOW_MS);

  constructor(
    private readonly send: (request: ChargeRequest) => Promise<Payment> = paymentCharge,
    private readonly refresh: (id: number) => Promise<Payment> = async (id) => (await paymentRefresh(id)).payment,
  ) {}

  /** Charge once; then follow the payment while it is open. Errors are the caller's. */
  async charge(request: ChargeRequest): Promise<Payment> {
    this.payment = await this.send(request);
    this.follow();
    return this.payment;
  }

  /** Ask again every FOLLOW_MS while the payment is open (one question at a time). */
  follow(): void {
    if (!isOpen(this.payment)) return;
    this.#poller.start(
      async () => {
        try {
          this.payment = await this.refresh(this.payment!.id);
        } catch {
          // unreachable for now: the backend keeps the payment open and reconciles it later
        }
        return !isOpen(this.payment);
      },
      () => {},
    );
  }

  /** Ask now (the 3D Secure page moved on), then go on following. */
  async askNow(): Promise<void> {
    if (!this.payment) return;
    try {
      this.payment = await this.refresh(this.payment.id);
    } catch {
      // as above
    }
    this.follow();
  }

  stop(): void {
    this.#poller.stop();
  }
}
