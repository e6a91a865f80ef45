import { describe, expect, it, vi } from "vitest";
import { IdleTimer } from "./idle.svelte";

function timer(paused = () => false) {
  let now = 0;
  const onTimeout = vi.fn();
  const t = new IdleTimer({ idleSeconds: () => 30, countdownSeconds: () => 10, paused, onTimeout, now: () => now });
  t.poke();
  return { t, onTimeout, advance: (s: number) => ((now += s * 1000), t.check()) };
}

describe("kiosk idle countdown", () => {
  it("asks after the idle time, counts down, then resets once", () => {
    const { t, onTimeout, advance } = timer();
    advance(29);
    expect(t.remaining).toBeNull();
    advance(1);
    expect(t.remaining).toBe(10);
    advance(7);
    expect(t.remaining).toBe(3);
    expect(onTimeout).not.toHaveBeenCalled();
    advance(3);
    expect(onTimeout).toHaveBeenCalledTimes(1);
    expect(t.remaining).toBeNull();
    advance(1);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it("a touch during the countdown starts over", () => {
    const { t, onTimeout, advance } = timer();
    advance(35);
    expect(t.remaining).toBe(5);
    t.poke();
    expect(t.remaining).toBeNull();
    advance(29);
    expect(t.remaining).toBeNull();
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it("never resets while paused (the card element or 3D Secure is showing)", () => {
    let paused = true;
    const { t, onTimeout, advance } = timer(() => paused);
    advance(600);
    expect(t.remaining).toBeNull();
    expect(onTimeout).not.toHaveBeenCalled();
    paused = false;
    advance(29);
    expect(t.remaining).toBeNull();
    advance(1);
    expect(t.remaining).toBe(10);
  });
});
