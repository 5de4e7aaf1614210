import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import { Chart, palette } from '../components/chart';
import { Section } from '../components/common';
import { useI18n, type Language } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

/** The structured understanding as the server returns it; the page edits its period and filters. */
interface StructuredQuery {
  subject: string;
  measure: Record<string, unknown>;
  groupBy: string[];
  filters: Record<string, unknown>[];
  amounts: unknown[];
  period?: { from: string; to: string };
  comparePeriod?: { from: string; to: string };
  order?: 'asc' | 'desc';
  limit?: number;
}

interface Answer {
  status: 'answered' | 'clarify' | 'refused';
  understood: string;
  query: StructuredQuery | null;
  sql: string | null;
  columns: { name: string; type: string; label: string; unit?: string }[];
  rows: Record<string, unknown>[];
  formattedRows: Record<string, string>[];
  chart: {
    kind: 'number' | 'line' | 'bar' | 'percent-bar';
    title: string;
    x?: string;
    y: string[];
    series?: string;
  } | null;
  message: string;
  asOf: string;
  choices: { label: string; query: StructuredQuery }[];
  source: string;
}

interface Favourite {
  id: number;
  name: string;
  question: string;
  language: Language;
  query: StructuredQuery;
  shared: boolean;
  owner: string;
}

type PeriodChoice = 'thisWeek' | 'lastWeek' | 'thisMonth' | 'lastMonth' | 'thisYear' | 'lastYear' | 'all';
const periodChoices: PeriodChoice[] = [
  'thisWeek',
  'lastWeek',
  'thisMonth',
  'lastMonth',
  'thisYear',
  'lastYear',
  'all',
];

/** The period a one-click choice names, counted from the answer's "today". */
export function periodOf(choice: PeriodChoice, asOf: string): { from: string; to: string } | undefined {
  const day = new Date(`${asOf}T00:00:00Z`);
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  const shift = (days: number) => new Date(day.getTime() + days * 86_400_000);
  const monday = shift(-((day.getUTCDay() + 6) % 7));
  const year = day.getUTCFullYear();
  const month = day.getUTCMonth();
  switch (choice) {
    case 'thisWeek':
      return { from: iso(monday), to: asOf };
    case 'lastWeek':
      return {
        from: iso(new Date(monday.getTime() - 7 * 86_400_000)),
        to: iso(new Date(monday.getTime() - 86_400_000)),
      };
    case 'thisMonth':
      return { from: iso(new Date(Date.UTC(year, month, 1))), to: asOf };
    case 'lastMonth':
      return {
        from: iso(new Date(Date.UTC(year, month - 1, 1))),
        to: iso(new Date(Date.UTC(year, month, 0))),
      };
    case 'thisYear':
      return { from: `${year}-01-01`, to: asOf };
    case 'lastYear':
      return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
    case 'all':
      return undefined;
  }
}

