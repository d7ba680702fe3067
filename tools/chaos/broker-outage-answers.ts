import type { FaultKind } from './fault-kind';
import { isBrokerFault } from './fault-kind';
import type { UnavailableAnswer } from './paced-submitter';

/** How the ingestor answered around one broker fault. */
export interface BrokerOutageAnswers {
  /** The fault's number in the plan. */
  fault: number;
  /** 503s the client got from the moment the broker went down until `graceMs` after it was back. */
  unavailable503: number;
  /** Other answers it had to retry in that time (another status, or no answer at all): the ingestor did not keep answering. */
  other: string[];
  /** Milliseconds from the broker's return to the next accepted request; null when none was accepted after it. */
  acceptedAfterMs: number | null;
  /** Requests accepted while the broker was down (a cluster that lost one broker of three keeps accepting). */
  acceptedWhileDown: number;
}

/** The part of a fault record this check reads; times in milliseconds after the load started. */
export interface BrokerFaultTimes {
  number: number;
  kind: FaultKind;
  injectedAtMs: number;
  recoveredAtMs: number;
}

/**
 * For each broker fault: the answers the client retried between the broker going down and
 * `graceMs` after it was back (a request sent while it was down is answered when its publish times
 * out, `PUBLISH_TIMEOUT_MS` later), and how soon a request was accepted again.
 *
 * @param startedAt epoch milliseconds the fault times count from
 * @param acceptedAt epoch milliseconds of every accepted request's answer
 */
export function brokerOutageAnswers(
  faults: readonly BrokerFaultTimes[],
  unavailable: readonly UnavailableAnswer[],
  acceptedAt: readonly number[],
  startedAt: number,
  graceMs: number,
): BrokerOutageAnswers[] {
  return faults
    .filter((fault) => isBrokerFault(fault.kind))
    .map((fault) => {
      const from = startedAt + fault.injectedAtMs;
      const back = startedAt + fault.recoveredAtMs;
      const around = unavailable.filter((answer) => answer.at >= from && answer.at <= back + graceMs);
      const next = acceptedAt.filter((at) => at >= back).sort((a, b) => a - b)[0];
      return {
        fault: fault.number,
        unavailable503: around.filter((answer) => answer.status === 503).length,
        other: around.filter((answer) => answer.status !== 503).map((answer) => answer.reason),
        acceptedAfterMs: next === undefined ? null : next - back,
        acceptedWhileDown: acceptedAt.filter((at) => at >= from && at < back).length,
      };
    });
}
