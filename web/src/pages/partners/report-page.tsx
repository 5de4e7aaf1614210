import { api } from '../../api/client';
import { partnerEndpoints, type SafetyHit, type SafetyReport } from '../../api/partners';
import { LoadState, Section, TableScroll, useLoad } from '../../components/common';
import { useI18n } from '../../i18n/i18n';
import { InternalLink, PartnersSubnav } from './partner-common';

/** One product-safety report and the parcels it hit (parcel details as far as the agency may see). */
export default function ReportPage({ reportId, officer }: { reportId: number; officer: boolean }) {
  const { t, date, dateTime, percent } = useI18n();
  const report = useLoad(
    (signal) => api<SafetyReport>('get', partnerEndpoints.safetyReport, { params: { id: reportId }, signal }),
    [reportId],
  );
  const hits = useLoad(
    (signal) =>
      api<{ hits: SafetyHit[] }>('get', partnerEndpoints.safetyReportHits, {
        params: { id: reportId },
        signal,
      }),
    [reportId],
  );
  return (
    <div className="partners-page">
      <div className="page-head">
        <InternalLink path="/partners/reports">{t('partners.reports.back')}</InternalLink>
        <h1>{t('partners.report.title', { id: reportId })}</h1>
      </div>
      {officer && <PartnersSubnav current="reports" />}
      <div className="partner-grid">
        <Section title={t('partners.report.details')} id="report">
          <LoadState state={report}>
            {(data) => (
              <dl className="facts">
                <div>
                  <dt>{t('partners.reports.product')}</dt>
                  <dd>{data.productName}</dd>
                </div>
                <div>
                  <dt>{t('partners.reports.hazard')}</dt>
                  <dd>{data.hazard}</dd>
                </div>
                {(
                  [
                    ['partners.reports.brand', data.brand],
                    ['partners.reports.model', data.model],
                    ['partners.reports.hsCode', data.hsCode],
                    ['partners.reports.sellerId', data.sellerId],
                    ['partners.reports.listingUrl', data.listingUrl],
                    ['partners.reports.recallReference', data.recallReference],
                  ] as const
                ).map(([label, value]) => (
                  <div key={label}>
                    <dt>{t(label)}</dt>
                    <dd>{value ?? '–'}</dd>
                  </div>
                ))}
                <div>
                  <dt>{t('partners.reports.agency')}</dt>
                  <dd>{data.agency}</dd>
                </div>
                <div>
                  <dt>{t('partners.reports.filedOn')}</dt>
                  <dd>{date(data.createdAt)}</dd>
                </div>
                <div>
                  <dt>{t('partners.report.lookBack')}</dt>
                  <dd>
                    {data.lookBackDone
                      ? t('partners.report.lookBackDone')
                      : t('partners.reports.lookingBack')}
                  </dd>
                </div>
              </dl>
            )}
          </LoadState>
        </Section>
        <Section title={t('partners.report.hits')} id="hits">
          <LoadState state={hits}>
            {({ hits: rows }) =>
              rows.length === 0 ? (
                <p className="muted">{t('partners.report.noHits')}</p>
              ) : (
                <TableScroll label={t('partners.report.hits')}>
                  <table className="dense">
                    <thead>
                      <tr>
                        <th scope="col">{t('partners.report.parcel')}</th>
                        <th scope="col">{t('partners.report.line')}</th>
                        <th scope="col">{t('partners.report.matchedOn')}</th>
                        <th scope="col" className="num">
                          {t('partners.report.score')}
                        </th>
                        <th scope="col">{t('partners.report.foundAt')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((hit) => (
                        <tr key={`${hit.parcelId}-${hit.line.number}-${hit.line.orderId ?? ''}`}>
                          <td className="mono">
                            {officer ? (
                              <InternalLink path={`/parcels/${hit.parcelId}`}>{hit.parcelId}</InternalLink>
                            ) : (
                              hit.parcelId
                            )}
                            {hit.trackingNumber && <div className="small">{hit.trackingNumber}</div>}
                            {hit.carrierCode && <div className="small muted">{hit.carrierCode}</div>}
                          </td>
                          <td>
                            {hit.line.text}
                            {hit.hsCode && <span className="muted small"> HS {hit.hsCode}</span>}
                          </td>
                          <td>
                            <ul className="chips">
                              {hit.matchedOn.map((basis) => (
                                <li key={basis}>{t(`partners.matchedOn.${basis as 'title'}`)}</li>
                              ))}
                            </ul>
                          </td>
                          <td className="num">{percent(hit.score, 0)}</td>
                          <td>{dateTime(hit.foundAt)}</td>
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
    </div>
  );
}
