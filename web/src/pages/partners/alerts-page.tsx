import { useState, type FormEvent } from 'react';
import { api, fillPath } from '../../api/client';
import { alertCategories, partnerEndpoints, type Alert, type AlertCategory } from '../../api/partners';
import { LoadState, Section, TableScroll, useLoad } from '../../components/common';
import { useI18n } from '../../i18n/i18n';
import { ApiPicture, FormError, listOf, PartnersSubnav, StatusBadge } from './partner-common';

/**
 * Alerts and training material. Officers publish and see who read and acknowledged each one; a
 * carrier or post sees what is addressed to it (reading is recorded by the server) and acknowledges.
 */
export default function AlertsPage({ officer }: { officer: boolean }) {
  const { t } = useI18n();
  const alerts = useLoad(
    (signal) => api<{ alerts: Alert[] }>('get', partnerEndpoints.alerts, { signal }),
    [],
  );
  return (
    <div className="partners-page">
      <div className="page-head">
        <h1>{t('partners.alerts.title')}</h1>
      </div>
      {officer && <PartnersSubnav current="alerts" />}
      <div className="partner-grid">
        {officer && (
          <Section title={t('partners.alerts.publish')} id="publish-alert">
            <PublishAlertForm onPublished={alerts.reload} />
          </Section>
        )}
        <Section title={t('partners.alerts.list')} id="alerts">
          <LoadState state={alerts}>
            {({ alerts: rows }) =>
              rows.length === 0 ? (
                <p className="muted">{t('partners.alerts.none')}</p>
              ) : (
                rows.map((alert) => (
                  <AlertCard key={alert.id} alert={alert} officer={officer} onChanged={alerts.reload} />
                ))
              )
            }
          </LoadState>
        </Section>
      </div>
    </div>
  );
}

