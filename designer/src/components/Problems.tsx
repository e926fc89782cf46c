import { stepPointerFor } from '../graph/graph';
import { type FolderProblem, selectFolderProblems, useDesigner } from '../store';

/**
 * A problem of an activities file (`weft.activities.yaml`) the open flow depends on: it is in
 * that file, not in the text, so there is no line of the YAML pane to reveal; its place is the
 * file's name and line, where it is fixed.
 */
function FolderProblemItem({ d }: { d: FolderProblem }) {
  return (
    <li>
      <div
        className={`weft-folder-problem severity-${d.severity}`}
        data-code={d.code}
        data-file={d.file}
        title={`In ${d.file}, not in this flow's text: fix it there. A run is refused while it has errors.`}
      >
        <span className="where">
          {d.file}:{d.line}:{d.col}
        </span>
        <span className="code">{d.code}</span>
        <span className="msg">{d.message}</span>
        {d.hint && <span className="hint">{d.hint}</span>}
      </div>
    </li>
  );
}

/**
 * The diagnostics of the open flow; clicking one selects its node and reveals its line. Then
 * those of the server folder's activities files that apply to it, which name their file.
 */
export function Problems() {
  const diagnostics = useDesigner((s) => s.diagnostics);
  const folderProblems = useDesigner(selectFolderProblems);
  if (diagnostics.length === 0 && folderProblems.length === 0) {
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
      {folderProblems.map((d) => (
        <FolderProblemItem key={`${d.file}-${d.code}-${d.line}-${d.col}-${d.message}`} d={d} />
      ))}
    </ul>
  );
}
