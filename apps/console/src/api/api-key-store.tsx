const STORAGE_KEY = 'workpipe.console.apiKey';

/**
 * The API key the person typed, kept in sessionStorage: it lasts as long as the tab, is never
 * shared with another tab, and never goes into a URL (it travels in the `x-api-key` header only).
 */
export const apiKeyStore = {
  read(): string | null {
    return sessionStorage.getItem(STORAGE_KEY);
  },
  write(key: string): void {
    sessionStorage.setItem(STORAGE_KEY, key);
  },
  clear(): void {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};
