import type * as tf from '@tensorflow/tfjs';
import { tfjs } from '../tfjs.js';
import type { CellContext } from '../cell.js';
import { CellShapeError } from '../errors.js';

/** How an itemized parameter entered the step. */
export interface ItemizedUse {
  /** `linear` (z = u Wᵀ + b) or `elementwise` (z = u ⊙ s + b). */
  readonly kind: 'linear' | 'elementwise';
  /** The weight or scale parameter's name. */
  readonly param: string;
  /** Bias added inside the same helper call, if any. */
  readonly bias?: string;
  /** Width of z. */
  readonly outSize: number;
  /** The input u of this step, `[rows, in]`. */
  readonly input: tf.Tensor2D;
}

/**
 * The {@link CellContext} the tfjs engine hands to a cell's step. It records what went through
 * `linear`/`elementwise`, and adds a zero "probe" tensor to each z: the gradient with respect to
 * that probe is dL/dz per row, from which the itemized parameter gradients follow (dz ⊗ u).
 */
export class RecordingContext implements CellContext {
  /** Itemized uses of this step, in call order. */
  readonly uses: ItemizedUse[] = [];
  /** Parameters read through `param`. */
  readonly plain = new Set<string>();

  constructor(
    private readonly cellName: string,
    private readonly params: Record<string, tf.Tensor>,
    private readonly probes?: Record<string, tf.Tensor2D>,
  ) {}

  linear(weight: string, input: tf.Tensor2D, bias?: string): tf.Tensor2D {
    const w = this.lookup(weight);
    if (w.rank !== 2 || w.shape[1] !== input.shape[1]) {
      throw new CellShapeError(
        this.cellName,
        `linear("${weight}") got input [${input.shape}] but the weight is [${w.shape}] (expected [out, ${input.shape[1]}])`,
      );
    }
    return this.finish('linear', weight, tfjs.matMul(input, w as tf.Tensor2D, false, true) as tf.Tensor2D, input, bias);
  }

  elementwise(scale: string, input: tf.Tensor2D, bias?: string): tf.Tensor2D {
    const s = this.lookup(scale);
    if (s.rank !== 1 || s.shape[0] !== input.shape[1]) {
      throw new CellShapeError(this.cellName, `elementwise("${scale}") got input [${input.shape}] but the scale is [${s.shape}]`);
    }
    return this.finish('elementwise', scale, tfjs.mul(input, s) as tf.Tensor2D, input, bias);
  }

  param(name: string): tf.Tensor {
    this.plain.add(name);
    return this.lookup(name);
  }

  private finish(kind: 'linear' | 'elementwise', param: string, z: tf.Tensor2D, input: tf.Tensor2D, bias?: string): tf.Tensor2D {
    if (this.uses.some((u) => u.param === param || u.bias === param || (bias && (u.param === bias || u.bias === bias)))) {
      throw new CellShapeError(this.cellName, `parameter "${bias ?? param}" enters the step through more than one helper call`);
    }
    if (bias) {
      const b = this.lookup(bias);
      if (b.rank !== 1 || b.shape[0] !== z.shape[1]) {
        throw new CellShapeError(this.cellName, `bias "${bias}" is [${b.shape}] but ${kind}("${param}") produces ${z.shape[1]} columns`);
      }
      z = tfjs.add(z, b) as tf.Tensor2D;
    }
    const probe = this.probes?.[param];
    if (probe) z = tfjs.add(z, probe) as tf.Tensor2D;
    this.uses.push({ kind, param, bias, outSize: z.shape[1], input });
    return z;
  }

  private lookup(name: string): tf.Tensor {
    const t = this.params[name];
    if (!t) throw new CellShapeError(this.cellName, `step uses parameter "${name}", which params() does not declare`);
    return t;
  }
}
