import type { ErrorTranslations } from '../../../platform/http/error-messages.js';
import { ModuleError } from '../../../platform/errors/module-error.js';

/** Why an X-ray request could not be served; a closed union so the HTTP edge can map every code. */
export type XrayErrorCode = 'unreadable_image' | 'unsupported_image' | 'model_not_found' | 'invalid_model';

/** The one error type the X-ray module throws on purpose (bad scans, missing or malformed models). */
export class XrayError extends ModuleError<XrayErrorCode> {
  constructor(code: XrayErrorCode, message: string, details?: ModuleError['details']) {
    super('xray', code, message, details);
  }
}

/** HTTP status of each X-ray error code; the compiler insists that every code has one. */
export const xrayErrorStatus: Record<XrayErrorCode, number> = {
  unreadable_image: 400,
  unsupported_image: 415,
  model_not_found: 500,
  invalid_model: 500,
};

/** Korean and French of each xray error code (the English message is written where it is thrown). */
export const xrayErrorMessages: ErrorTranslations<XrayErrorCode> = {
  unreadable_image: { ko: '영상을 읽을 수 없습니다.', fr: "L'image est illisible." },
  unsupported_image: {
    ko: '지원하지 않는 영상 형식입니다.',
    fr: "Ce format d'image n'est pas pris en charge.",
  },
  model_not_found: {
    ko: '위협 인식 모델 파일이 없습니다.',
    fr: 'Le fichier du modèle de détection est introuvable.',
  },
  invalid_model: {
    ko: '위협 인식 모델 파일이 올바르지 않습니다.',
    fr: 'Le fichier du modèle de détection est invalide.',
  },
};
