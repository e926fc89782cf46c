/**
 * Light or dark: the system's `prefers-color-scheme` until the user picks one with the toolbar's
 * toggle; the pick is kept in localStorage so it outlives a reload.
 */
const THEME_KEY = 'weft.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage disabled: the choice lasts until the tab closes
  }
}

/** The user's own choice, if they made one. */
export function chosenDark(): boolean | undefined {
  const v = storage()?.getItem(THEME_KEY);
  return v === 'dark' ? true : v === 'light' ? false : undefined;
}

export function systemDarkQuery(): MediaQueryList | undefined {
  return typeof matchMedia === 'undefined' ? undefined : matchMedia(DARK_QUERY);
}

export function initialDark(): boolean {
  return chosenDark() ?? systemDarkQuery()?.matches ?? false;
}

export function rememberDark(dark: boolean): void {
  try {
    storage()?.setItem(THEME_KEY, dark ? 'dark' : 'light');
  } catch {
    // Quota or policy: the choice still applies to this tab.
  }
}
