import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { partnerEndpoints, type RegistrationStatus, type SellerPage as SellerFile } from '../../api/partners';
import { LoadState, Section, TableScroll, useLoad } from '../../components/common';
import { useI18n } from '../../i18n/i18n';
import { FormError, InternalLink, PartnersSubnav, registrationTone, StatusBadge } from './partner-common';

type Decision = Exclude<RegistrationStatus, 'applied'>;

/** Which decision may follow which status (the server's rule, so that only possible buttons show). */
const nextDecisions: Record<RegistrationStatus, Decision[]> = {
  applied: ['approved', 'rejected'],
  approved: ['suspended'],
  suspended: ['approved'],
  rejected: ['approved'],
};

/**
 * One seller's page: registration, decisions and history (parcels, orders, inspections, violations,
 * product-safety hits). Officers open it by id and decide; a signed-in seller sees its own (no id).
 */
export default function SellerPage({ registrationId }: { registrationId?: number }) {
  const { t } = useI18n();
  const officer = registrationId !== undefined;
  const file = useLoad(
    (signal) =>
      officer
        ? api<SellerFile>('get', partnerEndpoints.registration, { params: { id: registrationId }, signal })
        : api<SellerFile>('get', partnerEndpoints.ownRegistration, { signal }),
    [registrationId],
  );
  return (
    <div className="partners-page">
      <div className="page-head">
        {officer && <InternalLink path="/partners/sellers">{t('partners.sellers.back')}</InternalLink>}
        <h1>{officer ? t('partners.seller.title') : t('partners.seller.ownTitle')}</h1>
      </div>
      {officer && <PartnersSubnav current="sellers" />}
      <LoadState state={file}>
        {(data) => <SellerFileView data={data} officer={officer} onDecided={file.reload} />}
      </LoadState>
    </div>
  );
}

