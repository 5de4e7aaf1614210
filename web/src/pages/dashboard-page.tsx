import { useMemo, useState } from 'react';
import { api } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { DashboardSeries } from '../api/types';
import { Chart, laneColours, palette } from '../components/chart';
import { LoadState, Section, useLoad } from '../components/common';
import { useI18n } from '../i18n/i18n';

const periods = [7, 30, 90] as const;

/** Volumes, lanes, hit rates and seizures over time, from the statistics endpoint. */
export default function DashboardPage() {
  const { t } = useI18n();
  const [days, setDays] = useState<(typeof periods)[number]>(30);
  const series = useLoad(
    (signal) => api<DashboardSeries>('get', endpoints.dashboard, { query: { days }, signal }),
    [days],
  );
  return (
    <div className="dashboard-page">
      <div className="page-head">
        <h1>{t('dashboard.title')}</h1>
        <div role="group" aria-label="Period" className="segmented">
          {periods.map((period) => (
            <button key={period} type="button" aria-pressed={days === period} onClick={() => setDays(period)}>
              {period} d
            </button>
          ))}
        </div>
      </div>
      <LoadState state={series}>{(data) => <DashboardCharts data={data} />}</LoadState>
    </div>
  );
}

function DashboardCharts({ data }: { data: DashboardSeries }) {
  const { t, date, number, percent, locale } = useI18n();
  const axisDays = useMemo(() => data.days.map((day) => date(day)), [data.days, date]);
  // Counts of parcels and seizures: whole numbers only on the axis (no "0 0 0 1 1 1" on small counts).
  const numberAxis = {
    type: 'value',
    minInterval: 1,
    axisLabel: { formatter: (value: number) => number(value, 0) },
  };
  const options = useMemo(
    () => ({
      volumes: {
        color: palette,
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 32, bottom: 28 },
        xAxis: { type: 'category', data: axisDays },
        yAxis: numberAxis,
        series: Object.entries(data.volumesByChannel).map(([channel, values]) => ({
          name: channel === 'postal' || channel === 'express' ? t(`channel.${channel}`) : channel,
          type: 'bar',
          stack: 'volume',
          data: values,
        })),
      },
      lanes: {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 32, bottom: 28 },
        xAxis: { type: 'category', data: axisDays },
        yAxis: numberAxis,
        series: Object.entries(data.lanes).map(([lane, values]) => ({
          name: ['green', 'yellow', 'red', 'blue'].includes(lane) ? t(`lane.${lane as 'green'}`) : lane,
          type: 'line',
          data: values,
          color: laneColours[lane],
          showSymbol: false,
        })),
      },
      hitRate: {
        color: [palette[2]],
        tooltip: { trigger: 'axis', valueFormatter: (value: number) => percent(value) },
        grid: { left: 48, right: 16, top: 16, bottom: 28 },
        xAxis: { type: 'category', data: axisDays },
        yAxis: { type: 'value', max: 1, axisLabel: { formatter: (value: number) => percent(value, 0) } },
        series: [
          {
            name: t('dashboard.hitRate'),
            type: 'line',
            data: data.hitRate,
            areaStyle: { opacity: 0.15 },
            // Days with inspections are often few and apart: a line without its points would show nothing.
            showSymbol: true,
          },
        ],
      },
      seizures: {
        color: palette,
        tooltip: { trigger: 'item' },
        legend: { type: 'scroll', bottom: 0 },
        series: [
          {
            name: t('dashboard.seizures'),
            type: 'pie',
            radius: ['35%', '65%'],
            data: Object.entries(data.seizuresByCategory).map(([name, value]) => ({ name, value })),
          },
        ],
      },
      carriers: barsBy(
        data.byCarrier.map((row) => ({ key: row.carrier, parcels: row.parcels, seizures: row.seizures })),
      ),
      offices: barsBy(
        data.byOffice.map((row) => ({ key: row.office, parcels: row.parcels, seizures: row.seizures })),
      ),
    }),
    // The chart helpers are plain functions of `t` and `locale`, re-created each render: locale stands for them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data, axisDays, locale],
  );

  function barsBy(rows: { key: string; parcels: number; seizures: number }[]) {
    return {
      color: [palette[0], palette[2]],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 64, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: rows.map((row) => row.key) },
      yAxis: [numberAxis, { ...numberAxis, splitLine: { show: false } }],
      series: [
        { name: t('dashboard.parcels'), type: 'bar', data: rows.map((row) => row.parcels) },
        {
          name: t('dashboard.seizureCount'),
          type: 'bar',
          yAxisIndex: 1,
          data: rows.map((row) => row.seizures),
        },
      ],
    };
  }

  if (data.days.length === 0) return <p className="muted">{t('dashboard.empty')}</p>;
  const totalSeizures = Object.values(data.seizuresByCategory).reduce((sum, value) => sum + value, 0);
  const sum = (values: readonly (number | null)[]) =>
    values.reduce<number>((total, value) => total + (value ?? 0), 0);
  const hasVolumes = Object.values(data.volumesByChannel).some((values) => sum(values) > 0);
  const hasLanes = Object.values(data.lanes).some((values) => sum(values) > 0);
  const hasInspections = data.hitRate.some((rate) => rate !== null);
  // An empty chart reads as "broken"; a sentence says what is missing and when it will fill.
  const noData = (message: string) => (
    <p className="muted no-data" data-testid="no-data">
      {message}
    </p>
  );
  return (
    <div className="dashboard-grid">
      <Section title={t('dashboard.volumes')} id="volumes">
        {hasVolumes ? (
          <Chart option={options.volumes} label={t('dashboard.volumes')} />
        ) : (
          noData(t('dashboard.noParcels'))
        )}
      </Section>
      <Section title={t('dashboard.lanes')} id="lanes">
        {hasLanes ? (
          <Chart option={options.lanes} label={t('dashboard.lanes')} />
        ) : (
          noData(t('dashboard.noParcels'))
        )}
      </Section>
      <Section title={t('dashboard.hitRate')} id="hit-rate">
        {hasInspections ? (
          <Chart option={options.hitRate} label={t('dashboard.hitRate')} />
        ) : (
          noData(t('dashboard.noInspections'))
        )}
      </Section>
      <Section title={t('dashboard.seizures')} id="seizures">
        <p className="big-number" data-testid="seizure-total">
          {number(totalSeizures, 0)}
        </p>
        {totalSeizures > 0 ? (
          <Chart option={options.seizures} label={t('dashboard.seizures')} height={220} />
        ) : (
          noData(t('dashboard.noSeizures'))
        )}
      </Section>
      <Section title={t('dashboard.carriers')} id="carriers">
        {data.byCarrier.length > 0 ? (
          <Chart option={options.carriers} label={t('dashboard.carriers')} />
        ) : (
          noData(t('dashboard.noParcels'))
        )}
      </Section>
      <Section title={t('dashboard.offices')} id="offices">
        {data.byOffice.length > 0 ? (
          <Chart option={options.offices} label={t('dashboard.offices')} />
        ) : (
          noData(t('dashboard.noParcels'))
        )}
      </Section>
    </div>
  );
}
