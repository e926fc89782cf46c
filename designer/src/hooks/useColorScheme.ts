import { useEffect } from 'react';
import { useDesigner } from '../store';
import { chosenDark, systemDarkQuery } from '../store/theme';

/** Follows the system's colour scheme as it changes, unless the user has picked one. */
export function useColorScheme(): void {
  useEffect(() => {
    const query = systemDarkQuery();
    if (!query) return;
    const onChange = (e: MediaQueryListEvent) => {
      if (chosenDark() === undefined) useDesigner.getState().setDark(e.matches);
    };
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
}
