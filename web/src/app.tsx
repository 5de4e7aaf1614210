import { lazy, Suspense, useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  hasApiKey,
  hasEndpoint,
  loadCapabilities,
  request,
  setCredentials,
  whenUnauthenticated,
} from './api/client';
import { endpoints } from './api/endpoints';
import type { Officer } from './api/types';
import { languages, useI18n, type Language } from './i18n/i18n';
import { navigate, parseRoute, useLocation } from './router';
import { LoginPage } from './pages/login-page';
import { QueuePage } from './pages/queue-page';
import { ParcelPage } from './pages/parcel-page';
import { useGlobalShortcuts } from './keyboard';
import {
  isOfficerPartnerRoute,
  OfficerPartnerPages,
  PartnerArea,
  SellerApplyPage,
} from './pages/partners/partner-area';

// The chart library is large; the pages that draw charts load it on first visit.
const DashboardPage = lazy(() => import('./pages/dashboard-page'));
const ModelsPage = lazy(() => import('./pages/models-page'));
const RulesPage = lazy(() => import('./pages/rules-page'));
const QuestionsPage = lazy(() => import('./pages/questions-page'));
const ConsumerCasesPage = lazy(() => import('./pages/consumer-cases-page'));
const AnalyticsPage = lazy(() => import('./pages/analytics-page'));
const EntityProfilePage = lazy(() => import('./pages/entity-profile-page'));

type Session =
  | { status: 'checking' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; officer: Officer | null; failedSignIns?: number };

export function App() {
  const { t, setLanguage } = useI18n();
  const location = useLocation();
  const route = parseRoute(location.pathname);
  const [session, setSession] = useState<Session>({ status: 'checking' });
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    whenUnauthenticated(() => {
      setCredentials({ apiKey: null, csrfToken: null });
      setSession({ status: 'signedOut' });
    });
    void (async () => {
      // Both at once: the first screen waits for one round trip, not two.
      const [, me] = await Promise.all([
        loadCapabilities(),
        request<Officer>('get', endpoints.me).then(
          (officer) => ({ officer }),
          (error: unknown) => ({ error }),
        ),
      ]);
      if (hasEndpoint('get', endpoints.me)) {
        if ('officer' in me) {
          if (me.officer.csrfToken) setCredentials({ csrfToken: me.officer.csrfToken });
          if (me.officer.language) setLanguage(me.officer.language);
          setSession({ status: 'signedIn', officer: me.officer });
        } else {
          // Neither a session cookie nor a held API key is valid: sign in again.
          setSession({ status: 'signedOut' });
        }
        return;
      }
      setSession(hasApiKey() ? { status: 'signedIn', officer: null } : { status: 'signedOut' });
    })();
  }, [setLanguage]);

  const signOut = useCallback(async () => {
    if (hasEndpoint('post', endpoints.logout)) await request('post', endpoints.logout).catch(() => undefined);
    setCredentials({ apiKey: null, csrfToken: null });
    setSession({ status: 'signedOut' });
  }, []);

  useGlobalShortcuts(session.status === 'signedIn', () => setHelpOpen((open) => !open));

  if (session.status === 'checking') return <p className="muted boot">{t('common.loading')}</p>;
  if (route.page === 'sellerApply')
    return (
      <Suspense fallback={<p className="muted boot">{t('common.loading')}</p>}>
        <SellerApplyPage signedIn={session.status === 'signedIn'} />
      </Suspense>
    );
  if (session.status === 'signedOut') {
    return (
      <LoginPage
        onSignedIn={(officer, failedSignIns) => {
          // The language chosen on the account, in whatever browser, replaces this browser's guess.
          if (officer?.language) setLanguage(officer.language);
          setSession({ status: 'signedIn', officer, failedSignIns });
        }}
      />
    );
  }
  // Carriers, posts, agencies and sellers sign in to the partner area, which shows only their own.
  if (session.officer?.kind === 'organisation')
    return (
      <PartnerArea
        me={session.officer}
        route={route}
        languageSwitch={<LanguageSwitch />}
        onSignOut={signOut}
      />
    );

  return (
    <div className="shell">
      <a className="skip" href="#content">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <a
          className="brand"
          href="/queue"
          onClick={(event) => {
            event.preventDefault();
            navigate('/queue');
          }}
        >
          <img src="/icon.svg" alt="" width="28" height="28" />
          <span>{t('app.name')}</span>
        </a>
        <nav aria-label={t('nav.main')}>
          <NavLink
            path="/queue"
            active={route.page === 'queue' || route.page === 'parcel'}
            label={t('nav.queue')}
          />
          <NavLink path="/rules" active={route.page === 'rules'} label={t('nav.rules')} />
          <NavLink path="/models" active={route.page === 'models'} label={t('nav.models')} />
          <NavLink path="/dashboard" active={route.page === 'dashboard'} label={t('nav.dashboard')} />
          <NavLink path="/questions" active={route.page === 'questions'} label={t('nav.questions')} />
          <NavLink
            path="/partners/agreements"
            active={isOfficerPartnerRoute(route)}
            label={t('nav.partners')}
          />
          <NavLink path="/consumer-cases" active={route.page === 'consumerCases'} label={t('nav.cases')} />
          <NavLink
            path="/analytics"
            active={route.page === 'analytics' || route.page === 'entityProfile'}
            label={t('nav.analytics')}
          />
        </nav>
        <OpenParcel />
        <LanguageSwitch />
        {session.officer && (
          <span className="officer" title={session.officer.roles.join(', ')}>
            {session.officer.name ?? session.officer.accountId}
          </span>
        )}
        <button type="button" className="quiet" onClick={signOut}>
          {t('nav.signOut')}
        </button>
      </header>
      <main id="content" tabIndex={-1}>
        {session.failedSignIns ? (
          <p className="notice notice-error" role="alert">
            {t('login.failedSince', { count: session.failedSignIns })}{' '}
            <button
              type="button"
              className="link"
              onClick={() => setSession({ ...session, failedSignIns: 0 })}
            >
              {t('common.close')}
            </button>
          </p>
        ) : null}
        <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
          {route.page === 'queue' && <QueuePage />}
          {route.page === 'parcel' && <ParcelPage parcelId={route.parcelId} />}
          {route.page === 'rules' && <RulesPage />}
          {route.page === 'models' && <ModelsPage />}
          {route.page === 'dashboard' && <DashboardPage />}
          {route.page === 'questions' && <QuestionsPage />}
          {route.page === 'analytics' && <AnalyticsPage />}
          {route.page === 'entityProfile' && (
            <EntityProfilePage key={`${route.kind}:${route.key}`} kind={route.kind} entityKey={route.key} />
          )}
          {route.page === 'consumerCases' && <ConsumerCasesPage />}
          {isOfficerPartnerRoute(route) && <OfficerPartnerPages route={route} />}
          {(route.page === 'notFound' || route.page === 'login' || route.page === 'ownSeller') && (
            <QueueRedirect />
          )}
        </Suspense>
      </main>
      {helpOpen && (
        <div className="help" role="dialog" aria-modal="false" aria-labelledby="help-title">
          <h2 id="help-title">{t('help.title')}</h2>
          <p>{t('help.body')}</p>
          <button type="button" onClick={() => setHelpOpen(false)}>
            {t('common.close')}
          </button>
        </div>
      )}
    </div>
  );
}

