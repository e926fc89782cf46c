/**
 * Step-kind icons as inline SVG: the kind table's glyphs (⫴, ⛨, ⏸, ⧉, ⏱) are missing from
 * common Linux fonts and rendered as empty boxes. Drawn with `currentColor` on a 16-unit grid.
 */
import type { ReactElement } from 'react';
import type { StepKind } from '../../../interpreter/model';

const PATHS: Record<StepKind | 'unknown', ReactElement> = {
  activity: (
    <>
      <circle cx="8" cy="8" r="2.5" />
      <path d="M8 1.5v2.5M8 12v2.5M1.5 8h2.5M12 8h2.5M3.4 3.4l1.8 1.8M10.8 10.8l1.8 1.8M3.4 12.6l1.8-1.8M10.8 5.2l1.8-1.8" />
    </>
  ),
  if: <path d="M8 1.5 14.5 8 8 14.5 1.5 8z" />,
  switch: <path d="M8 14.5V8M8 8 3 3M8 8l5-5M3 3h3M3 3v3M13 3h-3M13 3v3" />,
  parallel: <path d="M4 2v12M8 2v12M12 2v12" />,
  forEach: (
    <>
      <path d="M13 8a5 5 0 1 1-1.5-3.6" />
      <path d="M12 1.5v3h-3" />
    </>
  ),
  while: (
    <>
      <path d="M3 8a5 5 0 0 1 8.5-3.5M13 8a5 5 0 0 1-8.5 3.5" />
      <path d="M11.5 1.5v3h-3M4.5 14.5v-3h3" />
    </>
  ),
  sleep: (
    <>
      <circle cx="8" cy="9" r="5.5" />
      <path d="M8 6v3l2 1.5M6 1.5h4" />
    </>
  ),
  wait: <path d="M5.5 3v10M10.5 3v10" />,
  set: <path d="M3 6h10M3 10h10" />,
  try: <path d="M8 1.5 13.5 3.5V8c0 3.2-2.4 5.6-5.5 6.5C4.9 13.6 2.5 11.2 2.5 8V3.5z" />,
  flow: (
    <>
      <rect x="1.5" y="1.5" width="8.5" height="8.5" rx="1" />
      <rect x="6" y="6" width="8.5" height="8.5" rx="1" />
    </>
  ),
  log: <path d="M3 4h10M3 8h10M3 12h6" />,
  fail: <path d="M3.5 3.5l9 9M12.5 3.5l-9 9" />,
  return: <path d="M13 3v5H4M7 5 4 8l3 3" />,
  unknown: (
    <>
      <path d="M5.5 6a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5V11" />
      <path d="M8 13.5v.5" />
    </>
  ),
};

export function KindIcon({ kind }: { kind: StepKind | undefined }) {
  return (
    <svg
      className="weft-icon"
      data-icon={kind ?? 'unknown'}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[kind ?? 'unknown']}
    </svg>
  );
}
