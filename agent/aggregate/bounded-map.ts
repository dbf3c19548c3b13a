// agent/aggregate/bounded-map.ts: a map that holds at most `cap` entries, forgetting the least recently
// used ones first, in O(1). Two generations: when the young one fills half the room, the old one is
// dropped and the young one becomes old; a hit in the old generation moves the entry back to the young.
// (Deleting the first key of a single Map over and over, the usual LRU trick, is quadratic in V8: the
// iterator has to walk past every deleted slot until the table is rebuilt.)
export class BoundedMap<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(private readonly cap: number) {}

  get(k: K): V | undefined {
    const v = this.young.get(k);
    if (v !== undefined) return v;
    const o = this.old.get(k);
    if (o === undefined) return undefined;
    this.old.delete(k);
    this.set(k, o);
    return o;
  }

  /** Like get(), without counting as a use (the entry is not kept any longer for it). */
  peek(k: K): V | undefined {
    return this.young.get(k) ?? this.old.get(k);
  }

  set(k: K, v: V): void {
    this.young.set(k, v);
    this.old.delete(k);
    if (this.young.size >= Math.max(1, this.cap >> 1)) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  delete(k: K): void {
    this.young.delete(k);
    this.old.delete(k);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  *entries(): IterableIterator<[K, V]> {
    yield* this.old;
    yield* this.young;
  }
}
