import { useEffect, useState, type ReactNode } from 'react';
import { ApiError, requestObjectUrl } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { navigate } from '../../router';

/** The officer's links between the partner pages. */
export function PartnersSubnav({ current }: { current: 'agreements' | 'alerts' | 'reports' | 'sellers' }) {
  const { t } = useI18n();
  const links: [typeof current, string, MessageKey][] = [
    ['agreements', '/partners/agreements', 'partners.nav.agreements'],
    ['alerts', '/partners/alerts', 'partners.nav.alerts'],
    ['reports', '/partners/reports', 'partners.nav.reports'],
    ['sellers', '/partners/sellers', 'partners.nav.sellers'],
  ];
  return (
    <nav className="segmented partners-subnav" aria-label={t('partners.nav.label')}>
      {links.map(([page, path, label]) => (
        <InternalLink key={page} path={path} current={page === current}>
          {t(label)}
        </InternalLink>
      ))}
    </nav>
  );
}

export function InternalLink({
  path,
  current,
  children,
}: {
  path: string;
  current?: boolean;
  children: ReactNode;
}) {
  return (
    <a
      href={path}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        navigate(path);
      }}
    >
      {children}
    </a>
  );
}

/** What went wrong with a form, with the server's field errors named. */
export function FormError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  return (
    <div className="notice notice-error" role="alert">
      {t('common.error', { message })}
      {fields.length > 0 && (
        <ul>
          {fields.map((field) => (
            <li key={`${field.path}:${field.message}`}>
              <span className="mono">{field.path || '–'}</span>: {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Saves a file the API answers (with the session cookie or the API key) under `filename`. */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const url = await requestObjectUrl(path);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A picture served by the API (an <img> cannot send the API key, so it is fetched first). */
export function ApiPicture({ path, alt }: { path: string; alt: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let made: string | null = null;
    requestObjectUrl(path, controller.signal).then(
      (objectUrl) => {
        made = objectUrl;
        setUrl(objectUrl);
      },
      () => undefined,
    );
    return () => {
      controller.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [path]);
  return url ? <img className="partner-picture" src={url} alt={alt} /> : null;
}

/** Registration and agreement states as coloured words. */
export function StatusBadge({
  tone,
  children,
}: {
  tone: 'ok' | 'warn' | 'bad' | 'neutral';
  children: ReactNode;
}) {
  return <span className={`status-badge status-${tone}`}>{children}</span>;
}

export const registrationTone = {
  applied: 'neutral',
  approved: 'ok',
  suspended: 'warn',
  rejected: 'bad',
} as const;

/** Splits a comma- or line-separated field into its non-empty parts. */
export function listOf(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter(Boolean);
}
