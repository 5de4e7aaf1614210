import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { myTexts, type MyLocale, type MyTextKey } from './my-texts';
import { PublicStatistics } from './public-statistics';

type AnyJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CSRF = 'clearway.my.csrf';

/** One call to the API: same origin (the session cookie travels), the CSRF token on changes, the reader's language. */
async function api(locale: MyLocale, method: string, path: string, body?: unknown): Promise<AnyJson> {
  const headers: Record<string, string> = { 'accept-language': locale };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = sessionStorage.getItem(CSRF);
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = response.status === 204 ? {} : await response.json();
  if (!response.ok)
    throw Object.assign(new Error(json.error?.message ?? response.statusText), {
      status: response.status,
      code: json.error?.code,
    });
  return json;
}

function initialLocale(): MyLocale {
  const stored = localStorage.getItem('clearway.my.locale');
  if (stored === 'ko' || stored === 'en' || stored === 'fr') return stored;
  const language = navigator.language.slice(0, 2);
  return language === 'en' || language === 'fr' ? language : 'ko';
}

/** The public statistics page: open to everyone, no sign-in asked. */
const STATISTICS_PATH = '/my/statistics';

/** The consumers' portal: sign in by code, prove the PCCC, follow parcels and their tax, protect the code, ask. */
export function MyApp() {
  const onStatistics = location.pathname.startsWith(STATISTICS_PATH);
  const [locale, setLocale] = useState<MyLocale>(initialLocale);
  const t = (key: MyTextKey) => myTexts[key][locale];
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const call = useCallback(
    async (method: string, path: string, body?: unknown) => {
      setError(null);
      try {
        return await api(locale, method, path, body);
      } catch (caught) {
        if ((caught as { status?: number }).status === 401) setSignedIn(false);
        setError((caught as Error).message);
        throw caught;
      }
    },
    [locale],
  );

  useEffect(() => {
    document.documentElement.lang = locale;
    localStorage.setItem('clearway.my.locale', locale);
  }, [locale]);
  /** Signed in: the language stored on the account (chosen on any device) replaces this browser's. */
  const adoptAccount = (me: AnyJson) => {
    if (me.language === 'ko' || me.language === 'en' || me.language === 'fr') setLocale(me.language);
    setSignedIn(me.kind === 'consumer');
  };
  /** The reader's choice, stored on the account when signed in: codes and notices are mailed in it. */
  const chooseLocale = (next: MyLocale) => {
    setLocale(next);
    if (signedIn)
      void api(next, 'PUT', '/api/v1/auth/me/language', { language: next }).catch(() => undefined);
  };
  useEffect(() => {
    if (onStatistics) return;
    api(locale, 'GET', '/api/v1/auth/me')
      .then(adoptAccount)
      .catch(() => setSignedIn(false));
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <main className="my">
      <header>
        <h1>{t('title')}</h1>
        <label>
          <span className="sr-only">{t('language')}</span>
          <select
            aria-label={t('language')}
            value={locale}
            onChange={(event) => chooseLocale(event.target.value as MyLocale)}
          >
            <option value="ko">한국어</option>
            <option value="en">English</option>
            <option value="fr">Français</option>
          </select>
        </label>
      </header>
      <nav aria-label={t('navigation')} className="my-nav">
        {onStatistics ? <a href="/my/">{t('parcels')}</a> : <a href={STATISTICS_PATH}>{t('statistics')}</a>}
      </nav>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {onStatistics ? (
        <PublicStatistics locale={locale} />
      ) : (
        <>
          {signedIn === false && <SignIn t={t} call={call} onSignedIn={adoptAccount} />}
          {signedIn && <Portal t={t} call={call} locale={locale} />}
        </>
      )}
    </main>
  );
}

type Call = (method: string, path: string, body?: unknown) => Promise<AnyJson>;
type T = (key: MyTextKey) => string;

function SignIn({ t, call, onSignedIn }: { t: T; call: Call; onSignedIn: (me: AnyJson) => void }) {
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [asked, setAsked] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!asked) {
      await call('POST', '/api/v1/auth/consumer/code', { email });
      setAsked(true);
      return;
    }
    const session = await call('POST', '/api/v1/auth/consumer/verify', { email, code });
    sessionStorage.setItem(CSRF, session.csrfToken);
    onSignedIn(session.me);
  };
  return (
    <section>
      <form onSubmit={(event) => void submit(event).catch(() => undefined)}>
        <label htmlFor="my-email">{t('email')}</label>
        <input
          id="my-email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        {asked && (
          <>
            <label htmlFor="my-code">{t('code')}</label>
            <input
              id="my-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </>
        )}
        <button type="submit">{asked ? t('signIn') : t('sendCode')}</button>
      </form>
    </section>
  );
}

