import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, hasEndpoint } from '../api/client';
import { endpoints } from '../api/endpoints';
import { waitForJob } from '../api/jobs';
import type { DryRunResult, Job, Rule, Watchlist } from '../api/types';
import { LaneBadge, LoadState, Section, useLoad, TableScroll } from '../components/common';
import { useI18n } from '../i18n/i18n';

const ruleLanes = ['red', 'yellow', 'blue'] as const;
const listKinds = ['seller', 'buyer', 'address', 'declarant', 'carrier', 'hs', 'country'] as const;

function errorText(error: unknown): string {
  return error instanceof ApiError
    ? [
        error.message,
        ...error.fieldErrors.map((fieldError) => `${fieldError.path}: ${fieldError.message}`),
      ].join('\n')
    : String(error);
}

/** Selectivity rules and the lists they match against: write, try on past parcels, switch on, expire. */
export default function RulesPage() {
  const { t } = useI18n();
  return (
    <div className="rules-page">
      <div className="page-head">
        <h1>{t('rules.title')}</h1>
      </div>
      <div className="rules-grid">
        <RulesSection />
        <WatchlistsSection />
      </div>
    </div>
  );
}

function RulesSection() {
  const { t, number, date, percent } = useI18n();
  const rules = useLoad((signal) => api<{ items: Rule[] }>('get', endpoints.rules, { signal }), []);
  const [name, setName] = useState('');
  const [expression, setExpression] = useState('');
  const [lane, setLane] = useState<(typeof ruleLanes)[number]>('red');
  const [validTo, setValidTo] = useState('');
  const [sinceDays, setSinceDays] = useState('90');
  const [dryRun, setDryRun] = useState<DryRunResult | null>(null);
  const [dryRunJob, setDryRunJob] = useState<Job | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const [problems, setProblems] = useState<string[]>([]);

  // The server's parser checks the condition as it is typed, with the place of each problem.
  useEffect(() => {
    const text = expression.trim();
    if (!text || !hasEndpoint('post', endpoints.ruleValidate)) {
      setProblems([]);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api<{ ok: boolean; problems: { text: string }[] }>('post', endpoints.ruleValidate, {
        body: { expression: text },
        signal: controller.signal,
      }).then(
        (result) => setProblems(result.problems.map((problem) => problem.text)),
        () => undefined,
      );
    }, 350);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [expression]);

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    try {
      await work();
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  // A rule is saved as a draft: dry-run it, then switch it on from the table.
  const create = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      await api('post', endpoints.rules, {
        body: {
          name: name.trim(),
          expression: expression.trim(),
          lane,
          validTo: validTo || null,
          activate: false,
        },
      });
      setName('');
      setExpression('');
      setDryRun(null);
      rules.reload();
    });
  };

  const runDryRun = () =>
    attempt(async () => {
      setDryRun(null);
      const { jobId } = await api<{ jobId: number }>('post', endpoints.ruleDryRun, {
        body: { expression: expression.trim(), lane, sinceDays: Number(sinceDays) },
      });
      const job = await waitForJob(jobId, setDryRunJob);
      if (job.state === 'failed') throw new Error(job.error ?? 'dry run failed');
      setDryRun(job.result as DryRunResult);
      setDryRunJob(null);
    });

  const setStatus = (rule: Rule, status: Rule['status']) =>
    attempt(async () => {
      await api('post', endpoints.ruleStatus, { params: { id: rule.id }, body: { status } });
      rules.reload();
    });

  // Expiring saves a new version that ends today; the history of versions keeps what was there before.
  const expire = (rule: Rule) =>
    attempt(async () => {
      const today = new Date().toISOString().slice(0, 10);
      const {
        expression: text,
        lane: ruleLane,
        selectionPercent,
        mandatory,
        xrayReferral,
        validFrom,
      } = rule.current;
      await api('put', endpoints.rule, {
        params: { id: rule.id },
        body: {
          name: rule.name,
          expression: text,
          lane: ruleLane,
          selectionPercent,
          mandatory,
          xrayReferral,
          validFrom,
          validTo: today,
        },
      });
      rules.reload();
    });

  return (
    <Section title={t('rules.rules')} id="rules" className="span-2">
      <LoadState state={rules}>
        {({ items }) => (
          <>
            {items.length === 0 ? (
              <p className="muted">{t('rules.none')}</p>
            ) : (
              <TableScroll label={t('rules.rules')}>
                <table className="dense">
                  <thead>
                    <tr>
                      <th scope="col">{t('rules.name')}</th>
                      <th scope="col">{t('rules.expression')}</th>
                      <th scope="col">{t('rules.lane')}</th>
                      <th scope="col">{t('rules.status')}</th>
                      <th scope="col">{t('rules.validUntil')}</th>
                      <th scope="col" className="num">
                        {t('rules.hits')}
                      </th>
                      <th scope="col">
                        <span className="visually-hidden">{t('parcel.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((rule) => (
                      <tr key={rule.id}>
                        <td>
                          {rule.name} <span className="muted small">v{rule.currentVersion}</span>
                        </td>
                        <td className="mono">{rule.current.expression}</td>
                        <td>
                          <LaneBadge lane={rule.current.lane} />
                          {rule.current.selectionPercent < 100 && (
                            <span className="muted small"> {rule.current.selectionPercent} %</span>
                          )}
                        </td>
                        <td>{t(`rules.status.${rule.status}`)}</td>
                        <td>{date(rule.current.validTo)}</td>
                        <td className="num">{number(rule.hitCount, 0)}</td>
                        <td className="row-actions">
                          {rule.status !== 'active' && (
                            <button type="button" disabled={busy} onClick={() => setStatus(rule, 'active')}>
                              {t('rules.activate')}
                            </button>
                          )}
                          {rule.status === 'active' && (
                            <button type="button" disabled={busy} onClick={() => setStatus(rule, 'disabled')}>
                              {t('rules.disable')}
                            </button>
                          )}
                          {hasEndpoint('put', endpoints.rule) && (
                            <button type="button" disabled={busy} onClick={() => expire(rule)}>
                              {t('rules.expire')}
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
            <form className="rule-form" onSubmit={create} aria-labelledby="new-rule-title">
              <h3 id="new-rule-title">{t('rules.new')}</h3>
              <label htmlFor="rule-name">{t('rules.name')}</label>
              <input id="rule-name" required value={name} onChange={(event) => setName(event.target.value)} />
              <label htmlFor="rule-expression">{t('rules.expression')}</label>
              <textarea
                id="rule-expression"
                className="mono"
                rows={3}
                required
                value={expression}
                onChange={(event) => setExpression(event.target.value)}
                aria-describedby="rule-expression-help"
              />
              <p id="rule-expression-help" className="muted small">
                {t('rules.expressionHelp')}
              </p>
              <div aria-live="polite">
                {problems.length > 0 && (
                  <pre className="notice notice-error" data-testid="rule-problems">
                    {problems.join('\n')}
                  </pre>
                )}
              </div>
              <div className="form-row">
                <label>
                  {t('rules.lane')}
                  <select value={lane} onChange={(event) => setLane(event.target.value as typeof lane)}>
                    {ruleLanes.map((value) => (
                      <option key={value} value={value}>
                        {t(`lane.${value}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('rules.validUntil')}
                  <input type="date" value={validTo} onChange={(event) => setValidTo(event.target.value)} />
                </label>
                <label>
                  {t('rules.sinceDays')}
                  <input
                    type="number"
                    min="1"
                    max="3660"
                    value={sinceDays}
                    onChange={(event) => setSinceDays(event.target.value)}
                  />
                </label>
              </div>
              {failure && (
                <pre className="notice notice-error" role="alert">
                  {failure}
                </pre>
              )}
              {dryRunJob && (
                <p className="muted" role="status">
                  {t('rules.dryRunning', { state: dryRunJob.state })}
                </p>
              )}
              {dryRun && (
                <p className="notice" role="status" data-testid="dry-run">
                  {t('rules.dryRunResult', {
                    matched: number(dryRun.matched, 0),
                    parcels: number(dryRun.declarations, 0),
                    held: number(dryRun.held, 0),
                    frauds: number(dryRun.heldFrauds, 0),
                    inspected: number(dryRun.heldInspected, 0),
                    precision: percent(dryRun.precision),
                    base: percent(dryRun.baseFraudRate),
                  })}
                </p>
              )}
              <div className="dialog-buttons">
                {hasEndpoint('post', endpoints.ruleDryRun) && (
                  <button type="button" disabled={busy || !expression.trim()} onClick={runDryRun}>
                    {t('rules.dryRun')}
                  </button>
                )}
                <button type="submit" className="primary" disabled={busy}>
                  {t('rules.create')}
                </button>
              </div>
            </form>
          </>
        )}
      </LoadState>
    </Section>
  );
}

function WatchlistsSection() {
  const { t, number, dateTime } = useI18n();
  const watchlists = useLoad(
    (signal) => api<{ items: Watchlist[] }>('get', endpoints.watchlists, { signal }),
    [],
  );
  const [name, setName] = useState('');
  const [kind, setKind] = useState<(typeof listKinds)[number]>('seller');
  const [target, setTarget] = useState('');
  const [entries, setEntries] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [failure, setFailure] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      await api('post', endpoints.watchlists, { body: { name: name.trim(), kind } });
      setName('');
      watchlists.reload();
    } catch (error) {
      setFailure(errorText(error));
    }
  };

  const addEntries = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      const values = entries
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      await api('post', endpoints.watchlistEntries, {
        params: { name: target },
        body: { entries: values.map((value) => ({ value, expiresAt: expiresAt || null })) },
      });
      setEntries('');
      watchlists.reload();
    } catch (error) {
      setFailure(errorText(error));
    }
  };

  return (
    <Section title={t('rules.watchlists')} id="watchlists" className="span-2">
      <LoadState state={watchlists}>
        {({ items }) => (
          <>
            {items.length === 0 ? (
              <p className="muted">{t('rules.noWatchlists')}</p>
            ) : (
              <table className="dense">
                <thead>
                  <tr>
                    <th scope="col">{t('rules.name')}</th>
                    <th scope="col">{t('rules.watchlistKind')}</th>
                    <th scope="col" className="num">
                      {t('rules.entries')}
                    </th>
                    <th scope="col">{t('models.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((watchlist) => (
                    <tr key={watchlist.id}>
                      <td className="mono">{watchlist.name}</td>
                      <td>{watchlist.kind}</td>
                      <td className="num">{number(watchlist.entryCount, 0)}</td>
                      <td>
                        {dateTime(watchlist.createdAt)} <span className="muted small">{watchlist.owner}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {failure && (
              <pre className="notice notice-error" role="alert">
                {failure}
              </pre>
            )}
            <div className="form-columns">
              <form className="rule-form" onSubmit={create} aria-labelledby="new-watchlist-title">
                <h3 id="new-watchlist-title">{t('rules.newWatchlist')}</h3>
                <label>
                  {t('rules.name')}
                  <input
                    required
                    pattern="[a-z0-9][a-z0-9_\-]{0,62}"
                    value={name}
                    onChange={(event) => setName(event.target.value)}
                    aria-describedby="watchlist-name-help"
                  />
                </label>
                <p id="watchlist-name-help" className="muted small">
                  {t('rules.watchlistNameHelp')}
                </p>
                <label>
                  {t('rules.watchlistKind')}
                  <select value={kind} onChange={(event) => setKind(event.target.value as typeof kind)}>
                    {listKinds.map((value) => (
                      <option key={value} value={value}>
                        {value}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" className="primary">
                  {t('rules.createWatchlist')}
                </button>
              </form>
              {items.length > 0 && (
                <form className="rule-form" onSubmit={addEntries} aria-labelledby="add-entries-title">
                  <h3 id="add-entries-title">{t('rules.addEntries')}</h3>
                  <label>
                    {t('rules.watchlists')}
                    <select required value={target} onChange={(event) => setTarget(event.target.value)}>
                      <option value="">–</option>
                      {items.map((watchlist) => (
                        <option key={watchlist.id} value={watchlist.name}>
                          {watchlist.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label htmlFor="watchlist-entries">{t('rules.entries')}</label>
                  <textarea
                    id="watchlist-entries"
                    className="mono"
                    rows={3}
                    required
                    value={entries}
                    onChange={(event) => setEntries(event.target.value)}
                    aria-describedby="watchlist-entries-help"
                  />
                  <p id="watchlist-entries-help" className="muted small">
                    {t('rules.entriesHelp')}
                  </p>
                  <label>
                    {t('rules.validUntil')}
                    <input
                      type="date"
                      value={expiresAt}
                      onChange={(event) => setExpiresAt(event.target.value)}
                    />
                  </label>
                  <button type="submit" className="primary">
                    {t('rules.addEntries')}
                  </button>
                </form>
              )}
            </div>
          </>
        )}
      </LoadState>
    </Section>
  );
}
