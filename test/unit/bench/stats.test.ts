import { describe, expect, it } from 'vitest';
import { slope } from '../../../bench/stats';

describe('slope (the memory bench: KiB per cached flow from several samples)', () => {
  it('is the per-unit cost of samples on a line', () => {
    const points = [0, 400, 800, 1200].map((x) => ({ x, y: 300_000 + 96 * x }));
    expect(slope(points)).toBeCloseTo(96, 10);
  });

  it('moves less for one late sample than the difference of the last two does', () => {
    const points = [
      { x: 0, y: 0 },
      { x: 1, y: 100 },
      { x: 2, y: 200 },
      { x: 3, y: 360 },
    ];
    expect(slope(points)).toBeCloseTo(118, 10);
    expect((points[3]?.y ?? 0) - (points[2]?.y ?? 0)).toBe(160);
  });

  it('is NaN when the samples cannot give one', () => {
    expect(slope([{ x: 1, y: 2 }])).toBeNaN();
    expect(
      slope([
        { x: 1, y: 2 },
        { x: 1, y: 5 },
      ]),
    ).toBeNaN();
  });
});
