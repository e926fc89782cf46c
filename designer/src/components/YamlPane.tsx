import { yaml } from '@codemirror/lang-yaml';
import {
  type Diagnostic as CmDiagnostic,
  forceLinting,
  linter,
  lintGutter,
} from '@codemirror/lint';
import { EditorSelection } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import CodeMirror, { ExternalChange } from '@uiw/react-codemirror';
import { useEffect, useMemo, useRef, useState } from 'react';
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

/**
 * Brings the editor to the store's text with the smallest change: the part between what both
 * texts begin and end with. Replacing the whole document (what the editor component does with
 * a new `value`) re-parsed and redrew all of it on every canvas edit, and lost the selection.
 */
function syncEditor(view: EditorView, text: string): void {
  const doc = view.state.doc;
  if (doc.length === text.length && doc.toString() === text) return;
  const current = doc.toString();
  const max = Math.min(current.length, text.length);
  let start = 0;
  while (start < max && current.charCodeAt(start) === text.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    current.charCodeAt(current.length - 1 - end) === text.charCodeAt(text.length - 1 - end)
  )
    end++;
  view.dispatch({
    changes: {
      from: start,
      to: current.length - end,
      insert: text.slice(start, text.length - end),
    },
    annotations: [ExternalChange.of(true)],
  });
}

// The store keeps the one history; useShortcuts reads its keys before the editor does.
const BASIC_SETUP = { history: false, historyKeymap: false, foldGutter: true };

/** Module scope: a new function each render would make the editor reconfigure itself. */
const onEditorChange = (value: string) => useDesigner.getState().setText(value, 'editor');

export function YamlPane() {
  // The editor starts from the text of its first render and then follows the store itself
  // (syncEditor), so typing does not re-render this component.
  const [initialText] = useState(() => useDesigner.getState().text);
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

  useEffect(
    () =>
      useDesigner.subscribe((s, prev) => {
        if (!view.current || s.text === prev.text) return;
        if (s.loadSeq === prev.loadSeq) {
          syncEditor(view.current, s.text);
          return;
        }
        // A newly opened flow: the canvas paints first, the whole new text a frame later (on
        // 1,000 steps, putting it in the editor costs as much as drawing the graph).
        requestAnimationFrame(() =>
          setTimeout(() => {
            if (view.current) syncEditor(view.current, useDesigner.getState().text);
          }, 0),
        );
      }),
    [],
  );

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
        value={initialText}
        height="100%"
        theme={dark ? 'dark' : 'light'}
        extensions={extensions}
        basicSetup={BASIC_SETUP}
        onCreateEditor={(v) => {
          view.current = v;
          syncEditor(v, useDesigner.getState().text);
        }}
        onChange={onEditorChange}
      />
    </section>
  );
}
