import { useEffect } from 'react';
import { navigate } from './router';

/** True when the key press belongs to a text field, where letters are text and not shortcuts. */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('dialog[open]') !== null
  );
}

/** "g" then a letter moves between pages (as in mail clients); "?" toggles the shortcut help. */
export function useGlobalShortcuts(enabled: boolean, toggleHelp: () => void): void {
  useEffect(() => {
    if (!enabled) return;
    let awaitingTarget = false;
    let timer: number | undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event)) return;
      if (awaitingTarget) {
        awaitingTarget = false;
        const target = { q: '/queue', r: '/rules', m: '/models', d: '/dashboard' }[event.key];
        if (target) {
          event.preventDefault();
          navigate(target);
        }
        return;
      }
      if (event.key === 'g') {
        awaitingTarget = true;
        window.clearTimeout(timer);
        timer = window.setTimeout(() => (awaitingTarget = false), 1200);
      } else if (event.key === '?') {
        toggleHelp();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.clearTimeout(timer);
    };
  }, [enabled, toggleHelp]);
}
