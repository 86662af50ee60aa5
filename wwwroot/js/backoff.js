// @ts-check
/** Exponential back-off with full jitter: delay = random(0 … min(cap, base · 2^attempt)), never below `minMs`. */

/** @typedef {{ baseMs?: number, capMs?: number, minMs?: number, random?: () => number }} BackoffOptions */

/**
 * The delay before retry number `attempt` (0 for the first retry).
 * @param {number} attempt
 * @param {BackoffOptions} [options]
 */
export function backoffDelay(attempt, options = {}) {
  const { baseMs = 1000, capMs = 60000, minMs = 0, random = Math.random } = options;
  const a = Math.max(0, Math.floor(Number(attempt) || 0));
  const ceiling = Math.min(capMs, baseMs * Math.pow(2, Math.min(a, 1024)));
  const r = Math.min(1, Math.max(0, random()));
  return Math.max(Math.min(minMs, ceiling), Math.floor(r * ceiling));
}

/** Counts failures; `next()` gives the delay before the next try, `reset()` after a success. */
export class Backoff {
  /** @param {BackoffOptions} [options] */
  constructor(options = {}) {
    this.options = options;
    this.attempt = 0;
  }

  next() {
    const d = backoffDelay(this.attempt, this.options);
    this.attempt += 1;
    return d;
  }

  reset() {
    this.attempt = 0;
  }
}
