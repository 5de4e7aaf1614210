import { useState } from 'react';
import { api } from '../../api/client';
import { partnerEndpoints, type Registration, type RegistrationStatus } from '../../api/partners';
import { LoadState, Section, TableScroll, useLoad } from '../../components/common';
import { useI18n } from '../../i18n/i18n';
import { InternalLink, PartnersSubnav, registrationTone, StatusBadge } from './partner-common';

const statuses: RegistrationStatus[] = ['applied', 'approved', 'suspended', 'rejected'];

/** Officers: foreign online sellers' registrations, the applications to decide first. */
export default function SellersPage() {
  const { t, date } = useI18n();
  const [status, setStatus] = useState<RegistrationStatus | ''>('applied');
  const registrations = useLoad(
    (signal) =>
      api<{ registrations: Registration[] }>('get', partnerEndpoints.registrations, {
        query: { status: status || undefined },
        signal,
      }),
    [status],
  );
  return (
    <div className="partners-page">
      <div className="page-head">
        <h1>{t('partners.sellers.title')}</h1>
        <label>
          {t('partners.sellers.status')}{' '}
          <select
            value={status}
            onChange={(event) => setStatus(event.target.value as RegistrationStatus | '')}
          >
            <option value="">{t('partners.sellers.all')}</option>
            {statuses.map((value) => (
              <option key={value} value={value}>
                {t(`partners.registration.${value}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PartnersSubnav current="sellers" />
      <Section title={t('partners.sellers.list')} id="registrations">
        <LoadState state={registrations}>
          {({ registrations: rows }) =>
            rows.length === 0 ? (
              <p className="muted">{t('partners.sellers.none')}</p>
            ) : (
              <TableScroll label={t('partners.sellers.list')}>
                <table className="dense">
                  <thead>
                    <tr>
                      <th scope="col">{t('partners.sellers.number')}</th>
                      <th scope="col">{t('partners.sellers.legalName')}</th>
                      <th scope="col">{t('partners.sellers.country')}</th>
                      <th scope="col">{t('partners.sellers.marketplaces')}</th>
                      <th scope="col">{t('partners.sellers.appliedOn')}</th>
                      <th scope="col">{t('partners.sellers.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((registration) => (
                      <tr key={registration.id}>
                        <td className="mono">
                          <InternalLink path={`/partners/sellers/${registration.id}`}>
                            {registration.registrationNumber}
                          </InternalLink>
                        </td>
                        <td>{registration.legalName}</td>
                        <td>{registration.country}</td>
                        <td>{registration.marketplaces.join(', ')}</td>
                        <td>{date(registration.createdAt)}</td>
                        <td>
                          <StatusBadge tone={registrationTone[registration.status]}>
                            {t(`partners.registration.${registration.status}`)}
                          </StatusBadge>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )
          }
        </LoadState>
      </Section>
    </div>
  );
}
