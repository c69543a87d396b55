import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isLockShortcut, watchIdle } from './idle';

describe('the idle lock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls back once after the time without activity', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    watchIdle(target, 60_000, onIdle);
    vi.advanceTimersByTime(59_999);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(600_000);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(600_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('starts again at every key press, click or pointer movement', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    watchIdle(target, 60_000, onIdle);
    for (const name of ['keydown', 'pointerdown', 'pointermove', 'wheel']) {
      vi.advanceTimersByTime(50_000);
      target.dispatchEvent(new Event(name));
    }
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('never calls back once stopped', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    const stop = watchIdle(target, 1_000, onIdle);
    stop();
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(10_000);
    expect(onIdle).not.toHaveBeenCalled();
  });

  it('knows Alt+L and nothing else as the lock shortcut', () => {
    const key = (key: string, altKey = true, ctrlKey = false) => ({ key, altKey, ctrlKey, metaKey: false });
    expect(isLockShortcut(key('l'))).toBe(true);
    expect(isLockShortcut(key('L'))).toBe(true);
    expect(isLockShortcut(key('l', false))).toBe(false);
    expect(isLockShortcut(key('l', true, true))).toBe(false);
    expect(isLockShortcut(key('1'))).toBe(false);
  });
});
