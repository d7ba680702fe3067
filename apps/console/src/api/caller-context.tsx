import { OperationsApi } from '@workpipe/contracts';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleApi } from './console-api';
import { usePolled } from './use-polled';

/** What the service says of the current key (`GET /v1/me`): known, still loading, or refused. */
export interface CallerState {
  caller: OperationsApi.Caller | undefined;
  error: unknown;
}

export const CallerContext = createContext<CallerState>({ caller: undefined, error: undefined });

/** Asks the service once per key what that key may do. */
export function useCallerOf(api: ConsoleApi): CallerState {
  const me = usePolled(() => api.get('/v1/me', OperationsApi.CallerSchema), 0, [api]);
  return { caller: me.data, error: me.error };
}

export function useCaller(): CallerState {
  return useContext(CallerContext);
}

/** The key may start, continue and cancel replays: only once the service said so. */
export function mayOperate(state: CallerState): boolean {
  return state.caller?.roles.includes('operate') ?? false;
}

/** The key's roles as a person reads them: `read`, `read and operate`. */
export function rolesText(caller: OperationsApi.Caller): string {
  return caller.roles.length === 1 ? (caller.roles[0] as string) : `${caller.roles.slice(0, -1).join(', ')} and ${caller.roles.at(-1) as string}`;
}