/** Ask the data a question in Korean, English or French; see the understanding, the SQL, the table and a chart. */
export default function QuestionsPage() {
  const { t, language } = useI18n();
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [favourites, setFavourites] = useState<Favourite[]>([]);

  const loadFavourites = useCallback(async () => {
    try {
      setFavourites((await api<{ favourites: Favourite[] }>('get', endpoints.questionFavourites)).favourites);
    } catch {
      setFavourites([]);
    }
  }, []);
  useEffect(() => void loadFavourites(), [loadFavourites]);

  const ask = useCallback(
    async (text: string, query?: StructuredQuery, asOf?: string) => {
      setBusy(true);
      setError(null);
      try {
        const body = { question: text, language, ...(query ? { query } : {}), ...(asOf ? { asOf } : {}) };
        setAnswer(await api<Answer>('post', endpoints.questions, { body }));
      } catch (failure) {
        setError(failure instanceof ApiError ? failure.message : String(failure));
      } finally {
        setBusy(false);
      }
    },
    [language],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (question.trim()) void ask(question.trim());
  };

  const saveFavourite = async (shared: boolean) => {
    if (!answer?.query) return;
    await api('post', endpoints.questionFavourites, {
      body: {
        name: question.slice(0, 200) || answer.understood.slice(0, 200),
        question: question || answer.understood,
        language,
        query: answer.query,
        shared,
      },
    });
    await loadFavourites();
  };

  return (
    <div className="questions-page">
      <div className="page-head">
        <h1>{t('questions.title')}</h1>
      </div>
      <form className="question-form" onSubmit={submit}>
        <label htmlFor="question">{t('questions.label')}</label>
        <div className="question-row">
          <input
            id="question"
            name="question"
            value={question}
            placeholder={t('questions.placeholder')}
            onChange={(event) => setQuestion(event.target.value)}
            maxLength={500}
            autoComplete="off"
          />
          <button type="submit" disabled={busy || !question.trim()}>
            {busy ? t('questions.asking') : t('questions.ask')}
          </button>
        </div>
      </form>
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      {answer && (
        <AnswerView
          answer={answer}
          onRerun={(query) => void ask(question || answer.understood, query, answer.asOf)}
          onSave={(shared) => void saveFavourite(shared)}
        />
      )}
      <Section title={t('questions.favourites')} id="favourites">
        {favourites.length === 0 ? (
          <p className="muted">{t('questions.noFavourites')}</p>
        ) : (
          <ul className="favourites">
            {favourites.map((favourite) => (
              <li key={favourite.id}>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    setQuestion(favourite.question);
                    void ask(favourite.question, favourite.query);
                  }}
                >
                  {favourite.name}
                </button>
                {favourite.shared && <span className="muted"> · {t('questions.shared')}</span>}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

function AnswerView({
  answer,
  onRerun,
  onSave,
}: {
  answer: Answer;
  onRerun: (query: StructuredQuery) => void;
  onSave: (shared: boolean) => void;
}) {
  const { t } = useI18n();
  const activePeriod = useMemo(() => {
    const period = answer.query?.period;
    return periodChoices.find((choice) => {
      const candidate = periodOf(choice, answer.asOf);
      return candidate === undefined
        ? period === undefined
        : candidate.from === period?.from && candidate.to === period?.to;
    });
  }, [answer]);

  return (
    <div className="answer" aria-live="polite">
      <Section title={t('questions.understood')} id="understood">
        <p className={`answer-status answer-${answer.status}`}>{answer.understood}</p>
        {answer.status !== 'answered' && <p>{answer.message}</p>}
        {answer.choices.length > 0 && (
          <ul className="choices">
            {answer.choices.map((choice) => (
              <li key={choice.label}>
                <button type="button" onClick={() => onRerun(choice.query)}>
                  {choice.label}
                </button>
              </li>
            ))}
          </ul>
        )}
        {answer.query && answer.status === 'answered' && (
          <div role="group" aria-label={t('questions.period')} className="segmented period-choices">
            {periodChoices.map((choice) => (
              <button
                key={choice}
                type="button"
                aria-pressed={activePeriod === choice}
                onClick={() => {
                  const period = periodOf(choice, answer.asOf);
                  const { period: _old, comparePeriod: _compare, ...rest } = answer.query!;
                  onRerun(period ? { ...rest, period } : rest);
                }}
              >
                {t(`questions.period.${choice}` as MessageKey)}
              </button>
            ))}
          </div>
        )}
      </Section>
      {answer.status === 'answered' && (
        <>
          <AnswerChart answer={answer} />
          <Section title={t('questions.table')} id="answer-table">
            <p className="muted">{answer.message}</p>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    {answer.columns.map((column) => (
                      <th
                        key={column.name}
                        scope="col"
                        className={column.type === 'number' ? 'num' : undefined}
                      >
                        {column.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {answer.formattedRows.map((row, index) => (
                    <tr key={index}>
                      {answer.columns.map((column) => (
                        <td key={column.name} className={column.type === 'number' ? 'num' : undefined}>
                          {row[column.name]}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="actions">
              <button type="button" onClick={() => downloadCsv(answer)}>
                {t('questions.export')}
              </button>
              <button type="button" onClick={() => onSave(false)}>
                {t('questions.save')}
              </button>
              <button type="button" onClick={() => onSave(true)}>
                {t('questions.saveShared')}
              </button>
            </div>
          </Section>
          <Section title={t('questions.sql')} id="answer-sql">
            <pre className="sql">{answer.sql}</pre>
          </Section>
        </>
      )}
    </div>
  );
}

function AnswerChart({ answer }: { answer: Answer }) {
  const { number } = useI18n();
  const chart = answer.chart;
  const option = useMemo(() => {
    if (!chart || chart.kind === 'number' || !chart.x) return null;
    const labels = answer.formattedRows.map((row) => row[chart.x!]);
    const series = chart.y.map((name, index) => ({
      type: chart.kind === 'line' ? 'line' : 'bar',
      name: answer.columns.find((column) => column.name === name)?.label ?? name,
      data: answer.rows.map((row) => Number(row[name] ?? 0)),
      itemStyle: { color: palette[index % palette.length] },
    }));
    return {
      tooltip: { trigger: 'axis' },
      legend: { show: series.length > 1 },
      grid: { left: 64, right: 16, top: 24, bottom: 64 },
      xAxis: { type: 'category', data: labels, axisLabel: { rotate: labels.length > 8 ? 40 : 0 } },
      yAxis: {
        type: 'value',
        ...(chart.kind === 'percent-bar' ? { max: 100 } : {}),
        axisLabel: {
          formatter: (value: number) =>
            chart.kind === 'percent-bar' ? `${number(value, 0)} %` : number(value, 0),
        },
      },
      series,
    };
  }, [answer, chart, number]);
  if (!chart) return null;
  if (chart.kind === 'number') {
    const name = chart.y[0]!;
    return (
      <div className="big-number" role="img" aria-label={chart.title}>
        {answer.formattedRows[0]?.[name] ?? '—'}
      </div>
    );
  }
  if (chart.kind === 'bar' && !chart.x) return null;
  return option ? <Chart option={option} label={chart.title} height={300} /> : null;
}

/** The table as CSV: the column labels the officer sees, then raw values (a spreadsheet formats them). */
function downloadCsv(answer: Answer): void {
  const escape = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [
    answer.columns.map((column) => escape(column.label)).join(','),
    ...answer.rows.map((row) => answer.columns.map((column) => escape(row[column.name])).join(',')),
  ];
  const blob = new Blob([`\ufeff${lines.join('\n')}\n`], { type: 'text/csv;charset=utf-8' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'answer.csv';
  link.click();
  URL.revokeObjectURL(link.href);
}
