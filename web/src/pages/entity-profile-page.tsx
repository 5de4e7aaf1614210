import { useMemo, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { EntityProfile } from '../api/types';
import { Chart, palette } from '../components/chart';
import { LoadState, Section, TableScroll, useLoad } from '../components/common';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { navigate } from '../router';

type Kind = 'seller' | 'pccc';

/**
 * One seller's or one PCCC's profile (the KCS model): its score with the evidence of each part, the facts
 * behind it, parcels per day and the timeline of parcels, each linked to its parcel and to the other
 * party's own profile. Reached from the parcel page.
 */
export default function EntityProfilePage({ kind, entityKey }: { kind: Kind; entityKey: string }) {
  const { t, language } = useI18n();
  const [period, setPeriod] = useState({ from: '', to: '' });
  const [draft, setDraft] = useState(period);
  const profile = useLoad(
    (signal) =>
      api<EntityProfile>('get', kind === 'seller' ? endpoints.sellerProfile : endpoints.pcccProfile, {
        params: kind === 'seller' ? { sellerId: entityKey } : { pccc: entityKey },
        query: period.from && period.to ? period : {},
        signal,
      }),
    [kind, entityKey, period, language],
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setPeriod(draft);
  };

  return (
    <div className="entity-profile">
      <h1>
        {t(kind === 'seller' ? 'profile.sellerTitle' : 'profile.pcccTitle')}{' '}
        <span className="mono">{entityKey}</span>
      </h1>
      <form onSubmit={apply} className="parameter-form">
        <label>
          {t('analytics.from')}
          <input
            name="from"
            type="date"
            value={draft.from}
            onChange={(event) => setDraft({ ...draft, from: event.target.value })}
          />
        </label>
        <label>
          {t('analytics.to')}
          <input
            name="to"
            type="date"
            value={draft.to}
            onChange={(event) => setDraft({ ...draft, to: event.target.value })}
          />
        </label>
        <button type="submit">{t('profile.apply')}</button>
      </form>
      <LoadState state={profile}>{(data) => <Profile profile={data} />}</LoadState>
    </div>
  );
}

function Profile({ profile }: { profile: EntityProfile }) {
  const { t, number } = useI18n();
  const facts = profile.facts;
  const chart = useMemo(() => {
    const perDay = new Map<string, number>();
    for (const parcel of profile.timeline)
      if (parcel.arrivalDate) perDay.set(parcel.arrivalDate, (perDay.get(parcel.arrivalDate) ?? 0) + 1);
    const days = [...perDay.keys()].sort();
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 24, bottom: 48 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: days.map((day) => perDay.get(day)), itemStyle: { color: palette[0] } }],
    };
  }, [profile]);

  return (
    <>
      <p className={`profile-score band-${profile.band}`} role="status">
        {t('profile.score')}: <strong>{number(profile.score, 1)}</strong> ·{' '}
        {t(`profile.band.${profile.band}` as MessageKey)}
        {profile.seller?.name && (
          <>
            {' '}
            · {profile.seller.name} ({profile.seller.country ?? '–'})
          </>
        )}
      </p>
      <Section title={t('profile.evidence')} id="profile-evidence">
        {profile.parts.length === 0 ? (
          <p className="muted">{t('profile.noSignal')}</p>
        ) : (
          <TableScroll label={t('profile.evidence')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('profile.part')}</th>
                  <th scope="col">{t('profile.points')}</th>
                  <th scope="col">{t('analytics.evidence')}</th>
                </tr>
              </thead>
              <tbody>
                {profile.parts.map((part) => (
                  <tr key={part.part}>
                    <td>{t(`profile.part.${part.part}` as MessageKey)}</td>
                    <td>{number(part.points, 1)}</td>
                    <td>{part.evidence}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Section>
      <Section title={t('profile.facts')} id="profile-facts">
        <dl className="facts compact">
          <Fact label={t('profile.parcels')} value={number(facts.parcels, 0)} />
          <Fact label={t('profile.period')} value={`${facts.firstDay ?? '–'} – ${facts.lastDay ?? '–'}`} />
          <Fact
            label={t('profile.underDeclared')}
            value={`${number(facts.payments.underDeclared, 0)} / ${number(facts.payments.paidOrders, 0)}`}
          />
          <Fact
            label={t('profile.outcomes')}
            value={`${number(facts.inspected, 0)} / ${number(facts.violations, 0)} / ${number(facts.seized, 0)}`}
          />
          {'registrationStatus' in facts && (
            <Fact
              label={t('profile.registration')}
              value={
                facts.registrationNumber
                  ? `${facts.registrationNumber} (${facts.registrationStatus ?? '–'})`
                  : t('profile.notRegistered')
              }
            />
          )}
          {'names' in facts && (
            <Fact
              label={t('profile.identities')}
              value={`${facts.names} / ${facts.phones} / ${facts.addresses}`}
            />
          )}
        </dl>
      </Section>
      <Section title={t('profile.timeline')} id="profile-timeline">
        <Chart option={chart} label={t('profile.chart')} height={220} />
        <TableScroll label={t('profile.timeline')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('profile.date')}</th>
                <th scope="col">{t('profile.tracking')}</th>
                <th scope="col">{t(profile.kind === 'seller' ? 'parcel.pccc' : 'parcel.seller')}</th>
                <th scope="col">{t('profile.declaredKrw')}</th>
                <th scope="col">{t('profile.paidKrw')}</th>
                <th scope="col">{t('profile.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {profile.timeline.map((parcel) => {
                const other = profile.kind === 'seller' ? parcel.pccc : parcel.sellerKey;
                const otherPath =
                  profile.kind === 'seller'
                    ? `/analytics/pccc/${other}`
                    : `/analytics/sellers/${encodeURIComponent(other ?? '')}`;
                return (
                  <tr key={parcel.parcelId}>
                    <td>{parcel.arrivalDate ?? '–'}</td>
                    <td>
                      <InternalLink path={`/parcels/${parcel.parcelId}`} text={parcel.trackingNumber} />
                    </td>
                    <td>{other ? <InternalLink path={otherPath} text={other} /> : '–'}</td>
                    <td>{parcel.declaredKrw === null ? '–' : number(parcel.declaredKrw, 0)}</td>
                    <td>{parcel.paidKrw === null ? '–' : number(parcel.paidKrw, 0)}</td>
                    <td>
                      {parcel.seized
                        ? t('profile.seized')
                        : parcel.violation
                          ? t('profile.violation')
                          : parcel.inspected
                            ? t('profile.inspected')
                            : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      </Section>
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function InternalLink({ path, text }: { path: string; text: string }) {
  return (
    <a
      href={path}
      className="mono"
      onClick={(event) => {
        event.preventDefault();
        navigate(path);
      }}
    >
      {text}
    </a>
  );
}
