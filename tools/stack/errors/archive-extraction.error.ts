/** Unpacking a downloaded distribution (the Apicurio Registry tar.gz) failed. */
export class ArchiveExtractionError extends Error {
  override readonly name = 'ArchiveExtractionError';
  /** Usually a truncated download: delete the archive and try again. */
  readonly retryable = true;

  constructor(
    /** The archive that could not be unpacked. */
    readonly archive: string,
    /** What `tar` said. */
    readonly detail: string,
  ) {
    super(
      `Could not unpack ${archive}: ${detail}\nIf the file is truncated, delete it and run \`npm run stack:up\` again to download it anew.`,
    );
  }
}
