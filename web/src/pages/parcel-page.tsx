import { useEffect, useRef, useState } from 'react';
import { api, loadCapabilities } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { AssessmentPreview, Decision, DecisionReason, HistoryEntry, ParcelView, RelatedParcel, XrayView } from '../api/types';
import { ActionDialog, parcelActions, type ParcelAction } from '../components/action-dialog';
import { LaneBadge, LoadState, maskPccc, ScoreBar, Section, useLoad } from '../components/common';
import { isTyping } from '../keyboard';
import { useI18n, type I18n } from '../i18n/i18n';
import { navigate } from '../router';

const actionKeys: Record<string, ParcelAction> = { r: 'release', h: 'hold', x: 'refer_xray', i: 'inspect', e: 'record_inspection', s: 'seize' };

/** Everything about one parcel on one screen: the officer decides without opening a second window. */
export function ParcelPage({ parcelId }: { parcelId: number }) {
  const { t } = useI18n();
  const openedAt = useRef(performance.now());
  const [openedInMs, setOpenedInMs] = useState<number | null>(null);
  const [action, setAction] = useState<ParcelAction | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  const parcel = useLoad((signal) => loadCapabilities().then(() => api<ParcelView>('get', endpoints.parcel, { params: { id: parcelId }, signal })), [parcelId, revision]);
  const decision = useLoad((signal) => api<Decision>('get', endpoints.decision, { params: { id: parcelId }, signal }), [parcelId, revision]);

  useEffect(() => {
    openedAt.current = performance.now();
    setOpenedInMs(null);
  }, [parcelId]);
  useEffect(() => {
    if (parcel.status !== 'ready' || openedInMs !== null) return;
    requestAnimationFrame(() => {
      performance.mark('clearway:parcel-rendered');
      setOpenedInMs(Math.round(performance.now() - openedAt.current));
    });
  }, [parcel.status, openedInMs]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event) || action) return;
      if (event.key === 'Escape') {
        navigate('/queue');
        return;
      }
      const chosen = actionKeys[event.key];
      if (chosen) {
        event.preventDefault();
        setAction(chosen);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [action]);

  return (
    <LoadState state={parcel}>
      {(view) => (
        <div className="parcel-page">
          <div className="page-head parcel-head">
            <a href="/queue" className="back" onClick={(event) => { event.preventDefault(); navigate('/queue'); }}>← {t('parcel.back')}</a>
            <h1>{t('parcel.title', { tracking: view.trackingNumber })}</h1>
            {decision.status === 'ready' && <><LaneBadge lane={decision.data.lane} /><ScoreBar score={decision.data.score} /></>}
            {openedInMs !== null && <span className="muted small" data-testid="parcel-open-ms">{t('parcel.openedIn', { ms: openedInMs })}</span>}
          </div>
          <div className="action-bar" role="toolbar" aria-label={t('parcel.actions')}>
            {parcelActions.map((name) => (
              <button key={name} type="button" className={name === 'seize' ? 'danger' : name === 'release' ? 'primary' : undefined} onClick={() => setAction(name)}
                aria-keyshortcuts={Object.entries(actionKeys).find(([, value]) => value === name)?.[0]}>
                {t(`action.${name}`)}
              </button>
            ))}
          </div>
          {notice && <p className="notice notice-ok" role="status">{notice}</p>}
          <div className="parcel-grid">
            <RiskPanel decision={decision} />
            <SummaryPanel view={view} />
            <LinesPanel view={view} />
            <XrayPanel parcelId={parcelId} view={view} revision={revision} />
            <PartiesPanel view={view} />
            <OrdersPanel view={view} />
            <TaxPanel parcelId={parcelId} revision={revision} />
            <HistoryPanel parcelId={parcelId} revision={revision} />
            <RelatedPanel parcelId={parcelId} />
          </div>
          {action && (
            <ActionDialog
              parcelId={parcelId}
              tracking={view.trackingNumber}
              action={action}
              onClose={() => setAction(null)}
              onDone={(done) => {
                setAction(null);
                setNotice(t('parcel.actionDone', { action: t(`action.${done}`) }));
                setRevision((value) => value + 1);
              }}
            />
          )}
        </div>
      )}
    </LoadState>
  );
}

