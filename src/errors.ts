/**
 * An error the user can act on: `userMessage` is safe to show in chat, a card or the CLI
 * (no stack, no secrets); `code` is stable for tests and logs.
 */
export class HuntError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(userMessage, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HuntError';
    this.details = options?.details ?? {};
  }
  readonly details: Record<string, unknown>;
}

/** A parameter value that fails its input's type or range. */
export class InvalidParameterError extends HuntError {
  constructor(readonly input: string, message: string) {
    super('InvalidParameter', message, { details: { input } });
    this.name = 'InvalidParameterError';
  }
}

/** A skill manifest that cannot be used, with the file and line where it goes wrong. */
export class ManifestError extends HuntError {
  constructor(readonly file: string, readonly line: number | undefined, problem: string) {
    super('InvalidManifest', `${file}${line ? `:${line}` : ''}: ${problem}`, { details: { file, line } });
    this.name = 'ManifestError';
  }
}

/** A KQL text the Kusto parser rejects. */
export class KqlSyntaxError extends HuntError {
  constructor(message: string, readonly diagnostics: { code: string; message: string; start: number; length: number }[]) {
    super('KqlInvalid', message, { details: { diagnostics } });
    this.name = 'KqlSyntaxError';
  }
}

/** A KQL operator or function the local engine does not implement. */
export class UnsupportedKqlError extends HuntError {
  constructor(what: string, line: number, column: number) {
    super('KqlUnsupported', `The local engine does not support ${what} (line ${line}, column ${column}). Run this query on Defender or Log Analytics, or rewrite it.`, { details: { what, line, column } });
    this.name = 'UnsupportedKqlError';
  }
}

export function isHuntError(e: unknown): e is HuntError {
  return e instanceof HuntError;
}
