import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, hasEndpoint } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { Job, ModelVersion } from '../api/types';
import { Chart, palette } from '../components/chart';
import { LoadState, Section, useLoad } from '../components/common';
import { useI18n } from '../i18n/i18n';

/** The risk model registry: what runs now, how well each version ranks, and the switches to change it. */
export default function ModelsPage() {
  const { t, percent, dateTime, number } = useI18n();
  const models = useLoad((signal) => api<ModelVersion[] | { models: ModelVersion[] }>('get', endpoints.models, { signal }), []);
  const [chosen, setChosen] = useState<string | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async (work: () => Promise<unknown>) => {
    setFailure(null);
    try {
      await work();
      models.reload();
    } catch (error) {
      setFailure(error instanceof ApiError ? error.message : String(error));
    }
  };

  // Retraining is a background job: follow its progress until it ends.
  useEffect(() => {
    if (!job || ['succeeded', 'failed', 'completed', 'cancelled'].includes(job.status)) return;
    const timer = window.setTimeout(async () => {
      try {
        setJob(await api<Job>('get', endpoints.job, { params: { id: job.id } }));
      } catch (error) {
        setFailure(String(error));
      }
    }, 1000);
    return () => window.clearTimeout(timer);
  }, [job]);

  const jobPercent = job?.progress === undefined || job.progress === null ? null
    : typeof job.progress === 'number' ? job.progress : job.progress.total > 0 ? job.progress.done / job.progress.total : 0;

  return (
    <div className="models-page">
      <div className="page-head">
        <h1>{t('models.title')}</h1>
        {hasEndpoint('post', endpoints.modelRetrain) && (
          <button type="button" className="primary" onClick={() => run(async () => setJob(await api<Job>('post', endpoints.modelRetrain, { body: {} })))}>{t('models.retrain')}</button>
        )}
        {hasEndpoint('post', endpoints.modelRollback) && (
          <button type="button" onClick={() => run(() => api('post', endpoints.modelRollback, { body: {} }))}>{t('models.rollback')}</button>
        )}
      </div>
      {job && (
        <div role="status" className="notice">
          {t('models.progress', { percent: jobPercent === null ? job.status : percent(jobPercent, 0) })}
          {jobPercent !== null && <progress max={1} value={jobPercent} aria-label={t('models.retrain')} />}
        </div>
      )}
      {failure && <p className="notice notice-error" role="alert">{failure}</p>}
      <LoadState state={models}>
        {(data) => {
          const versions = Array.isArray(data) ? data : data.models;
          if (versions.length === 0) return <p className="muted">{t('models.none')}</p>;
          const selected = versions.find((version) => version.version === chosen) ?? versions.find((version) => version.status === 'active') ?? versions[0]!;
          return (
            <div className="models-grid">
              <Section title={t('models.registry')} id="registry" className="span-2">
                <div className="table-scroll">
                  <table className="dense">
                    <thead>
                      <tr>
                        <th scope="col">{t('models.version')}</th><th scope="col">{t('models.status')}</th><th scope="col">{t('models.created')}</th>
                        <th scope="col" className="num">{t('models.precision5')}</th><th scope="col" className="num">{t('models.precision10')}</th><th scope="col"><span className="visually-hidden">{t('parcel.actions')}</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      {versions.map((version) => (
                        <tr key={version.version} aria-selected={version === selected} className={version === selected ? 'selected' : undefined}>
                          <td><button type="button" className="link" onClick={() => setChosen(version.version)}>{version.version}</button></td>
                          <td>{version.status}</td>
                          <td>{dateTime(version.createdAt)}</td>
                          <td className="num">{percent(version.metrics?.precisionAt5 ?? version.metrics?.['precision@5%'])}</td>
                          <td className="num">{percent(version.metrics?.precisionAt10 ?? version.metrics?.['precision@10%'])}</td>
                          <td>
                            {version.status !== 'active' && hasEndpoint('post', endpoints.modelPromote) && (
                              <button type="button" onClick={() => run(() => api('post', endpoints.modelPromote, { params: { version: version.version }, body: {} }))}>{t('models.promote')}</button>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </Section>
              <PrecisionChart versions={versions} />
              <Section title={t('models.importance', { version: selected.version })} id="importance">
                {selected.featureImportance?.length ? (
                  <ImportanceChart model={selected} />
                ) : <p className="muted">{t('common.none')}</p>}
                <p className="visually-hidden">{selected.featureImportance?.map((item) => `${item.feature} ${number(item.importance, 3)}`).join(', ')}</p>
              </Section>
            </div>
          );
        }}
      </LoadState>
    </div>
  );
}

function PrecisionChart({ versions }: { versions: ModelVersion[] }) {
  const { t, percent, date } = useI18n();
  const option = useMemo(() => {
    const points = versions.flatMap((version) => (version.precisionHistory ?? []).map((point) => ({ ...point, version: version.version })));
    points.sort((a, b) => a.at.localeCompare(b.at));
    return {
      color: palette,
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => percent(value) },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: points.map((point) => date(point.at)) },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (value: number) => percent(value, 0) } },
      series: [
        { name: t('models.precision5'), type: 'line', data: points.map((point) => point.precisionAt5 ?? null) },
        { name: t('models.precision10'), type: 'line', data: points.map((point) => point.precisionAt10 ?? null) },
      ],
    };
  }, [versions, t, percent, date]);
  return (
    <Section title={t('models.precisionOverTime')} id="precision">
      <Chart option={option} label={t('models.precisionOverTime')} />
    </Section>
  );
}

function ImportanceChart({ model }: { model: ModelVersion }) {
  const { t, number } = useI18n();
  const option = useMemo(() => {
    const top = [...(model.featureImportance ?? [])].sort((a, b) => b.importance - a.importance).slice(0, 15).reverse();
    return {
      color: [palette[0]],
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => number(value, 3) },
      grid: { left: 140, right: 16, top: 8, bottom: 24 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: top.map((item) => item.feature) },
      series: [{ type: 'bar', data: top.map((item) => item.importance) }],
    };
  }, [model, number]);
  return <Chart option={option} label={t('models.importance', { version: model.version })} height={360} />;
}
