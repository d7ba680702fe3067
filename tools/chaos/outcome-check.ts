/** What a run's client and the topics say about its items, the input of {@link checkOutcomes}. */
export interface OutcomeEvidence {
  /** Ids the ingestor answered as accepted (202, or `ALREADY_ACCEPTED` on a retry of a request whose first answer was lost). */
  accepted: ReadonlySet<string>;
  /** Ids whose fate the client could not learn (an `OUTCOME_UNKNOWN` 503 followed by `IN_FLIGHT`): zero or one outcome each is right. */
  uncertain: ReadonlySet<string>;
  /** The item id of every work item on the work topic (read_committed): first attempts and retries. */
  work: readonly string[];
  /** The item id of every event on work.succeeded (read_committed). */
  succeeded: readonly string[];
  /** The item id of every dead letter on work.abandoned (read_committed). */
  abandoned: readonly string[];
}

/** Per-item verdicts of a run; every list holds item ids, sorted. */
export interface OutcomeReport {
  accepted: number;
  uncertain: number;
  /** Items with exactly one terminal outcome, a success. */
  succeeded: number;
  /** Items with exactly one terminal outcome, a dead letter. */
  abandoned: number;
  /** Accepted, yet not on the work topic at all: an acknowledged write that is gone. */
  lost: string[];
  /** On the work topic (accepted, or uncertain and written), but no terminal outcome. */
  stuck: string[];
  /** More than one terminal outcome (twice in one topic, or in both). */
  duplicated: string[];
  /** The duplicated ones that have both a success and a dead letter. */
  inBoth: string[];
  /** A terminal outcome for an id the client never submitted or was refused. */
  unexpected: string[];
}

function tally(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

const sorted = (ids: Iterable<string>): string[] => [...ids].sort();

/**
 * Checks the one guarantee that matters to a user: every accepted item has exactly one terminal
 * outcome across work.succeeded and work.abandoned; none lost, none stuck, none twice, none in both.
 */
export function checkOutcomes(evidence: OutcomeEvidence): OutcomeReport {
  const onWorkTopic = new Set(evidence.work);
  const successes = tally(evidence.succeeded);
  const deadLetters = tally(evidence.abandoned);
  const terminal = new Set([...successes.keys(), ...deadLetters.keys()]);
  const outcomesOf = (id: string): number => (successes.get(id) ?? 0) + (deadLetters.get(id) ?? 0);

  const lost = [...evidence.accepted].filter((id) => !onWorkTopic.has(id));
  const expected = new Set([...evidence.accepted, ...[...evidence.uncertain].filter((id) => onWorkTopic.has(id))]);
  const stuck = [...expected].filter((id) => onWorkTopic.has(id) && !terminal.has(id));
  const duplicated = [...terminal].filter((id) => outcomesOf(id) > 1);
  const inBoth = duplicated.filter((id) => successes.has(id) && deadLetters.has(id));
  const unexpected = [...terminal].filter((id) => !evidence.accepted.has(id) && !evidence.uncertain.has(id));
  const once = [...terminal].filter((id) => outcomesOf(id) === 1);
  return {
    accepted: evidence.accepted.size,
    uncertain: evidence.uncertain.size,
    succeeded: once.filter((id) => successes.has(id)).length,
    abandoned: once.filter((id) => deadLetters.has(id)).length,
    lost: sorted(lost),
    stuck: sorted(stuck),
    duplicated: sorted(duplicated),
    inBoth: sorted(inBoth),
    unexpected: sorted(unexpected),
  };
}

/** True when nothing was lost, stuck, doubled or unexpected. */
export function outcomesHold(report: OutcomeReport): boolean {
  return report.lost.length + report.stuck.length + report.duplicated.length + report.unexpected.length === 0;
}
