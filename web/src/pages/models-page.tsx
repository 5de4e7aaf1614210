import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, hasEndpoint } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { DriftReport, Job, JobProgress, ModelVersion } from '../api/types';
import { Chart, palette } from '../components/chart';
import { LoadState, Section, useLoad, TableScroll } from '../components/common';
import { useI18n } from '../i18n/i18n';
import { en, type MessageKey } from '../i18n/messages';

/** Precision of the top `percent` of the ranking; undefined where it was not (or could not be) measured. */
/** How often a training is followed: the first start's takes well under a second on a quick machine. */
const TRAINING_POLL_MS = 400;

const precisionAt = (model: ModelVersion, percent: number): number | undefined =>
  model.metrics.holdout?.precision_at[String(percent)] ?? undefined;

/** The risk model registry: what runs now, how well each version ranks, and the switches to change it. */
export default function ModelsPage() {
  const { t, percent, dateTime, date, number } = useI18n();
  const models = useLoad((signal) => api<ModelVersion[]>('get', endpoints.models, { signal }), []);
  const [chosen, setChosen] = useState<number | null>(null);
  const [job, setJob] = useState<JobProgress | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [trainFrom, setTrainFrom] = useState('');
  const [trainTo, setTrainTo] = useState('');
  const [trees, setTrees] = useState('');

  const run = async (work: () => Promise<unknown>) => {
    setFailure(null);
    try {
      await work();
      models.reload();
    } catch (error) {
      setFailure(error instanceof ApiError ? error.message : String(error));
    }
  };

  // Training is a background job: follow its progress until it ends, then show the new candidate.
  useEffect(() => {
    if (!job) return;
    if (job.state === 'succeeded' || job.state === 'failed') {
      models.reload();
      return;
    }
    const timer = window.setTimeout(async () => {
      try {
        setJob(await api<Job>('get', endpoints.job, { params: { id: job.id } }));
      } catch (error) {
        // One answer lost (the server busy or restarting) does not end the watch: ask again.
        setFailure(error instanceof ApiError ? error.message : String(error));
        setJob({ ...job });
      }
    }, TRAINING_POLL_MS);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job]);

  // A training started elsewhere (the first start, another analyst) shows here too: look for one running,
  // or one started since the first look that ended between two looks.
  useEffect(() => {
    if (job || !hasEndpoint('get', endpoints.modelTraining)) return;
    let timer = 0;
    let firstSeen: number | null | undefined;
    const look = async () => {
      const latest = await api<Job | null>('get', endpoints.modelTraining).then(
        (answer) => answer ?? null,
        () => undefined,
      );
      const running = latest && (latest.state === 'queued' || latest.state === 'running');
      const startedSince = latest && firstSeen !== undefined && latest.id !== firstSeen;
      if (latest !== undefined && firstSeen === undefined) firstSeen = latest?.id ?? null;
      if (latest && (running || startedSince)) setJob(latest);
      else timer = window.setTimeout(look, TRAINING_POLL_MS);
    };
    void look();
    return () => window.clearTimeout(timer);
  }, [job]);

  const jobShare = job && job.progress.total ? job.progress.done / job.progress.total : null;
  const jobStage = (current: JobProgress): string => {
    const stage = current.state === 'running' ? current.progress.stage : current.state;
    const key = `models.stage.${stage}` as MessageKey;
    return stage && key in en ? t(key) : current.state;
  };

  return (
    <div className="models-page">
      <div className="page-head">
        <h1>{t('models.title')}</h1>
        {hasEndpoint('post', endpoints.modelRollback) && (
          <button type="button" onClick={() => run(() => api('post', endpoints.modelRollback))}>
            {t('models.rollback')}
          </button>
        )}
      </div>
      {hasEndpoint('post', endpoints.modelTrain) && (
        <form
          className="train-form"
          aria-label={t('models.retrain')}
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => {
              const body = {
                from: trainFrom || undefined,
                to: trainTo || undefined,
                ...(trees ? { params: { maxTrees: Number(trees) } } : {}),
              };
              const started = await api<{ jobId: number }>('post', endpoints.modelTrain, { body });
              setJob({
                id: started.jobId,
                kind: 'risk.train',
                state: 'queued',
                progress: { done: 0, total: null, stage: null },
                error: null,
              });
            });
          }}
        >
          <label>
            {t('models.trainFrom')}
            <input type="date" value={trainFrom} onChange={(event) => setTrainFrom(event.target.value)} />
          </label>
          <label>
            {t('models.trainTo')}
            <input type="date" value={trainTo} onChange={(event) => setTrainTo(event.target.value)} />
          </label>
          <label>
            {t('models.trees')}
            <input
              type="number"
              min="1"
              max="2000"
              placeholder={t('models.treesDefault')}
              value={trees}
              onChange={(event) => setTrees(event.target.value)}
            />
          </label>
          <button
            type="submit"
            className="primary"
            disabled={job !== null && (job.state === 'queued' || job.state === 'running')}
          >
            {t('models.retrain')}
          </button>
        </form>
      )}
      {job && (
        <div
          role="status"
          data-testid="training"
          className={job.state === 'failed' ? 'notice notice-error' : 'notice'}
        >
          {t('models.progress', {
            stage: jobStage(job),
            percent: percent(jobShare ?? 0, 0),
          })}
          {job.error && <> {job.error}</>}
          <progress max={1} value={jobShare ?? undefined} aria-label={t('models.trainingProgress')} />
        </div>
      )}
      {failure && (
        <p className="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      <LoadState state={models}>
        {(versions) => {
          if (versions.length === 0) return <p className="muted">{t('models.none')}</p>;
          const selected =
            versions.find((version) => version.version === chosen) ??
            versions.find((version) => version.status === 'active') ??
            versions[0]!;
          return (
            <div className="models-grid">
              <Section title={t('models.registry')} id="registry" className="span-2">
                <TableScroll label={t('models.registry')}>
                  <table className="dense">
                    <thead>
                      <tr>
                        <th scope="col">{t('models.version')}</th>
                        <th scope="col">{t('models.status')}</th>
                        <th scope="col">{t('models.created')}</th>
                        <th scope="col">{t('models.trainedOn')}</th>
                        <th scope="col" className="num">
                          {t('models.precision5')}
                        </th>
                        <th scope="col" className="num">
                          {t('models.precision10')}
                        </th>
                        <th scope="col" className="num">
                          AUC
                        </th>
                        <th scope="col">
                          <span className="visually-hidden">{t('parcel.actions')}</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {versions.map((version) => (
                        <tr key={version.version} className={version === selected ? 'selected' : undefined}>
                          <td>
                            <button
                              type="button"
                              className="link"
                              aria-pressed={version === selected}
                              onClick={() => setChosen(version.version)}
                            >
                              v{version.version}
                            </button>
                          </td>
                          <td>{t(`models.state.${version.status}`)}</td>
                          <td>{dateTime(version.createdAt)}</td>
                          <td>
                            {date(version.trainedFrom)} – {date(version.trainedTo)} (
                            {number(version.trainingRows, 0)})
                          </td>
                          <td className="num">{percent(precisionAt(version, 5))}</td>
                          <td className="num">{percent(precisionAt(version, 10))}</td>
                          <td className="num">{number(version.metrics.holdout?.auc, 3)}</td>
                          <td>
                            {version.status !== 'active' && hasEndpoint('post', endpoints.modelPromote) && (
                              <button
                                type="button"
                                onClick={() =>
                                  run(() =>
                                    api('post', endpoints.modelPromote, {
                                      params: { version: version.version },
                                    }),
                                  )
                                }
                              >
                                {t('models.promote')}
                              </button>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              </Section>
              <PrecisionChart versions={versions} />
              <Section title={t('models.importance', { version: `v${selected.version}` })} id="importance">
                {selected.featureImportance.length ? (
                  <ImportanceChart model={selected} />
                ) : (
                  <p className="muted">{t('common.none')}</p>
                )}
              </Section>
              {versions.some((version) => version.status === 'active') && <DriftSection />}
            </div>
          );
        }}
      </LoadState>
    </div>
  );
}

/** Each version's hold-out precision, placed at the date it was trained: how targeting quality moves over time. */
function PrecisionChart({ versions }: { versions: ModelVersion[] }) {
  const { t, percent, date } = useI18n();
  const option = useMemo(() => {
    const ordered = [...versions].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return {
      color: palette,
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => percent(value) },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 28 },
      xAxis: {
        type: 'category',
        data: ordered.map((version) => `v${version.version} · ${date(version.createdAt)}`),
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 1,
        axisLabel: { formatter: (value: number) => percent(value, 0) },
      },
      series: [1, 5, 10].map((share) => ({
        name: t('models.precisionAt', { n: share }),
        type: 'line',
        data: ordered.map((version) => precisionAt(version, share) ?? null),
      })),
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
  const top = useMemo(
    () => [...model.featureImportance].sort((a, b) => (b.importance ?? 0) - (a.importance ?? 0)).slice(0, 15),
    [model],
  );
  const option = useMemo(
    () => ({
      color: [palette[0]],
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => number(value, 3) },
      grid: { left: 150, right: 16, top: 8, bottom: 24 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: top.map((item) => item.feature).reverse() },
      series: [{ type: 'bar', data: top.map((item) => item.importance).reverse() }],
    }),
    [top, number],
  );
  return (
    <>
      <Chart option={option} label={t('models.importance', { version: `v${model.version}` })} height={360} />
      <ol className="visually-hidden">
        {top.map((item) => (
          <li key={item.feature}>
            {item.feature}: {number(item.importance, 3)}
          </li>
        ))}
      </ol>
    </>
  );
}

/** Whether recent declarations still look like those the active model learnt from (PSI: 0.1 moderate, 0.25 significant). */
function DriftSection() {
  const { t, number, date } = useI18n();
  const drift = useLoad((signal) => api<DriftReport>('get', endpoints.drift, { signal }), []);
  return (
    <Section title={t('models.drift')} id="drift" className="span-2">
      <LoadState state={drift}>
        {(report) => (
          <>
            <p className="muted small">
              {t('models.driftWindow', {
                version: `v${report.modelVersion}`,
                count: number(report.declarations, 0),
                from: date(report.from),
                to: date(report.to),
              })}
            </p>
            <TableScroll label={t('models.drift')}>
              <table className="dense">
                <thead>
                  <tr>
                    <th scope="col">{t('models.feature')}</th>
                    <th scope="col" className="num">
                      PSI
                    </th>
                    <th scope="col">{t('models.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.features.map((feature) => (
                    <tr key={feature.feature}>
                      <td className="mono">{feature.feature}</td>
                      <td className="num">{number(feature.psi, 3)}</td>
                      <td>
                        <span
                          className={`lane lane-${feature.level === 'significant' ? 'red' : feature.level === 'moderate' ? 'yellow' : 'green'}`}
                        >
                          {t(`models.drift.${feature.level}`)}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </>
        )}
      </LoadState>
    </Section>
  );
}
