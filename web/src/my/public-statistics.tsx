import { useEffect, useMemo, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { Chart, palette } from '../components/chart';
import { en } from '../i18n/messages';
import { fr } from '../i18n/messages.fr';
import { ko } from '../i18n/messages.ko';
import type { PublicStatistics as Statistics } from '../api/types';
import { myTexts, type MyLocale, type MyTextKey } from './my-texts';

type Cell = Statistics['parcelsByChannel'][number];

/** The console's own names of channels and seizure categories, so both apps call them alike. */
const catalogues = { en, ko, fr } as const;
/** The busiest origins only: a phone screen holds about ten bars. */
const ORIGINS_SHOWN = 10;

/**
 * Customs statistics for everyone, without sign-in: parcels by channel and origin, hold rates, seizures
 * by category. Cells the server suppressed (under ten parcels) are named below each chart, never drawn.
 */
export function PublicStatistics({ locale }: { locale: MyLocale }) {
  const t = (key: MyTextKey) => myTexts[key][locale];
  const [statistics, setStatistics] = useState<Statistics | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    fetch('/api/v1/public/statistics', { headers: { 'accept-language': locale } })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.statusText))))
      .then((body: Statistics) => setStatistics(body))
      .catch(() => setFailed(true));
  }, [locale]);

  const name = useMemo(() => {
    const regions = new Intl.DisplayNames([locale], { type: 'region' });
    const catalogue = catalogues[locale] as Record<string, string>;
    return {
      channel: (key: string) => catalogue[`channel.${key}`] ?? key,
      category: (key: string) => catalogue[`seizure.${key}`] ?? key,
      origin: (key: string) => {
        if (key === 'unknown') return t('unknownOrigin');
        try {
          return regions.of(key) ?? key;
        } catch {
          return key;
        }
      },
    };
  }, [locale]); // eslint-disable-line react-hooks/exhaustive-deps

  if (failed)
    return (
      <p className="error" role="alert">
        {t('statisticsUnavailable')}
      </p>
    );
  if (!statistics) return <p aria-busy="true">{t('loading')}</p>;
  const origins = statistics.parcelsByOrigin.slice(0, ORIGINS_SHOWN);
  return (
    <>
      <section aria-labelledby="statistics-title">
        <h2 id="statistics-title">{t('statistics')}</h2>
        <p>
          {t('statisticsPeriod')} {statistics.from} – {statistics.to}
        </p>
        <p>
          <small>{t('suppressedHelp').replace('{minimum}', String(statistics.minimumCell))}</small>
        </p>
      </section>
      <CountChart
        title={t('byChannel')}
        cells={statistics.parcelsByChannel}
        nameOf={name.channel}
        unit={t('parcelsUnit')}
        t={t}
      />
      <CountChart title={t('byOrigin')} cells={origins} nameOf={name.origin} unit={t('parcelsUnit')} t={t} />
      <CountChart
        title={t('holdRate')}
        cells={statistics.holdRateByChannel.map((cell) => ({ ...cell, parcels: cell.percent }))}
        nameOf={name.channel}
        unit="%"
        t={t}
      />
      <CountChart
        title={t('seizures')}
        cells={statistics.seizuresByCategory}
        nameOf={name.category}
        unit={t('parcelsUnit')}
        t={t}
      />
    </>
  );
}

/** One bar chart with its figures as a table (for screen readers and small screens), suppressed cells named. */
function CountChart({
  title,
  cells,
  nameOf,
  unit,
  t,
}: {
  title: string;
  cells: Cell[];
  nameOf: (key: string) => string;
  unit: string;
  t: (key: MyTextKey) => string;
}) {
  const shown = cells.filter((cell) => !cell.suppressed && cell.parcels !== null);
  const option = useMemo<EChartsCoreOption>(
    () => ({
      color: palette,
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      // The unit is in the heading and the table; a percentage says so on the axis too.
      xAxis: { type: 'value', ...(unit === '%' ? { axisLabel: { formatter: '{value} %' } } : {}) },
      yAxis: { type: 'category', inverse: true, data: shown.map((cell) => nameOf(cell.key)) },
      series: [{ type: 'bar', name: title, data: shown.map((cell) => cell.parcels) }],
    }),
    [cells, nameOf, unit, title], // eslint-disable-line react-hooks/exhaustive-deps
  );
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      {shown.length > 0 ? (
        <Chart option={option} label={title} height={Math.max(120, shown.length * 32 + 40)} />
      ) : (
        <p>{t('nothingToShow')}</p>
      )}
      {cells.length > 0 && (
        <table>
          <tbody>
            {cells.map((cell) => (
              <tr key={cell.key}>
                <th scope="row">{nameOf(cell.key)}</th>
                <td>
                  {cell.suppressed ? t('suppressed') : `${(cell.parcels ?? 0).toLocaleString()} ${unit}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
