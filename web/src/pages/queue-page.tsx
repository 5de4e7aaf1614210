import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { api, hasEndpoint, loadCapabilities } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { QueueItem, QueuePage as QueuePageData, Rule } from '../api/types';
import { ActionDialog, type ParcelAction } from '../components/action-dialog';
import {
  LaneBadge,
  ScoreBar,
  toFailure,
  Unavailable,
  whySelectedKey,
  type Loadable,
} from '../components/common';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { navigate, useLocation } from '../router';

const filterNames = ['office', 'carrier', 'lane', 'rule', 'hsChapter', 'arrivalFrom', 'arrivalTo'] as const;
type Filters = Partial<Record<(typeof filterNames)[number], string>>;
const PAGE_SIZE = 200;
const ROW_HEIGHT = 34;
/** Letters that act on the selected parcel straight from the queue. */
const decisionKeys: Record<string, ParcelAction> = { r: 'release', h: 'hold', x: 'refer_xray', i: 'inspect' };

function filtersFrom(search: string): Filters {
  const params = new URLSearchParams(search);
  const filters: Filters = {};
  for (const name of filterNames) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  return filters;
}

/**
 * Parcels awaiting a decision or an inspection, riskiest first. Rows are fetched a page at a time by
 * cursor as the officer scrolls, and only the visible rows are in the DOM, so 100,000 parcels scroll
 * as smoothly as 100. The filters live in the address, so a filtered queue can be bookmarked or shared.
 */
