/** Typed application errors: a code (not a string to parse) and a message that says what to do next. */
export const ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION: 422,
  RATE_LIMITED: 429,
  /** every database connection busy for longer than MODLOOP_POOL_WAIT_MS: retry shortly */
  BUSY: 503,
  /** the database cannot be reached (restarting, failing over, network): retry shortly */
  UNAVAILABLE: 503,
  NO_MODEL: 409,
  BAD_INPUT: 400,
  INTERNAL: 500,
} as const;

export type TErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: TErrorCode;
  readonly details?: unknown;
  constructor(code: TErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The JSON body of every non-2xx API response. */
export type TErrorBody = { error: { code: TErrorCode; message: string; details?: unknown } };
