/**
 * Ask a backend command again and again until it says done: `step`, then `everyMs` after its
 * answer came, again, until it returns true; an error stops it and goes to `failed`. The next
 * question waits for the last answer (an answer can take longer than the interval: joining a
 * shop rebuilds the flows), and an answer that arrives after `stop` or a new `start` is dropped.
 */
export class Poller {
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Which loop is current; a step of an older one neither continues nor reports. */
  #round = 0;

  constructor(private readonly everyMs: number) {}

  start(step: () => Promise<boolean>, failed: (err: unknown) => void) {
    this.stop();
    const round = this.#round;
    const next = () => {
      this.#timer = setTimeout(async () => {
        this.#timer = null;
        try {
          const done = await step();
          if (round === this.#round && !done) next();
        } catch (err) {
          if (round === this.#round) failed(err);
        }
      }, this.everyMs);
    };
    next();
  }

  stop() {
    this.#round += 1;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
