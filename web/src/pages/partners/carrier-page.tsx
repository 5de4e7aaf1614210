import { useMemo, useState, type FormEvent } from 'react';
import { api, fillPath } from '../../api/client';
import {
  partnerEndpoints,
  recentQuarters,
  type ComplianceEvaluation,
  type ComplianceTrend,
  type InspectionComparison,
} from '../../api/partners';
import { Chart, palette } from '../../components/chart';
import { LoadState, Section, TableScroll, useLoad } from '../../components/common';
import { useI18n } from '../../i18n/i18n';
import { downloadFile, FormError, InternalLink, PartnersSubnav, StatusBadge } from './partner-common';

const levelTone = { low: 'ok', medium: 'warn', high: 'bad' } as const;

/**
 * One carrier's compliance: the quarter's indicators with their evidence, the trend, and its own
 * inspection figures beside customs' (differences highlighted). Officers reach it from the agreements;
 * the carrier itself sees only its own, uploads its figures (CSV) and downloads the report.
 */
export default function CarrierPage({ code, officer }: { code: string; officer: boolean }) {
  const { t, language } = useI18n();
  const quarters = useMemo(() => recentQuarters(8), []);
  const [period, setPeriod] = useState(quarters[0]!);
  const params = { code };
  const evaluation = useLoad(
    (signal) =>
      api<ComplianceEvaluation>('get', partnerEndpoints.compliance, {
        params,
        query: { period, lang: language },
        signal,
      }),
    [code, period, language],
  );
  const trend = useLoad(
    (signal) =>
      api<ComplianceTrend>('get', partnerEndpoints.complianceTrend, {
        params,
        query: { period, quarters: 6 },
        signal,
      }),
    [code, period],
  );
  const figures = useLoad(
    (signal) =>
      api<InspectionComparison>('get', partnerEndpoints.inspectionReports, {
        params,
        query: { period },
        signal,
      }),
    [code, period],
  );
  const [downloadFailure, setDownloadFailure] = useState<unknown>(null);
  const download = () => {
    setDownloadFailure(null);
    const query = new URLSearchParams({ period, lang: language });
    downloadFile(
      `${fillPath(partnerEndpoints.complianceReport, params)}?${query}`,
      `compliance-${code}-${period}-${language}.csv`,
    ).catch(setDownloadFailure);
  };
  return (
    <div className="partners-page">
      <div className="page-head">
        <h1>{t('partners.carrier.title', { code })}</h1>
        <label>
          {t('partners.carrier.period')}{' '}
          <select value={period} onChange={(event) => setPeriod(event.target.value)}>
            {quarters.map((quarter) => (
              <option key={quarter} value={quarter}>
                {quarter}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={download}>
          {t('partners.carrier.download')}
        </button>
      </div>
      {officer && <PartnersSubnav current="agreements" />}
      <FormError error={downloadFailure} />
      <div className="partner-grid">
        <Section title={t('partners.carrier.compliance')} id="compliance">
          <LoadState state={evaluation}>{(data) => <Evaluation data={data} officer={officer} />}</LoadState>
        </Section>
        <Section title={t('partners.carrier.trend')} id="trend">
          <LoadState state={trend}>{(data) => <TrendChart data={data} />}</LoadState>
        </Section>
        <Section title={t('partners.carrier.figures')} id="figures">
          <LoadState state={figures}>{(data) => <FiguresSideBySide data={data} />}</LoadState>
        </Section>
        {!officer && (
          <Section title={t('partners.carrier.upload')} id="upload">
            <UploadFigures
              code={code}
              onUploaded={() => {
                figures.reload();
                evaluation.reload();
                trend.reload();
              }}
            />
          </Section>
        )}
      </div>
    </div>
  );
}

function Evaluation({ data, officer }: { data: ComplianceEvaluation; officer: boolean }) {
  const { t, percent, number } = useI18n();
  return (
    <>
      <p className="big-number">
        {data.score === null ? '–' : number(data.score, 0)}{' '}
        <StatusBadge tone={levelTone[data.level]}>{data.levelName}</StatusBadge>
      </p>
      <TableScroll label={t('partners.carrier.indicators')}>
        <table className="dense">
          <caption className="visually-hidden">{t('partners.carrier.indicators')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('partners.carrier.indicator')}</th>
              <th scope="col" className="num">
                {t('partners.carrier.value')}
              </th>
              <th scope="col" className="num">
                {t('partners.carrier.weight')}
              </th>
              <th scope="col">{t('partners.carrier.evidence')}</th>
            </tr>
          </thead>
          <tbody>
            {data.indicators.map((indicator) => (
              <tr key={indicator.code}>
                <th scope="row">
                  {indicator.name}
                  <div className="small muted">{indicator.explanation}</div>
                </th>
                <td className="num">
                  {indicator.value === null ? t('partners.carrier.notMeasured') : percent(indicator.value)}
                </td>
                <td className="num">{number(indicator.weight)}</td>
                <td>
                  {t('partners.carrier.outOf', {
                    numerator: number(indicator.evidence.numerator, 0),
                    denominator: number(indicator.evidence.denominator, 0),
                  })}
                  {indicator.evidence.parcelSamples.length > 0 && (
                    <span className="small">
                      {' '}
                      · {t('partners.carrier.samples')}{' '}
                      {indicator.evidence.parcelSamples.map((sample, index) => (
                        <span key={String(sample)}>
                          {index > 0 && ', '}
                          {officer && typeof sample === 'number' ? (
                            <InternalLink path={`/parcels/${sample}`}>{sample}</InternalLink>
                          ) : (
                            <span className="mono">{sample}</span>
                          )}
                        </span>
                      ))}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

function TrendChart({ data }: { data: ComplianceTrend }) {
  const { t, number } = useI18n();
  const points = [...data.points].sort((a, b) => a.period.localeCompare(b.period));
  const option = useMemo(
    () => ({
      color: [palette[0]],
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: points.map((point) => point.period) },
      yAxis: {
        type: 'value',
        min: 0,
        max: 100,
        axisLabel: { formatter: (value: number) => number(value, 0) },
      },
      series: [
        {
          name: t('partners.carrier.score'),
          type: 'line',
          connectNulls: false,
          data: points.map((point) => point.score),
          markLine: undefined,
        },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data, t],
  );
  return (
    <>
      <Chart
        option={option}
        label={t('partners.carrier.trendLabel', { carrier: data.carrier })}
        height={220}
      />
      <p className="muted small">{t('partners.carrier.levels')}</p>
    </>
  );
}

/** The carrier's and customs' figures, their rates, and the gaps above tolerance highlighted. */
function FiguresSideBySide({ data }: { data: InspectionComparison }) {
  const { t, number, percent, dateTime } = useI18n();
  const byFigure = Object.fromEntries(data.figures.map((row) => [row.figure, row]));
  const rate = (side: 'carrier' | 'customs', over: string, under: string) => {
    const top = byFigure[over]?.[side];
    const bottom = byFigure[under]?.[side];
    return top === null || top === undefined || !bottom ? null : top / bottom;
  };
  const rates = [
    {
      key: 'inspectionRate',
      carrier: rate('carrier', 'inspected', 'parcels'),
      customs: rate('customs', 'inspected', 'parcels'),
    },
    {
      key: 'findingRate',
      carrier: rate('carrier', 'findings', 'inspected'),
      customs: rate('customs', 'findings', 'inspected'),
    },
  ] as const;
  const option = useMemo(
    () => ({
      color: [palette[3], palette[0]],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: data.figures.map((row) => t(`partners.figure.${row.figure}`)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('partners.carrier.reported'), type: 'bar', data: data.figures.map((row) => row.carrier) },
        { name: t('partners.carrier.measured'), type: 'bar', data: data.figures.map((row) => row.customs) },
      ],
    }),
    [data, t],
  );
  return (
    <>
      <p className="muted small">
        {data.submittedAt
          ? t('partners.carrier.submitted', { at: dateTime(data.submittedAt), revision: data.revision ?? 1 })
          : t('partners.carrier.notSubmitted')}
      </p>
      <TableScroll label={t('partners.carrier.figures')}>
        <table className="dense">
          <caption className="visually-hidden">{t('partners.carrier.figures')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('partners.carrier.figure')}</th>
              <th scope="col" className="num">
                {t('partners.carrier.reported')}
              </th>
              <th scope="col" className="num">
                {t('partners.carrier.measured')}
              </th>
              <th scope="col" className="num">
                {t('partners.carrier.difference')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.figures.map((row) => (
              <tr key={row.figure} className={row.differs ? 'mismatch' : undefined}>
                <th scope="row">
                  {t(`partners.figure.${row.figure}`)}
                  {row.differs && <span className="visually-hidden"> ({t('partners.carrier.differs')})</span>}
                </th>
                <td className="num">{number(row.carrier, 0)}</td>
                <td className="num">{number(row.customs, 0)}</td>
                <td className="num">{row.difference === null ? '–' : number(row.difference, 0)}</td>
              </tr>
            ))}
            {rates.map((row) => {
              const differs =
                row.carrier !== null && row.customs !== null && Math.abs(row.carrier - row.customs) > 0.01;
              return (
                <tr key={row.key} className={differs ? 'mismatch' : undefined}>
                  <th scope="row">
                    {t(`partners.figure.${row.key}`)}
                    {differs && <span className="visually-hidden"> ({t('partners.carrier.differs')})</span>}
                  </th>
                  <td className="num">{percent(row.carrier)}</td>
                  <td className="num">{percent(row.customs)}</td>
                  <td className="num">
                    {row.carrier === null || row.customs === null ? '–' : percent(row.carrier - row.customs)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      <p className="muted small">{t('partners.carrier.highlight')}</p>
      <Chart option={option} label={t('partners.carrier.figuresChart')} height={200} />
    </>
  );
}

function UploadFigures({ code, onUploaded }: { code: string; onUploaded(): void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [periods, setPeriods] = useState<string[] | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setFailure(null);
    setPeriods(null);
    try {
      const answer = await api<{ periods: string[] }>('post', partnerEndpoints.inspectionReports, {
        params: { code },
        rawBody: { content: await file.text(), type: 'text/csv' },
      });
      setPeriods(answer.periods);
      onUploaded();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="partner-form" onSubmit={submit}>
      <label htmlFor="figures-file">{t('partners.carrier.file')}</label>
      <input
        id="figures-file"
        type="file"
        accept=".csv,text/csv"
        required
        aria-describedby="figures-file-help"
        onChange={(event) => setFile(event.target.files?.[0] ?? null)}
      />
      <p id="figures-file-help" className="muted small">
        {t('partners.carrier.fileHelp')}{' '}
        <code>period,parcelsHandled,parcelsScreened,parcelsInspected,findings</code>
      </p>
      <FormError error={failure} />
      {periods && (
        <p className="notice notice-ok" role="status">
          {t('partners.carrier.uploaded', { periods: periods.join(', ') })}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || !file}>
        {t('partners.carrier.uploadButton')}
      </button>
    </form>
  );
}
