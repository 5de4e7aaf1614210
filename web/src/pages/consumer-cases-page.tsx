import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import { maskPccc, Section } from '../components/common';
import { useI18n } from '../i18n/i18n';

interface MisuseReport {
  id: number;
  pccc: string;
  parcelIds: number[];
  statement: string;
  status: 'open' | 'confirmed' | 'dismissed';
  createdAt: string;
}

interface Inquiry {
  id: number;
  subject: string;
  status: 'open' | 'answered' | 'closed';
  answerDueAt: string;
  overdue: boolean;
  messages: { author: 'consumer' | 'officer'; body: string; at: string }[];
  attachments: { id: number; fileName: string }[];
}

/** Consumers' misuse reports and inquiries, worked by targeting analysts and inspectors. */
export default function ConsumerCasesPage() {
  const { t } = useI18n();
  const [reports, setReports] = useState<MisuseReport[]>([]);
  const [inquiries, setInquiries] = useState<Inquiry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setReports(
        await api<MisuseReport[]>('get', '/api/v1/portal/officer/misuse-reports', {
          query: { status: 'open' },
        }),
      );
      setInquiries(
        await api<Inquiry[]>('get', '/api/v1/portal/officer/inquiries', { query: { status: 'open' } }),
      );
      setError(null);
    } catch (caught) {
      setError((caught as Error).message);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const decide = async (id: number, status: 'confirmed' | 'dismissed', note: string) => {
    await api('post', '/api/v1/portal/officer/misuse-reports/{id}/decision', {
      params: { id },
      body: { status, note },
    });
    await reload();
  };
  const answer = async (id: number, body: string) => {
    await api('post', '/api/v1/portal/inquiries/{id}/messages', { params: { id }, body: { body } });
    await reload();
  };

  return (
    <>
      <h1>{t('cases.title')}</h1>
      {error && <p role="alert">{error}</p>}
      <Section title={t('cases.reports')} id="misuse-reports">
        {reports.length === 0 && <p className="muted">{t('cases.none')}</p>}
        {reports.map((report) => (
          <CaseCard
            key={report.id}
            heading={`#${report.id} · ${maskPccc(report.pccc)} · ${t('cases.parcels')} ${report.parcelIds.join(', ')}`}
            text={report.statement}
          >
            {(note) => (
              <>
                <button
                  type="button"
                  disabled={!note}
                  onClick={() => void decide(report.id, 'confirmed', note)}
                >
                  {t('cases.confirm')}
                </button>
                <button
                  type="button"
                  className="quiet"
                  disabled={!note}
                  onClick={() => void decide(report.id, 'dismissed', note)}
                >
                  {t('cases.dismiss')}
                </button>
              </>
            )}
          </CaseCard>
        ))}
      </Section>
      <Section title={t('cases.inquiries')} id="inquiries">
        {inquiries.length === 0 && <p className="muted">{t('cases.none')}</p>}
        {inquiries.map((inquiry) => (
          <CaseCard
            key={inquiry.id}
            heading={`#${inquiry.id} · ${inquiry.subject} · ${t('cases.due')} ${inquiry.answerDueAt.slice(0, 16).replace('T', ' ')}${inquiry.overdue ? ` (${t('cases.overdue')})` : ''}`}
            text={inquiry.messages.map((message) => `${message.author}: ${message.body}`).join('\n')}
          >
            {(note) => (
              <button type="button" disabled={!note} onClick={() => void answer(inquiry.id, note)}>
                {t('cases.answer')}
              </button>
            )}
          </CaseCard>
        ))}
      </Section>
    </>
  );
}

function CaseCard({
  heading,
  text,
  children,
}: {
  heading: string;
  text: string;
  children: (note: string) => React.ReactNode;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  return (
    <article className="card">
      <h3>{heading}</h3>
      <p style={{ whiteSpace: 'pre-wrap' }}>{text}</p>
      <label>
        {t('cases.note')}
        <textarea value={note} onChange={(event) => setNote(event.target.value)} />
      </label>
      {children(note.trim())}
    </article>
  );
}
