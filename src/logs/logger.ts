// The one pino logger of the process, handed to Probot so that its lines and
// ours share format, level, redaction and the delivery fields.
import pino from "pino";
import type { Logger } from "pino";
import { currentDeliveryFields } from "./delivery-context.js";
import { isScrubbedError, redactPaths, scrubSecrets, scrubValue, REDACTED } from "./redaction.js";

export interface LoggerOptions {
  level: string;
  secrets: readonly string[];
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: pino.DestinationStream;
  /** Extra fields on every line (e.g. instance id). */
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions): Logger {
  const { secrets } = options;
  return pino(
    {
      level: options.level,
      base: { name: "iact-bot", ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: REDACTED },
      mixin: () => ({ ...currentDeliveryFields() }),
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrubValue(object, secrets) as Record<string, unknown>,
      },
      hooks: {
        // Messages are strings pino does not pass through formatters.log.
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === "string" ? scrubSecrets(arg, secrets) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      // formatters.log runs first and has already scrubbed errors into {type, message, stack}.
      serializers: { err: serializeError, error: serializeError },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

function serializeError(value: unknown): unknown {
  return isScrubbedError(value) ? value : pino.stdSerializers.err(value as Error);
}
