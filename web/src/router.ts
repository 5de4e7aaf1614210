import { useSyncExternalStore } from 'react';

/** A few routes need no router library: the path is the state, pushState changes it, popstate restores it. */
export type Route =
  | { page: 'login' }
  | { page: 'queue' }
  | { page: 'parcel'; parcelId: number }
  | { page: 'rules' }
  | { page: 'models' }
  | { page: 'dashboard' }
  | { page: 'questions' }
  | { page: 'partnerAgreements' }
  | { page: 'partnerAlerts' }
  | { page: 'partnerCarrier'; code: string }
  | { page: 'partnerReports' }
  | { page: 'partnerReport'; reportId: number }
  | { page: 'partnerSellers' }
  | { page: 'partnerSeller'; registrationId: number }
  | { page: 'ownSeller' }
  | { page: 'sellerApply' }
  | { page: 'consumerCases' }
  | { page: 'analytics' }
  | { page: 'entityProfile'; kind: 'seller' | 'pccc'; key: string }
  | { page: 'notFound' };

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/queue') return { page: 'queue' };
  if (path === '/login') return { page: 'login' };
  if (path === '/rules') return { page: 'rules' };
  if (path === '/models') return { page: 'models' };
  if (path === '/dashboard') return { page: 'dashboard' };
  if (path === '/questions') return { page: 'questions' };
  if (path === '/consumer-cases') return { page: 'consumerCases' };
  if (path === '/analytics') return { page: 'analytics' };
  const profile = /^\/analytics\/(sellers|pccc)\/([^/]{1,100})$/.exec(path);
  if (profile)
    return {
      page: 'entityProfile',
      kind: profile[1] === 'sellers' ? 'seller' : 'pccc',
      key: decodeURIComponent(profile[2]!),
    };
  const parcel = /^\/parcels\/(\d+)$/.exec(path);
  if (parcel) return { page: 'parcel', parcelId: Number(parcel[1]) };
  return parsePartnerRoute(path) ?? { page: 'notFound' };
}

/** The partner area: officers' partner pages, and carriers', agencies' and sellers' own. */
function parsePartnerRoute(path: string): Route | undefined {
  if (path === '/partners' || path === '/partners/agreements') return { page: 'partnerAgreements' };
  if (path === '/partners/alerts') return { page: 'partnerAlerts' };
  if (path === '/partners/reports') return { page: 'partnerReports' };
  if (path === '/partners/sellers') return { page: 'partnerSellers' };
  if (path === '/seller') return { page: 'ownSeller' };
  if (path === '/seller/apply') return { page: 'sellerApply' };
  const carrier = /^\/partners\/carriers\/([A-Za-z0-9_-]{2,40})$/.exec(path);
  if (carrier) return { page: 'partnerCarrier', code: carrier[1]!.toUpperCase() };
  const report = /^\/partners\/reports\/(\d+)$/.exec(path);
  if (report) return { page: 'partnerReport', reportId: Number(report[1]) };
  const seller = /^\/partners\/sellers\/(\d+)$/.exec(path);
  if (seller) return { page: 'partnerSeller', registrationId: Number(seller[1]) };
  return undefined;
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribe, () => location.pathname + location.search);
  const url = new URL(href, location.origin);
  return { pathname: url.pathname, search: url.search };
}
