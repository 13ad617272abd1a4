// Driving a training loop written as a generator (one step per next()): to the end in one go, or pausing for the
// event loop every yieldEveryMs so AbortSignals, timers and progress writes get to run.

/** Runs the loop to its end without pausing and returns its result. */
export function runSteps<R>(loop: Generator<void, R, void>): R {
  for (;;) {
    const r = loop.next();
    if (r.done) return r.value;
  }
}

/** Runs the loop to its end, yielding to the event loop once at least yieldEveryMs (ms) have passed since the last pause. */
export async function runStepsYielding<R>(loop: Generator<void, R, void>, yieldEveryMs: number): Promise<R> {
  let last = Date.now();
  for (;;) {
    const r = loop.next();
    if (r.done) return r.value;
    if (Date.now() - last >= yieldEveryMs) {
      await yieldToEventLoop();
      last = Date.now();
    }
  }
}

/** setImmediate where the runtime has it (Node), else a zero-delay timer (browsers). */
function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return new Promise((resolve) => setImmediate(resolve));
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
