import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, EndpointUnavailable } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import type { Lane } from '../api/types';

export type Loadable<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'unavailable'; endpoint: string }
  | { status: 'notFound' }
  | { status: 'error'; message: string };

/** Runs a request when its dependencies change; an endpoint the server lacks becomes 'unavailable', not an error. */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  dependencies: unknown[],
): Loadable<T> & { reload(): void } {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => (previous.status === 'ready' ? previous : { status: 'loading' }));
    loadRef.current(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ status: 'ready', data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState(toFailure(error));
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...dependencies, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}

export function toFailure(error: unknown): Loadable<never> {
  if (error instanceof EndpointUnavailable)
    return { status: 'unavailable', endpoint: `${error.method} ${error.path}` };
  if (error instanceof ApiError && error.status === 404) {
    // A 404 naming no route means the server lacks the endpoint; any other 404 means the record is not there.
    return error.message.startsWith('No route')
      ? { status: 'unavailable', endpoint: '' }
      : { status: 'notFound' };
  }
  return { status: 'error', message: error instanceof Error ? error.message : String(error) };
}

export function Unavailable({ endpoint }: { endpoint: string }) {
  const { t } = useI18n();
  return (
    <div className="notice notice-unavailable" role="status">
      <strong>{t('common.unavailable')}</strong>
      <span>{t('common.unavailableDetail', { endpoint: endpoint || '…' })}</span>
    </div>
  );
}

/** Renders a loadable's non-ready states the same way everywhere; `children` renders the data. */
export function LoadState<T>({
  state,
  children,
}: {
  state: Loadable<T> & { reload?(): void };
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  switch (state.status) {
    case 'loading':
      return (
        <p className="muted" aria-live="polite">
          {t('common.loading')}
        </p>
      );
    case 'unavailable':
      return <Unavailable endpoint={state.endpoint} />;
    case 'notFound':
      return <p className="muted">{t('common.notFound')}</p>;
    case 'error':
      return (
        <div className="notice notice-error" role="alert">
          {t('common.error', { message: state.message })}{' '}
          {state.reload && (
            <button type="button" onClick={state.reload}>
              {t('common.retry')}
            </button>
          )}
        </div>
      );
    case 'ready':
      return <>{children(state.data)}</>;
  }
}

export function Section({
  title,
  id,
  children,
  className,
}: {
  title: string;
  id: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

export function LaneBadge({ lane }: { lane: Lane | string }) {
  const { t } = useI18n();
  const known = ['green', 'yellow', 'red', 'blue'].includes(lane);
  return (
    <span className={`lane lane-${known ? lane : 'unknown'}`}>
      {known ? t(`lane.${lane as Lane}`) : lane}
    </span>
  );
}

export function ScoreBar({ score }: { score: number }) {
  const { percent } = useI18n();
  const clamped = Math.max(0, Math.min(1, score));
  return (
    <span className="score" title={percent(clamped)}>
      <span className="score-bar" aria-hidden="true">
        <span style={{ width: `${clamped * 100}%` }} />
      </span>
      <span className="score-value">{percent(clamped, 0)}</span>
    </span>
  );
}

/** P123456789012 -> P********9012: enough to match a complaint, not enough to reuse the code. */
export function maskPccc(pccc: string | null): string {
  if (!pccc) return '–';
  return pccc.length <= 5
    ? '*'.repeat(pccc.length)
    : `${pccc.slice(0, 1)}${'•'.repeat(pccc.length - 5)}${pccc.slice(-4)}`;
}

/** A wide table that scrolls sideways on small screens; focusable so the keyboard can scroll it too. */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** The "why selected" column: what put the parcel in its lane, in the officer's words. */
export function whySelectedKey(selection: string): MessageKey {
  switch (selection) {
    case 'override':
      return 'why.override';
    case 'mandatory-rule':
    case 'rule':
      return 'why.rule';
    case 'list':
      return 'why.list';
    case 'check':
      return 'why.check';
    case 'xray':
      return 'why.xray';
    case 'model':
      return 'why.model';
    case 'exploration':
      return 'why.exploration';
    case 'random':
      return 'why.random';
    default:
      return 'why.none';
  }
}