function Portal({ t, call, locale }: { t: T; call: Call; locale: MyLocale }) {
  const [status, setStatus] = useState<AnyJson | null>(null);
  const [parcels, setParcels] = useState<AnyJson[]>([]);
  const [inquiries, setInquiries] = useState<AnyJson[]>([]);
  const reload = useCallback(async () => {
    const current = await call('GET', '/api/v1/portal/pccc');
    setStatus(current);
    if (!current.linked) return;
    setParcels((await call('GET', '/api/v1/portal/parcels')).items as AnyJson[]);
    setInquiries((await call('GET', '/api/v1/portal/inquiries')) as unknown as AnyJson[]);
  }, [call]);
  useEffect(() => {
    void reload().catch(() => undefined);
  }, [reload, locale]);
  if (!status) return null;
  if (!status.linked) return <LinkCode t={t} call={call} onLinked={() => void reload()} />;
  return (
    <>
      <section aria-label={t('expires')}>
        <p>
          PCCC {status.pccc} · {t('expires')} {status.expiresOn}
        </p>
        {status.renewalDue && <p className="notice">{t('renew')}</p>}
        {status.listClearanceSuspended ? (
          <>
            <p className="notice" role="status">
              {t('suspended')}
            </p>
            <button onClick={() => void call('DELETE', '/api/v1/portal/pccc/suspension').then(reload)}>
              {t('lift')}
            </button>
          </>
        ) : (
          <button onClick={() => void call('POST', '/api/v1/portal/pccc/suspension').then(reload)}>
            {t('suspend')}
          </button>
        )}
      </section>
      <h2>{t('parcels')}</h2>
      {parcels.length === 0 && <p>{t('noParcels')}</p>}
      {parcels.map((parcel) => (
        <ParcelCard key={parcel.parcelId} parcel={parcel} t={t} call={call} onChange={() => void reload()} />
      ))}
      <Inquiries t={t} call={call} inquiries={inquiries} onChange={() => void reload()} />
    </>
  );
}

/** Proving a PCCC: the code goes to the contact the registry holds for it, never to the signed-in address. */
function LinkCode({ t, call, onLinked }: { t: T; call: Call; onLinked: () => void }) {
  const [pccc, setPccc] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');
  return (
    <section>
      <h2>{t('linkTitle')}</h2>
      <p>{t('linkHelp')}</p>
      {sentTo === null ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void call('POST', '/api/v1/portal/pccc/link-requests', { pccc }).then(
              (answer) => setSentTo(answer.sentTo),
              () => undefined,
            );
          }}
        >
          <label htmlFor="my-pccc">{t('pccc')}</label>
          <input
            id="my-pccc"
            autoComplete="off"
            pattern="[Pp][0-9]{12}"
            placeholder="P123456789012"
            required
            value={pccc}
            onChange={(e) => setPccc(e.target.value.trim().toUpperCase())}
          />
          <button type="submit">{t('sendLinkCode')}</button>
        </form>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void call('POST', '/api/v1/portal/pccc/link', { pccc, code }).then(onLinked, () => undefined);
          }}
        >
          <p>
            {t('sentTo')}: {sentTo}
          </p>
          <label htmlFor="my-link-code">{t('code')}</label>
          <input
            id="my-link-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit">{t('confirm')}</button>
        </form>
      )}
    </section>
  );
}

