import { createHash } from 'node:crypto';
import { describeActor, type Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import type { Locale } from '../../platform/i18n/locale.js';
import type { MailSender } from '../../platform/mail/mail-sender.js';
import { say } from './domain/consumer-wording.js';
import { recordAudit, requireCaseOfficer, requireLinkedPccc } from './portal.access.js';
import { PortalError } from './portal.errors.js';
import type { PortalParcelSource } from './portal.ports.js';
import type { AttachmentInfo, InquiryMessageRow, InquiryRow, PortalRepository } from './portal.repository.js';

/** Customs' service standard: an answer within three working days, counted here as 72 hours. */
export const RESPONSE_TARGET_HOURS = 72;
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;
export const ATTACHMENT_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;

/** File signatures: an attachment must be what its media type says. */
const SIGNATURES: Record<(typeof ATTACHMENT_MEDIA_TYPES)[number], number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46],
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'image/jpeg': [0xff, 0xd8, 0xff],
};

export interface NewAttachment {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

export interface InquiryView {
  id: number;
  subject: string;
  parcelId: number | null;
  status: InquiryRow['status'];
  createdAt: string;
  answerDueAt: string;
  answeredAt: string | null;
  overdue: boolean;
  messages: { author: 'consumer' | 'officer'; body: string; at: string }[];
  attachments: { id: number; fileName: string; mediaType: string; byteSize: number }[];
}

/** Consumers' questions to customs, with attachments, answered by officers from the console. */
export class InquiriesService {
  constructor(
    private readonly repository: PortalRepository,
    private readonly parcels: PortalParcelSource,
    private readonly mail: MailSender,
    private readonly publicUrl: string,
    private readonly audit: AuditTrail | undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async ask(
    actor: Actor | undefined,
    input: { subject: string; body: string; parcelId?: number | null; attachments: NewAttachment[] },
    locale: Locale,
  ): Promise<InquiryView> {
    const { consumer, pccc } = await requireLinkedPccc(this.repository, actor, 'portal.ask');
    if (input.parcelId) {
      const parcel = await this.parcels.parcel(input.parcelId);
      if (!parcel || parcel.pccc !== pccc)
        throw new PortalError('not_your_parcel', `No parcel ${input.parcelId} under your code`).answeredAs(
          'parcel_not_found',
        );
    }
    if (input.attachments.length > MAX_ATTACHMENTS)
      throw new PortalError('invalid_request', `At most ${MAX_ATTACHMENTS} attachments`, {
        fieldErrors: [
          {
            path: 'attachments',
            value: input.attachments.length,
            rule: 'max',
            message: `at most ${MAX_ATTACHMENTS}`,
          },
        ],
      });
    input.attachments.forEach(checkAttachment);
    const now = this.clock();
    const row = await this.repository.insertInquiry({
      pccc,
      accountId: consumer.accountId,
      parcelId: input.parcelId ?? null,
      subject: input.subject.trim(),
      body: input.body.trim(),
      language: locale,
      answerDueAt: new Date(now.getTime() + RESPONSE_TARGET_HOURS * 3_600_000),
      attachments: input.attachments.map((attachment) => ({
        ...attachment,
        sha256: createHash('sha256').update(attachment.content).digest('hex'),
      })),
    });
    await recordAudit(this.audit, {
      actor: consumer,
      action: 'portal.inquiry_asked',
      subject: `inquiry:${row.id}`,
      details: { attachments: input.attachments.length },
    });
    return this.view(row);
  }

  async mine(actor: Actor | undefined): Promise<InquiryView[]> {
    const { consumer } = await requireLinkedPccc(this.repository, actor, 'portal.list_inquiries');
    const rows = await this.repository.inquiries({ accountId: consumer.accountId, limit: 200 });
    return Promise.all(rows.map((row) => this.view(row)));
  }

  async get(actor: Actor | undefined, id: number): Promise<InquiryView> {
    return this.view(await this.readable(actor, id));
  }

  async attachment(actor: Actor | undefined, id: number, attachmentId: number) {
    await this.readable(actor, id);
    const found = await this.repository.attachment(id, attachmentId);
    if (!found) throw new PortalError('attachment_not_found', `No attachment ${attachmentId}`);
    return { fileName: found.file_name, mediaType: found.media_type, content: found.content };
  }

  /** A consumer's follow-up reopens the inquiry; an officer's answer is mailed to the consumer. */
  async reply(actor: Actor | undefined, id: number, body: string): Promise<InquiryView> {
    const inquiry = await this.readable(actor, id);
    if (inquiry.status === 'closed') throw new PortalError('inquiry_closed', `Inquiry ${id} is closed`);
    const officer = actor!.kind !== 'consumer';
    await this.repository.addMessage(id, {
      authorKind: officer ? 'officer' : 'consumer',
      author: describeActor(actor!),
      body: body.trim(),
      at: this.clock(),
    });
    await recordAudit(this.audit, {
      actor: actor!,
      action: officer ? 'portal.inquiry_answered' : 'portal.inquiry_followed_up',
      subject: `inquiry:${id}`,
    });
    if (officer) await this.mailAnswer(inquiry, body.trim());
    return this.view((await this.repository.inquiry(id))!);
  }

  async close(actor: Actor | undefined, id: number): Promise<InquiryView> {
    const inquiry = await this.readable(actor, id);
    await this.repository.closeInquiry(id);
    await recordAudit(this.audit, {
      actor: actor!,
      action: 'portal.inquiry_closed',
      subject: `inquiry:${id}`,
    });
    return this.view({ ...inquiry, status: 'closed' });
  }

  /** Officers' worklist: the oldest due first. */
  async worklist(actor: Actor | undefined, status: InquiryRow['status'] | undefined): Promise<InquiryView[]> {
    requireCaseOfficer(actor);
    const rows = await this.repository.inquiries({ status, limit: 500 });
    return Promise.all(rows.map((row) => this.view(row)));
  }

  /** The inquiry, for its consumer or a case officer; anybody else is answered as if it did not exist. */
  private async readable(actor: Actor | undefined, id: number): Promise<InquiryRow> {
    const inquiry = await this.repository.inquiry(id);
    if (actor?.kind === 'consumer') {
      await requireLinkedPccc(this.repository, actor, 'portal.read_inquiry');
      if (!inquiry || inquiry.account_id !== actor.accountId)
        throw new PortalError('not_your_inquiry', `No inquiry ${id}`).answeredAs('inquiry_not_found');
      return inquiry;
    }
    requireCaseOfficer(actor);
    if (!inquiry) throw new PortalError('inquiry_not_found', `No inquiry ${id}`);
    return inquiry;
  }

  private async mailAnswer(inquiry: InquiryRow, answer: string): Promise<void> {
    const holder = await this.repository.linkOfAccount(inquiry.account_id);
    const entry = holder ? await this.repository.registryEntry(holder.pccc) : undefined;
    if (!entry?.email) return;
    const params = { subject: inquiry.subject, answer, url: this.publicUrl };
    await this.mail.send({
      to: entry.email,
      subject: say('mail.answer.subject', inquiry.language, params),
      text: say('mail.answer.text', inquiry.language, params),
    });
  }

  private async view(row: InquiryRow): Promise<InquiryView> {
    const [messages, attachments] = await Promise.all([
      this.repository.messages(row.id),
      this.repository.attachments(row.id),
    ]);
    const due = new Date(row.answer_due_at);
    return {
      id: Number(row.id),
      subject: row.subject,
      parcelId: row.parcel_id === null ? null : Number(row.parcel_id),
      status: row.status,
      createdAt: new Date(row.created_at).toISOString(),
      answerDueAt: due.toISOString(),
      answeredAt: row.answered_at ? new Date(row.answered_at).toISOString() : null,
      overdue: row.status === 'open' && due.getTime() < this.clock().getTime(),
      messages: messages.map(messageView),
      attachments: attachments.map(attachmentView),
    };
  }
}

function checkAttachment(attachment: NewAttachment, index: number): void {
  const signature = SIGNATURES[attachment.mediaType as keyof typeof SIGNATURES];
  if (!signature)
    throw new PortalError('unsupported_media_type', `Attachment ${index + 1}: only PDF, PNG and JPEG files`);
  if (attachment.content.length > MAX_ATTACHMENT_BYTES)
    throw new PortalError(
      'attachment_too_large',
      `Attachment ${index + 1} is over ${MAX_ATTACHMENT_BYTES} bytes`,
    );
  if (!signature.every((byte, position) => attachment.content[position] === byte))
    throw new PortalError(
      'invalid_request',
      `Attachment ${index + 1} is not a ${attachment.mediaType} file`,
      {
        fieldErrors: [
          {
            path: `attachments/${index}/content`,
            value: null,
            rule: 'file-signature',
            message: `is not a ${attachment.mediaType} file`,
          },
        ],
      },
    );
}

function messageView(row: InquiryMessageRow) {
  return { author: row.author_kind, body: row.body, at: new Date(row.created_at).toISOString() };
}

function attachmentView(row: AttachmentInfo) {
  return { id: Number(row.id), fileName: row.file_name, mediaType: row.media_type, byteSize: row.byte_size };
}
