import {
  DEFAULT_FAULT_MIX,
  FailureProfileSchema,
  type FailureProfile,
  type FailureProfileInput,
} from './failure-profile.schema';
import { FAULTS, type Fault } from './outcome';

/** The preset of the incident report; the default everywhere. */
export const DEFAULT_PRESET_NAME = 'seed';

type AlwaysPresetName = `always-${Fault}`;

/** `seed`, `healthy`, `chaos`, and one `always-<fault>` per fault, e.g. `always-timeout`. */
export type PresetName = 'seed' | 'healthy' | 'chaos' | AlwaysPresetName;

function alwaysPreset(fault: Fault): FailureProfileInput {
  return {
    name: `always-${fault}`,
    firstCallFaultRate: 1,
    retryFaultRate: 1,
    faultMix: { [fault]: 1 },
    retryFaultMix: { [fault]: 1 },
    alwaysFailing: 0,
  };
}

/** The presets as profile inputs, so a profile file can `extends` one and override fields. */
export const PRESET_INPUTS: Readonly<Record<PresetName, FailureProfileInput>> = Object.freeze({
  seed: { name: 'seed' },
  healthy: { name: 'healthy', firstCallFaultRate: 0, retryFaultRate: 0, alwaysFailing: 0 },
  // Most calls fail and retries barely help: for watching backoff, dead letters and circuit breakers.
  chaos: {
    name: 'chaos',
    firstCallFaultRate: 0.8,
    retryFaultRate: 0.6,
    faultMix: { ...DEFAULT_FAULT_MIX, unauthorized: 5, bad_request: 2 },
    retryFaultMix: { ...DEFAULT_FAULT_MIX, unauthorized: 5 },
    alwaysFailing: 10,
  },
  ...(Object.fromEntries(FAULTS.map((fault) => [`always-${fault}`, alwaysPreset(fault)])) as Record<
    AlwaysPresetName,
    FailureProfileInput
  >),
});

export const PRESET_NAMES: readonly PresetName[] = Object.freeze(Object.keys(PRESET_INPUTS) as PresetName[]);

export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESET_INPUTS, name);
}

/** The parsed profile of a preset. */
export function failureProfilePreset(name: PresetName): FailureProfile {
  return FailureProfileSchema.parse(PRESET_INPUTS[name]);
}
