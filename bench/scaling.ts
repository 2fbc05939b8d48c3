/**
 * What recording costs at larger sizes: chars/s of plain training and of a recorded batch
 * (truncated k = 5 with residual; full itemization) for the built-in cells at several hidden
 * sizes, on the fused engine. Run: `npm run build && node dist/bench/scaling.js [--seconds S]`.
 * docs/scaling.md quotes its output.
 */
import { gruCell } from '../src/cells/gru.js';
import { lstmCell } from '../src/cells/lstm.js';
import { vanillaCell } from '../src/cells/vanilla.js';
import { createEngine } from '../src/core/engine/create-engine.js';
import { EngineLoop, FULL_EVERY_BATCH, TRUNCATED_EVERY_BATCH } from './engine-loop.js';
import { median } from './stats.js';

const budget = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 1.5;
const rows: string[] = ['| cell | H | plain chars/s | recorded batch (k=5) cost | full itemization cost | k=5 every 100 batches adds |', '|---|---|---|---|---|---|'];
for (const cell of [vanillaCell, lstmCell, gruCell]) {
  for (const H of [100, 256, 512]) {
    const dims = { inputSize: 100, hiddenSize: H };
    const loop = new EngineLoop(createEngine(cell, dims, 'auto'), cell, dims, 1, 25);
    const rate = (plan?: Parameters<EngineLoop['run']>[1]) => {
      const batches = loop.calibrate(budget / 3, plan);
      return median([0, 1, 2].map(() => loop.run(batches, plan)));
    };
    const plain = rate();
    const truncated = rate(TRUNCATED_EVERY_BATCH);
    const full = rate(FULL_EVERY_BATCH);
    const kCost = plain / truncated;
    rows.push(
      `| ${cell.name} | ${H} | ${Math.round(plain).toLocaleString('en-US')} | ${kCost.toFixed(1)}x a plain batch | ${(plain / full).toFixed(1)}x | ${((kCost - 1)).toFixed(2)}% |`,
    );
    loop.engine.dispose();
  }
}
process.stdout.write(rows.join('\n') + '\n');