/** The reason's words, whatever shape the targeting service gives it. */
export function reasonText(reason: DecisionReason): string {
  if (typeof reason === 'string') return reason;
  return reason.text ?? reason.message ?? reason.description ?? reason.code ?? JSON.stringify(reason);
}

function RiskPanel({ decision }: { decision: ReturnType<typeof useLoad<Decision>> }) {
  const { t, number } = useI18n();
  return (
    <Section title={t('parcel.risk')} id="risk" className="span-2 risk-panel">
      {decision.status === 'notFound' ? <p className="muted">{t('parcel.notDecided')}</p> : (
        <LoadState state={decision}>
          {(data) => (
            <>
              <dl className="facts">
                <div><dt>{t('parcel.score')}</dt><dd><ScoreBar score={data.score} /></dd></div>
                <div><dt>{t('parcel.lane')}</dt><dd><LaneBadge lane={data.lane} /></dd></div>
                <div><dt>{t('parcel.model')}</dt><dd>{data.modelVersion ?? '–'}</dd></div>
                <div><dt>&nbsp;</dt><dd className="muted small">{t('parcel.decidedIn', { ms: number(data.decidedInMs, 1) })}</dd></div>
              </dl>
              <h3>{t('parcel.reasons')}</h3>
              {data.reasons.length === 0 ? <p className="muted">{t('parcel.noReasons')}</p> : (
                <ol className="reasons" data-testid="risk-reasons">
                  {data.reasons.map((reason, index) => {
                    const weight = typeof reason === 'object' ? reason.contribution ?? reason.weight : undefined;
                    return <li key={index}>{reasonText(reason)}{weight !== undefined && <span className="muted small"> ({weight > 0 ? '+' : ''}{number(weight, 3)})</span>}</li>;
                  })}
                </ol>
              )}
              {data.ruleHits && (
                <>
                  <h3>{t('parcel.ruleHits')}</h3>
                  {data.ruleHits.length === 0 ? <p className="muted">{t('parcel.noRuleHits')}</p> : (
                    <ul className="chips">{data.ruleHits.map((hit, index) => <li key={index}>{hit.name}{hit.lane && <> · <LaneBadge lane={hit.lane} /></>}</li>)}</ul>
                  )}
                </>
              )}
            </>
          )}
        </LoadState>
      )}
    </Section>
  );
}

function SummaryPanel({ view }: { view: ParcelView }) {
  const { t, number, money, date, dateTime } = useI18n();
  const facts: [string, string][] = [
    [t('parcel.channel'), t(`channel.${view.channel}`)],
    [t('parcel.carrier'), view.carrierCode],
    [t('parcel.office'), view.officeCode ?? '–'],
    [t('parcel.category'), view.category ?? '–'],
    [t('parcel.masterWaybill'), view.masterWaybill ?? '–'],
    [t('parcel.flight'), view.flight ?? '–'],
    [t('parcel.arrival'), date(view.arrivalDate)],
    [t('parcel.received'), dateTime(view.receivedAt)],
    [t('parcel.grossMass'), view.grossMassKg ? `${number(view.grossMassKg, 3)} kg` : '–'],
    [t('parcel.pieces'), view.pieces === null ? '–' : number(view.pieces, 0)],
    [t('parcel.declaredValue'), money(view.declaredValue, view.currency)],
    [t('parcel.freight'), money(view.freightValue, view.currency)],
  ];
  return (
    <Section title={t('parcel.summary')} id="summary">
      <dl className="facts">{facts.map(([label, value]) => <div key={label}><dt>{label}</dt><dd>{value}</dd></div>)}</dl>
    </Section>
  );
}

