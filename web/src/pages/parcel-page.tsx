import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api, fillPath, loadCapabilities, requestObjectUrl } from '../api/client';
import { endpoints } from '../api/endpoints';
import type {
  Decision,
  GroupMember,
  OfficerCase,
  ParcelClearance,
  ParcelView,
  RiskAssessment,
  Scan,
} from '../api/types';
import {
  ActionDialog,
  parcelActions,
  seizureCategories,
  type ParcelAction,
} from '../components/action-dialog';
import {
  LaneBadge,
  LoadState,
  maskPccc,
  ScoreBar,
  Section,
  Unavailable,
  useLoad,
  TableScroll,
  whySelectedKey,
} from '../components/common';
import { isTyping } from '../keyboard';
import { useI18n, type I18n } from '../i18n/i18n';
import { en, type MessageKey } from '../i18n/messages';
import { navigate } from '../router';

/** `1.000` -> `1`: quantities come with a fixed scale. */
const plainNumber = (value: string) => (value.includes('.') ? value.replace(/\.?0+$/, '') : value);

const actionKeys: Record<string, ParcelAction> = {
  r: 'release',
  h: 'hold',
  x: 'refer_xray',
  i: 'inspect',
  e: 'record_inspection',
  s: 'seize',
};

/** Everything about one parcel on one screen: the officer decides without opening a second window. */
export function ParcelPage({ parcelId }: { parcelId: number }) {
  const { t, language } = useI18n();
  const openedAt = useRef(performance.now());
  const [openedInMs, setOpenedInMs] = useState<number | null>(null);
  const [action, setAction] = useState<ParcelAction | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  const parcel = useLoad(
    (signal) =>
      loadCapabilities().then(() =>
        api<ParcelView>('get', endpoints.parcel, { params: { id: parcelId }, signal }),
      ),
    [parcelId, revision],
  );
  // The server writes the reasons in the console's language: read them again when it changes.
  const decision = useLoad(
    (signal) => api<Decision>('get', endpoints.decision, { params: { id: parcelId }, signal }),
    [parcelId, revision, language],
  );
  // The assessment's reasons and the model's contributions are server-written too.
  const clearance = useLoad(
    (signal) => api<ParcelClearance>('get', endpoints.clearance, { params: { id: parcelId }, signal }),
    [parcelId, revision, language],
  );
  // 204 (undefined) when no model is active.
  const risk = useLoad(
    (signal) => api<RiskAssessment | undefined>('get', endpoints.risk, { params: { id: parcelId }, signal }),
    [parcelId, revision, language],
  );

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
            <a
              href="/queue"
              className="back"
              onClick={(event) => {
                event.preventDefault();
                navigate('/queue');
              }}
            >
              ← {t('parcel.back')}
            </a>
            <h1>{t('parcel.title', { tracking: view.trackingNumber })}</h1>
            {decision.status === 'ready' && <LaneBadge lane={decision.data.lane} />}
            {decision.status === 'ready' ? (
              <ScoreBar score={decision.data.score} />
            ) : (
              risk.status === 'ready' && risk.data && <ScoreBar score={risk.data.score} />
            )}
            {clearance.status === 'ready' && (
              <span className="state" data-testid="clearance-state">
                {t(`state.${clearance.data.state}`)}
              </span>
            )}
            {decision.status === 'ready' && decision.data.xrayReferral && (
              <span className="state">{t('parcel.xrayReferral')}</span>
            )}
            {openedInMs !== null && (
              <span className="muted small" data-testid="parcel-open-ms">
                {t('parcel.openedIn', { ms: openedInMs })}
              </span>
            )}
          </div>
          <div className="action-bar" role="toolbar" aria-label={t('parcel.actions')}>
            {parcelActions.map((name) => (
              <button
                key={name}
                type="button"
                className={name === 'seize' ? 'danger' : name === 'release' ? 'primary' : undefined}
                onClick={() => setAction(name)}
                aria-keyshortcuts={Object.entries(actionKeys).find(([, value]) => value === name)?.[0]}
              >
                {t(`action.${name}`)}
              </button>
            ))}
          </div>
          {notice && (
            <p className="notice notice-ok" role="status">
              {notice}
            </p>
          )}
          <div className="parcel-grid">
            <RiskPanel decision={decision} risk={risk} />
            <SummaryPanel view={view} />
            <XrayPanel parcelId={parcelId} view={view} />
            <PartiesPanel view={view} />
            <OrdersPanel view={view} />
            <TaxPanel clearance={clearance} />
            <HistoryPanel parcelId={parcelId} clearance={clearance} revision={revision} />
            <RelatedPanel parcelId={parcelId} clearance={clearance} />
          </div>
          {action && (
            <ActionDialog
              context={{
                parcelId,
                label: view.trackingNumber,
                lane: decision.status === 'ready' ? decision.data.lane : undefined,
                departureCountry: typeof view.sender.country === 'string' ? view.sender.country : undefined,
              }}
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

/** Plain sentences with their evidence first; the engine's own detail folded away below them. */
function DecisionReasons({ decision }: { decision: Decision }) {
  const { t } = useI18n();
  const details =
    decision.reasonDetails ?? decision.reasons.map((text) => ({ code: 'text', text, detail: false }));
  const findings = details.filter((reason) => !reason.detail);
  const engine = details.filter((reason) => reason.detail);
  if (details.length === 0) return <p className="muted">{t('parcel.noReasons')}</p>;
  return (
    <>
      <ol className="reasons" data-testid="decision-reasons">
        {findings.map((reason, index) => (
          <li key={index} data-code={reason.code}>
            {reason.text}
          </li>
        ))}
      </ol>
      {engine.length > 0 && (
        <details className="engine-detail" data-testid="engine-detail">
          <summary>{t('parcel.engineDetail')}</summary>
          <ul className="reasons">
            {engine.map((reason, index) => (
              <li key={index} data-code={reason.code}>
                {reason.text}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

function RiskPanel({
  decision,
  risk,
}: {
  decision: ReturnType<typeof useLoad<Decision>>;
  risk: ReturnType<typeof useLoad<RiskAssessment | undefined>>;
}) {
  const { t, number } = useI18n();
  return (
    <Section title={t('parcel.risk')} id="risk" className="risk-panel">
      {decision.status === 'notFound' ? (
        <p className="muted">{t('parcel.notDecided')}</p>
      ) : (
        <LoadState state={decision}>
          {(data) => (
            <>
              <dl className="facts">
                <div>
                  <dt>{t('parcel.score')}</dt>
                  <dd>
                    <ScoreBar score={data.score} />
                  </dd>
                </div>
                <div>
                  <dt>{t('parcel.lane')}</dt>
                  <dd>
                    <LaneBadge lane={data.lane} />
                  </dd>
                </div>
                <div>
                  <dt>{t('parcel.model')}</dt>
                  <dd>{data.modelVersion ?? '–'}</dd>
                </div>
              </dl>
              <p className="muted small">{t('parcel.decidedIn', { ms: number(data.decidedInMs, 1) })}</p>
              <p className="muted small">
                {t('parcel.selection')}: {t(whySelectedKey(data.selection))} ·{' '}
                {t('parcel.decision', { sequence: data.sequence })}
              </p>
              {data.override && (
                <p className="notice">
                  {t('parcel.override', { by: data.override.by, reason: data.override.reason })}
                </p>
              )}
              <h3>{t('parcel.reasons')}</h3>
              <DecisionReasons decision={data} />
              <h3>{t('parcel.ruleHits')}</h3>
              {data.ruleHits.length === 0 ? (
                <p className="muted">{t('parcel.noRuleHits')}</p>
              ) : (
                <ul className="chips">
                  {data.ruleHits.map((hit) => (
                    <li key={hit.ruleId}>
                      {hit.name} <span className="muted small">v{hit.version}</span>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </LoadState>
      )}
      <h3>{t('parcel.modelRisk')}</h3>
      <LoadState state={risk}>
        {(assessment) =>
          !assessment ? (
            <p className="muted">{t('parcel.noActiveModel')}</p>
          ) : (
            <>
              <dl className="facts">
                <div>
                  <dt>{t('parcel.score')}</dt>
                  <dd>
                    <ScoreBar score={assessment.score} />
                  </dd>
                </div>
                <div>
                  <dt>{t('parcel.model')}</dt>
                  <dd>{assessment.modelVersion}</dd>
                </div>
              </dl>
              <h3>{t('parcel.contributions')}</h3>
              {assessment.contributions.length === 0 ? (
                <p className="muted">{t('parcel.noReasons')}</p>
              ) : (
                <ol className="reasons" data-testid="risk-reasons">
                  {assessment.contributions.map((item, index) => (
                    <li key={index} className={item.contribution > 0 ? 'raises' : 'lowers'}>
                      {item.text}{' '}
                      <span className="muted small">
                        ({item.contribution > 0 ? '+' : ''}
                        {number(item.contribution, 2)})
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </>
          )
        }
      </LoadState>
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
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

function LinesTable({ view, highlight }: { view: ParcelView; highlight?: Set<number> }) {
  const { t, number, money } = useI18n();
  const total = view.lines.reduce((sum, line) => sum + Number(line.value), 0);
  const sameCurrency = view.lines.every((line) => line.currency === view.currency);
  return (
    <TableScroll label={t('parcel.lines')}>
      <table className="dense">
        <thead>
          <tr>
            <th scope="col">{t('parcel.line.no')}</th>
            <th scope="col">{t('parcel.line.description')}</th>
            <th scope="col" className="num">
              {t('parcel.line.quantity')}
            </th>
            <th scope="col" className="num">
              {t('parcel.line.netMass')}
            </th>
            <th scope="col" className="num">
              {t('parcel.line.value')}
            </th>
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
            <tr>
              <th scope="row" colSpan={4}>
                {t('parcel.line.total')}
              </th>
              <td className="num">{money(total, view.currency)}</td>
              <td colSpan={2} />
            </tr>
          </tfoot>
        )}
      </table>
    </TableScroll>
  );
}

/** The annotated image beside the declared lines: the analyst sees at once whether the picture matches the paper. */
function XrayPanel({ parcelId, view }: { parcelId: number; view: ParcelView }) {
  const { t } = useI18n();
  const scans = useLoad(
    (signal) => api<Scan[]>('get', endpoints.scans, { params: { id: parcelId }, signal }),
    [parcelId],
  );
  const noImage = (content: ReactNode) => (
    <div className="xray">
      <div>{content}</div>
      <div>
        <h3>{t('parcel.lines')}</h3>
        <LinesTable view={view} />
      </div>
    </div>
  );
  return (
    <Section title={t('parcel.linesAndXray')} id="xray" className="span-2">
      {scans.status === 'ready'
        ? (() => {
            // The newest scan is the one the parcel looks like now: the last of them in upload order.
            const scan = [...scans.data].sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt))[0];
            return scan ? (
              <ScanView scan={scan} count={scans.data.length} view={view} />
            ) : (
              noImage(<p className="muted">{t('parcel.xrayNone')}</p>)
            );
          })()
        : noImage(<LoadState state={scans}>{() => null}</LoadState>)}
    </Section>
  );
}

type ScanDetection = NonNullable<Scan['detections']>[number];

/** A threat label in the officer's language; an operator model's own labels as they are. */
function useThreatLabel(): (label: string) => string {
  const { t } = useI18n();
  return (label) => {
    const key = `xray.threat.${label}`;
    return key in en ? t(key as MessageKey) : label.replace(/_/g, ' ');
  };
}

/**
 * The detections drawn over the scan in its own pixel coordinates (the SVG scales with the image): red
 * where no declared line explains the threat, amber where one does.
 */
function ScanBoxes({ scan, detections }: { scan: Scan; detections: readonly ScanDetection[] }) {
  const { t, percent } = useI18n();
  const threatLabel = useThreatLabel();
  const undeclared = new Set(scan.declarationMatch?.undeclared ?? []);
  const fontSize = Math.max(12, Math.round(Math.min(scan.width, scan.height) / 30));
  return (
    <svg
      viewBox={`0 0 ${scan.width} ${scan.height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={t('parcel.xrayDetections')}
      data-testid="xray-boxes"
    >
      {detections.map((detection, index) => {
        const mismatch = undeclared.has(detection.label);
        return (
          <g key={index} data-testid="xray-box" data-label={detection.label} data-mismatch={mismatch}>
            <rect
              className={mismatch ? 'box mismatch' : 'box'}
              x={detection.x}
              y={detection.y}
              width={detection.width}
              height={detection.height}
              vectorEffect="non-scaling-stroke"
            />
            <text
              className={mismatch ? 'mismatch' : undefined}
              x={detection.x + 4}
              y={Math.max(fontSize, detection.y - fontSize * 0.35)}
              fontSize={fontSize}
              strokeWidth={fontSize / 5}
            >
              {threatLabel(detection.label)} {percent(detection.score, 0)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function ScanView({ scan, count, view }: { scan: Scan; count: number; view: ParcelView }) {
  const { t, percent, dateTime } = useI18n();
  const threatLabel = useThreatLabel();
  const [imageUrl, setImageUrl] = useState<string | null>(null);
  const [imageFailure, setImageFailure] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let url: string | null = null;
    // The scan without burnt-in boxes: the console draws them itself, in the officer's language, and
    // they stay sharp at any size.
    requestObjectUrl(
      `${fillPath(endpoints.scanAnnotated, { scanId: scan.id })}?boxes=0`,
      controller.signal,
    ).then(
      (objectUrl) => {
        url = objectUrl;
        setImageUrl(objectUrl);
      },
      (error: unknown) => !controller.signal.aborted && setImageFailure(String(error)),
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [scan.id, scan.state]);
  const match = scan.declarationMatch;
  // Lines that a finding names are marked; when every line is named, the finding is about the parcel as a whole and the notice says it.
  const named = match?.mismatch
    ? view.lines.filter((line) =>
        match.findings.some((finding) => line.hsCode && finding.includes(line.hsCode.slice(0, 4))),
      )
    : [];
  const flagged = new Set(named.length < view.lines.length ? named.map((line) => line.lineNumber) : []);
  return (
    <div className="xray">
      <figure className="xray-figure">
        <div className="xray-frame" style={{ aspectRatio: `${scan.width} / ${scan.height}` }}>
          {!imageUrl && !imageFailure && (
            <p className="xray-loading" role="status">
              {t('parcel.xrayLoading')}
            </p>
          )}
          {imageUrl && (
            <img
              src={imageUrl}
              alt={t('parcel.xrayAlt', { tracking: view.trackingNumber })}
              data-testid="xray-image"
            />
          )}
          {imageUrl && scan.detections && scan.detections.length > 0 && (
            <ScanBoxes scan={scan} detections={scan.detections} />
          )}
        </div>
        <figcaption>
          <span className="muted small">
            {t('parcel.xrayScan', { number: count, count })} · {dateTime(scan.uploadedAt)}
            {scan.model && <> · {scan.model}</>}
          </span>
          {imageFailure && <p className="notice notice-error">{imageFailure}</p>}
          {scan.state === 'queued' && <p className="muted">{t('parcel.xrayPending')}</p>}
          {scan.state === 'failed' && (
            <p className="notice notice-error">{t('parcel.xrayFailed', { error: scan.error ?? '' })}</p>
          )}
          {match && scan.detections && scan.detections.length > 0 && (
            <p className="xray-legend small">
              <span className="swatch mismatch" />
              {t('parcel.xrayBoxUndeclared')} · <span className="swatch" />
              {t('parcel.xrayBoxDeclared')}
            </p>
          )}
          {scan.detections && (
            <p>
              <strong>{t('parcel.xrayDetections')}:</strong>{' '}
              {scan.detections
                .map((detection) => `${threatLabel(detection.label)} (${percent(detection.score, 0)})`)
                .join(', ') || t('common.none')}
            </p>
          )}
          {match &&
            (match.mismatch ? (
              <div className="notice notice-error" data-testid="xray-mismatch">
                <strong>{t('parcel.xrayMismatch', { labels: match.threats.join(', ') })}</strong>
                <ul>
                  {match.findings.map((finding) => (
                    <li key={finding}>{finding}</li>
                  ))}
                </ul>
              </div>
            ) : (
              <p className="muted">
                {t('parcel.xrayMatches')}
                {match.findings.length > 0 && <> {match.findings.join(' ')}</>}
              </p>
            ))}
        </figcaption>
      </figure>
      <div>
        <h3>{t('parcel.lines')}</h3>
        <LinesTable view={view} highlight={flagged} />
      </div>
    </div>
  );
}

function Address({ party }: { party: Record<string, unknown> }) {
  const text = (name: string) => (typeof party[name] === 'string' ? (party[name] as string) : undefined);
  const parts = [
    text('business'),
    text('street'),
    [text('postcode'), text('city')].filter(Boolean).join(' '),
    text('country'),
  ].filter(Boolean);
  return (
    <address>
      <strong>{text('name') ?? '–'}</strong>
      {parts.map((part, index) => (
        <span key={index}>{part}</span>
      ))}
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
          <p>
            <span className="muted">{t('parcel.pccc')}:</span>{' '}
            <span className="mono" data-testid="pccc">
              {maskPccc(view.pccc)}
            </span>
          </p>
          {view.pccc && (
            <p>
              <ProfileLink path={`/analytics/pccc/${view.pccc}`} label={t('parcel.pcccProfile')} />
            </p>
          )}
        </div>
        <div>
          <h3>{t('parcel.seller')}</h3>
          {view.seller ? (
            <>
              <dl className="facts compact">
                <div>
                  <dt>{t('parcel.seller')}</dt>
                  <dd>
                    {view.seller.name ?? view.seller.id} ({view.seller.country ?? '–'})
                  </dd>
                </div>
                <div>
                  <dt>{t('parcel.sellerRegistration')}</dt>
                  <dd className="mono">{view.seller.registrationNumber ?? '–'}</dd>
                </div>
                <div>
                  <dt>{t('parcel.sellerStatus')}</dt>
                  <dd>{view.seller.registrationStatus ?? '–'}</dd>
                </div>
              </dl>
              <p>
                <ProfileLink
                  path={`/analytics/sellers/${encodeURIComponent(view.seller.id)}`}
                  label={t('parcel.sellerProfile')}
                />
              </p>
            </>
          ) : (
            <p className="muted">{t('parcel.sellerUnknown')}</p>
          )}
        </div>
      </div>
    </Section>
  );
}

/** Compares what the buyer paid with what was declared, in the same currency only: no guessed exchange rates. */
function valueCheck(
  i18n: I18n,
  paid: { amount: string; currency: string },
  view: ParcelView,
): { text: string; gap: boolean } {
  if (paid.currency !== view.currency)
    return {
      text: i18n.t('parcel.valueOtherCurrency', { currency: paid.currency, declared: view.currency }),
      gap: false,
    };
  const paidAmount = Number(paid.amount);
  const declared = Number(view.declaredValue);
  if (declared > 0 && paidAmount > declared * 1.05) {
    return {
      text: i18n.t('parcel.valueGap', {
        paid: i18n.money(paidAmount, paid.currency),
        declared: i18n.money(declared, view.currency),
        percent: i18n.percent(paidAmount / declared - 1, 0),
      }),
      gap: true,
    };
  }
  return { text: i18n.t('parcel.valueMatches'), gap: false };
}

function OrdersPanel({ view }: { view: ParcelView }) {
  const i18n = useI18n();
  const { t, money, dateTime } = i18n;
  if (view.orders.length === 0 && view.payments.length === 0) {
    return (
      <Section title={t('parcel.orders')} id="orders">
        <p className="muted">{t('parcel.noOrder')}</p>
      </Section>
    );
  }
  return (
    <Section title={t('parcel.orders')} id="orders">
      {view.orders.map((order) => {
        const check = valueCheck(i18n, { amount: order.pricePaid, currency: order.currency }, view);
        return (
          <div key={`${order.marketplace}/${order.orderNumber}`} className="order">
            <h3>{t('parcel.order', { number: order.orderNumber, marketplace: order.marketplace })}</h3>
            <p>
              {order.listingUrl ? (
                <a href={order.listingUrl} rel="noreferrer noopener" target="_blank">
                  {order.productTitle}
                </a>
              ) : (
                order.productTitle
              )}
            </p>
            <dl className="facts compact">
              <div>
                <dt>{t('parcel.pricePaid')}</dt>
                <dd>{money(order.pricePaid, order.currency)}</dd>
              </div>
              <div>
                <dt>{t('parcel.declaredValue')}</dt>
                <dd>{money(view.declaredValue, view.currency)}</dd>
              </div>
            </dl>
            <p className={check.gap ? 'notice notice-error' : 'muted small'}>{check.text}</p>
            <p className="muted small">{dateTime(order.orderedAt)}</p>
          </div>
        );
      })}
      {view.payments.map((payment) => {
        const foreign =
          payment.foreignAmount && payment.foreignCurrency
            ? { amount: payment.foreignAmount, currency: payment.foreignCurrency }
            : { amount: payment.amount, currency: payment.currency };
        const check = valueCheck(i18n, foreign, view);
        return (
          <div key={payment.paymentReference} className="order">
            <h3>{t('parcel.payment', { reference: payment.paymentReference })}</h3>
            <dl className="facts compact">
              <div>
                <dt>{t('parcel.paid')}</dt>
                <dd>{money(payment.amount, payment.currency)}</dd>
              </div>
              <div>
                <dt>{t('parcel.foreignAmount')}</dt>
                <dd>
                  {payment.foreignAmount
                    ? money(payment.foreignAmount, payment.foreignCurrency ?? payment.currency)
                    : '–'}
                </dd>
              </div>
              <div>
                <dt>{t('parcel.method')}</dt>
                <dd>{payment.method}</dd>
              </div>
              <div>
                <dt>{t('parcel.declaredValue')}</dt>
                <dd>{money(view.declaredValue, view.currency)}</dd>
              </div>
            </dl>
            <p className={check.gap ? 'notice notice-error' : 'muted small'}>{check.text}</p>
          </div>
        );
      })}
    </Section>
  );
}

function TaxPanel({ clearance }: { clearance: ReturnType<typeof useLoad<ParcelClearance>> }) {
  const { t, money } = useI18n();
  return (
    <Section title={t('parcel.tax')} id="tax">
      <LoadState state={clearance}>
        {({ assessment, assessmentError }) => {
          if (assessmentError) return <p className="notice notice-error">{assessmentError}</p>;
          if (!assessment) return <p className="muted">{t('parcel.notAssessed')}</p>;
          return (
            <>
              <dl className="facts">
                <div>
                  <dt>{t('parcel.listClearance')}</dt>
                  <dd>{assessment.listClearance ? t('common.yes') : t('common.no')}</dd>
                </div>
                <div>
                  <dt>{t('parcel.goodsPrice')}</dt>
                  <dd>
                    {money(assessment.goodsPriceUsd, 'USD')} · {money(assessment.goodsPriceKrw, 'KRW')}
                  </dd>
                </div>
                <div>
                  <dt>{t('parcel.limit')}</dt>
                  <dd>{money(assessment.listClearanceLimitUsd, 'USD')}</dd>
                </div>
                <div>
                  <dt>{t('parcel.customsValue')}</dt>
                  <dd>{money(assessment.customsValueKrw, 'KRW')}</dd>
                </div>
                <div>
                  <dt>{t('parcel.duty')}</dt>
                  <dd>{money(assessment.dutyKrw, 'KRW')}</dd>
                </div>
                {assessment.exciseKrw > 0 && (
                  <div>
                    <dt>{t('parcel.excise')}</dt>
                    <dd>{money(assessment.exciseKrw, 'KRW')}</dd>
                  </div>
                )}
                <div>
                  <dt>{t('parcel.vat')}</dt>
                  <dd>{money(assessment.vatKrw, 'KRW')}</dd>
                </div>
                <div className="total">
                  <dt>{t('parcel.totalTax')}</dt>
                  <dd>{money(assessment.assessedTaxKrw, 'KRW')}</dd>
                </div>
              </dl>
              {assessment.reasons.length > 0 && (
                <ul className="small">
                  {assessment.reasons.map((reason, index) => (
                    <li key={index}>{reason.message}</li>
                  ))}
                </ul>
              )}
            </>
          );
        }}
      </LoadState>
    </Section>
  );
}

interface TimelineEntry {
  at: string;
  title: string;
  actor?: string;
  detail?: string | null;
  lane?: Decision['lane'];
}

/** Decisions (targeting), state changes, inspections and seizures (clearance), merged in time order. */
function HistoryPanel({
  parcelId,
  clearance,
  revision,
}: {
  parcelId: number;
  clearance: ReturnType<typeof useLoad<ParcelClearance>>;
  revision: number;
}) {
  const { t, dateTime } = useI18n();
  const decisions = useLoad(
    (signal) => api<{ items: Decision[] }>('get', endpoints.decisions, { params: { id: parcelId }, signal }),
    [parcelId, revision],
  );
  const entries: TimelineEntry[] = [];
  if (decisions.status === 'ready') {
    for (const decision of decisions.data.items) {
      entries.push({
        at: decision.decidedAt,
        title: `${t('parcel.decision', { sequence: decision.sequence })} · ${decision.trigger}`,
        lane: decision.lane,
        actor: decision.override?.by ?? decision.modelVersion,
        detail: decision.override?.reason ?? decision.reasons[0],
      });
    }
  }
  if (clearance.status === 'ready') {
    for (const move of clearance.data.history) {
      entries.push({
        at: move.at,
        title: t('parcel.transition', {
          from: move.from ? t(`state.${move.from}`) : '∅',
          to: t(`state.${move.to}`),
        }),
        actor: move.actor,
        detail: move.reason,
      });
    }
    for (const inspection of clearance.data.inspections ?? []) {
      const known = ['no_finding', 'undervaluation', 'misdeclared_goods', 'prohibited_goods'].includes(
        inspection.outcome,
      );
      entries.push({
        at: inspection.recorded_at,
        title: t('parcel.inspection', {
          outcome: known ? t(`action.outcome.${inspection.outcome as 'no_finding'}`) : inspection.outcome,
        }),
        actor: inspection.inspector,
        detail: inspection.notes,
      });
    }
    for (const seizure of clearance.data.seizures ?? []) {
      const category = (seizureCategories as readonly string[]).includes(seizure.goods_category)
        ? t(`seizure.${seizure.goods_category as (typeof seizureCategories)[number]}`)
        : seizure.goods_category;
      entries.push({
        at: seizure.recorded_at,
        title: t('parcel.seizureEntry', {
          category,
          quantity: plainNumber(seizure.quantity),
          unit: seizure.quantity_unit,
        }),
        actor: seizure.recorded_by,
        detail: seizure.goods_description,
      });
    }
  }
  entries.sort((a, b) => a.at.localeCompare(b.at));
  const waiting = decisions.status === 'loading' || clearance.status === 'loading';
  return (
    <Section title={t('parcel.history')} id="history" className="span-2">
      {decisions.status === 'unavailable' && <Unavailable endpoint={decisions.endpoint} />}
      {clearance.status === 'unavailable' && <Unavailable endpoint={clearance.endpoint} />}
      {waiting ? (
        <p className="muted">{t('common.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="muted">{t('parcel.noHistory')}</p>
      ) : (
        <ol className="timeline" data-testid="history">
          {entries.map((entry, index) => (
            <li key={index}>
              <time dateTime={entry.at}>{dateTime(entry.at)}</time> <strong>{entry.title}</strong>
              {entry.lane && (
                <>
                  {' '}
                  <LaneBadge lane={entry.lane} />
                </>
              )}{' '}
              {entry.actor && <span className="muted">{entry.actor}</span>}
              {entry.detail && <p>{entry.detail}</p>}
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

/** A link to another parcel's page, named by its tracking number. */
function ParcelLink({ parcelId, label }: { parcelId: number; label: string }) {
  return (
    <a
      className="related-link"
      href={`/parcels/${parcelId}`}
      onClick={(event) => {
        event.preventDefault();
        navigate(`/parcels/${parcelId}`);
      }}
    >
      {label}
    </a>
  );
}

/** A link to the seller's or the buyer code's profile in the big-data portal. */
function ProfileLink({ path, label }: { path: string; label: string }) {
  return (
    <a
      className="related-link"
      href={path}
      onClick={(event) => {
        event.preventDefault();
        navigate(path);
      }}
    >
      {label}
    </a>
  );
}

/** Each member's goods price as a segment of one bar, with the list-clearance limit marked on it. */
function GroupBar({ members, limitKrw }: { members: GroupMember[]; limitKrw: number | null }) {
  const { t, money } = useI18n();
  const sum = members.reduce((total, member) => total + (member.goodsPriceKrw ?? 0), 0);
  const scale = Math.max(sum, limitKrw ?? 0) || 1;
  return (
    <div className="group-bar" role="img" aria-label={t('related.chart')}>
      {members.map((member) => (
        <span
          key={member.parcelId}
          className="group-bar-part"
          style={{ width: `${(100 * (member.goodsPriceKrw ?? 0)) / scale}%` }}
          title={`${member.trackingNumber}: ${money(member.goodsPriceKrw, 'KRW')}`}
        />
      ))}
      {limitKrw !== null && (
        <span className="group-bar-limit" style={{ left: `${(100 * limitKrw) / scale}%` }}>
          {t('related.limit')}
        </span>
      )}
    </div>
  );
}

function MemberTable({ members, currentId }: { members: GroupMember[]; currentId: number }) {
  const { t, money } = useI18n();
  return (
    <TableScroll label={t('related.member')}>
      <table className="members">
        <thead>
          <tr>
            <th scope="col">{t('related.member')}</th>
            <th scope="col">{t('related.state')}</th>
            <th scope="col">{t('related.value')}</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.parcelId} aria-current={member.parcelId === currentId ? 'true' : undefined}>
              <td>
                {member.parcelId === currentId ? (
                  member.trackingNumber
                ) : (
                  <ParcelLink parcelId={member.parcelId} label={member.trackingNumber} />
                )}
              </td>
              <td>{t(`state.${member.state}`)}</td>
              <td>{money(member.goodsPriceKrw, 'KRW')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** What an officer case asks, worded by the console in the officer's language from the case's facts. */
function caseTask(found: OfficerCase, i18n: I18n): string {
  const { t, money, date } = i18n;
  const { details } = found;
  if (found.kind === 'exchange_rate_missing')
    return t('case.exchange_rate_missing', {
      week: details.isoWeek ?? '',
      year: details.isoYear ?? '',
      from: date(details.weekStarting),
      currency: details.currency ?? '',
      date: date(details.date),
    });
  return t('case.additional_tax', {
    parcels: (details.groupParcelIds ?? []).join(', '),
    sum: money(details.goodsPriceKrw, 'KRW'),
    limit: money(details.limitKrw, 'KRW'),
    tax: money(details.additionalTaxKrw, 'KRW'),
  });
}

/**
 * The parcel's combined-taxation group (why its members are taxed together, their values against the
 * limit) and the splitting signals it belongs to, with the evidence and links to every member; open
 * officer cases on the parcel.
 */
function RelatedPanel({
  parcelId,
  clearance,
}: {
  parcelId: number;
  clearance: ReturnType<typeof useLoad<ParcelClearance>>;
}) {
  const i18n = useI18n();
  const { t, money, date } = i18n;
  const idsOf = (ids: number[], members: GroupMember[]) =>
    ids.map((id) => members.find((member) => member.parcelId === id)?.trackingNumber ?? `#${id}`).join(', ');
  return (
    <Section title={t('parcel.related')} id="related">
      <LoadState state={clearance}>
        {(data) => {
          const group = data.group ?? null;
          const signals = data.signals ?? [];
          const cases = (data.cases ?? []).filter((found) => found.status === 'open');
          if (!group && signals.length === 0 && cases.length === 0)
            return <p className="muted">{t('parcel.noRelated')}</p>;
          return (
            <div data-testid="related">
              {cases.length > 0 && (
                <div className="notice" role="note">
                  <strong>{t('case.open')}</strong>
                  <ul>
                    {cases.map((found) => (
                      <li key={found.id}>{caseTask(found, i18n)}</li>
                    ))}
                  </ul>
                </div>
              )}
              {group && (
                <>
                  <h3>
                    {t('related.group')}:{' '}
                    {group.triggers.map((trigger) => t(`related.${trigger}`)).join(', ')}
                    {group.overLimit && (
                      <>
                        {' '}
                        <span className="lane lane-red">{t('related.overLimit')}</span>
                      </>
                    )}
                  </h3>
                  <ul className="related">
                    {group.evidence.map((evidence, index) => (
                      <li key={index}>
                        {evidence.trigger === 'same_waybill'
                          ? t('related.waybillEvidence', {
                              waybill: evidence.waybill ?? '',
                              parcels: idsOf(evidence.parcelIds, group.members),
                            })
                          : t('related.sellerEvidence', {
                              seller: evidence.seller ?? '',
                              date: date(evidence.purchaseDate),
                              parcels: idsOf(evidence.parcelIds, group.members),
                            })}
                      </li>
                    ))}
                  </ul>
                  <p>
                    {t('related.sum', {
                      sum: money(group.goodsPriceKrw, 'KRW'),
                      limit: money(group.limitKrw, 'KRW'),
                    })}
                  </p>
                  <GroupBar members={group.members} limitKrw={group.limitKrw} />
                  <MemberTable members={group.members} currentId={parcelId} />
                </>
              )}
              {signals.length > 0 && (
                <>
                  <h3>{t('related.signals')}</h3>
                  <ul className="related">
                    {signals.map((signal, index) => (
                      <li key={index}>
                        <strong>{t(`related.${signal.kind}`)}</strong> · {money(signal.goodsPriceKrw, 'KRW')}
                        {signal.overLimitIfCombined && (
                          <>
                            {' '}
                            · <span className="lane lane-red">{t('related.overLimit')}</span>
                          </>
                        )}
                        <div className="muted small">
                          {signal.kind === 'same_pccc_same_day'
                            ? t('related.pcccEvidence', {
                                pccc: maskPccc(signal.evidence.pccc ?? null),
                                date: date(signal.evidence.arrivalDate),
                              })
                            : t('related.addressEvidence', { count: signal.evidence.distinctPcccs ?? 0 })}
                        </div>
                        <div>
                          {signal.members
                            .filter((member) => member.parcelId !== parcelId)
                            .map((member) => (
                              <ParcelLink
                                key={member.parcelId}
                                parcelId={member.parcelId}
                                label={`${member.trackingNumber} (${money(member.goodsPriceKrw, 'KRW')})`}
                              />
                            ))}
                        </div>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          );
        }}
      </LoadState>
    </Section>
  );
}
