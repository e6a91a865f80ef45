import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Poller } from "./poll";

/** A step that takes `ms` and answers `answers` in turn (true = done); counts overlaps. */
function slowStep(ms: number, answers: (boolean | Error)[]) {
  const seen = { calls: 0, running: 0, most: 0 };
  const step = () => {
    const answer = answers[Math.min(seen.calls, answers.length - 1)];
    seen.calls += 1;
    seen.running += 1;
    seen.most = Math.max(seen.most, seen.running);
    return new Promise<boolean>((resolve, reject) =>
      setTimeout(() => {
        seen.running -= 1;
        if (answer instanceof Error) reject(answer);
        else resolve(answer);
      }, ms),
    );
  };
  return { seen, step };
}

describe("Poller", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("never asks again while an answer is still on its way", async () => {
    // the join answer takes 4 s (it rebuilds the flows) while the screen asks every 1.5 s:
    // a second question meanwhile found the join already taken and showed an error (CI)
    const { seen, step } = slowStep(4000, [false, true]);
    const failed = vi.fn();
    new Poller(1500).start(step, failed);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(seen.most).toBe(1);
    expect(seen.calls).toBe(2);
    expect(failed).not.toHaveBeenCalled();
  });

  it("asks every interval until done, then stops", async () => {
    const { seen, step } = slowStep(10, [false, false, true, false]);
    new Poller(1500).start(step, vi.fn());
    await vi.advanceTimersByTimeAsync(20_000);
    expect(seen.calls).toBe(3);
  });

  it("stops at an error and hands it over once", async () => {
    const { seen, step } = slowStep(10, [false, new Error("gone")]);
    const failed = vi.fn();
    new Poller(1500).start(step, failed);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(seen.calls).toBe(2);
    expect(failed).toHaveBeenCalledTimes(1);
    expect((failed.mock.calls[0][0] as Error).message).toBe("gone");
  });

  it("stopped while a question is out: asks no more, reports nothing", async () => {
    const { seen, step } = slowStep(1000, [new Error("late")]);
    const failed = vi.fn();
    const poller = new Poller(1500);
    poller.start(step, failed);
    await vi.advanceTimersByTimeAsync(1600);
    poller.stop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(seen.calls).toBe(1);
    expect(failed).not.toHaveBeenCalled();
  });

  it("a new start replaces the old loop", async () => {
    const a = slowStep(10, [false]);
    const b = slowStep(10, [false, true]);
    const poller = new Poller(1000);
    poller.start(a.step, vi.fn());
    await vi.advanceTimersByTimeAsync(2500);
    poller.start(b.step, vi.fn());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(a.seen.calls).toBe(2);
    expect(b.seen.calls).toBe(2);
  });
});
