// The idle lock: a timer that any sign of a person at the keyboard restarts, and that calls
// back once when nobody has touched the window for the given time.

/** What counts as use of the window. */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` once after `ms` milliseconds without activity on `target`; returns the
 * function that stops watching.
 */
export function watchIdle(target: EventTarget, ms: number, onIdle: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const restart = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      stop();
      onIdle();
    }, ms);
  };
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, restart);
  };
  for (const name of ACTIVITY_EVENTS) target.addEventListener(name, restart, { passive: true });
  restart();
  return stop;
}

/** Whether a key press is the lock shortcut, Alt+L. */
export function isLockShortcut(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'key'>): boolean {
  return event.altKey && !event.ctrlKey && !event.metaKey && event.key.toLowerCase() === 'l';
}
