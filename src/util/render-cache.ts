import { GateFull, WorkGate } from './work-gate.js';

/**
 * Images made on request (QR codes, the social-proof card) from memory: each key is rendered
 * once, concurrent requests for it share that one rendering, and renderings run one or two at a
 * time behind a bounded queue (a stranger asking for many sizes waits or is refused with 503,
 * never gets the CPU). Bounded by entries and bytes, least recently used out first; an entry
 * older than `maxAgeMs` is made again on its next request.
 */
export interface RenderCacheOptions {
  maxEntries: number;
  maxBytes: number;
  /** Infinity: kept until evicted. */
  maxAgeMs: number;
  now: () => number;
}

interface Entry {
  body: Buffer;
  at: number;
}

export class RenderBusy extends Error {
  constructor() {
    super('too many images being made');
    this.name = 'RenderBusy';
  }
}

/** One gate for every image the web process renders: one at a time (libvips threads do the work), eight waiting. */
export const RENDER_GATE = { concurrency: 1, queue: 8 } as const;
const renderGate = new WorkGate(RENDER_GATE.concurrency, RENDER_GATE.queue);

export class RenderCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Buffer>>();
  private bytes = 0;

  constructor(private readonly o: RenderCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The rendering of `key`, from memory when fresh; `render` runs at most once at a time per key.
   * `onMiss` runs before a new rendering is started (it may throw to refuse it).
   */
  async get(key: string, render: () => Promise<Buffer>, onMiss?: () => void): Promise<Buffer> {
    const hit = this.entries.get(key);
    if (hit && this.o.now() - hit.at < this.o.maxAgeMs) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit.body;
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      onMiss?.();
      pending = renderGate
        .run(render)
        .then((body) => {
          this.put(key, body);
          return body;
        })
        .catch((err: unknown) => {
          throw err instanceof GateFull ? new RenderBusy() : err;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private put(key: string, body: Buffer): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
    if (body.length > this.o.maxBytes) return;
    this.entries.set(key, { body, at: this.o.now() });
    this.bytes += body.length;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.o.maxEntries && this.bytes <= this.o.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.body.length;
    }
  }
}

/**
 * How many new renderings one client may start per window: the cache already answers repeated
 * requests, so only someone walking through sizes or campaigns reaches this. In memory, per
 * process; the map is dropped whole when the window turns, so it cannot grow past one window's
 * clients.
 */
export class MissBudget {
  private windowStart = 0;
  private readonly used = new Map<string, number>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  /** Takes one rendering for `client`; false when its budget for this window is spent. Then `retryAfterMs` says until when. */
  take(client: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.used.clear();
    }
    const n = this.used.get(client) ?? 0;
    if (n >= this.perWindow) return { ok: false, retryAfterMs: this.windowStart + this.windowMs - now };
    this.used.set(client, n + 1);
    return { ok: true };
  }
}
