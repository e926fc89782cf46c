/** The designer's targets, apart from the section so the table and the checks load no browser. */
/** Issue 14 §5: ms by measure, for 300 and for 1,000 steps (pan frames for both). */
export const DESIGNER_TARGETS = {
  keystrokeMs: { 300: 100, 1000: 250 },
  canvasEditMs: { 300: 150, 1000: 400 },
  navigateMs: { 300: 1000, 1000: 1500 },
  panMedianMs: 16.7,
  panP95Ms: 33,
} as const;

/** The target of a measure at a size: the 1,000-step one above 300 steps. */
export function designerTarget(
  measure: 'keystrokeMs' | 'canvasEditMs' | 'navigateMs',
  steps: number,
): number {
  const t = DESIGNER_TARGETS[measure];
  return steps <= 300 ? t[300] : t[1000];
}
