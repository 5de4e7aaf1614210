import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, EndpointUnavailable, hasEndpoint } from '../api/client';
import { endpoints } from '../api/endpoints';
import { useI18n } from '../i18n/i18n';

export const parcelActions = ['release', 'hold', 'refer_xray', 'inspect', 'record_inspection', 'seize'] as const;
export type ParcelAction = (typeof parcelActions)[number];

/** Which endpoint records each action: decisions share one, results and seizures have their own records. */
export function actionEndpoint(action: ParcelAction): string {
  if (action === 'record_inspection') return endpoints.inspectionResults;
  if (action === 'seize') return endpoints.seizures;
  return endpoints.parcelActions;
}

export function actionAvailable(action: ParcelAction): boolean {
  return hasEndpoint('post', actionEndpoint(action));
}

/**
 * Asks for the reason (and, for results and seizures, what was found) before an action is sent. The
 * server writes the audit entry; the dialog only refuses to send an action without a reason.
 */
export function ActionDialog({ parcelId, tracking, action, onClose, onDone }: {
  parcelId: number;
  tracking: string;
  action: ParcelAction;
  onClose(): void;
  onDone(action: ParcelAction): void;
}) {
  const { t } = useI18n();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<'compliant' | 'fraud' | 'critical'>('compliant');
  const [findings, setFindings] = useState('');
  const [category, setCategory] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setFailure(t('action.reasonRequired'));
      return;
    }
    setBusy(true);
    setFailure(null);
    const body =
      action === 'record_inspection'
        ? { outcome, findings: findings.trim() || undefined, reason: reason.trim() }
        : action === 'seize'
          ? { category: category.trim(), quantity: Number(quantity), reason: reason.trim() }
          : { action, reason: reason.trim() };
    try {
      await api('post', actionEndpoint(action), { params: { id: parcelId }, body });
      onDone(action);
    } catch (error) {
      setFailure(error instanceof EndpointUnavailable ? t('common.unavailableDetail', { endpoint: `${error.method} ${error.path}` }) : error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const title = t('action.title', { action: t(`action.${action}`), tracking });
  return (
    <dialog ref={dialogRef} className="action-dialog" aria-labelledby="action-title" onClose={onClose} onCancel={onClose}>
      <form onSubmit={submit}>
        <h2 id="action-title">{title}</h2>
        {action === 'record_inspection' && (
          <fieldset>
            <legend>{t('action.outcome')}</legend>
            {(['compliant', 'fraud', 'critical'] as const).map((value) => (
              <label key={value} className="radio">
                <input type="radio" name="outcome" value={value} checked={outcome === value} onChange={() => setOutcome(value)} />
                {t(`action.outcome.${value}`)}
              </label>
            ))}
            <label htmlFor="action-findings">{t('action.findings')}</label>
            <textarea id="action-findings" rows={2} value={findings} onChange={(event) => setFindings(event.target.value)} />
          </fieldset>
        )}
        {action === 'seize' && (
          <div className="form-row">
            <label>
              {t('action.category')}
              <input required value={category} onChange={(event) => setCategory(event.target.value)} />
            </label>
            <label>
              {t('action.quantity')}
              <input required type="number" min="1" value={quantity} onChange={(event) => setQuantity(event.target.value)} />
            </label>
          </div>
        )}
        <label htmlFor="action-reason">{t('action.reason')}</label>
        <textarea id="action-reason" rows={3} required autoFocus value={reason} onChange={(event) => setReason(event.target.value)} />
        {failure && <p className="notice notice-error" role="alert">{failure}</p>}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className={action === 'seize' ? 'danger' : 'primary'} disabled={busy}>{t(`action.${action}`)}</button>
        </div>
      </form>
    </dialog>
  );
}
