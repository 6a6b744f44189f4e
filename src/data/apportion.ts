/**
 * Controlled rounding for stratified splits: how many rows of each group
 * (class, or target quantile bin) go to each part (train, validation, test).
 *
 * Rounding each group on its own (largest remainder per group) keeps every
 * group within one row of its share, but the part totals can then drift by
 * up to one row per group — ten classes that all round the validation part up
 * add ten rows to it. So the per-group roundings are chosen together: each
 * cell is first fixed at its floor, then the leftover rows (at most one per
 * cell) are assigned so that the part totals come as close as possible to
 * their ideal sizes. For two-way tables such a rounding always exists with
 * every part total also within one row of its share (controlled rounding,
 * Bacharach 1966; Cox 1987), and the search below finds it.
 */

/** Shares within this relative distance of an integer count as that integer (0.1 · 10 is 1, not 0.99…). */
const SNAP = 1e-9;

function snap(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) <= SNAP * Math.max(1, Math.abs(v)) ? r : v;
}

/** Per-group bounds before the joint rounding. */
interface GroupBounds {
  lower: number[];
  upper: number[];
}

/**
 * The floor/ceiling of each share of a group of `size` rows, raised to 1 in
 * every part with a non-zero fraction (a class missing from the validation
 * part makes that part useless for it). Raising can overshoot the group size;
 * it is then paid back from parts whose share is a whole number ≥ 2, which may
 * go one below it (still within one row). Null when that is not enough.
 */
function groupBounds(size: number, fractions: readonly number[]): GroupBounds | null {
  const shares = fractions.map((f) => snap(size * f));
  const lower = shares.map((s, p) => Math.max(Math.floor(s), (fractions[p] as number) > 0 ? 1 : 0));
  const upper = shares.map((s, p) => Math.max(Math.ceil(s), lower[p] as number));
  let excess = lower.reduce((a, b) => a + b, 0) - size;
  if (excess > 0) {
    const reducible = shares
      .map((s, p) => ({ s, p }))
      .filter(({ s, p }) => (fractions[p] as number) > 0 && Number.isInteger(s) && s >= 2)
      .sort((a, b) => b.s - a.s || a.p - b.p);
    if (reducible.length < excess) return null;
    for (const { p } of reducible) {
      if (excess === 0) break;
      lower[p] = (lower[p] as number) - 1;
      upper[p] = lower[p] as number;
      excess--;
    }
  }
  return { lower, upper };
}

/**
 * The smallest group size above `size` that {@link groupBounds} accepts.
 * Acceptance is monotone in the size (checked exhaustively for fractions on a
 * 1% grid and for random fractions), so a binary search finds the threshold.
 */