function SellerFileView({
  data,
  officer,
  onDecided,
}: {
  data: SellerFile;
  officer: boolean;
  onDecided(): void;
}) {
  const { t, date, dateTime } = useI18n();
  const registration = data.registration;
  return (
    <div className="partner-grid">
      <Section title={t('partners.seller.registration')} id="registration">
        <p>
          <span className="mono">{registration.registrationNumber}</span>{' '}
          <StatusBadge tone={registrationTone[registration.status]}>
            {t(`partners.registration.${registration.status}`)}
          </StatusBadge>
        </p>
        <dl className="facts">
          <div>
            <dt>{t('partners.sellers.legalName')}</dt>
            <dd>{registration.legalName}</dd>
          </div>
          <div>
            <dt>{t('partners.sellers.country')}</dt>
            <dd>{registration.country}</dd>
          </div>
          <div>
            <dt>{t('partners.seller.address')}</dt>
            <dd>
              {[registration.address.street, registration.address.city, registration.address.postcode]
                .filter(Boolean)
                .join(', ')}
            </dd>
          </div>
          <div>
            <dt>{t('partners.sellers.marketplaces')}</dt>
            <dd>{registration.marketplaces.join(', ')}</dd>
          </div>
          <div>
            <dt>{t('partners.seller.contact')}</dt>
            <dd>{registration.contact.email ?? '–'}</dd>
          </div>
          <div>
            <dt>{t('partners.seller.documents')}</dt>
            <dd>{registration.documents.join(', ') || '–'}</dd>
          </div>
          <div>
            <dt>{t('partners.sellers.appliedOn')}</dt>
            <dd>{date(registration.createdAt)}</dd>
          </div>
        </dl>
        <h3>{t('partners.seller.decisions')}</h3>
        {data.decisions.length === 0 ? (
          <p className="muted">{t('partners.seller.noDecision')}</p>
        ) : (
          <ol className="reasons">
            {data.decisions.map((decision) => (
              <li key={decision.decidedAt}>
                {dateTime(decision.decidedAt)}:{' '}
                <strong>{t(`partners.registration.${decision.decision as Decision}`)}</strong>
                {decision.reason && <> · {decision.reason}</>}
                {officer && <span className="muted small"> ({decision.decidedBy})</span>}
              </li>
            ))}
          </ol>
        )}
        {officer && (
          <DecisionForm
            registrationId={registration.id}
            allowed={nextDecisions[registration.status]}
            onDecided={onDecided}
          />
        )}
      </Section>
      <Section title={t('partners.seller.history')} id="history">
        <dl className="facts compact">
          <div>
            <dt>{t('partners.seller.parcels')}</dt>
            <dd>{data.parcels.length}</dd>
          </div>
          <div>
            <dt>{t('partners.seller.orders')}</dt>
            <dd>{data.orders.length}</dd>
          </div>
          <div>
            <dt>{t('partners.seller.inspected')}</dt>
            <dd>{data.inspections.inspected}</dd>
          </div>
          <div>
            <dt>{t('partners.seller.violations')}</dt>
            <dd>{data.inspections.violations}</dd>
          </div>
          <div>
            <dt>{t('partners.seller.hits')}</dt>
            <dd>{data.hits.length}</dd>
          </div>
        </dl>
        <h3>{t('partners.seller.parcels')}</h3>
        {data.parcels.length === 0 ? (
          <p className="muted">{t('partners.seller.noParcels')}</p>
        ) : (
          <TableScroll label={t('partners.seller.parcels')}>
            <table className="dense">
              <thead>
                <tr>
                  <th scope="col">{t('partners.seller.tracking')}</th>
                  <th scope="col">{t('partners.seller.carrier')}</th>
                  <th scope="col">{t('partners.seller.received')}</th>
                  <th scope="col">{t('partners.seller.inspection')}</th>
                </tr>
              </thead>
              <tbody>
                {data.parcels.map((parcel) => (
                  <tr key={parcel.id} className={parcel.fraud ? 'mismatch' : undefined}>
                    <td className="mono">
                      {officer ? (
                        <InternalLink path={`/parcels/${parcel.id}`}>{parcel.trackingNumber}</InternalLink>
                      ) : (
                        parcel.trackingNumber
                      )}
                    </td>
                    <td>{parcel.carrierCode}</td>
                    <td>{dateTime(parcel.receivedAt)}</td>
                    <td>
                      {!parcel.inspected
                        ? '–'
                        : parcel.fraud
                          ? t('partners.seller.violation')
                          : t('partners.seller.inspectedClean')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {data.orders.length > 0 && (
          <>
            <h3>{t('partners.seller.orders')}</h3>
            <TableScroll label={t('partners.seller.orders')}>
              <table className="dense">
                <thead>
                  <tr>
                    <th scope="col">{t('partners.seller.orderNumber')}</th>
                    <th scope="col">{t('partners.seller.product')}</th>
                    <th scope="col">{t('partners.seller.orderedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.orders.map((order) => (
                    <tr key={order.id}>
                      <td className="mono">{order.orderNumber}</td>
                      <td>{order.productTitle}</td>
                      <td>{dateTime(order.orderedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </>
        )}
        {data.hits.length > 0 && (
          <>
            <h3>{t('partners.seller.hits')}</h3>
            <ul className="reasons">
              {data.hits.map((hit) => (
                <li key={`${hit.reportId}-${hit.parcelId}-${hit.line}`}>
                  {officer ? (
                    <InternalLink path={`/partners/reports/${hit.reportId}`}>
                      {t('partners.report.title', { id: hit.reportId })}
                    </InternalLink>
                  ) : (
                    t('partners.report.title', { id: hit.reportId })
                  )}
                  : {hit.line}
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>
    </div>
  );
}

function DecisionForm({
  registrationId,
  allowed,
  onDecided,
}: {
  registrationId: number;
  allowed: Decision[];
  onDecided(): void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const decide = async (event: FormEvent, decision: Decision) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await api('post', partnerEndpoints.registrationDecision, {
        params: { id: registrationId },
        body: { decision, reason: reason.trim() || null },
      });
      setReason('');
      onDecided();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="partner-form"
      onSubmit={(event) => event.preventDefault()}
      aria-labelledby="decide-title"
    >
      <h3 id="decide-title">{t('partners.seller.decide')}</h3>
      <label htmlFor="decision-reason">{t('partners.seller.reason')}</label>
      <textarea
        id="decision-reason"
        rows={2}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        aria-describedby="decision-reason-help"
      />
      <p id="decision-reason-help" className="muted small">
        {t('partners.seller.reasonHelp')}
      </p>
      <FormError error={failure} />
      <div className="row-actions">
        {allowed.map((decision) => (
          <button
            key={decision}
            type="button"
            className={decision === 'approved' ? 'primary' : undefined}
            disabled={busy}
            onClick={(event) => decide(event, decision)}
          >
            {t(`partners.seller.action.${decision}`)}
          </button>
        ))}
      </div>
    </form>
  );
}
