import type { Actor } from '../../platform/auth/actor.js';
import { deny, isOfficer } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Locale } from '../../platform/i18n/locale.js';
import type { MailSender } from '../../platform/mail/mail-sender.js';
import type { LocalisedText } from './catalogue/analytical-model.js';
import { AnalyticsError } from './analytics.errors.js';
import type { AnalyticsRepository, StoredRequest, StoredRequestEvent } from './analytics.repository.js';
import {
  mayTakeStep,
  statusAfter,
  type RequestStatus,
  type RequestStep,
  type RequestUrgency,
} from './domain/model-requests.js';

/** Where to mail an officer (wired in main.ts from identity); null when the account has no address. */
export type MailAddressLookup = (accountId: string) => Promise<{ email: string; locale?: Locale } | null>;

export interface NewModelRequest {
  title: string;
  question: string;
  dataNeeded: string;
  urgency: RequestUrgency;
  exampleCases: string;
}

/**
 * Model requests: any officer asks for an analysis the catalogue lacks; data analysts triage, comment,
 * estimate, deliver (naming the catalogue model and version that answers it) or decline. Each step is
 * kept on the request's timeline, audited, and mailed to the requester.
 */
export class ModelRequestsService {
  constructor(
    private readonly deps: {
      repository: AnalyticsRepository;
      audit: AuditTrail;
      mail: MailSender;
      mailAddressOf: MailAddressLookup;
      /** The catalogue's models and versions, to check what a delivery names. */
      modelVersion: (modelId: string) => string | undefined;
    },
  ) {}

  async file(actor: Actor, input: NewModelRequest): Promise<{ id: number; notified: string | null }> {
    const officer = this.requireOfficer(actor, 'analytics.file_request');
    const recipient = await this.recipientOf(actor);
    const id = await this.deps.repository.insertRequest(
      { ...input, requester: officer.accountId, requesterName: officer.name },
      { text: input.question, notified: recipient?.email ?? null },
    );
    await this.deps.audit.append({
      actor,
      action: 'analytics.request_filed',
      subject: `analytics_request:${id}`,
      details: { urgency: input.urgency },
    });
    if (recipient) await this.notify(recipient, id, input.title, 'filed', input.question);
    return { id, notified: recipient?.email ?? null };
  }

