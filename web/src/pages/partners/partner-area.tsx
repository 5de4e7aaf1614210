import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import type { Officer } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { navigate, type Route } from '../../router';
import { InternalLink } from './partner-common';

const AgreementsPage = lazy(() => import('./agreements-page'));
const AlertsPage = lazy(() => import('./alerts-page'));
const CarrierPage = lazy(() => import('./carrier-page'));
const ReportsPage = lazy(() => import('./reports-page'));
const ReportPage = lazy(() => import('./report-page'));
const SellersPage = lazy(() => import('./sellers-page'));
const SellerPage = lazy(() => import('./seller-page'));
export const SellerApplyPage = lazy(() => import('./seller-apply-page'));

type PartnerPage = Extract<Route['page'], `partner${string}`>;

export function isOfficerPartnerRoute(route: Route): route is Extract<Route, { page: PartnerPage }> {
  return route.page.startsWith('partner');
}

/** The officers' partner pages (agreements, alerts, carriers, product safety, sellers). */
export function OfficerPartnerPages({ route }: { route: Extract<Route, { page: PartnerPage }> }) {
  switch (route.page) {
    case 'partnerAgreements':
      return <AgreementsPage />;
    case 'partnerAlerts':
      return <AlertsPage officer />;
    case 'partnerCarrier':
      return <CarrierPage code={route.code} officer />;
    case 'partnerReports':
      return <ReportsPage officer />;
    case 'partnerReport':
      return <ReportPage reportId={route.reportId} officer />;
    case 'partnerSellers':
      return <SellersPage />;
    case 'partnerSeller':
      return <SellerPage registrationId={route.registrationId} />;
  }
}

interface PartnerLink {
  path: string;
  label: MessageKey;
  matches(route: Route): boolean;
}

/** What each kind of organisation may open: its own things only; the first link is its home. */
function linksOf(role: string, organisation: string): PartnerLink[] {
  switch (role) {
    case 'carrier':
    case 'postal_operator':
      return [
        {
          path: '/partners/alerts',
          label: 'partners.nav.alerts',
          matches: (route) => route.page === 'partnerAlerts',
        },
        {
          path: `/partners/carriers/${organisation}`,
          label: 'partners.nav.compliance',
          matches: (route) => route.page === 'partnerCarrier' && route.code === organisation,
        },
      ];
    case 'agency':
      return [
        {
          path: '/partners/reports',
          label: 'partners.nav.reports',
          matches: (route) => route.page === 'partnerReports' || route.page === 'partnerReport',
        },
      ];
    case 'seller':
      return [
        { path: '/seller', label: 'partners.nav.ownSeller', matches: (route) => route.page === 'ownSeller' },
      ];
    default:
      return [];
  }
}

/**
 * The partner area for a signed-in carrier, post, agency or seller: its own pages only, with the
 * officers' navigation left out. Any other address leads back to the organisation's first page.
 */
export function PartnerArea({
  me,
  route,
  languageSwitch,
  onSignOut,
}: {
  me: Officer;
  route: Route;
  languageSwitch: ReactNode;
  onSignOut(): void;
}) {
  const { t } = useI18n();
  const role = me.roles[0] ?? '';
  const organisation = (me.organisation ?? '').toUpperCase();
  const links = linksOf(role, organisation);
  const current = links.find((link) => link.matches(route));
  return (
    <div className="shell">
      <a className="skip" href="#content">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <span className="brand">
          <img src="/icon.svg" alt="" width="28" height="28" />
          <span>{t('partners.area')}</span>
        </span>
        <nav aria-label={t('nav.main')}>
          {links.map((link) => (
            <InternalLink key={link.path} path={link.path} current={link === current}>
              {t(link.label)}
            </InternalLink>
          ))}
        </nav>
        {languageSwitch}
        <span className="officer" title={t(`partners.role.${role as 'carrier'}`)}>
          {me.name ?? organisation}
        </span>
        <button type="button" className="quiet" onClick={onSignOut}>
          {t('nav.signOut')}
        </button>
      </header>
      <main id="content" tabIndex={-1}>
        <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
          {current ? <OwnPage route={route} /> : <GoHome path={links[0]?.path} />}
        </Suspense>
      </main>
    </div>
  );
}

function OwnPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'partnerAlerts':
      return <AlertsPage officer={false} />;
    case 'partnerCarrier':
      return <CarrierPage code={route.code} officer={false} />;
    case 'partnerReports':
      return <ReportsPage officer={false} />;
    case 'partnerReport':
      return <ReportPage reportId={route.reportId} officer={false} />;
    case 'ownSeller':
      return <SellerPage />;
    default:
      return null;
  }
}

function GoHome({ path }: { path: string | undefined }) {
  const { t } = useI18n();
  useEffect(() => {
    if (path) navigate(path, { replace: true });
  }, [path]);
  return path ? null : <p className="muted">{t('partners.noPages')}</p>;
}
