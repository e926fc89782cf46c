import { OWS_READ_ONLY, useDesigner } from '../store';

/** Says why the canvas of a Serverless Workflow document does not take edits. */
export function OwsBanner() {
  const ows = useDesigner((s) => s.ows);
  if (!ows) return null;
  return (
    <div className="weft-stale weft-ows" role="status" aria-label="Serverless Workflow document">
      {OWS_READ_ONLY}
    </div>
  );
}