function neededSize(size: number, fractions: readonly number[]): number {
  const smallest = Math.min(...fractions.filter((f) => f > 0));
  // From 1/smallest rows on, every non-zero share is ≥ 1, so floors alone suffice.
  // Capped so that a denormal fraction (1/f = Infinity) cannot loop forever.
  let hi = Math.min(Math.max(size + 1, Math.ceil(1 / smallest)), Number.MAX_SAFE_INTEGER);
  while (hi < Number.MAX_SAFE_INTEGER && groupBounds(hi, fractions) === null) hi = Math.min(hi * 2, Number.MAX_SAFE_INTEGER);
  let lo = size + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (groupBounds(mid, fractions) === null) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The outcome of {@link apportion}: a table of counts, or the first group that is too small. */
export type Apportionment =
  | { ok: true; counts: number[][] }
  | { ok: false; group: number; size: number; needed: number };

/**
 * Splits each group of rows among parts in proportion to `fractions`.
 *
 * Guarantees, for `counts[g][p]` (rows of group g in part p):
 * - each row of `counts` sums to `sizes[g]`;
 * - |counts[g][p] − sizes[g]·fractions[p]| ≤ 1;
 * - counts[g][p] ≥ 1 whenever sizes[g] > 0 and fractions[p] > 0;
 * - subject to those, the part totals are as close to n·fractions[p] as
 *   possible (first in rows outside the floor/ceiling of the ideal total,
 *   then in squared distance), so within one row of it whenever the
 *   minimum-of-one rule does not force otherwise.
 * When a group cannot meet the first three, the result names it and the
 * smallest size that would.
 *
 * @param sizes - rows per group (non-negative integers).
 * @param fractions - non-negative, summing to 1.
 */
export function apportion(sizes: readonly number[], fractions: readonly number[]): Apportionment {
  const parts = fractions.length;
  const groups = sizes.length;
  const total = sizes.reduce((a, b) => a + b, 0);
  const sum = fractions.reduce((a, b) => a + b, 0);
  const f = fractions.map((v) => v / sum);

  const lower: number[][] = [];
  const capacity: number[][] = [];
  const spare: number[] = [];
  for (let g = 0; g < groups; g++) {
    const size = sizes[g] as number;
    if (size === 0) {
      lower.push(new Array<number>(parts).fill(0));
      capacity.push(new Array<number>(parts).fill(0));
      spare.push(0);
      continue;
    }
    const bounds = groupBounds(size, f);
    if (bounds === null) return { ok: false, group: g, size, needed: neededSize(size, f) };
    lower.push(bounds.lower);
    capacity.push(bounds.upper.map((u, p) => u - (bounds.lower[p] as number)));
    spare.push(size - bounds.lower.reduce((a, b) => a + b, 0));
  }

  const extra = chooseExtras(lower, capacity, spare, f, total);
  const counts = assignExtras(lower, capacity, spare, extra);
  return { ok: true, counts };
}

/**
 * How many of the spare rows each part receives. The achievable vectors are
 * those with extra(S) ≤ rank(S) for every set S of parts, where
 * rank(S) = Σ_g min(spare_g, capacity of g in S) (Gale's condition for the
 * bipartite assignment below). That is the base of a polymatroid, over which
 * a separable convex cost is minimised exactly by adding one row at a time
 * where it costs least (Groenevelt 1991).
 */
function chooseExtras(lower: number[][], capacity: number[][], spare: number[], f: number[], total: number): number[] {
  const parts = f.length;
  const subsets = 1 << parts;
  const rank = new Array<number>(subsets).fill(0);
  for (let s = 1; s < subsets; s++) {
    let r = 0;
    for (let g = 0; g < spare.length; g++) {
      let cap = 0;
      for (let p = 0; p < parts; p++) if (s & (1 << p)) cap += (capacity[g] as number[])[p] as number;
      r += Math.min(spare[g] as number, cap);
    }
    rank[s] = r;
  }
  const used = new Array<number>(subsets).fill(0);
  const base = f.map((_, p) => lower.reduce((a, row) => a + (row[p] as number), 0));
  const ideal = f.map((v) => snap(total * v));
  const lo = ideal.map(Math.floor);
  const hi = ideal.map(Math.ceil);
  const extra = new Array<number>(parts).fill(0);
  const outside = (p: number, t: number): number => Math.max(0, (lo[p] as number) - t, t - (hi[p] as number));
  const squared = (p: number, t: number): number => (t - (ideal[p] as number)) ** 2;

  const remaining = spare.reduce((a, b) => a + b, 0);
  for (let step = 0; step < remaining; step++) {
    let best = -1;
    let bestOutside = Infinity;
    let bestSquared = Infinity;
    for (let p = 0; p < parts; p++) {
      let fits = true;
      for (let s = 1; s < subsets && fits; s++) {
        if (s & (1 << p) && (used[s] as number) + 1 > (rank[s] as number)) fits = false;
      }
      if (!fits) continue;
      const t = (base[p] as number) + (extra[p] as number);
      const dOutside = outside(p, t + 1) - outside(p, t);
      const dSquared = squared(p, t + 1) - squared(p, t);
      if (dOutside < bestOutside || (dOutside === bestOutside && dSquared < bestSquared)) {
        best = p;
        bestOutside = dOutside;
        bestSquared = dSquared;
      }
    }
    // rank(all parts) = Σ spare, so some part always fits.
    extra[best] = (extra[best] as number) + 1;
    for (let s = 1; s < subsets; s++) if (s & (1 << best)) used[s] = (used[s] as number) + 1;
  }
  return extra;
}

/**
 * Realises the chosen extras: gives each group's spare rows to distinct parts
 * with capacity so that part p receives exactly extra[p]. A greedy pass places
 * most rows; augmenting paths (re-routing earlier choices) place the rest.
 */
function assignExtras(lower: number[][], capacity: number[][], spare: number[], extra: number[]): number[][] {
  const groups = lower.length;
  const parts = extra.length;
  const flow = lower.map((row) => row.map(() => 0));
  const sent = new Array<number>(groups).fill(0);
  const received = new Array<number>(parts).fill(0);
  const give = (g: number, p: number, amount: number): void => {
    (flow[g] as number[])[p] = ((flow[g] as number[])[p] as number) + amount;
  };
  for (let g = 0; g < groups; g++) {
    for (let p = 0; p < parts && (sent[g] as number) < (spare[g] as number); p++) {
      const room = Math.min(
        ((capacity[g] as number[])[p] as number) - ((flow[g] as number[])[p] as number),
        (extra[p] as number) - (received[p] as number),
        (spare[g] as number) - (sent[g] as number),
      );
      if (room > 0) {
        give(g, p, room);
        sent[g] = (sent[g] as number) + room;
        received[p] = (received[p] as number) + room;
      }
    }
  }
  // Breadth-first search over the residual graph: group → part along unused
  // capacity, part → group back along existing flow.
  for (;;) {
    const start = sent.findIndex((s, g) => s < (spare[g] as number));
    if (start < 0) break;
    const fromGroup = new Array<number>(parts).fill(-1);
    const fromPart = new Array<number>(groups).fill(-2);
    fromPart[start] = -1;
    const queue = [start];
    let end = -1;
    for (let qi = 0; qi < queue.length && end < 0; qi++) {
      const g = queue[qi] as number;
      for (let p = 0; p < parts && end < 0; p++) {
        if (fromGroup[p] !== -1 || ((flow[g] as number[])[p] as number) >= ((capacity[g] as number[])[p] as number)) continue;
        fromGroup[p] = g;
        if ((received[p] as number) < (extra[p] as number)) {
          end = p;
          break;
        }
        for (let h = 0; h < groups; h++) {
          if (fromPart[h] === -2 && ((flow[h] as number[])[p] as number) > 0) {
            fromPart[h] = p;
            queue.push(h);
          }
        }
      }
    }
    if (end < 0) throw new Error('apportion: no assignment for the chosen part sizes (violates Gale’s condition; a bug)');
    received[end] = (received[end] as number) + 1;
    let p = end;
    for (;;) {
      const g = fromGroup[p] as number;
      give(g, p, 1);
      const back = fromPart[g] as number;
      if (back === -1) {
        sent[g] = (sent[g] as number) + 1;
        break;
      }
      give(g, back, -1);
      p = back;
    }
  }
  return lower.map((row, g) => row.map((l, p) => l + ((flow[g] as number[])[p] as number)));
}