function LinesTable({ view, highlight }: { view: ParcelView; highlight?: Set<number> }) {
  const { t, number, money } = useI18n();
  const total = view.lines.reduce((sum, line) => sum + Number(line.value), 0);
  const sameCurrency = view.lines.every((line) => line.currency === view.currency);
  return (
    <div className="table-scroll">
      <table className="dense">
        <thead>
          <tr>
            <th scope="col">{t('parcel.line.no')}</th>
            <th scope="col">{t('parcel.line.description')}</th>
            <th scope="col" className="num">{t('parcel.line.quantity')}</th>
            <th scope="col" className="num">{t('parcel.line.netMass')}</th>
            <th scope="col" className="num">{t('parcel.line.value')}</th>
            <th scope="col">{t('parcel.line.hs')}</th>
            <th scope="col">{t('parcel.line.origin')}</th>
          </tr>
        </thead>
        <tbody>
          {view.lines.map((line) => (
            <tr key={line.lineNumber} className={highlight?.has(line.lineNumber) ? 'mismatch' : undefined}>
              <td>{line.lineNumber}</td>
              <td>{line.description}</td>
              <td className="num">{number(line.quantity, 3)}</td>
              <td className="num">{number(line.netMassKg, 3)}</td>
              <td className="num">{money(line.value, line.currency)}</td>
              <td className="mono">{line.hsCode ?? '–'}</td>
              <td>{line.originCountry ?? '–'}</td>
            </tr>
          ))}
        </tbody>
        {sameCurrency && view.lines.length > 1 && (
          <tfoot>
            <tr><th scope="row" colSpan={4}>{t('parcel.line.total')}</th><td className="num">{money(total, view.currency)}</td><td colSpan={2} /></tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

function LinesPanel({ view }: { view: ParcelView }) {
  const { t } = useI18n();
  return (
    <Section title={t('parcel.lines')} id="lines" className="span-2">
      <LinesTable view={view} />
    </Section>
  );
}

/** The annotated image beside the declared lines: the analyst sees at once whether the picture matches the paper. */
function XrayPanel({ parcelId, view, revision }: { parcelId: number; view: ParcelView; revision: number }) {
  const { t, percent } = useI18n();
  const xray = useLoad((signal) => api<XrayView>('get', endpoints.xrayImage, { params: { id: parcelId }, signal }), [parcelId, revision]);
  return (
    <Section title={t('parcel.xray')} id="xray" className="span-2">
      {xray.status === 'notFound' ? <p className="muted">{t('parcel.xrayNone')}</p> : (
        <LoadState state={xray}>
          {(image) => (
            <div className="xray">
              <figure className="xray-figure">
                <div className="xray-frame" style={{ aspectRatio: `${image.width} / ${image.height}` }}>
                  <img src={image.imageUrl} alt={t('parcel.xrayAlt', { tracking: view.trackingNumber })} data-testid="xray-image" />
                  <svg viewBox={`0 0 ${image.width} ${image.height}`} aria-hidden="true">
                    {image.detections.map((detection, index) => (
                      <g key={index}>
                        <rect x={detection.box.x} y={detection.box.y} width={detection.box.width} height={detection.box.height} className={image.mismatches?.includes(detection.label) ? 'box mismatch' : 'box'} />
                        <text x={detection.box.x} y={Math.max(12, detection.box.y - 4)}>{detection.label} {percent(detection.score, 0)}</text>
                      </g>
                    ))}
                  </svg>
                </div>
                <figcaption>
                  <strong>{t('parcel.xrayDetections')}:</strong> {image.detections.map((detection) => `${detection.label} (${percent(detection.score, 0)})`).join(', ') || t('common.none')}
                  {image.mismatches && image.mismatches.length > 0 ? (
                    <p className="notice notice-error">{t('parcel.xrayMismatch', { labels: image.mismatches.join(', ') })}</p>
                  ) : (
                    <p className="muted">{t('parcel.xrayMatches')}</p>
                  )}
                </figcaption>
              </figure>
              <LinesTable view={view} />
            </div>
          )}
        </LoadState>
      )}
    </Section>
  );
}

function Address({ party }: { party: Record<string, unknown> }) {
  const text = (name: string) => (typeof party[name] === 'string' ? (party[name] as string) : undefined);
  const parts = [text('business'), text('street'), [text('postcode'), text('city')].filter(Boolean).join(' '), text('country')].filter(Boolean);
  return (
    <address>
      <strong>{text('name') ?? '–'}</strong>
      {parts.map((part, index) => <span key={index}>{part}</span>)}
    </address>
  );
}

function PartiesPanel({ view }: { view: ParcelView }) {
  const { t } = useI18n();
  return (
    <Section title={t('parcel.parties')} id="parties">
      <div className="parties">
        <div>
          <h3>{t('parcel.sender')}</h3>
          <Address party={view.sender} />
        </div>
        <div>
          <h3>{t('parcel.addressee')}</h3>
          <Address party={view.addressee} />
          <p><span className="muted">{t('parcel.pccc')}:</span> <span className="mono" data-testid="pccc">{maskPccc(view.pccc)}</span></p>
        </div>
        <div>
          <h3>{t('parcel.seller')}</h3>
          {view.seller ? (
            <dl className="facts compact">
              <div><dt>{t('parcel.seller')}</dt><dd>{view.seller.name ?? view.seller.id} ({view.seller.country ?? '–'})</dd></div>
              <div><dt>{t('parcel.sellerRegistration')}</dt><dd className="mono">{view.seller.registrationNumber ?? '–'}</dd></div>
              <div><dt>{t('parcel.sellerStatus')}</dt><dd>{view.seller.registrationStatus ?? '–'}</dd></div>
            </dl>
          ) : <p className="muted">{t('parcel.sellerUnknown')}</p>}
        </div>
      </div>
    </Section>
  );
}

/** Compares what the buyer paid with what was declared, in the same currency only: no guessed exchange rates. */
function valueCheck(i18n: I18n, paid: { amount: string; currency: string }, view: ParcelView): { text: string; gap: boolean } {
  if (paid.currency !== view.currency) return { text: i18n.t('parcel.valueOtherCurrency', { currency: paid.currency, declared: view.currency }), gap: false };
  const paidAmount = Number(paid.amount);
  const declared = Number(view.declaredValue);
  if (declared > 0 && paidAmount > declared * 1.05) {
    return {
      text: i18n.t('parcel.valueGap', { paid: i18n.money(paidAmount, paid.currency), declared: i18n.money(declared, view.currency), percent: i18n.percent(paidAmount / declared - 1, 0) }),
      gap: true,
    };
  }
  return { text: i18n.t('parcel.valueMatches'), gap: false };
}

function OrdersPanel({ view }: { view: ParcelView }) {
  const i18n = useI18n();
  const { t, money, dateTime } = i18n;
  if (view.orders.length === 0 && view.payments.length === 0) {
    return <Section title={t('parcel.orders')} id="orders"><p className="muted">{t('parcel.noOrder')}</p></Section>;
  }
  return (
    <Section title={t('parcel.orders')} id="orders">
      {view.orders.map((order) => {
        const check = valueCheck(i18n, { amount: order.pricePaid, currency: order.currency }, view);
        return (
          <div key={`${order.marketplace}/${order.orderNumber}`} className="order">
            <h3>{t('parcel.order', { number: order.orderNumber, marketplace: order.marketplace })}</h3>
            <p>{order.listingUrl ? <a href={order.listingUrl} rel="noreferrer noopener" target="_blank">{order.productTitle}</a> : order.productTitle}</p>
            <dl className="facts compact">
              <div><dt>{t('parcel.pricePaid')}</dt><dd>{money(order.pricePaid, order.currency)}</dd></div>
              <div><dt>{t('parcel.declaredValue')}</dt><dd>{money(view.declaredValue, view.currency)}</dd></div>
            </dl>
            <p className={check.gap ? 'notice notice-error' : 'muted small'}>{check.text}</p>
            <p className="muted small">{dateTime(order.orderedAt)}</p>
          </div>
        );
      })}
      {view.payments.map((payment) => {
        const foreign = payment.foreignAmount && payment.foreignCurrency ? { amount: payment.foreignAmount, currency: payment.foreignCurrency } : { amount: payment.amount, currency: payment.currency };
        const check = valueCheck(i18n, foreign, view);
        return (
          <div key={payment.paymentReference} className="order">
            <h3>{t('parcel.payment', { reference: payment.paymentReference })}</h3>
            <dl className="facts compact">
              <div><dt>{t('parcel.paid')}</dt><dd>{money(payment.amount, payment.currency)}</dd></div>
              <div><dt>{t('parcel.foreignAmount')}</dt><dd>{payment.foreignAmount ? money(payment.foreignAmount, payment.foreignCurrency ?? payment.currency) : '–'}</dd></div>
              <div><dt>{t('parcel.method')}</dt><dd>{payment.method}</dd></div>
              <div><dt>{t('parcel.declaredValue')}</dt><dd>{money(view.declaredValue, view.currency)}</dd></div>
            </dl>
            <p className={check.gap ? 'notice notice-error' : 'muted small'}>{check.text}</p>
          </div>
        );
      })}
    </Section>
  );
}

function TaxPanel({ parcelId, revision }: { parcelId: number; revision: number }) {
  const { t, money } = useI18n();
  const preview = useLoad(() => api<AssessmentPreview>('post', endpoints.assessmentPreview, { body: { parcelId } }), [parcelId, revision]);
  return (
    <Section title={t('parcel.tax')} id="tax">
      <LoadState state={preview}>
        {(data) => (
          <dl className="facts">
            {data.listClearance !== undefined && <div><dt>{t('parcel.listClearance')}</dt><dd>{data.listClearance ? t('common.yes') : t('common.no')}</dd></div>}
            <div><dt>{t('parcel.customsValue')}</dt><dd>{money(data.customsValueKrw as string, 'KRW')}</dd></div>
            <div><dt>{t('parcel.duty')}</dt><dd>{money(data.dutyKrw as string, 'KRW')}</dd></div>
            {data.exciseKrw !== undefined && <div><dt>{t('parcel.excise')}</dt><dd>{money(data.exciseKrw as string, 'KRW')}</dd></div>}
            <div><dt>{t('parcel.vat')}</dt><dd>{money(data.vatKrw as string, 'KRW')}</dd></div>
            <div className="total"><dt>{t('parcel.totalTax')}</dt><dd>{money(data.totalKrw as string, 'KRW')}</dd></div>
            {data.reasons?.map((reason) => <p key={reason} className="muted small">{reason}</p>)}
          </dl>
        )}
      </LoadState>
    </Section>
  );
}

function HistoryPanel({ parcelId, revision }: { parcelId: number; revision: number }) {
  const { t, dateTime } = useI18n();
  const history = useLoad((signal) => api<HistoryEntry[] | { entries: HistoryEntry[] }>('get', endpoints.history, { params: { id: parcelId }, signal }), [parcelId, revision]);
  return (
    <Section title={t('parcel.history')} id="history">
      <LoadState state={history}>
        {(data) => {
          const entries = Array.isArray(data) ? data : data.entries;
          return entries.length === 0 ? <p className="muted">{t('parcel.noHistory')}</p> : (
            <ol className="timeline" data-testid="history">
              {entries.map((entry, index) => (
                <li key={index}>
                  <time dateTime={entry.at}>{dateTime(entry.at)}</time> <strong>{entry.action}</strong>
                  {entry.lane && <> <LaneBadge lane={entry.lane} /></>} <span className="muted">{entry.actor}</span>
                  {entry.reason && <p>{entry.reason}</p>}
                </li>
              ))}
            </ol>
          );
        }}
      </LoadState>
    </Section>
  );
}

function RelatedPanel({ parcelId }: { parcelId: number }) {
  const { t, date } = useI18n();
  const related = useLoad((signal) => api<RelatedParcel[] | { items: RelatedParcel[] }>('get', endpoints.related, { params: { id: parcelId }, signal }), [parcelId]);
  return (
    <Section title={t('parcel.related')} id="related">
      <LoadState state={related}>
        {(data) => {
          const items = Array.isArray(data) ? data : data.items;
          return items.length === 0 ? <p className="muted">{t('parcel.noRelated')}</p> : (
            <ul className="related">
              {items.map((item) => (
                <li key={`${item.parcelId}-${item.relation}`}>
                  <a href={`/parcels/${item.parcelId}`} onClick={(event) => { event.preventDefault(); navigate(`/parcels/${item.parcelId}`); }}>{item.trackingNumber}</a>{' '}
                  <span className="muted">{item.relation}</span> {item.lane && <LaneBadge lane={item.lane} />} {item.arrivalDate && <span className="muted">{date(item.arrivalDate)}</span>}
                </li>
              ))}
            </ul>
          );
        }}
      </LoadState>
    </Section>
  );
}