export function QueuePage() {
  const { t, number } = useI18n();
  const { search } = useLocation();
  const filters = useMemo(() => filtersFrom(search), [search]);
  const [rows, setRows] = useState<QueueItem[]>([]);
  const [total, setTotal] = useState({ count: 0, capped: false });
  const [state, setState] = useState<Loadable<true>>({ status: 'loading' });
  const [selected, setSelected] = useState(0);
  const [action, setAction] = useState<ParcelAction | null>(null);
  const [firstRowsMs, setFirstRowsMs] = useState<number | null>(null);
  const cursorRef = useRef<string | null>(null);
  const loadingMoreRef = useRef(false);
  const generationRef = useRef(0);
  const gridRef = useRef<HTMLDivElement>(null);
  const startedAt = useRef(performance.now());
  const [ruleNames, setRuleNames] = useState<Map<number, string>>(new Map());

  // Rule hits arrive as ids; their names come from the rules list, for those allowed to read it.
  useEffect(() => {
    void loadCapabilities().then(async () => {
      if (!hasEndpoint('get', endpoints.rules)) return;
      try {
        const rules = await api<{ items: Rule[] }>('get', endpoints.rules);
        setRuleNames(new Map(rules.items.map((rule) => [rule.id, rule.name])));
      } catch {
        // Not every officer may read the rules; the ids are shown instead.
      }
    });
  }, []);

  const loadPage = useCallback(
    async (reset: boolean) => {
      const generation = reset ? ++generationRef.current : generationRef.current;
      if (!reset && (loadingMoreRef.current || cursorRef.current === null)) return;
      loadingMoreRef.current = true;
      try {
        const page = await api<QueuePageData>('get', endpoints.queue, {
          query: { ...filters, limit: PAGE_SIZE, cursor: reset ? undefined : cursorRef.current },
        });
        if (generation !== generationRef.current) return;
        cursorRef.current = page.nextCursor;
        // The server counts only on the first page, and only up to its cap; later pages keep that count.
        if (page.total !== undefined) setTotal({ count: page.total, capped: page.totalCapped ?? false });
        setRows((previous) => (reset ? page.items : previous.concat(page.items)));
        setState({ status: 'ready', data: true });
      } catch (error) {
        if (generation === generationRef.current) setState(toFailure(error));
      } finally {
        loadingMoreRef.current = false;
      }
    },
    [filters],
  );

  useEffect(() => {
    startedAt.current = performance.now();
    cursorRef.current = null;
    setSelected(0);
    setState({ status: 'loading' });
    void loadCapabilities().then(() => loadPage(true));
  }, [loadPage]);

  // Time to first rows, in the page itself: the benchmark and the officer read the same number.
  useEffect(() => {
    if (state.status !== 'ready' || firstRowsMs !== null) return;
    requestAnimationFrame(() => {
      const elapsed = Math.round(performance.now() - startedAt.current);
      performance.mark('clearway:queue-rendered');
      setFirstRowsMs(elapsed);
    });
  }, [state.status, firstRowsMs]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastVisible = virtualRows.at(-1)?.index ?? 0;
  useEffect(() => {
    if (rows.length > 0 && lastVisible >= rows.length - 40) void loadPage(false);
  }, [lastVisible, rows.length, loadPage]);

  const move = (to: number) => {
    const index = Math.max(0, Math.min(rows.length - 1, to));
    setSelected(index);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };

  const onGridKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const row = rows[selected];
    const pageRows = Math.max(1, Math.floor((gridRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const handled = (() => {
      switch (event.key) {
        case 'j':
        case 'ArrowDown':
          move(selected + 1);
          return true;
        case 'k':
        case 'ArrowUp':
          move(selected - 1);
          return true;
        case 'PageDown':
          move(selected + pageRows);
          return true;
        case 'PageUp':
          move(selected - pageRows);
          return true;
        case 'Home':
          move(0);
          return true;
        case 'End':
          move(rows.length - 1);
          return true;
        case 'Enter':
        case 'o':
          if (row) navigate(`/parcels/${row.parcelId}`);
          return true;
        case '/':
          document.getElementById('filter-office')?.focus();
          return true;
        default: {
          const decision = decisionKeys[event.key];
          if (decision && row) {
            setAction(decision);
            return true;
          }
          return false;
        }
      }
    })();
    if (handled) event.preventDefault();
  };

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const params = new URLSearchParams();
    for (const name of filterNames) {
      const value = String(form.get(name) ?? '').trim();
      if (value) params.set(name, value);
    }
    navigate(`/queue${params.size ? `?${params}` : ''}`);
  };

  const selectedRow = rows[selected];
  const rankingModel = rankedBy(rows);
  const columns = [
    'score',
    'lane',
    'why',
    'parcel',
    'goods',
    'value',
    'origin',
    'carrier',
    'office',
    'rules',
    'arrival',
  ] as const;

  return (
    <div className="queue-page">
      <div className="page-head">
        <h1>{t('queue.title')}</h1>
        {state.status === 'ready' && (
          <span className="muted">
            {t(total.capped ? 'queue.countCapped' : 'queue.count', { count: number(total.count, 0) })} ·{' '}
            {t(total.capped ? 'queue.loadedOfCapped' : 'queue.loadedOf', {
              loaded: number(rows.length, 0),
              total: number(total.count, 0),
            })}
          </span>
        )}
        {rankingModel && (
          <span className="tag" data-testid="queue-model">
            {t('queue.rankedBy', { model: rankingModel })}
          </span>
        )}
        {firstRowsMs !== null && (
          <span className="muted small" data-testid="queue-render-ms">
            {t('queue.rendered', { ms: firstRowsMs })}
          </span>
        )}
      </div>
      <form className="filters" onSubmit={applyFilters} aria-label={t('queue.filters')} key={search}>
        <label>
          {t('queue.office')}
          <input id="filter-office" name="office" defaultValue={filters.office} size={6} />
        </label>
        <label>
          {t('queue.carrier')}
          <input name="carrier" defaultValue={filters.carrier} size={8} />
        </label>
        <label>
          {t('queue.lane')}
          <select name="lane" defaultValue={filters.lane ?? ''}>
            <option value="">{t('queue.any')}</option>
            {(['red', 'yellow', 'blue', 'green'] as const).map((lane) => (
              <option key={lane} value={lane}>
                {t(`lane.${lane}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('queue.rule')}
          <select name="rule" defaultValue={filters.rule ?? ''}>
            <option value="">{t('queue.any')}</option>
            {[...ruleNames].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('queue.hsChapter')}
          <input
            name="hsChapter"
            defaultValue={filters.hsChapter}
            size={3}
            inputMode="numeric"
            pattern="\d{2}"
          />
        </label>
        <label>
          {t('queue.arrivalFrom')}
          <input type="date" name="arrivalFrom" defaultValue={filters.arrivalFrom} />
        </label>
        <label>
          {t('queue.arrivalTo')}
          <input type="date" name="arrivalTo" defaultValue={filters.arrivalTo} />
        </label>
        <button type="submit" className="primary">
          {t('queue.apply')}
        </button>
        {Object.keys(filters).length > 0 && (
          <button type="button" onClick={() => navigate('/queue')}>
            {t('queue.clear')}
          </button>
        )}
      </form>
      <p className="muted small keys-hint">{t('queue.keys')}</p>

      {state.status === 'unavailable' && (
        <Unavailable endpoint={state.endpoint || `GET ${endpoints.queue}`} />
      )}
      {state.status === 'error' && (
        <div className="notice notice-error" role="alert">
          {t('common.error', { message: state.message })}
        </div>
      )}
      {state.status === 'loading' && (
        <p className="muted" aria-live="polite">
          {t('common.loading')}
        </p>
      )}
      {state.status === 'ready' && rows.length === 0 && <p className="muted">{t('queue.empty')}</p>}
      {state.status === 'ready' && rows.length > 0 && (
        <div
          className="queue-grid"
          role="grid"
          aria-label={t('queue.title')}
          // -1: the number of rows is unknown (ARIA), as it is once the count stopped at its cap.
          aria-rowcount={total.capped ? -1 : total.count + 1}
          aria-colcount={columns.length}
          aria-activedescendant={selectedRow ? `queue-row-${selectedRow.parcelId}` : undefined}
          tabIndex={0}
          ref={gridRef}
          onKeyDown={onGridKey}
        >
          <div className="queue-row queue-header" role="row" aria-rowindex={1}>
            {columns.map((column) => (
              <span key={column} role="columnheader" className={`col-${column}`}>
                {t(`queue.col.${column}`)}
              </span>
            ))}
          </div>
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualRows.map((virtualRow) => (
              <QueueRow
                key={rows[virtualRow.index]!.parcelId}
                row={rows[virtualRow.index]!}
                index={virtualRow.index}
                top={virtualRow.start}
                selected={virtualRow.index === selected}
                ruleNames={ruleNames}
                onSelect={setSelected}
              />
            ))}
          </div>
        </div>
      )}
      {action && selectedRow && (
        <ActionDialog
          context={{
            parcelId: selectedRow.parcelId,
            label: selectedRow.trackingNumber ?? `#${selectedRow.parcelId}`,
            lane: selectedRow.lane,
          }}
          action={action}
          onClose={() => {
            setAction(null);
            gridRef.current?.focus();
          }}
          onDone={() => {
            setAction(null);
            // A decided parcel leaves the queue; keep the selection on the next one.
            setRows((previous) => previous.filter((row) => row.parcelId !== selectedRow.parcelId));
            // Past the cap the queue still holds at least the cap's count.
            setTotal((value) =>
              value.capped ? value : { count: Math.max(0, value.count - 1), capped: false },
            );
            gridRef.current?.focus();
          }}
        />
      )}
    </div>
  );
}

/**
 * One queue row. Memoised: scrolling moves rows (a new `top`) and appending a page adds rows, and
 * neither should re-render the rows already on screen.
 */
const QueueRow = memo(function QueueRow({
  row,
  index,
  top,
  selected,
  ruleNames,
  onSelect,
}: {
  row: QueueItem;
  index: number;
  top: number;
  selected: boolean;
  ruleNames: Map<number, string>;
  onSelect(index: number): void;
}) {
  const { t, date, money } = useI18n();
  const open = () => navigate(`/parcels/${row.parcelId}`);
  const why = whySelectedKey(row.whySelected);
  return (
    <div
      id={`queue-row-${row.parcelId}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`queue-row${selected ? ' selected' : ''}${row.settled ? ' settled' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={() => onSelect(index)}
      onDoubleClick={open}
    >
      <span role="gridcell" className="col-score">
        <ScoreBar score={row.score} />
      </span>
      <span role="gridcell" className="col-lane">
        <LaneBadge lane={row.lane} />
      </span>
      <span
        role="gridcell"
        className={`col-why why-${row.whySelected}`}
        title={t(`${why}.help` as MessageKey)}
        data-testid="why-selected"
      >
        {t(why)}
      </span>
      <span role="gridcell" className="col-parcel">
        <a
          href={`/parcels/${row.parcelId}`}
          tabIndex={-1}
          onClick={(event) => {
            event.preventDefault();
            open();
          }}
        >
          {row.trackingNumber ?? `#${row.parcelId}`}
        </a>
        {row.xrayReferral && (
          <span className="tag" title={t('parcel.xrayReferral')}>
            {t('queue.xray')}
          </span>
        )}
        {row.settled && <span className="tag">{t('queue.settled')}</span>}
      </span>
      <span role="gridcell" className="col-goods" title={row.goods ?? undefined}>
        {row.goods ?? (row.hsChapters.length > 0 ? `HS ${row.hsChapters.join(' ')}` : '–')}
      </span>
      <span role="gridcell" className="col-value">
        {row.declaredValue !== null && row.currency ? money(row.declaredValue, row.currency) : '–'}
      </span>
      <span role="gridcell" className="col-origin">
        {row.originCountry ?? '–'}
      </span>
      <span role="gridcell" className="col-carrier">
        {row.carrierCode ?? '–'}
      </span>
      <span role="gridcell" className="col-office">
        {row.officeCode ?? '–'}
      </span>
      <span role="gridcell" className="col-rules">
        {row.ruleIds.map((id) => ruleNames.get(id) ?? `#${id}`).join(', ') || '–'}
      </span>
      <span role="gridcell" className="col-arrival">
        {date(row.arrivalDate)}
      </span>
    </div>
  );
});

/**
 * The model that scored most of the loaded rows: what ranks the queue an officer sees (a newly promoted
 * model takes over parcel by parcel as they are decided again).
 */
function rankedBy(rows: readonly QueueItem[]): string | null {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.modelVersion, (counts.get(row.modelVersion) ?? 0) + 1);
  let best: string | null = null;
  for (const [model, count] of counts) if (best === null || count > counts.get(best)!) best = model;
  return best;
}