function ParcelCard({
  parcel,
  t,
  call,
  onChange,
}: {
  parcel: AnyJson;
  t: T;
  call: Call;
  onChange: () => void;
}) {
  const [reporting, setReporting] = useState(false);
  const [statement, setStatement] = useState('');
  const tax = parcel.tax as AnyJson;
  return (
    <article aria-label={parcel.trackingNumber}>
      <h3>
        {parcel.trackingNumber} · {parcel.statusLabel}
      </h3>
      <ol className="timeline">
        {(parcel.timeline as AnyJson[]).map((step) => (
          <li key={step.step} className={step.done ? 'done' : undefined}>
            {step.label}
            {step.at ? ` ${String(step.at).slice(0, 10)}` : ''}
          </li>
        ))}
      </ol>
      {parcel.holdReason && <p className="notice">{parcel.holdReason}</p>}
      {parcel.check && <p>{parcel.check}</p>}
      <h4>{t('tax')}</h4>
      {(tax.explanation as string[]).map((line) => (
        <p key={line}>{line}</p>
      ))}
      {(tax.lines as AnyJson[]).length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('goods')}</th>
              <th scope="col">{t('customsValue')}</th>
              <th scope="col">{t('duty')}</th>
              <th scope="col">{t('vat')}</th>
            </tr>
          </thead>
          <tbody>
            {(tax.lines as AnyJson[]).map((line, index) => (
              <tr key={index}>
                <td>
                  {line.description} ({line.value} {line.currency})
                </td>
                <td>{line.customsValueKrw.toLocaleString()}</td>
                <td>
                  {line.dutyKrw.toLocaleString()} <small>{line.dutyRule}</small>
                </td>
                <td>
                  {line.vatKrw.toLocaleString()} <small>{line.vatPercent} %</small>
                </td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('total')}</th>
              <td colSpan={3}>
                {tax.totalTaxKrw.toLocaleString()} {t('won')}
              </td>
            </tr>
          </tbody>
        </table>
      )}
      {(tax.exchangeRates as string[]).map((rate) => (
        <p key={rate}>
          <small>{rate}</small>
        </p>
      ))}
      <h4>{t('nextSteps')}</h4>
      <ul>
        {(parcel.nextSteps as string[]).map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ul>
      {!parcel.reported &&
        (reporting ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void call('POST', '/api/v1/portal/pccc/misuse-reports', {
                parcelIds: [parcel.parcelId],
                statement,
              }).then(onChange, () => undefined);
            }}
          >
            <label htmlFor={`statement-${parcel.parcelId}`}>{t('statement')}</label>
            <textarea
              id={`statement-${parcel.parcelId}`}
              required
              value={statement}
              onChange={(e) => setStatement(e.target.value)}
            />
            <button type="submit">{t('report')}</button>
          </form>
        ) : (
          <button onClick={() => setReporting(true)}>{t('notMine')}</button>
        ))}
    </article>
  );
}

function Inquiries({
  t,
  call,
  inquiries,
  onChange,
}: {
  t: T;
  call: Call;
  inquiries: AnyJson[];
  onChange: () => void;
}) {
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const attachments = file
      ? [{ fileName: file.name, mediaType: file.type, contentBase64: await base64Of(file) }]
      : [];
    await call('POST', '/api/v1/portal/inquiries', { subject, body, attachments });
    setSubject('');
    setBody('');
    setFile(null);
    onChange();
  };
  return (
    <section>
      <h2>{t('questions')}</h2>
      {inquiries.map((inquiry) => (
        <article key={inquiry.id} aria-label={inquiry.subject}>
          <h3>
            {inquiry.subject} · {inquiry.status}
          </h3>
          <p>
            <small>
              {t('answerBy')} {String(inquiry.answerDueAt).slice(0, 16).replace('T', ' ')}
            </small>
          </p>
          {(inquiry.messages as AnyJson[]).map((message, index) => (
            <p key={index}>
              <strong>{message.author === 'officer' ? t('customs') : t('me')}:</strong> {message.body}
            </p>
          ))}
        </article>
      ))}
      <form onSubmit={(event) => void submit(event).catch(() => undefined)}>
        <label htmlFor="my-subject">{t('subject')}</label>
        <input id="my-subject" required value={subject} onChange={(e) => setSubject(e.target.value)} />
        <label htmlFor="my-question">{t('question')}</label>
        <textarea id="my-question" required value={body} onChange={(e) => setBody(e.target.value)} />
        <label htmlFor="my-file">{t('attachment')}</label>
        <input
          id="my-file"
          type="file"
          accept="application/pdf,image/png,image/jpeg"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <button type="submit">{t('ask')}</button>
      </form>
    </section>
  );
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