function AlertCard({ alert, officer, onChanged }: { alert: Alert; officer: boolean; onChanged(): void }) {
  const { t, dateTime } = useI18n();
  const [failure, setFailure] = useState<unknown>(null);
  const acknowledge = async () => {
    setFailure(null);
    try {
      await api('post', partnerEndpoints.alertAcknowledgement, { params: { id: alert.id } });
      onChanged();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <article className="alert-card" aria-labelledby={`alert-${alert.id}-title`}>
      <h3 id={`alert-${alert.id}-title`}>
        {t(`partners.alerts.kind.${alert.kind}`)} · {t(`partners.alerts.category.${alert.category}`)}:{' '}
        {alert.title}
      </h3>
      <p className="muted small">{t('partners.alerts.publishedAt', { at: dateTime(alert.publishedAt) })}</p>
      <p>{alert.body}</p>
      <dl className="facts compact">
        {alert.concealmentMethod && (
          <div>
            <dt>{t('partners.alerts.concealment')}</dt>
            <dd>{alert.concealmentMethod}</dd>
          </div>
        )}
        {alert.route && (
          <div>
            <dt>{t('partners.alerts.route')}</dt>
            <dd>{alert.route}</dd>
          </div>
        )}
        {officer && alert.caseReference && (
          <div>
            <dt>{t('partners.alerts.caseReference')}</dt>
            <dd>{alert.caseReference}</dd>
          </div>
        )}
        {officer && (alert.suspectNames?.length ?? 0) > 0 && (
          <div>
            <dt>{t('partners.alerts.suspects')}</dt>
            <dd>{alert.suspectNames!.join(', ')}</dd>
          </div>
        )}
        {officer && (
          <div>
            <dt>{t('partners.alerts.audience')}</dt>
            <dd>{alert.audience?.length ? alert.audience.join(', ') : t('partners.alerts.everyone')}</dd>
          </div>
        )}
      </dl>
      {alert.indicators.length > 0 && (
        <>
          <h4 className="small">{t('partners.alerts.indicators')}</h4>
          <ul className="reasons">
            {alert.indicators.map((indicator) => (
              <li key={indicator}>{indicator}</li>
            ))}
          </ul>
        </>
      )}
      {alert.pictures.map((picture) => (
        <ApiPicture
          key={picture.id}
          path={fillPath(partnerEndpoints.alertPicture, { id: alert.id, pictureId: picture.id })}
          alt={t('partners.alerts.picture', { title: alert.title })}
        />
      ))}
      {officer ? (
        <Receipts alert={alert} />
      ) : (
        <p>
          {alert.acknowledgedAt ? (
            <StatusBadge tone="ok">
              {t('partners.alerts.acknowledgedAt', { at: dateTime(alert.acknowledgedAt) })}
            </StatusBadge>
          ) : (
            <button type="button" className="primary" onClick={acknowledge}>
              {t('partners.alerts.acknowledge')}
            </button>
          )}
        </p>
      )}
      <FormError error={failure} />
    </article>
  );
}

function Receipts({ alert }: { alert: Alert }) {
  const { t, dateTime } = useI18n();
  const receipts = alert.receipts ?? [];
  if (receipts.length === 0) return <p className="muted small">{t('partners.alerts.noReaders')}</p>;
  const label = t('partners.alerts.readers', {
    read: receipts.length,
    acknowledged: receipts.filter((receipt) => receipt.acknowledgedAt).length,
  });
  return (
    <TableScroll label={label}>
      <table className="dense">
        <caption className="small">{label}</caption>
        <thead>
          <tr>
            <th scope="col">{t('partners.alerts.organisation')}</th>
            <th scope="col">{t('partners.alerts.readAt')}</th>
            <th scope="col">{t('partners.alerts.acknowledged')}</th>
          </tr>
        </thead>
        <tbody>
          {receipts.map((receipt) => (
            <tr key={receipt.accountId}>
              <td className="mono">{receipt.organisationCode}</td>
              <td>{dateTime(receipt.readAt)}</td>
              <td>{receipt.acknowledgedAt ? dateTime(receipt.acknowledgedAt) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function PublishAlertForm({ onPublished }: { onPublished(): void }) {
  const { t } = useI18n();
  const empty = {
    kind: 'alert' as 'alert' | 'training',
    category: 'narcotics' as AlertCategory,
    title: '',
    body: '',
    concealmentMethod: '',
    route: '',
    indicators: '',
    caseReference: '',
    suspectNames: '',
    audience: '',
  };
  const [form, setForm] = useState(empty);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [published, setPublished] = useState(false);
  const field = (name: keyof typeof empty) => ({
    id: `alert-${name}`,
    value: form[name],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setPublished(false);
    try {
      await api('post', partnerEndpoints.alerts, {
        body: {
          kind: form.kind,
          category: form.category,
          title: form.title,
          body: form.body,
          concealmentMethod: form.concealmentMethod || null,
          route: form.route || null,
          indicators: listOf(form.indicators),
          caseReference: form.caseReference || null,
          suspectNames: listOf(form.suspectNames),
          audience: listOf(form.audience).map((code) => code.toUpperCase()),
        },
      });
      setForm(empty);
      setPublished(true);
      onPublished();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="partner-form" onSubmit={submit}>
      <label htmlFor="alert-kind">{t('partners.alerts.kindLabel')}</label>
      <select {...field('kind')}>
        <option value="alert">{t('partners.alerts.kind.alert')}</option>
        <option value="training">{t('partners.alerts.kind.training')}</option>
      </select>
      <label htmlFor="alert-category">{t('partners.alerts.categoryLabel')}</label>
      <select {...field('category')}>
        {alertCategories.map((category) => (
          <option key={category} value={category}>
            {t(`partners.alerts.category.${category}`)}
          </option>
        ))}
      </select>
      <label htmlFor="alert-title">{t('partners.alerts.titleLabel')}</label>
      <input required maxLength={200} {...field('title')} />
      <label htmlFor="alert-body">{t('partners.alerts.body')}</label>
      <textarea required rows={3} {...field('body')} />
      <label htmlFor="alert-concealmentMethod">{t('partners.alerts.concealment')}</label>
      <input {...field('concealmentMethod')} />
      <label htmlFor="alert-route">{t('partners.alerts.route')}</label>
      <input {...field('route')} />
      <label htmlFor="alert-indicators">{t('partners.alerts.indicatorsHelp')}</label>
      <textarea rows={2} {...field('indicators')} />
      <label htmlFor="alert-audience">{t('partners.alerts.audienceHelp')}</label>
      <input {...field('audience')} />
      <fieldset>
        <legend>{t('partners.alerts.sensitive')}</legend>
        <label htmlFor="alert-caseReference">{t('partners.alerts.caseReference')}</label>
        <input {...field('caseReference')} />
        <label htmlFor="alert-suspectNames">{t('partners.alerts.suspects')}</label>
        <input {...field('suspectNames')} />
      </fieldset>
      <FormError error={failure} />
      {published && (
        <p className="notice notice-ok" role="status">
          {t('partners.alerts.published')}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {t('partners.alerts.publishButton')}
      </button>
    </form>
  );
}
