export {
  describeField,
  diffFlows,
  diffSummary,
  type FieldChange,
  type FlowDiff,
  type FlowSide,
  formatDiffMarkdown,
  formatDiffText,
  type SettingChange,
  type StepChange,
} from './diff';
export { ReviewError, type ReviewErrorCode } from './errors';
export { childFlowNames, type FlowGraph, reviewGraph } from './graph';
export { type ReviewedFlow, reviewFlowFile, reviewFlowText } from './load';
export { type MermaidOptions, mermaidText, type StepMark, toMermaid } from './mermaid';
export { findChromium, svgToPng } from './png';
export { type SvgOptions, type SvgPicture, toSvg } from './svg';
