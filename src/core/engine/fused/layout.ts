import { HEAD_BIAS, HEAD_WEIGHT } from '../../model.js';
import { roundUp4 } from './ops.js';

/** Sizes of a fused cell that fix where its parameters live. */
export interface FusedShape {
  /** Hidden size H. */
  readonly H: number;
  /** Vocabulary size V. */
  readonly V: number;
  /** Gate blocks G (1 vanilla, 3 GRU, 4 LSTM): the linear maps have G·H rows. */
  readonly G: number;
  /** State components (2 for LSTM's h and c). */
  readonly states: number;
  /** True when W_hh·h + b_hh is kept apart from W_ih·x + b_ih (GRU). */
  readonly separateHidden: boolean;
}

/**
 * Offsets (in 4-byte elements) of every array a fused engine keeps in its kernel memory.
 * Parameters and gradients come first, at offsets that depend only on the model's sizes, so a
 * new batch shape never moves them (their zero pad columns stay zero). The per-batch arrays
 * follow, sized for B sequences of n steps; `end` is one past the last element.
 */
export interface FusedLayout {
  /** H rounded up to 4: leading dimension of every H-wide array. */
  readonly Hp: number;
  /** V rounded up to 4: leading dimension of logits. */
  readonly Vp: number;
  /** G·H. */
  readonly GH: number;
  /** G·H rounded up to 4: leading dimension of pre-activation arrays. */
  readonly ldg: number;
  /** Batch size B this layout holds. */
  readonly B: number;
  /** Steps n this layout holds. */
  readonly n: number;
  /** Most cotangent rows of one itemization step (n window rows + the residual row). */
  readonly rows: number;

  /** W_ih `[GH, V]`, unpadded (only read by column gathers). */
  readonly wih: number;
  /** W_hh `[GH, Hp]`. */
  readonly whh: number;
  /** b_ih `[ldg]`. */
  readonly bih: number;
  /** b_hh `[ldg]`. */
  readonly bhh: number;
  /** b_ih + b_hh `[ldg]` (cells that add the two maps). */
  readonly bsum: number;
  /** Head weight `[V, Hp]`. */
  readonly wout: number;
  /** Head bias `[Vp]`. */
  readonly bout: number;
  /** Gradient of W_ih. */
  readonly dwih: number;
  /** Gradient of W_hh. */
  readonly dwhh: number;
  /** Gradient of b_ih. */
  readonly dbih: number;
  /** Gradient of b_hh. */
  readonly dbhh: number;
  /**
   * Gradient of `bsum`: never written, so always zero. It makes the gradient region mirror the
   * parameter region value for value (pads included), so one kernel call updates them all.
   */
  readonly dbsum: number;
  /** Gradient of the head weight. */
  readonly dwout: number;
  /** Gradient of the head bias. */
  readonly dbout: number;
  /**
   * Values in the parameter region [wih, dwih). The gradient region starts at `dwih` and each
   * moment region at `m1`/`m2`, all of this size and in the same order.
   */
  readonly paramRegion: number;
  /** An engine optimizer's first moments (Adagrad's sums of squares, Adam's m); -1 without one. */
  readonly m1: number;
  /** Adam's second moments; -1 without them. */
  readonly m2: number;
  /** Start of the per-batch arrays (zeroed whenever the layout changes). */
  readonly dynamic: number;

  /** h states `[(n+1)·B, Hp]`, step-major: row (j+1)·B + b is h_j of sequence b, rows 0..B-1 the initial state. */
  readonly hs: number;
  /** c states, same layout as `hs` (LSTM). */
  readonly cs: number;
  /** tanh(c_j) `[n·B, Hp]` (LSTM). */
  readonly tc: number;
  /** Pre-activations, then activations, `[n·B, ldg]` (row j·B + b). */
  readonly z: number;
  /** W_hh·h + b_hh `[n·B, ldg]` (GRU). */
  readonly gh: number;
  /** Logits, then p - onehot(y), `[n·B, Vp]`. */
  readonly logits: number;
  /** Cotangent on h per step `[n·B, Hp]`: the head's part, plus the recurrent part during BPTT. */
  readonly dh: number;
  /** Cotangent on W_hh's pre-activation per step `[n·B, ldg]`. */
  readonly dz: number;
  /** Cotangent on W_ih's pre-activation per step (GRU; other cells alias `dz`). */
  readonly dgi: number;
  /** Cotangent on c carried between steps `[B, Hp]` (LSTM). */
  readonly dc: number;
  /** Where step 0's cotangent on the initial state goes `[rows ≥ B, Hp]` (discarded). */
  readonly sink: number;
  /** Cross-entropy per step `[n·B]`. */
  readonly loss: number;
  /** Input ids, step-major `[n·B]` (int32). */
  readonly tokens: number;
  /** Target ids, step-major `[n·B]` (int32). */
  readonly targets: number;
  /** Argmax predictions, step-major `[n·B]` (int32). */
  readonly preds: number;

