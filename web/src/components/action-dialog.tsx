import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, EndpointUnavailable } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { Lane } from '../api/types';
import { useI18n } from '../i18n/i18n';

export const parcelActions = [
  'release',
  'hold',
  'refer_xray',
  'inspect',
  'record_inspection',
  'seize',
] as const;
export type ParcelAction = (typeof parcelActions)[number];

export const inspectionOutcomes = [
  'no_finding',
  'undervaluation',
  'misdeclared_goods',
  'prohibited_goods',
] as const;
export const seizureCategories = [
  'narcotics',
  'precursors',
  'weapons_ammunition',
  'explosives',
  'cites_wildlife',
  'ipr_counterfeit',
  'tobacco',
  'alcohol',
  'medicines',
  'currency',
  'cultural_goods',
  'hazardous_goods',
  'other',
] as const;

/**
 * Where each action goes: the clearance lifecycle for release, hold and inspection; the targeting
 * decision (an officer override) for an X-ray referral; the inspection and seizure records for results.
 */
export function actionEndpoint(action: ParcelAction): string {
  switch (action) {
    case 'release':
    case 'hold':
    case 'inspect':
      return endpoints.transitions;
    case 'refer_xray':
      return endpoints.override;
    case 'record_inspection':
      return endpoints.inspections;
    case 'seize':
      return endpoints.seizures;
  }
}

const transitionTarget = { release: 'released', hold: 'held', inspect: 'under_inspection' } as const;

export interface ActionContext {
  parcelId: number;
  label: string;
  /** The lane of the current decision: an X-ray referral keeps it. */
  lane?: Lane;
  /** The sender's country, the start of the route of a seizure. */
  departureCountry?: string;
}

/**
 * Asks for the reason (and, for results and seizures, what was found) before an action is sent. The
 * server records who did it, when and why; the dialog refuses to send an action without a reason.
 */
export function ActionDialog({
  context,
  action,
  onClose,
  onDone,
}: {
  context: ActionContext;
  action: ParcelAction;
  onClose(): void;
  onDone(action: ParcelAction): void;
}) {
  const { t } = useI18n();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<(typeof inspectionOutcomes)[number]>('no_finding');
  const [findings, setFindings] = useState('');
  const [correctedValue, setCorrectedValue] = useState('');
  const [category, setCategory] = useState<(typeof seizureCategories)[number]>('other');
  const [goods, setGoods] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [unit, setUnit] = useState('pcs');
  const [concealment, setConcealment] = useState('');
  const [departure, setDeparture] = useState(context.departureCountry ?? '');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const body = (): unknown => {
    const why = reason.trim();
    switch (action) {
      case 'release':
      case 'hold':
      case 'inspect':
        return { to: transitionTarget[action], reason: why };
      case 'refer_xray':
        return { lane: context.lane ?? 'yellow', xrayReferral: true, reason: why };
      case 'record_inspection':
        return {
          outcome,
          notes: [why, findings.trim()].filter(Boolean).join('\n'),
          ...(outcome === 'undervaluation' && correctedValue.trim()
            ? { correctedValue: correctedValue.trim() }
            : {}),
        };
      case 'seize':
        return {
          goodsCategory: category,
          goodsDescription: goods.trim(),
          quantity: quantity.trim(),
          quantityUnit: unit.trim(),
          concealmentMethod: concealment.trim(),
          route: { departureCountry: departure.trim().toUpperCase(), destinationCountry: 'KR' },
          reason: why,
        };
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < 5) {
      setFailure(t('action.reasonRequired'));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await api('post', actionEndpoint(action), { params: { id: context.parcelId }, body: body() });
      onDone(action);
    } catch (error) {
      setFailure(
        error instanceof EndpointUnavailable
          ? t('common.unavailableDetail', { endpoint: `${error.method} ${error.path}` })
          : error instanceof ApiError
            ? [
                error.message,
                ...error.fieldErrors.map((fieldError) => `${fieldError.path}: ${fieldError.message}`),
              ].join('\n')
            : String(error),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialogRef}
      className="action-dialog"
      aria-labelledby="action-title"
      onClose={onClose}
      onCancel={onClose}
    >
      <form onSubmit={submit}>
        <h2 id="action-title">
          {t('action.title', { action: t(`action.${action}`), tracking: context.label })}
        </h2>
        {action === 'record_inspection' && (
          <fieldset>
            <legend>{t('action.outcome')}</legend>
            {inspectionOutcomes.map((value) => (
              <label key={value} className="radio">
                <input
                  type="radio"
                  name="outcome"
                  value={value}
                  checked={outcome === value}
                  onChange={() => setOutcome(value)}
                />
                {t(`action.outcome.${value}`)}
              </label>
            ))}
            {outcome === 'undervaluation' && (
              <label>
                {t('action.correctedValue')}
                <input
                  inputMode="decimal"
                  pattern="\d{1,15}(\.\d{1,2})?"
                  value={correctedValue}
                  onChange={(event) => setCorrectedValue(event.target.value)}
                />
              </label>
            )}
            <label htmlFor="action-findings">{t('action.findings')}</label>
            <textarea
              id="action-findings"
              rows={2}
              value={findings}
              onChange={(event) => setFindings(event.target.value)}
            />
          </fieldset>
        )}
        {action === 'seize' && (
          <fieldset>
            <legend>{t('action.seizure')}</legend>
            <label>
              {t('action.category')}
              <select
                value={category}
                onChange={(event) => setCategory(event.target.value as typeof category)}
              >
                {seizureCategories.map((value) => (
                  <option key={value} value={value}>
                    {t(`seizure.${value}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('action.goods')}
              <input required value={goods} onChange={(event) => setGoods(event.target.value)} />
            </label>
            <div className="form-row">
              <label>
                {t('action.quantity')}
                <input
                  required
                  inputMode="decimal"
                  pattern="\d{1,11}(\.\d{1,3})?"
                  value={quantity}
                  onChange={(event) => setQuantity(event.target.value)}
                  size={6}
                />
              </label>
              <label>
                {t('action.unit')}
                <input required value={unit} onChange={(event) => setUnit(event.target.value)} size={6} />
              </label>
            </div>
            <label>
              {t('action.concealment')}
              <input required value={concealment} onChange={(event) => setConcealment(event.target.value)} />
            </label>
            <label>
              {t('action.departure')}
              <input
                required
                pattern="[A-Za-z]{2}"
                maxLength={2}
                size={3}
                value={departure}
                onChange={(event) => setDeparture(event.target.value)}
              />
            </label>
          </fieldset>
        )}
        <label htmlFor="action-reason">{t('action.reason')}</label>
        <textarea
          id="action-reason"
          rows={3}
          required
          minLength={5}
          autoFocus
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
        {failure && (
          <p className="notice notice-error" role="alert">
            {failure}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className={action === 'seize' ? 'danger' : 'primary'} disabled={busy}>
            {t(`action.${action}`)}
          </button>
        </div>
      </form>
    </dialog>
  );
}
