import { useEffect } from 'react';
import { api } from '../api';
import { type DesignerState, useDesigner } from '../store';

/**
 * Asks the server for the problems of the activities files that apply to the open flow
 * (`GET /api/activities/problems`): when a flow of its folder opens, after each save (the
 * source changes then) and when the manifest loads (it holds those files' declarations). The
 * server reads the files for each answer, so a fix on disk shows once the flow opens again. The
 * browser's own validation checks the text; these are in other files.
 */
export function useFolderProblems(): void {
  useEffect(watchFolderProblems, []);
}

/** The subscription behind useFolderProblems; returns its unsubscribe. */
export function watchFolderProblems(): () => void {
  return useDesigner.subscribe((s, prev) => {
    if (s.source !== prev.source || s.manifest !== prev.manifest) void refresh(s);
  });
}

/** Only the latest request's answer is kept: an older one may be for a flow no longer open. */
let latest = 0;

async function refresh(s: Pick<DesignerState, 'source'>): Promise<void> {
  const seq = ++latest;
  const path = s.source.path;
  // A file from disk or a new flow has no folder on the server, so no activities files.
  if (path === undefined) {
    useDesigner.setState({ folderProblems: undefined });
    return;
  }
  try {
    const diagnostics = await api.activityProblems(path);
    if (seq === latest) useDesigner.setState({ folderProblems: { path, diagnostics } });
  } catch {
    // No answer (the server went away): say nothing rather than something stale.
    if (seq === latest) useDesigner.setState({ folderProblems: undefined });
  }
}
