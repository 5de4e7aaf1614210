import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import { Chart, palette } from '../components/chart';
import { LoadState, Section, TableScroll, useLoad } from '../components/common';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

interface ModelParameter {
  name: string;
  label: string;
  type: 'number' | 'integer' | 'boolean' | 'choice' | 'text';
  default: number | boolean | string;
  min: number | null;
  max: number | null;
  choices: string[] | null;
}

interface Model {
  id: string;
  version: string;
  name: string;
  group: string;
  question: string;
  method: string;
  parameters: ModelParameter[];
}

interface Run {
  runId: number;
  modelId: string;
  modelName: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  from: string;
  to: string;
  error: string | null;
  columns: { key: string; label: string; type: string }[];
  rows: Record<string, string | number | boolean | null>[];
  entities: { kind: string; key: string; score: number; evidence: string[] }[];
  chart: {
    kind: string;
    title: string;
    x: { label: string };
    y: { label: string };
    points: { x: string | number; y: number }[];
  } | null;
  summary: string | null;
}

interface ModelRequest {
  id: number;
  title: string;
  status: string;
  urgency: string;
  requesterName: string;
  updatedAt: string;
}

interface ModelRequestDetail extends ModelRequest {
  question: string;
  dataNeeded: string;
  exampleCases: string;
  events: {
    id: number;
    kind: string;
    authorName: string;
    text: string;
    notified: string | null;
    createdAt: string;
  }[];
}

const stepKinds = ['comment', 'triaged', 'estimated', 'delivered', 'declined'] as const;

const groups = [
  'valuation',
  'classification',
  'origin',
  'splitting',
  'identity',
  'payments',
  'parties',
  'carriers',
  'product-safety',
  'integrated',
  'operations',
] as const;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/**
 * The big-data portal: the catalogue grouped by the eleven groups, a model's parameter form, the run with
 * its progress, table, chart and evidence per entity, CSV and "send to a watchlist"; and model requests.
 */
export default function AnalyticsPage() {
  const { t, language } = useI18n();
  const models = useLoad((signal) => api<Model[]>('get', endpoints.analyticsModels, { signal }), [language]);
  const [selected, setSelected] = useState<string | null>(null);

  return (
    <div className="analytics-page">
      <h1>{t('analytics.title')}</h1>
      <LoadState state={models}>
        {(list) => (
          <div className="analytics-layout">
            <nav aria-label={t('analytics.catalogue')}>
              {groups
                .filter((group) => list.some((model) => model.group === group))
                .map((group) => (
                  <Section
                    key={group}
                    title={t(`analytics.group.${group}` as MessageKey)}
                    id={`group-${group}`}
                  >
                    <ul>
                      {list
                        .filter((model) => model.group === group)
                        .map((model) => (
                          <li key={model.id}>
                            <button
                              type="button"
                              className="link"
                              aria-pressed={selected === model.id}
                              onClick={() => setSelected(model.id)}
                            >
                              {model.id} · {model.name}
                            </button>
                          </li>
                        ))}
                    </ul>
                  </Section>
                ))}
            </nav>
            {selected && list.find((model) => model.id === selected) && (
              <ModelPanel key={selected} model={list.find((model) => model.id === selected)!} />
            )}
          </div>
        )}
      </LoadState>
      <RequestsPanel />
    </div>
  );
}

