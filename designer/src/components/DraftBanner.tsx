import { useDesigner } from '../store';

/** Offers back the unsaved draft of the flow just opened (after a reload, a crash, a switch). */
export function DraftBanner() {
  const offer = useDesigner((s) => s.draftOffer);
  const name = useDesigner((s) => s.source.name);
  if (!offer) return null;
  const when = offer.savedAt ? new Date(offer.savedAt).toLocaleString() : 'earlier';
  return (
    <div className="weft-draft" role="alert" aria-label="Unsaved draft">
      <span>
        {name} has an unsaved draft from {when}.
        {offer.changedSince ? ' The file has changed since: restoring replaces those changes.' : ''}
      </span>
      <button
        type="button"
        className="primary"
        onClick={() => useDesigner.getState().restoreDraft()}
      >
        Restore draft
      </button>
      <button type="button" onClick={() => useDesigner.getState().discardDraft()}>
        Discard draft
      </button>
    </div>
  );
}