function QueueRedirect() {
  useEffect(() => navigate('/queue', { replace: true }), []);
  return null;
}

function NavLink({ path, active, label }: { path: string; active: boolean; label: string }) {
  return (
    <a
      href={path}
      aria-current={active ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        navigate(path);
      }}
    >
      {label}
    </a>
  );
}

/** Opens a parcel by its id or, as officers usually know it, by its tracking number (S10 id, house waybill). */
function OpenParcel() {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const [notFound, setNotFound] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const typed = value.trim();
    if (!typed) return;
    let id: number | undefined = /^\d+$/.test(typed) ? Number(typed) : undefined;
    if (id === undefined && hasEndpoint('get', endpoints.parcelSearch)) {
      const found = await request<{ items: { id: number }[] }>('get', endpoints.parcelSearch, {
        query: { trackingNumber: typed },
      }).catch(() => ({ items: [] }));
      id = found.items.at(-1)?.id; // the latest, when carriers reuse a house waybill
    }
    if (id === undefined) {
      setNotFound(typed);
      return;
    }
    // Leave the field so that the parcel's action keys work at once.
    form.querySelector('input')?.blur();
    setValue('');
    setNotFound(null);
    navigate(`/parcels/${id}`);
  };
  return (
    <form className="open-parcel" role="search" onSubmit={submit}>
      <label htmlFor="open-parcel" className="visually-hidden">
        {t('nav.openParcel')}
      </label>
      <input
        id="open-parcel"
        placeholder={t('nav.openParcelPlaceholder')}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        aria-describedby="open-parcel-status"
      />
      <button type="submit">{t('nav.go')}</button>
      <span id="open-parcel-status" className="open-parcel-status" role="status">
        {notFound ? t('nav.parcelNotFound', { number: notFound }) : ''}
      </span>
    </form>
  );
}

/** Switches the console's language and stores the choice on the account, for every browser and for mails. */
function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  const choose = (next: Language) => {
    setLanguage(next);
    if (hasEndpoint('put', endpoints.myLanguage))
      // A failure leaves the choice in this browser only; the switch itself has already happened.
      void request('put', endpoints.myLanguage, { body: { language: next } }).catch(() => undefined);
  };
  return (
    <label className="language">
      <span className="visually-hidden">{t('nav.language')}</span>
      <select
        value={language}
        onChange={(event) => choose(event.target.value as Language)}
        aria-label={t('nav.language')}
      >
        {Object.entries(languages).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
