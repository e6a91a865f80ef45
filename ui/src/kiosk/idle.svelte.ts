// The kiosk's idle countdown: after `idleSeconds` without a touch, "Are you still there?" counts
// down `countdownSeconds`, then the kiosk starts over. Paused while Antom's element or its 3D
// Secure step may be in use (touches inside Antom's frame never reach this page, so the timer
// cannot see them). Time comes from an injected clock so tests need not wait.

export interface IdleOptions {
  idleSeconds: () => number;
  countdownSeconds: () => number;
  /** True while the timer must not run (the element is showing, or there is nothing to reset). */
  paused: () => boolean;
  onTimeout: () => void;
  now?: () => number;
}

export class IdleTimer {
  /** Seconds left on "Are you still there?", or null while it is not showing. */
  remaining = $state<number | null>(null);

  #o: IdleOptions;
  #last = 0;
  #interval: ReturnType<typeof setInterval> | undefined;
  #onActivity = () => this.poke();

  constructor(options: IdleOptions) {
    this.#o = options;
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  start(target: Window = window): void {
    this.#last = this.#now();
    for (const e of ["pointerdown", "keydown", "touchstart", "wheel"]) {
      target.addEventListener(e, this.#onActivity, { capture: true, passive: true });
    }
    this.#interval = setInterval(() => this.check(), 250);
  }

  stop(target: Window = window): void {
    clearInterval(this.#interval);
    for (const e of ["pointerdown", "keydown", "touchstart", "wheel"]) {
      target.removeEventListener(e, this.#onActivity, { capture: true });
    }
  }

  /** Someone is there: start counting again (and hide the question). */
  poke(): void {
    this.#last = this.#now();
    this.remaining = null;
  }

  /** Evaluate now (the interval calls this; tests call it directly). */
  check(): void {
    if (this.#o.paused()) {
      this.poke();
      return;
    }
    const idleMs = this.#now() - this.#last;
    const askAfter = this.#o.idleSeconds() * 1000;
    if (idleMs < askAfter) {
      this.remaining = null;
      return;
    }
    const left = Math.ceil(this.#o.countdownSeconds() - (idleMs - askAfter) / 1000);
    if (left <= 0) {
      this.poke();
      this.#o.onTimeout();
    } else {
      this.remaining = left;
    }
  }
}
