import type { FieldError } from './field-error.js';

/**
 * The one error type that services throw on purpose. Each module subclasses it with a closed union of
 * codes and maps every code to an HTTP status at its edge (`Record<Code, number>`), so adding a code that
 * nobody maps fails to compile.
 */
export class ModuleError<Code extends string = string> extends Error {
  /** The code the client is shown, when it must not differ from another one (see `answeredAs`). */
  shownCode: Code | undefined;

  constructor(
    readonly module: string,
    readonly code: Code,
    message: string,
    readonly details?: { fieldErrors?: FieldError[]; [key: string]: unknown },
  ) {
    super(message);
    this.name = `${module}Error`;
  }

  /**
   * Answers the client as if the error were `code` (same status, same code), while the log keeps the
   * real one: "not yours" is answered exactly as "does not exist", so an id reveals nothing, and the
   * refusal is still logged as a denial.
   */
  answeredAs(code: Code): this {
    this.shownCode = code;
    return this;
  }
}

/** Errors every module may raise, mapped once by the HTTP layer. */
export type CommonErrorCode = 'not_found' | 'forbidden' | 'unauthenticated' | 'invalid_input' | 'conflict';

export class CommonError extends ModuleError<CommonErrorCode> {
  constructor(code: CommonErrorCode, message: string, details?: ModuleError['details']) {
    super('common', code, message, details);
  }
}

export const commonErrorStatus: Record<CommonErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  invalid_input: 400,
  conflict: 409,
};
