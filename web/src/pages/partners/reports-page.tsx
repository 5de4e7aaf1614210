import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { partnerEndpoints, type SafetyReport } from '../../api/partners';
import { LoadState, Section, TableScroll, useLoad } from '../../components/common';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { navigate } from '../../router';
import { FormError, InternalLink, PartnersSubnav } from './partner-common';

/**
 * Product-safety reports with their hit counts: an agency files reports (a form, or a CSV file of one
 * report per row) and sees its own; officers see every agency's.
 */
export default function ReportsPage({ officer }: { officer: boolean }) {
  const { t, date, number } = useI18n();
  const reports = useLoad(
    (signal) => api<{ reports: SafetyReport[] }>('get', partnerEndpoints.safetyReports, { signal }),
    [],
  );
  return (
    <div className="partners-page">
      <div className="page-head">
        <h1>{t('partners.reports.title')}</h1>
      </div>
      {officer && <PartnersSubnav current="reports" />}
      <div className="partner-grid">
        {!officer && (
          <Section title={t('partners.reports.file')} id="file-report">
            <FileReportForm onFiled={reports.reload} />
            <UploadReports onFiled={reports.reload} />
          </Section>
        )}
        <Section title={t('partners.reports.list')} id="reports">
          <LoadState state={reports}>
            {({ reports: rows }) =>
              rows.length === 0 ? (
                <p className="muted">{t('partners.reports.none')}</p>
              ) : (
                <TableScroll label={t('partners.reports.list')}>
                  <table className="dense">
                    <thead>
                      <tr>
                        <th scope="col">{t('partners.reports.product')}</th>
                        {officer && <th scope="col">{t('partners.reports.agency')}</th>}
                        <th scope="col">{t('partners.reports.hazard')}</th>
                        <th scope="col">{t('partners.reports.filedOn')}</th>
                        <th scope="col" className="num">
                          {t('partners.reports.hits')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((report) => (
                        <tr key={report.id}>
                          <td>
                            <InternalLink path={`/partners/reports/${report.id}`}>
                              {report.productName}
                            </InternalLink>
                            {(report.brand || report.model) && (
                              <span className="muted small">
                                {' '}
                                {[report.brand, report.model].filter(Boolean).join(' · ')}
                              </span>
                            )}
                          </td>
                          {officer && <td className="mono">{report.agency}</td>}
                          <td>{report.hazard}</td>
                          <td>{date(report.createdAt)}</td>
                          <td className="num">
                            {number(report.hits ?? 0, 0)}
                            {!report.lookBackDone && (
                              <span className="muted small"> {t('partners.reports.lookingBack')}</span>
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
    </div>
  );
}

const reportFields = [
  ['productName', 'partners.reports.product', true],
  ['hazard', 'partners.reports.hazard', true],
  ['brand', 'partners.reports.brand', false],
  ['model', 'partners.reports.model', false],
  ['hsCode', 'partners.reports.hsCode', false],
  ['sellerId', 'partners.reports.sellerId', false],
  ['listingUrl', 'partners.reports.listingUrl', false],
  ['recallReference', 'partners.reports.recallReference', false],
] as const satisfies readonly (readonly [string, MessageKey, boolean])[];
type ReportField = (typeof reportFields)[number][0];

function FileReportForm({ onFiled }: { onFiled(): void }) {
  const { t } = useI18n();
  const empty = Object.fromEntries(reportFields.map(([name]) => [name, ''])) as Record<ReportField, string>;
  const [form, setForm] = useState(empty);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const body = Object.fromEntries(
        Object.entries(form).map(([name, value]) => [name, value.trim() === '' ? null : value.trim()]),
      );
      const { id } = await api<{ id: number }>('post', partnerEndpoints.safetyReports, { body });
      setForm(empty);
      onFiled();
      navigate(`/partners/reports/${id}`);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="partner-form" onSubmit={submit}>
      {reportFields.map(([name, label, required]) => (
        <div key={name} className="partner-form">
          <label htmlFor={`report-${name}`}>
            {t(label)}
            {required ? ' *' : ''}
          </label>
          {name === 'hazard' ? (
            <textarea
              id={`report-${name}`}
              rows={2}
              required
              value={form[name]}
              onChange={(event) => setForm({ ...form, [name]: event.target.value })}
            />
          ) : (
            <input
              id={`report-${name}`}
              required={required}
              type={name === 'listingUrl' ? 'url' : 'text'}
              value={form[name]}
              onChange={(event) => setForm({ ...form, [name]: event.target.value })}
            />
          )}
        </div>
      ))}
      <FormError error={failure} />
      <button type="submit" className="primary" disabled={busy}>
        {t('partners.reports.fileButton')}
      </button>
    </form>
  );
}

function UploadReports({ onFiled }: { onFiled(): void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [filed, setFiled] = useState<number | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setFailure(null);
    setFiled(null);
    try {
      const answer = await api<{ reports: { id: number; created: boolean }[] }>(
        'post',
        partnerEndpoints.safetyReports,
        { rawBody: { content: await file.text(), type: 'text/csv' } },
      );
      setFiled(answer.reports.length);
      onFiled();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <form className="partner-form" onSubmit={submit} aria-labelledby="reports-csv-title">
      <h3 id="reports-csv-title">{t('partners.reports.csv')}</h3>
      <label htmlFor="reports-file">{t('partners.reports.csvFile')}</label>
      <input
        id="reports-file"
        type="file"
        accept=".csv,text/csv"
        required
        aria-describedby="reports-file-help"
        onChange={(event) => setFile(event.target.files?.[0] ?? null)}
      />
      <p id="reports-file-help" className="muted small">
        <code>productName,hazard,brand,model,hsCode,sellerId,listingUrl,recallReference</code>
      </p>
      <FormError error={failure} />
      {filed !== null && (
        <p className="notice notice-ok" role="status">
          {t('partners.reports.filedCount', { count: filed })}
        </p>
      )}
      <button type="submit" disabled={!file}>
        {t('partners.reports.csvButton')}
      </button>
    </form>
  );
}
