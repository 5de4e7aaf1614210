import { useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import { partnerEndpoints } from '../../api/partners';
import { useI18n } from '../../i18n/i18n';
import { FormError, InternalLink, listOf } from './partner-common';

const emptyApplication = {
  legalName: '',
  country: '',
  street: '',
  city: '',
  postcode: '',
  marketplaces: '',
  email: '',
  phone: '',
  contactName: '',
  documents: '',
  password: '',
};
type ApplicationField = keyof typeof emptyApplication;

/**
 * A foreign online seller applies for registration without an account; with a password it gets one
 * (its contact e-mail) to sign in and follow the decision.
 */
export default function SellerApplyPage({ signedIn }: { signedIn: boolean }) {
  const { t } = useI18n();
  const [form, setForm] = useState(emptyApplication);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [applied, setApplied] = useState<{ registrationNumber: string; account: boolean } | null>(null);
  const field = (name: ApplicationField, label: string, props: Record<string, unknown> = {}) => (
    <>
      <label htmlFor={`apply-${name}`}>{label}</label>
      <input
        id={`apply-${name}`}
        value={form[name]}
        onChange={(event) => setForm({ ...form, [name]: event.target.value })}
        {...props}
      />
    </>
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const country = form.country.trim().toUpperCase();
      const answer = await request<{ registrationNumber: string }>('post', partnerEndpoints.registrations, {
        body: {
          legalName: form.legalName,
          country,
          address: { street: form.street, city: form.city, postcode: form.postcode || null, country },
          marketplaces: listOf(form.marketplaces),
          contact: { email: form.email.trim(), phone: form.phone || null, name: form.contactName || null },
          documents: listOf(form.documents),
          ...(form.password ? { password: form.password } : {}),
        },
      });
      setApplied({ registrationNumber: answer.registrationNumber, account: Boolean(form.password) });
      setForm(emptyApplication);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login" id="content">
      <div className="panel login-form">
        <h1>{t('partners.apply.title')}</h1>
        <p className="muted small">{t('partners.apply.intro')}</p>
        {applied ? (
          <div className="notice notice-ok" role="status">
            <p>{t('partners.apply.done', { number: applied.registrationNumber })}</p>
            {applied.account && <p>{t('partners.apply.signInToFollow')}</p>}
          </div>
        ) : (
          <form className="partner-form" onSubmit={submit}>
            {field('legalName', t('partners.sellers.legalName'), { required: true, maxLength: 300 })}
            {field('country', t('partners.apply.country'), {
              required: true,
              pattern: '[A-Za-z]{2}',
              maxLength: 2,
              'aria-describedby': 'apply-country-help',
            })}
            <p id="apply-country-help" className="muted small">
              {t('partners.apply.countryHelp')}
            </p>
            {field('street', t('partners.apply.street'), { required: true })}
            {field('city', t('partners.apply.city'), { required: true })}
            {field('postcode', t('partners.apply.postcode'))}
            {field('marketplaces', t('partners.apply.marketplaces'), { required: true })}
            {field('email', t('partners.seller.contact'), {
              required: true,
              type: 'email',
              autoComplete: 'email',
            })}
            {field('phone', t('partners.apply.phone'), { type: 'tel' })}
            {field('contactName', t('partners.apply.contactName'))}
            {field('documents', t('partners.apply.documents'))}
            {field('password', t('partners.apply.password'), {
              type: 'password',
              autoComplete: 'new-password',
              'aria-describedby': 'apply-password-help',
            })}
            <p id="apply-password-help" className="muted small">
              {t('partners.apply.passwordHelp')}
            </p>
            <FormError error={failure} />
            <button type="submit" className="primary" disabled={busy}>
              {t('partners.apply.submit')}
            </button>
          </form>
        )}
        <p>
          <InternalLink path={signedIn ? '/' : '/login'}>
            {signedIn ? t('partners.apply.back') : t('partners.apply.signIn')}
          </InternalLink>
        </p>
      </div>
    </main>
  );
}
