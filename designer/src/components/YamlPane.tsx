import { yaml } from '@codemirror/lang-yaml';
import {
  type Diagnostic as CmDiagnostic,
  forceLinting,
  linter,
  lintGutter,
} from '@codemirror/lint';
import { EditorSelection } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import CodeMirror from '@uiw/react-codemirror';
import { useEffect, useMemo, useRef } from 'react';
import { useDesigner } from '../store';
import { flowCompletion } from './yaml-complete';

/** Diagnostics from the store as CodeMirror lint marks (the store validates; this only shows). */
const lint = linter(
  (view) => {
    const { diagnostics, text } = useDesigner.getState();
    if (view.state.doc.toString() !== text) return [];
    const doc = view.state.doc;
    return diagnostics.map((d): CmDiagnostic => {
      const line = doc.line(Math.min(Math.max(1, d.line), doc.lines));
      const from = Math.min(line.from + Math.max(0, d.col - 1), line.to);
      return {
        from,
        to: Math.max(from, line.to),
        severity: d.severity,
        message: `${d.code}: ${d.message}`,
      };
    });
  },
  { delay: 150 },
);

export function YamlPane() {
  const text = useDesigner((s) => s.text);
  const dark = useDesigner((s) => s.dark);
  const reveal = useDesigner((s) => s.reveal);
  const diagnostics = useDesigner((s) => s.diagnostics);
  const view = useRef<EditorView | null>(null);
  const extensions = useMemo(
    () => [
      yaml(),
      flowCompletion,
      lint,
      lintGutter(),
      EditorView.lineWrapping,
      // The name belongs on the editable element itself, which screen readers land on; an explicit
      // tab stop tells checkers the scrolling region around it can be reached by keyboard.
      EditorView.contentAttributes.of({ 'aria-label': 'Flow YAML', tabindex: '0' }),
    ],
    [],
  );

  useEffect(() => {
    if (view.current && diagnostics) forceLinting(view.current);
  }, [diagnostics]);

  useEffect(() => {
    const v = view.current;
    if (!reveal || !v) return;
    const doc = v.state.doc;
    const line = doc.line(Math.min(Math.max(1, reveal.line), doc.lines));
    const pos = Math.min(line.from + Math.max(0, reveal.col - 1), line.to);
    v.dispatch({
      selection: EditorSelection.cursor(pos),
      effects: EditorView.scrollIntoView(pos, { y: 'center' }),
    });
  }, [reveal]);

  return (
    <section className="weft-yaml" aria-label="YAML">
      <CodeMirror
        value={text}
        height="100%"
        theme={dark ? 'dark' : 'light'}
        extensions={extensions}
        // The store keeps the one history; useShortcuts reads its keys before the editor does.
        basicSetup={{ history: false, historyKeymap: false, foldGutter: true }}
        onCreateEditor={(v) => {
          view.current = v;
        }}
        onChange={(value) => useDesigner.getState().setText(value, 'editor')}
      />
    </section>
  );
}
