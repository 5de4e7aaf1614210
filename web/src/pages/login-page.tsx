import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, hasEndpoint, loadCapabilities, request, setCredentials } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { Officer } from '../api/types';
import { useI18n } from '../i18n/i18n';

/** POST /api/v1/auth/login answers the caller and the CSRF token to echo on changes. */
interface LoginAnswer {
  me: Officer;
  csrfToken: string;
  expiresAt: string;
  /** Wrong passwords given for this account since its last sign-in: the officer is told (not a lock). */
  failedSignInsSinceLastSignIn?: number;
}

/**
 * Officer sign-in with a session cookie and a CSRF token, where the server offers it; otherwise an
 * officer API key, which is how this server authenticates until officer accounts exist.
 */
export function LoginPage({
  onSignedIn,
}: {
  onSignedIn(officer: Officer | null, failedSignIns?: number): void;
}) {
  const { t } = useI18n();
  const [passwordLogin, setPasswordLogin] = useState(hasEndpoint('post', endpoints.login));
  useEffect(() => {
    // A 401 on the first page signs out before the server's OpenAPI document is read, so this page can
    // mount without knowing whether password sign-in exists: choose the form again once it is known.
    void loadCapabilities().then(() => setPasswordLogin(hasEndpoint('post', endpoints.login)));
  }, []);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      if (passwordLogin) {
        const answer = await request<LoginAnswer>('post', endpoints.login, {
          body: { email: username.trim(), password },
        });
        setCredentials({ apiKey: null, csrfToken: answer.csrfToken });
        onSignedIn(answer.me, answer.failedSignInsSinceLastSignIn);
      } else {
        setCredentials({ apiKey: apiKey.trim(), csrfToken: null });
        // Check the key at once rather than on the first page that needs it.
        const me = hasEndpoint('get', endpoints.me) ? await request<Officer>('get', endpoints.me) : null;
        onSignedIn(me);
      }
    } catch (error) {
      setFailure(error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="content">
      <form className="panel login-form" onSubmit={submit} aria-labelledby="login-title">
        <div className="login-brand">
          <img src="/icon.svg" alt="" width="40" height="40" />
          <div>
            <strong>{t('app.name')}</strong>
            <span className="muted">{t('app.tagline')}</span>
          </div>
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        {passwordLogin ? (
          <>
            <label htmlFor="login-username">{t('login.username')}</label>
            <input
              id="login-username"
              type="email"
              autoComplete="username"
              required
              value={username}
              onChange={(event) => setUsername(event.target.value)}
            />
            <label htmlFor="login-password">{t('login.password')}</label>
            <input
              id="login-password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </>
        ) : (
          <>
            <label htmlFor="login-key">{t('login.apiKey')}</label>
            <input
              id="login-key"
              type="password"
              autoComplete="off"
              required
              value={apiKey}
              onChange={(event) => setApiKey(event.target.value)}
              aria-describedby={hasEndpoint('post', endpoints.login) ? undefined : 'login-key-help'}
            />
            {!hasEndpoint('post', endpoints.login) && (
              <p id="login-key-help" className="muted small">
                {t('login.apiKeyHelp')}
              </p>
            )}
          </>
        )}
        {failure && (
          <p className="notice notice-error" role="alert">
            {t('login.failed', { message: failure })}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
        {hasEndpoint('post', endpoints.login) && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setPasswordLogin(!passwordLogin);
              setFailure(null);
            }}
          >
            {passwordLogin ? t('login.useApiKey') : t('login.usePassword')}
          </button>
        )}
        <p className="muted small">
          {t('partners.apply.prompt')} <a href="/seller/apply">{t('partners.apply.link')}</a>
        </p>
      </form>
    </main>
  );
}
