import type { ErrorTranslations } from '../../platform/errors/error-translations.js';
import type { FieldError } from '../../platform/errors/field-error.js';
import { ModuleError } from '../../platform/errors/module-error.js';

export type PortalErrorCode =
  | 'invalid_request'
  | 'consumer_only'
  | 'pccc_not_linked'
  | 'pccc_not_in_registry'
  | 'account_already_linked'
  | 'pccc_already_linked'
  | 'link_code_invalid'
  | 'parcel_not_found'
  | 'not_your_parcel'
  | 'address_limit_reached'
  | 'address_not_found'
  | 'report_not_found'
  | 'report_already_worked'
  | 'inquiry_not_found'
  | 'not_your_inquiry'
  | 'inquiry_closed'
  | 'attachment_not_found'
  | 'attachment_too_large'
  | 'unsupported_media_type'
  | 'registry_file_invalid';

export class PortalError extends ModuleError<PortalErrorCode> {
  constructor(
    code: PortalErrorCode,
    message: string,
    details?: { fieldErrors?: FieldError[]; [key: string]: unknown },
  ) {
    super('portal', code, message, details);
  }
}

/** HTTP status of each portal error code; the compiler insists that every code has one. */
export const portalErrorStatus: Record<PortalErrorCode, number> = {
  invalid_request: 422,
  consumer_only: 403,
  // The consumer is signed in but has not proved the code is theirs yet: nothing to show.
  pccc_not_linked: 409,
  // Answered like a wrong code: the registry's content is not revealed to whoever asks.
  pccc_not_in_registry: 422,
  account_already_linked: 409,
  pccc_already_linked: 409,
  link_code_invalid: 422,
  parcel_not_found: 404,
  not_your_parcel: 404,
  address_limit_reached: 409,
  address_not_found: 404,
  report_not_found: 404,
  report_already_worked: 409,
  inquiry_not_found: 404,
  not_your_inquiry: 404,
  inquiry_closed: 409,
  attachment_not_found: 404,
  attachment_too_large: 413,
  unsupported_media_type: 415,
  registry_file_invalid: 422,
};

/** Korean and French of each portal error code, for callers who read those languages. */
export const portalErrorMessages: ErrorTranslations<PortalErrorCode> = {
  invalid_request: { ko: '요청 값이 올바르지 않습니다.', fr: 'La requête contient des valeurs invalides.' },
  consumer_only: {
    ko: '개인 구매자 계정으로 로그인해야 합니다.',
    fr: 'Connectez-vous avec un compte d’acheteur.',
  },
  pccc_not_linked: {
    ko: '먼저 개인통관고유부호를 본인 확인으로 연결하십시오.',
    fr: 'Reliez d’abord votre code douanier personnel (PCCC) en le confirmant.',
  },
  pccc_not_in_registry: {
    ko: '확인 코드를 보낼 수 없습니다. 부호를 확인하십시오.',
    fr: 'Impossible d’envoyer un code de confirmation : vérifiez le code PCCC.',
  },
  account_already_linked: {
    ko: '이 계정에는 이미 다른 개인통관고유부호가 연결되어 있습니다. 계정 하나에 부호 하나만 연결할 수 있습니다.',
    fr: 'Ce compte est déjà relié à un autre code PCCC : un seul code par compte.',
  },
  pccc_already_linked: {
    ko: '이 부호는 이미 다른 계정에 연결되어 있습니다. 도용이 의심되면 세관에 문의하십시오.',
    fr: 'Ce code est déjà relié à un autre compte ; en cas d’usurpation, contactez la douane.',
  },
  link_code_invalid: {
    ko: '확인 코드가 틀리거나 만료되었습니다. 새 코드를 요청하십시오.',
    fr: 'Le code est erroné ou a expiré ; demandez-en un nouveau.',
  },
  parcel_not_found: { ko: '해당 화물이 없습니다.', fr: 'Ce colis est introuvable.' },
  not_your_parcel: { ko: '해당 화물이 없습니다.', fr: 'Ce colis est introuvable.' },
  address_limit_reached: {
    ko: '배송지는 최대 20곳까지 등록할 수 있습니다.',
    fr: 'Vous pouvez enregistrer au plus 20 adresses de livraison.',
  },
  address_not_found: { ko: '해당 배송지가 없습니다.', fr: 'Cette adresse est introuvable.' },
  report_not_found: { ko: '해당 도용 신고가 없습니다.', fr: 'Ce signalement est introuvable.' },
  report_already_worked: {
    ko: '이미 처리된 신고입니다.',
    fr: 'Ce signalement a déjà été traité.',
  },
  inquiry_not_found: { ko: '해당 문의가 없습니다.', fr: 'Cette demande est introuvable.' },
  not_your_inquiry: { ko: '해당 문의가 없습니다.', fr: 'Cette demande est introuvable.' },
  inquiry_closed: { ko: '종료된 문의입니다.', fr: 'Cette demande est close.' },
  attachment_not_found: { ko: '해당 첨부 파일이 없습니다.', fr: 'Cette pièce jointe est introuvable.' },
  attachment_too_large: { ko: '첨부 파일이 너무 큽니다.', fr: 'La pièce jointe est trop volumineuse.' },
  unsupported_media_type: {
    ko: 'PDF, PNG, JPEG 파일만 첨부할 수 있습니다.',
    fr: 'Seuls les fichiers PDF, PNG et JPEG peuvent être joints.',
  },
  registry_file_invalid: {
    ko: '등록부 파일에 잘못된 행이 있습니다.',
    fr: 'Le fichier du registre contient des lignes invalides.',
  },
};
