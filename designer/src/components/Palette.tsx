import { useMemo, useState } from 'react';
import { insertStep } from '../convert';
import { parentListPointer, pointerIndex } from '../graph/graph';
import { endOfFlow, useDesigner } from '../store';
import { DND_TYPE, type PaletteItem, paletteItems } from './templates';

/** Where a palette click inserts: the "+" the user chose, after the selection, or at the end. */
function insertHere(step: unknown): void {
  const s = useDesigner.getState();
  let { list, index } = endOfFlow(s);
  if (s.insertTarget) {
    list = s.insertTarget.list;
    index = s.insertTarget.index;
  } else if (s.selected !== undefined) {
    list = parentListPointer(s.selected);
    index = (pointerIndex(s.selected) ?? -1) + 1;
  }
  s.edit((doc) => insertStep(doc, list, index, step));
}

export function Palette() {
  const manifest = useDesigner((s) => s.manifest);
  const target = useDesigner((s) => s.insertTarget);
  const [query, setQuery] = useState('');
  const items = useMemo(() => paletteItems(manifest?.activities ?? []), [manifest]);
  const q = query.trim().toLowerCase();
  const shown = q
    ? items.filter(
        (i) => i.label.toLowerCase().includes(q) || i.description?.toLowerCase().includes(q),
      )
    : items;
  const groups: [string, PaletteItem[]][] = [
    ['Activities', shown.filter((i) => i.group === 'activity')],
    ['Control', shown.filter((i) => i.group === 'control')],
  ];
  return (
    <aside className="weft-palette" aria-label="Palette">
      <input
        id="palette-search"
        type="search"
        placeholder="Search steps  ( / )"
        aria-label="Search the palette"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && shown[0]) insertHere(shown[0].step);
          if (e.key === 'Escape') {
            setQuery('');
            useDesigner.getState().setInsertTarget(undefined);
            e.currentTarget.blur();
          }
        }}
      />
      {target && (
        <div className="weft-target" role="status">
          Inserting into {target.list} at {target.index + 1}
        </div>
      )}
      {groups.map(([title, list]) =>
        list.length === 0 ? null : (
          <section key={title} aria-label={title}>
            <h3>{title}</h3>
            <ul>
              {list.map((item) => (
                <li key={item.key}>
                  <button
                    type="button"
                    className={`weft-palette-item ${item.group}`}
                    data-palette-item={item.key}
                    draggable
                    title={item.description}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(DND_TYPE, JSON.stringify(item.step));
                      e.dataTransfer.setData('text/plain', item.label);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => insertHere(item.step)}
                  >
                    {/* The name is what the button shows, so voice control finds it by its text. */}
                    <span className="weft-sr-only">
                      Insert {item.group === 'activity' ? 'activity' : 'step'}{' '}
                    </span>
                    <span className="name">{item.label}</span>{' '}
                    {item.description && <span className="desc">{item.description}</span>}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ),
      )}
    </aside>
  );
}