  /** Itemization: the head's cotangent on h per step for the itemized sequence `[n, Hp]`. */
  readonly local: number;
  /** Itemization: cotangent rows on h, two buffers of `[rows, Hp]` used in turn. */
  readonly lamH: readonly [number, number];
  /** Itemization: cotangent rows on c (LSTM), two buffers. */
  readonly lamC: readonly [number, number];
  /** Itemization: dL_t/dz per row `[rows, ldg]` (W_hh's pre-activation). */
  readonly rowDz: number;
  /** Itemization: dL_t/dz per row for W_ih (GRU; other cells alias `rowDz`). */
  readonly rowDgi: number;
  /** Itemization: Σ over rows of `rowDz` per step `[n, ldg]`: the sequence's own BPTT cotangent. */
  readonly seqDz: number;
  /** Itemization: the same for `rowDgi` (GRU; other cells alias `seqDz`). */
  readonly seqDgi: number;
  /** Itemization: per-row, per-gate-block sums of `rowDz` (then of `rowDgi`, GRU) `[2, rows·G]`. */
  readonly rowSums: number;
  /** One past the last element. */
  readonly end: number;
}

/**
 * Computes where everything lives for a model of `shape` run on B sequences of n steps, with
 * room for `moments` optimizer moment regions (0-2) in the part that never moves.
 */
export function fusedLayout(shape: FusedShape, base: number, B: number, n: number, moments = 0): FusedLayout {
  const { H, V, G, states, separateHidden } = shape;
  const Hp = roundUp4(H);
  const Vp = roundUp4(V);
  const GH = G * H;
  const ldg = roundUp4(GH);
  const lstm = states === 2;
  let next = roundUp4(base);
  const take = (count: number): number => {
    const at = next;
    next += roundUp4(count);
    return at;
  };
  const fixed = {
    wih: take(GH * V),
    whh: take(GH * Hp),
    bih: take(ldg),
    bhh: take(ldg),
    bsum: take(ldg),
    wout: take(V * Hp),
    bout: take(Vp),
    dwih: take(GH * V),
    dwhh: take(GH * Hp),
    dbih: take(ldg),
    dbhh: take(ldg),
    dbsum: take(ldg),
    dwout: take(V * Hp),
    dbout: take(Vp),
  };
  const paramRegion = fixed.dwih - fixed.wih;
  const m1 = moments > 0 ? take(paramRegion) : -1;
  const m2 = moments > 1 ? take(paramRegion) : -1;
  const dynamic = next;
  const nB = n * B;
  const rows = n + 1;
  const hs = take((n + 1) * B * Hp);
  const cs = lstm ? take((n + 1) * B * Hp) : hs;
  const tc = lstm ? take(nB * Hp) : hs;
  const z = take(nB * ldg);
  const gh = separateHidden ? take(nB * ldg) : z;
  const logits = take(nB * Vp);
  const dh = take(nB * Hp);
  const dz = take(nB * ldg);
  const dgi = separateHidden ? take(nB * ldg) : dz;
  const dc = take(B * Hp);
  const sink = take(Math.max(B, rows) * Hp);
  const loss = take(nB);
  const tokens = take(nB);
  const targets = take(nB);
  const preds = take(nB);
  const local = take(n * Hp);
  const lamH: [number, number] = [take(rows * Hp), take(rows * Hp)];
  const lamC: [number, number] = lstm ? [take(rows * Hp), take(rows * Hp)] : lamH;
  const rowDz = take(rows * ldg);
  const rowDgi = separateHidden ? take(rows * ldg) : rowDz;
  const seqDz = take(n * ldg);
  const seqDgi = separateHidden ? take(n * ldg) : seqDz;
  const rowSums = take(2 * rows * G);
  return {
    Hp, Vp, GH, ldg, B, n, rows, ...fixed, paramRegion, m1, m2, dynamic,
    hs, cs, tc, z, gh, logits, dh, dz, dgi, dc, sink, loss, tokens, targets, preds,
    local, lamH, lamC, rowDz, rowDgi, seqDz, seqDgi, rowSums,
    end: next,
  };
}

/** Where one named parameter sits in the parameter region: `rows` rows of `cols` values, `ld` apart. */
export interface RegionBlock {
  /** Parameter name. */
  readonly name: string;
  /** Offset from the region's start (the same in the gradient and moment regions). */
  readonly at: number;
  /** Rows. */
  readonly rows: number;
  /** Values per row in the named array. */
  readonly cols: number;
  /** Leading dimension in memory (pads past `cols` belong to no parameter). */
  readonly ld: number;
}

/** The named parameters' places in the parameter region of `L` (`bsum` is derived and named by none). */
export function regionBlocks(L: FusedLayout, H: number, V: number): RegionBlock[] {
  const at = (offset: number) => offset - L.wih;
  return [
    { name: 'weight_ih', at: at(L.wih), rows: 1, cols: L.GH * V, ld: L.GH * V },
    { name: 'weight_hh', at: at(L.whh), rows: L.GH, cols: H, ld: L.Hp },
    { name: 'bias_ih', at: at(L.bih), rows: 1, cols: L.GH, ld: L.GH },
    { name: 'bias_hh', at: at(L.bhh), rows: 1, cols: L.GH, ld: L.GH },
    { name: HEAD_WEIGHT, at: at(L.wout), rows: V, cols: H, ld: L.Hp },
    { name: HEAD_BIAS, at: at(L.bout), rows: 1, cols: V, ld: V },
  ];
}
