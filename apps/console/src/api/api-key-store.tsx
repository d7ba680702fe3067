const STORAGE_KEY = 'workpipe.console.apiKey';
const READ_ONLY_KEY = 'workpipe.console.readOnly';

/**
 * The API key the person typed, kept in sessionStorage: it lasts as long as the tab, is never
 * shared with another tab, and never goes into a URL (it travels in the `x-api-key` header only).
 * Also whether the service refused it an operate call (403): the console then offers no replay.
 */
export const apiKeyStore = {
  read(): string | null {
    return sessionStorage.getItem(STORAGE_KEY);
  },
  write(key: string): void {
    sessionStorage.setItem(STORAGE_KEY, key);
    sessionStorage.removeItem(READ_ONLY_KEY);
  },
  clear(): void {
    sessionStorage.removeItem(STORAGE_KEY);
    sessionStorage.removeItem(READ_ONLY_KEY);
  },
  /** The current key may only read: an operate call was refused with 403. */
  readOnly(): boolean {
    return sessionStorage.getItem(READ_ONLY_KEY) === 'true';
  },
  markReadOnly(): void {
    sessionStorage.setItem(READ_ONLY_KEY, 'true');
  },
};
