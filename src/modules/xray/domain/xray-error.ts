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
