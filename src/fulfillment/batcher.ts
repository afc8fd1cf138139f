/**
 * Coalesces the single-key loads that concurrent pre-saves make in the same tick into one query
 * (the DataLoader pattern): a batch of 64 pre-saves costs one grants query, not 64.
 */
export class Batcher<K, V> {
  private pending: { key: K; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>,
    private readonly missing: V,
    /** Wait this long for more keys (0: just the current tick). */
    private readonly windowMs = 0,
    private readonly maxBatch = 500,
  ) {}

  load(key: K): Promise<V> {
    return new Promise((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      if (this.pending.length >= this.maxBatch) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        if (this.windowMs > 0) setTimeout(() => void this.flush(), this.windowMs);
        else setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    try {
      const found = await this.loadMany([...new Set(batch.map((b) => b.key))]);
      for (const b of batch) b.resolve(found.has(b.key) ? found.get(b.key)! : this.missing);
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }
}

/** A small time-bounded cache in front of a loader, for rows that rarely change (campaigns). */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { at: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly load: (key: K) => Promise<V>,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.load(key);
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => this.entries.delete(key));
    if (this.entries.size > 10_000) this.entries.clear();
    return value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  deleteWhere(pred: (key: K) => boolean): void {
    for (const key of [...this.entries.keys()]) if (pred(key)) this.entries.delete(key);
  }
}
