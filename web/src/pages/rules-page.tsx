import { useState, type FormEvent } from 'react';
import { api, ApiError, hasEndpoint } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { DryRunResult, Lane, Rule, Watchlist } from '../api/types';
import { LaneBadge, LoadState, Section, useLoad } from '../components/common';
import { useI18n } from '../i18n/i18n';

/** Selectivity rules and the lists they match against: write, try on past parcels, switch on, expire. */
export default function RulesPage() {
  const { t } = useI18n();
  return (
    <div className="rules-page">
      <div className="page-head"><h1>{t('rules.title')}</h1></div>
      <div className="rules-grid">
        <RulesSection />
        <WatchlistsSection />
      </div>
    </div>
  );
}

function RulesSection() {
  const { t, number, date } = useI18n();
  const rules = useLoad((signal) => api<Rule[] | { rules: Rule[] }>('get', endpoints.rules, { signal }), []);
  const [name, setName] = useState('');
  const [expression, setExpression] = useState('');
  const [lane, setLane] = useState<Lane>('red');
  const [validUntil, setValidUntil] = useState('');
  const [dryRun, setDryRun] = useState<DryRunResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const draft = () => ({ name: name.trim(), expression: expression.trim(), lane, validUntil: validUntil || undefined });
  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    try {
      await work();
    } catch (error) {
      setFailure(error instanceof ApiError ? [error.message, ...error.fieldErrors.map((fieldError) => `${fieldError.path}: ${fieldError.message}`)].join('\n') : String(error));
    } finally {
      setBusy(false);
    }
  };
  const create = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      await api('post', endpoints.rules, { body: draft() });
      setName('');
      setExpression('');
      setDryRun(null);
      rules.reload();
    });
  };

  return (
    <Section title={t('rules.rules')} id="rules" className="span-2">
      <LoadState state={rules}>
        {(data) => {
          const list = Array.isArray(data) ? data : data.rules;
          return (
            <>
              {list.length === 0 ? <p className="muted">{t('rules.none')}</p> : (
                <div className="table-scroll">
                  <table className="dense">
                    <thead>
                      <tr>
                        <th scope="col">{t('rules.name')}</th><th scope="col">{t('rules.expression')}</th><th scope="col">{t('rules.lane')}</th>
                        <th scope="col">{t('rules.status')}</th><th scope="col">{t('rules.validUntil')}</th><th scope="col" className="num">{t('rules.hits')}</th>
                        <th scope="col"><span className="visually-hidden">{t('parcel.actions')}</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((rule) => (
                        <tr key={rule.id}>
                          <td>{rule.name}</td>
                          <td className="mono">{rule.expression ?? rule.source}</td>
                          <td><LaneBadge lane={rule.lane} /></td>
                          <td>{rule.status}</td>
                          <td>{date(rule.validUntil)}</td>
                          <td className="num">{number(rule.hits, 0)}</td>
                          <td className="row-actions">
                            {rule.status !== 'active' && hasEndpoint('post', endpoints.ruleActivate) && (
                              <button type="button" onClick={() => attempt(async () => { await api('post', endpoints.ruleActivate, { params: { id: rule.id }, body: {} }); rules.reload(); })}>{t('rules.activate')}</button>
                            )}
                            {rule.status !== 'expired' && hasEndpoint('post', endpoints.ruleExpire) && (
                              <button type="button" onClick={() => attempt(async () => { await api('post', endpoints.ruleExpire, { params: { id: rule.id }, body: {} }); rules.reload(); })}>{t('rules.expire')}</button>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <form className="rule-form" onSubmit={create} aria-labelledby="new-rule-title">
                <h3 id="new-rule-title">{t('rules.new')}</h3>
                <label htmlFor="rule-name">{t('rules.name')}</label>
                <input id="rule-name" required value={name} onChange={(event) => setName(event.target.value)} />
                <label htmlFor="rule-expression">{t('rules.expression')}</label>
                <textarea id="rule-expression" className="mono" rows={3} required value={expression} onChange={(event) => setExpression(event.target.value)} aria-describedby="rule-expression-help" />
                <p id="rule-expression-help" className="muted small">{t('rules.expressionHelp')}</p>
                <div className="form-row">
                  <label>
                    {t('rules.lane')}
                    <select value={lane} onChange={(event) => setLane(event.target.value as Lane)}>
                      {(['red', 'yellow', 'blue', 'green'] as const).map((value) => <option key={value} value={value}>{t(`lane.${value}`)}</option>)}
                    </select>
                  </label>
                  <label>
                    {t('rules.validUntil')}
                    <input type="date" value={validUntil} onChange={(event) => setValidUntil(event.target.value)} />
                  </label>
                </div>
                {failure && <pre className="notice notice-error" role="alert">{failure}</pre>}
                {dryRun && (
                  <p className="notice" role="status">
                    {t('rules.dryRunResult', { matched: number(dryRun.matched, 0), parcels: number(dryRun.parcels, 0), frauds: number(dryRun.fraudsMatched ?? dryRun.frauds_matched ?? dryRun.frauds ?? 0, 0) })}
                  </p>
                )}
                <div className="dialog-buttons">
                  {hasEndpoint('post', endpoints.ruleDryRun) && (
                    <button type="button" disabled={busy || !expression.trim()} onClick={() => attempt(async () => setDryRun(await api<DryRunResult>('post', endpoints.ruleDryRun, { body: draft() })))}>{t('rules.dryRun')}</button>
                  )}
                  <button type="submit" className="primary" disabled={busy}>{t('rules.create')}</button>
                </div>
              </form>
            </>
          );
        }}
      </LoadState>
    </Section>
  );
}

function WatchlistsSection() {
  const { t, date, number } = useI18n();
  const watchlists = useLoad((signal) => api<Watchlist[] | { watchlists: Watchlist[] }>('get', endpoints.watchlists, { signal }), []);
  const [name, setName] = useState('');
  const [kind, setKind] = useState('seller');
  const [entries, setEntries] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [failure, setFailure] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      const values = entries.split('\n').map((line) => line.trim()).filter(Boolean);
      await api('post', endpoints.watchlists, { body: { name: name.trim(), kind, entries: values, expiresAt: expiresAt || undefined } });
      setName('');
      setEntries('');
      watchlists.reload();
    } catch (error) {
      setFailure(error instanceof ApiError ? error.message : String(error));
    }
  };

  return (
    <Section title={t('rules.watchlists')} id="watchlists" className="span-2">
      <LoadState state={watchlists}>
        {(data) => {
          const list = Array.isArray(data) ? data : data.watchlists;
          return (
            <>
              {list.length === 0 ? <p className="muted">{t('rules.noWatchlists')}</p> : (
                <table className="dense">
                  <thead><tr><th scope="col">{t('rules.name')}</th><th scope="col">{t('rules.watchlistKind')}</th><th scope="col" className="num">{t('rules.entries')}</th><th scope="col">{t('rules.validUntil')}</th></tr></thead>
                  <tbody>
                    {list.map((watchlist) => (
                      <tr key={watchlist.id}>
                        <td>{watchlist.name}</td><td>{watchlist.kind}</td>
                        <td className="num">{number(Array.isArray(watchlist.entries) ? watchlist.entries.length : watchlist.entries, 0)}</td>
                        <td>{date(watchlist.expiresAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <form className="rule-form" onSubmit={create} aria-labelledby="new-watchlist-title">
                <h3 id="new-watchlist-title">{t('rules.newWatchlist')}</h3>
                <div className="form-row">
                  <label>{t('rules.name')}<input required value={name} onChange={(event) => setName(event.target.value)} /></label>
                  <label>
                    {t('rules.watchlistKind')}
                    <select value={kind} onChange={(event) => setKind(event.target.value)}>
                      {['seller', 'buyer', 'address', 'declarant', 'carrier', 'hs', 'country'].map((value) => <option key={value} value={value}>{value}</option>)}
                    </select>
                  </label>
                  <label>{t('rules.validUntil')}<input type="date" value={expiresAt} onChange={(event) => setExpiresAt(event.target.value)} /></label>
                </div>
                <label htmlFor="watchlist-entries">{t('rules.entries')}</label>
                <textarea id="watchlist-entries" className="mono" rows={3} value={entries} onChange={(event) => setEntries(event.target.value)} aria-describedby="watchlist-entries-help" />
                <p id="watchlist-entries-help" className="muted small">{t('rules.entriesHelp')}</p>
                {failure && <p className="notice notice-error" role="alert">{failure}</p>}
                <button type="submit" className="primary">{t('rules.createWatchlist')}</button>
              </form>
            </>
          );
        }}
      </LoadState>
    </Section>
  );
}
