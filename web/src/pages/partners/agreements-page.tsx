import { api } from '../../api/client';
import { partnerEndpoints, type Agreement } from '../../api/partners';
import { LoadState, Section, TableScroll, useLoad } from '../../components/common';
import { useI18n } from '../../i18n/i18n';
import { InternalLink, PartnersSubnav, StatusBadge } from './partner-common';

/** Officers: every agreement with a carrier, post or agency; carriers and posts lead to their compliance page. */
export default function AgreementsPage() {
  const { t, date } = useI18n();
  const agreements = useLoad(
    (signal) => api<{ agreements: Agreement[] }>('get', partnerEndpoints.agreements, { signal }),
    [],
  );
  return (
    <div className="partners-page">
      <div className="page-head">
        <h1>{t('partners.agreements.title')}</h1>
      </div>
      <PartnersSubnav current="agreements" />
      <Section title={t('partners.agreements.list')} id="agreements">
        <LoadState state={agreements}>
          {({ agreements: rows }) =>
            rows.length === 0 ? (
              <p className="muted">{t('partners.agreements.none')}</p>
            ) : (
              <TableScroll label={t('partners.agreements.list')}>
                <table className="dense">
                  <thead>
                    <tr>
                      <th scope="col">{t('partners.agreements.code')}</th>
                      <th scope="col">{t('partners.agreements.name')}</th>
                      <th scope="col">{t('partners.agreements.role')}</th>
                      <th scope="col">{t('partners.agreements.period')}</th>
                      <th scope="col">{t('partners.agreements.offices')}</th>
                      <th scope="col">{t('partners.agreements.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((agreement) => (
                      <tr key={agreement.organisationCode}>
                        <td className="mono">
                          {agreement.organisationRole === 'agency' ? (
                            agreement.organisationCode
                          ) : (
                            <InternalLink path={`/partners/carriers/${agreement.organisationCode}`}>
                              {agreement.organisationCode}
                            </InternalLink>
                          )}
                        </td>
                        <td>{agreement.name}</td>
                        <td>{t(`partners.role.${agreement.organisationRole}`)}</td>
                        <td>
                          {date(agreement.startsOn)} – {date(agreement.endsOn)}
                        </td>
                        <td>{agreement.offices.join(', ') || '–'}</td>
                        <td>
                          <StatusBadge tone={agreement.inForce ? 'ok' : 'bad'}>
                            {agreement.inForce
                              ? t('partners.agreements.inForce')
                              : t(`partners.agreements.status.${agreement.status}`)}
                          </StatusBadge>
                          {agreement.statusReason && (
                            <span className="muted small"> {agreement.statusReason}</span>
                          )}
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