  /** Analysts see every request; other officers their own. */
  async list(actor: Actor, filter: { status?: RequestStatus; mine?: boolean }): Promise<StoredRequest[]> {
    const officer = this.requireOfficer(actor, 'analytics.list_requests');
    const ownOnly = filter.mine || !isOfficer(actor, 'data_analyst');
    return this.deps.repository.listRequests({
      ...(ownOnly ? { requester: officer.accountId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      limit: 500,
    });
  }

  async get(actor: Actor, id: number): Promise<StoredRequest & { events: StoredRequestEvent[] }> {
    const officer = this.requireOfficer(actor, 'analytics.get_request');
    const found = await this.deps.repository.findRequest(id);
    // Another officer's request is answered as missing, so that ids reveal nothing.
    if (!found || (found.request.requester !== officer.accountId && !isOfficer(actor, 'data_analyst')))
      throw new AnalyticsError('request_not_found', `No request ${id}`);
    return { ...found.request, events: found.events };
  }

  async takeStep(
    actor: Actor,
    id: number,
    step: RequestStep,
  ): Promise<StoredRequest & { events: StoredRequestEvent[] }> {
    const current = await this.get(actor, id);
    const officer = this.requireOfficer(actor, 'analytics.request_step');
    const who = {
      isAnalyst: isOfficer(actor, 'data_analyst'),
      isRequester: current.requester === officer.accountId,
    };
    if (!mayTakeStep(step.kind, who, current.status))
      deny(
        actor,
        `analytics.request_${step.kind}`,
        `analytics_request:${id}`,
        'Only data analysts move a request on',
      );
    const next = statusAfter(current.status, step);
    if (!next)
      throw new AnalyticsError(
        'step_not_allowed',
        `A request that is ${current.status} cannot be ${step.kind}`,
      );
    if (step.kind === 'delivered' && this.deps.modelVersion(step.modelId) !== step.modelVersion)
      throw new AnalyticsError(
        'invalid_parameters',
        `The catalogue has no model ${step.modelId} ${step.modelVersion}`,
        {
          fieldErrors: [
            {
              path: 'modelVersion',
              value: `${step.modelId} ${step.modelVersion}`,
              rule: 'one-of',
              message: `must name a catalogue model and its current version (${step.modelId}: ${this.deps.modelVersion(step.modelId) ?? 'none'})`,
            },
          ],
        },
      );
    const eventId = await this.deps.repository.recordStep(id, current.status, {
      kind: step.kind,
      author: officer.accountId,
      authorName: officer.name,
      text: step.text,
      statusAfter: next,
      ...(step.kind === 'estimated' ? { estimateDays: step.estimateDays } : {}),
      ...(step.kind === 'delivered'
        ? { deliveredModelId: step.modelId, deliveredModelVersion: step.modelVersion }
        : {}),
    });
    if (eventId === undefined)
      throw new AnalyticsError(
        'step_not_allowed',
        `Request ${id} changed meanwhile; reload it and try again`,
      );
    await this.deps.audit.append({
      actor,
      action: `analytics.request_${step.kind}`,
      subject: `analytics_request:${id}`,
      details: { statusAfter: next },
    });
    // The requester is told of every step someone else takes.
    if (current.requester !== officer.accountId) {
      const recipient = await this.deps.mailAddressOf(current.requester);
      if (recipient) {
        await this.notify(recipient, id, current.title, step.kind, step.text);
        await this.deps.repository.markNotified(eventId, recipient.email);
      }
    }
    return this.get(actor, id);
  }

  private async recipientOf(actor: Actor): Promise<{ email: string; locale?: Locale } | null> {
    return actor.kind === 'officer' ? this.deps.mailAddressOf(actor.accountId) : null;
  }

  private async notify(
    recipient: { email: string; locale?: Locale },
    id: number,
    title: string,
    kind: RequestStep['kind'] | 'filed',
    text: string,
  ): Promise<void> {
    const locale = recipient.locale ?? 'en';
    await this.deps.mail.send({
      to: recipient.email,
      subject: `[Clearway] ${STEP_SUBJECT[kind][locale]}: ${title} (#${id})`,
      text: `${STEP_SUBJECT[kind][locale]}\n\n${text}\n\n/analytics/requests/${id}`,
    });
  }

  private requireOfficer(actor: Actor, action: string): { accountId: string; name: string } {
    if (actor.kind === 'officer') return { accountId: actor.accountId, name: actor.name };
    if (actor.kind === 'system') return { accountId: 'system', name: 'system' };
    return deny(actor, action, undefined, 'Model requests are for customs officers');
  }
}

const STEP_SUBJECT: Record<RequestStep['kind'] | 'filed', LocalisedText> = {
  filed: {
    ko: '모델 요청이 접수되었습니다',
    en: 'Your model request was filed',
    fr: 'Votre demande de modèle est enregistrée',
  },
  comment: {
    ko: '모델 요청에 의견이 달렸습니다',
    en: 'New comment on your model request',
    fr: 'Nouveau commentaire sur votre demande',
  },
  triaged: {
    ko: '모델 요청이 검토되었습니다',
    en: 'Your model request was triaged',
    fr: 'Votre demande a été examinée',
  },
  estimated: {
    ko: '모델 요청의 예상 기간이 정해졌습니다',
    en: 'Your model request has an estimate',
    fr: 'Votre demande a une estimation',
  },
  delivered: {
    ko: '요청한 모델이 제공되었습니다',
    en: 'Your requested model is delivered',
    fr: 'Le modèle demandé est livré',
  },
  declined: {
    ko: '모델 요청이 반려되었습니다',
    en: 'Your model request was declined',
    fr: 'Votre demande a été refusée',
  },
};
