import { stepPointerFor } from '../graph/graph';
import { useDesigner } from '../store';

/** The diagnostics of the open flow; clicking one selects its node and reveals its line. */
export function Problems() {
  const diagnostics = useDesigner((s) => s.diagnostics);
  if (diagnostics.length === 0) {
    return (
      <p className="weft-muted" role="status">
        No problems.
      </p>
    );
  }
  return (
    <ul className="weft-problems" aria-label="Problems">
      {diagnostics.map((d) => (
        <li key={`${d.code}-${d.pointer}-${d.line}-${d.col}-${d.message}`}>
          <button
            type="button"
            className={`severity-${d.severity}`}
            data-code={d.code}
            data-pointer={d.pointer}
            onClick={() => {
              const s = useDesigner.getState();
              const step = stepPointerFor(s.graph, d.pointer);
              if (step !== undefined) s.select(step);
              s.revealLine(d.line, d.col);
            }}
          >
            <span className="where">
              {d.line}:{d.col}
            </span>
            <span className="code">{d.code}</span>
            <span className="msg">{d.message}</span>
            {d.hint && <span className="hint">{d.hint}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
