import { describe, expect, it } from 'vitest';
import { ThroughputMeter } from '../../src/train/throughput.js';

describe('ThroughputMeter', () => {
  it('reports the plain average during the first second, then follows one-second windows', () => {
    const meter = new ThroughputMeter(0);
    // A slow first batch (start-up), then 100 characters every millisecond.
    expect(meter.add(100, 500)).toBeCloseTo(200, 6);
    let rate = 0;
    for (let t = 501; t <= 1000; t++) rate = meter.add(100, t);
    // Still the first second: everything so far over the time so far.
    expect(rate).toBeCloseTo((100 * 501 * 1000) / 1000, 6);
    rate = meter.add(100, 1001);
    const firstWindow = (100 * 502 * 1000) / 1001;
    expect(rate).toBeCloseTo(firstWindow, 6);
    // A second at twice the speed moves the figure 30% of the way there.
    for (let t = 1001.5; t <= 2002; t += 0.5) rate = meter.add(100, t);
    const second = (100 * 2002 * 1000) / (2002 - 1001);
    expect(rate).toBeCloseTo(0.7 * firstWindow + 0.3 * second, 0);
    expect(meter.charsPerSec).toBe(rate);
    expect(meter.elapsedSeconds(2500)).toBe(2.5);
  });

  it('is zero before anything was measured', () => {
    expect(new ThroughputMeter(0).charsPerSec).toBe(0);
  });
});
