import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ConsoleApi } from './console-api';

/** The API with the current key; a new one whenever the key changes, so every view reloads. */
export const ApiContext = createContext<ConsoleApi>(new ConsoleApi(null));

export function useApi(): ConsoleApi {
  return useContext(ApiContext);
}