function ModelPanel({ model }: { model: Model }) {
  const { t } = useI18n();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(model.parameters.map((parameter) => [parameter.name, String(parameter.default)])),
  );
  const [from, setFrom] = useState(daysAgo(29));
  const [to, setTo] = useState(daysAgo(0));
  const [runId, setRunId] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const parameters = Object.fromEntries(
        model.parameters.map((parameter) => [
          parameter.name,
          parameter.type === 'boolean' ? values[parameter.name] === 'true' : values[parameter.name]!,
        ]),
      );
      const started = await api<{ runId: number }>('post', endpoints.analyticsModelRuns, {
        params: { id: model.id },
        body: { parameters, from, to },
      });
      setRunId(started.runId);
    } catch (error) {
      setProblem(
        error instanceof ApiError
          ? [error.message, ...error.fieldErrors.map((field) => `${field.path}: ${field.message}`)].join(
              ' · ',
            )
          : String(error),
      );
    }
  };

  return (
    <section className="analytics-model" aria-labelledby="model-title">
      <h2 id="model-title">
        {model.id} · {model.name}
      </h2>
      <p>{model.question}</p>
      <p className="muted">{model.method}</p>
      <form onSubmit={submit} className="parameter-form">
        {model.parameters.map((parameter) => (
          <label key={parameter.name}>
            {parameter.label}
            {parameter.type === 'choice' || parameter.type === 'boolean' ? (
              <select
                name={parameter.name}
                value={values[parameter.name]}
                onChange={(event) => setValues({ ...values, [parameter.name]: event.target.value })}
              >
                {(parameter.choices ?? ['true', 'false']).map((choice) => (
                  <option key={choice} value={choice}>
                    {choice}
                  </option>
                ))}
              </select>
            ) : (
              <input
                name={parameter.name}
                type={parameter.type === 'text' ? 'text' : 'number'}
                step={parameter.type === 'integer' ? 1 : 'any'}
                min={parameter.min ?? undefined}
                max={parameter.max ?? undefined}
                value={values[parameter.name]}
                onChange={(event) => setValues({ ...values, [parameter.name]: event.target.value })}
              />
            )}
          </label>
        ))}
        <label>
          {t('analytics.from')}
          <input name="from" type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
        </label>
        <label>
          {t('analytics.to')}
          <input name="to" type="date" value={to} onChange={(event) => setTo(event.target.value)} />
        </label>
        <button type="submit">{t('analytics.run')}</button>
      </form>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {runId !== null && <RunResult runId={runId} />}
    </section>
  );
}

