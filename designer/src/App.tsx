import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { Canvas } from './components/Canvas';
import { DraftBanner } from './components/DraftBanner';
import {
  AfterFirstPaint,
  Inspector,
  RunPanel,
  SchedulesPanel,
  YamlPane,
} from './components/deferred';
import { focusCanvas } from './components/focus-node';
import { Palette } from './components/Palette';
import { Problems } from './components/Problems';
import { Toolbar } from './components/Toolbar';
import { useBootstrap } from './hooks/useBootstrap';
import { useColorScheme } from './hooks/useColorScheme';
import { useDrafts } from './hooks/useDrafts';
import { useFolderProblems } from './hooks/useFolderProblems';
import { useShortcuts } from './hooks/useShortcuts';
import { selectFolderProblems, useDesigner } from './store';

function BottomPanel() {
  const [tab, setTab] = useState<'problems' | 'runs' | 'schedules'>('problems');
  const count = useDesigner((s) => s.diagnostics.length + selectFolderProblems(s).length);
  const runId = useDesigner((s) => s.run?.workflowId);
  // A run that starts (or opens) brings its panel forward.
  useEffect(() => {
    if (runId !== undefined) setTab('runs');
  }, [runId]);
  return (
    <section className="weft-bottom">
      <div role="tablist" aria-label="Panels">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'problems'}
          onClick={() => setTab('problems')}
        >
          Problems ({count})
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'runs'}
          onClick={() => setTab('runs')}
        >
          Runs
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'schedules'}
          onClick={() => setTab('schedules')}
        >
          Schedules
        </button>
      </div>
      <div role="tabpanel" className="weft-tabpanel">
        {tab === 'problems' ? (
          <Problems />
        ) : (
          <AfterFirstPaint placeholder={<section aria-busy="true" />}>
            {tab === 'runs' ? <RunPanel /> : <SchedulesPanel />}
          </AfterFirstPaint>
        )}
      </div>
    </section>
  );
}

export function App() {
  // Subscribes before start-up opens the first flow.
  useFolderProblems();
  useBootstrap();
  useShortcuts();
  useDrafts();
  useColorScheme();
  const dark = useDesigner((s) => s.dark);
  const runActive = useDesigner((s) => s.run !== undefined);
  return (
    <div
      className={`weft-app ${dark ? 'dark' : 'light'}`}
      data-run-active={runActive ? 'true' : undefined}
    >
      {/* The first tab stop: past the toolbar and palette, straight to the flow's first step (a button: it moves focus, it does not navigate). */}
      <button type="button" className="weft-skip" onClick={focusCanvas}>
        Skip to canvas
      </button>
      <Toolbar />
      <DraftBanner />
      <main className="weft-main">
        <Palette />
        <ReactFlowProvider>
          <Canvas />
        </ReactFlowProvider>
        <div className="weft-side">
          <AfterFirstPaint placeholder={<section className="weft-inspector" aria-busy="true" />}>
            <Inspector />
          </AfterFirstPaint>
          <AfterFirstPaint placeholder={<section className="weft-yaml" aria-busy="true" />}>
            <YamlPane />
          </AfterFirstPaint>
        </div>
      </main>
      <BottomPanel />
    </div>
  );
}
