/** Exit codes of every `workpipe` command, listed in `workpipe --help`. */
export const EXIT_CODES = {
  /** Done; nothing rejected (duplicates are not failures). */
  ok: 0,
  /** Done, but some items or lines were rejected (see the summary or --rejected-out). */
  rejected: 1,
  /** Bad command line or unusable input file; nothing was sent. */
  usage: 2,
  /** Stopped early: the ingestor, the stats service, Kafka or Redis stayed unavailable or answered unexpectedly. Re-running is safe. */
  stopped: 3,
  /** The ingestor or the stats service refused the API key (missing, unknown, or without the role). */
  unauthorized: 4,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit codes as the help text lists them. */
export const EXIT_CODES_HELP = `Exit codes:
  0  done, nothing rejected (duplicates are fine); watch / replay-status: every item succeeded
  1  done, some items rejected; watch / replay-status / retry-failures: some still failing or abandoned
  2  usage error (bad option, missing file, unusable header); nothing sent
  3  stopped early: ingestor, stats service, Kafka or Redis unavailable, or an unexpected answer (re-running is safe)
  4  API key missing or refused`;