function RunResult({ runId }: { runId: number }) {
  const { t, number } = useI18n();
  const [run, setRun] = useState<Run | null>(null);
  const [watchlist, setWatchlist] = useState('');
  const [sent, setSent] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      const current = await api<Run>('get', endpoints.analyticsRun, { params: { runId } });
      if (stopped) return;
      setRun(current);
      if (current.status === 'queued' || current.status === 'running') setTimeout(poll, 500);
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [runId]);

  const option = useMemo(() => {
    if (!run?.chart) return null;
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 64, right: 16, top: 24, bottom: 64 },
      xAxis: { type: 'category', name: run.chart.x.label, data: run.chart.points.map((point) => point.x) },
      yAxis: { type: 'value', name: run.chart.y.label },
      series: [
        {
          type: run.chart.kind === 'line' ? 'line' : 'bar',
          data: run.chart.points.map((point) => point.y),
          itemStyle: { color: palette[0] },
        },
      ],
    };
  }, [run]);

  if (!run) return <p>{t('analytics.queued')}</p>;
  if (run.status === 'queued' || run.status === 'running')
    return (
      <label>
        {t('analytics.progress')}
        <progress value={run.progress} max={1} />
      </label>
    );
  if (run.status === 'failed')
    return (
      <p role="alert" className="error">
        {run.error}
      </p>
    );

  const sendHits = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const result = await api<{ added: number }>('post', endpoints.analyticsRunWatchlist, {
        params: { runId },
        body: { watchlist },
      });
      setSent(t('analytics.sent', { count: result.added, watchlist }));
    } catch (error) {
      setSent(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <div className="run-result">
      {run.summary && <p role="status">{run.summary}</p>}
      {option && run.chart && <Chart option={option} label={run.chart.title} height={280} />}
      <TableScroll label={t('analytics.table')}>
        <table>
          <thead>
            <tr>
              {run.columns.map((column) => (
                <th key={column.key} scope="col">
                  {column.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {run.rows.map((row, index) => (
              <tr key={index}>
                {run.columns.map((column) => (
                  <td key={column.key}>
                    {typeof row[column.key] === 'number'
                      ? column.type === 'percent'
                        ? `${number((row[column.key] as number) * 100, 1)} %`
                        : number(row[column.key] as number, 2)
                      : String(row[column.key] ?? '')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <Section title={t('analytics.evidence')} id="evidence">
        <ul className="evidence">
          {run.entities.map((entity) => (
            <li key={`${entity.kind}:${entity.key}`}>
              <strong>{entity.key}</strong> ({number(entity.score, 2)})
              <ul>
                {entity.evidence.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </Section>
      <p>
        <a href={`/api/v1/analytics/runs/${runId}/csv`} download>
          {t('analytics.csv')}
        </a>
      </p>
      <form onSubmit={sendHits} className="watchlist-form">
        <label>
          {t('analytics.watchlist')}
          <input name="watchlist" value={watchlist} onChange={(event) => setWatchlist(event.target.value)} />
        </label>
        <button type="submit" disabled={!watchlist}>
          {t('analytics.send')}
        </button>
      </form>
      {sent && <p role="status">{sent}</p>}
    </div>
  );
}

function RequestsPanel() {
  const { t, dateTime } = useI18n();
  const requests = useLoad(
    (signal) => api<ModelRequest[]>('get', endpoints.analyticsRequests, { signal }),
    [],
  );
  const [form, setForm] = useState({
    title: '',
    question: '',
    dataNeeded: '',
    exampleCases: '',
    urgency: 'normal',
  });
  const [message, setMessage] = useState<string | null>(null);
  const [opened, setOpened] = useState<number | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const filed = await api<{ id: number }>('post', endpoints.analyticsRequests, { body: form });
      setMessage(t('analytics.requestFiled', { id: filed.id }));
      requests.reload();
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };
  const field = (name: 'title' | 'question' | 'dataNeeded' | 'exampleCases', multiline: boolean) => (
    <label>
      {t(`analytics.request.${name}` as MessageKey)}
      {multiline ? (
        <textarea
          name={name}
          value={form[name]}
          onChange={(event) => setForm({ ...form, [name]: event.target.value })}
        />
      ) : (
        <input
          name={name}
          value={form[name]}
          onChange={(event) => setForm({ ...form, [name]: event.target.value })}
        />
      )}
    </label>
  );

  return (
    <Section title={t('analytics.requests')} id="requests">
      <form onSubmit={submit} className="request-form">
        {field('title', false)}
        {field('question', true)}
        {field('dataNeeded', true)}
        {field('exampleCases', true)}
        <label>
          {t('analytics.request.urgency')}
          <select
            name="urgency"
            value={form.urgency}
            onChange={(event) => setForm({ ...form, urgency: event.target.value })}
          >
            {['low', 'normal', 'high', 'urgent'].map((urgency) => (
              <option key={urgency} value={urgency}>
                {t(`analytics.urgency.${urgency}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('analytics.request.file')}</button>
      </form>
      {message && <p role="status">{message}</p>}
      <LoadState state={requests}>
        {(list) => (
          <TableScroll label={t('analytics.requests')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('analytics.request.title')}</th>
                  <th scope="col">{t('analytics.request.urgency')}</th>
                  <th scope="col">{t('analytics.request.status')}</th>
                  <th scope="col">{t('analytics.request.updated')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('analytics.step.kind')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((request) => (
                  <tr key={request.id}>
                    <td>{request.id}</td>
                    <td>{request.title}</td>
                    <td>{t(`analytics.urgency.${request.urgency}` as MessageKey)}</td>
                    <td>{t(`analytics.status.${request.status}` as MessageKey)}</td>
                    <td>{dateTime(request.updatedAt)}</td>
                    <td>
                      <button type="button" className="link" onClick={() => setOpened(request.id)}>
                        {t('analytics.request.open', { id: request.id })}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </LoadState>
      {opened !== null && <RequestDetail key={opened} id={opened} onChanged={requests.reload} />}
    </Section>
  );
}

/**
 * One request with its timeline, and the analyst's step form: comment, triage, estimate, deliver (a
 * catalogue model and its version) or decline. The server mails the requester at each step and refuses
 * steps that the reader's role or the request's status do not allow.
 */
function RequestDetail({ id, onChanged }: { id: number; onChanged: () => void }) {
  const { t, dateTime } = useI18n();
  const detail = useLoad(
    (signal) => api<ModelRequestDetail>('get', endpoints.analyticsRequest, { params: { id }, signal }),
    [id],
  );
  const [step, setStep] = useState({
    kind: 'triaged' as (typeof stepKinds)[number],
    text: '',
    estimateDays: '5',
    modelId: '',
    modelVersion: '',
  });
  const [message, setMessage] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const body =
      step.kind === 'estimated'
        ? { kind: step.kind, text: step.text, estimateDays: Number(step.estimateDays) }
        : step.kind === 'delivered'
          ? { kind: step.kind, text: step.text, modelId: step.modelId, modelVersion: step.modelVersion }
          : { kind: step.kind, text: step.text };
    try {
      await api('post', endpoints.analyticsRequestSteps, { params: { id }, body });
      setMessage(t('analytics.step.recorded'));
      setStep({ ...step, text: '' });
      detail.reload();
      onChanged();
    } catch (error) {
      setMessage(
        error instanceof ApiError
          ? [error.message, ...error.fieldErrors.map((field) => `${field.path}: ${field.message}`)].join(
              ' · ',
            )
          : String(error),
      );
    }
  };

  return (
    <LoadState state={detail}>
      {(request) => (
        <section className="request-detail" aria-labelledby="request-detail-title">
          <h3 id="request-detail-title">
            {t('analytics.request.timelineOf', { id: request.id, title: request.title })} ·{' '}
            {t(`analytics.status.${request.status}` as MessageKey)}
          </h3>
          <p>{request.question}</p>
          <ol className="request-events">
            {request.events.map((event) => (
              <li key={event.id}>
                <strong>{t(`analytics.step.${event.kind}` as MessageKey)}</strong> · {event.authorName} ·{' '}
                {dateTime(event.createdAt)}: {event.text}
                {event.notified && (
                  <span className="muted">
                    {' '}
                    ({t('analytics.request.notified', { email: event.notified })})
                  </span>
                )}
              </li>
            ))}
          </ol>
          <form onSubmit={submit} className="request-step-form">
            <label>
              {t('analytics.step.kind')}
              <select
                name="kind"
                value={step.kind}
                onChange={(event) =>
                  setStep({ ...step, kind: event.target.value as (typeof stepKinds)[number] })
                }
              >
                {stepKinds.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`analytics.step.${kind}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('analytics.step.text')}
              <textarea
                name="text"
                value={step.text}
                onChange={(event) => setStep({ ...step, text: event.target.value })}
              />
            </label>
            {step.kind === 'estimated' && (
              <label>
                {t('analytics.step.estimateDays')}
                <input
                  name="estimateDays"
                  type="number"
                  min={1}
                  max={365}
                  value={step.estimateDays}
                  onChange={(event) => setStep({ ...step, estimateDays: event.target.value })}
                />
              </label>
            )}
            {step.kind === 'delivered' && (
              <>
                <label>
                  {t('analytics.step.modelId')}
                  <input
                    name="modelId"
                    value={step.modelId}
                    onChange={(event) => setStep({ ...step, modelId: event.target.value })}
                  />
                </label>
                <label>
                  {t('analytics.step.modelVersion')}
                  <input
                    name="modelVersion"
                    value={step.modelVersion}
                    onChange={(event) => setStep({ ...step, modelVersion: event.target.value })}
                  />
                </label>
              </>
            )}
            <button type="submit" disabled={!step.text.trim()}>
              {t('analytics.step.submit')}
            </button>
          </form>
          {message && <p role="status">{message}</p>}
        </section>
      )}
    </LoadState>
  );
}
