/** The item numbers of a stats answer (`GET /v1/stats`, `GET /v1/batches/:id`) that a run checks. */
export interface StatsItemNumbers {
  submitted: number;
  pending: number;
  succeeded: number;
  abandoned: number;
}

/** The same numbers counted from the topics (read_committed). */
export interface TopicItemNumbers {
  /** Distinct item ids on the work topic. */
  submitted: number;
  /** Distinct item ids on work.succeeded. */
  succeeded: number;
  /** Distinct item ids on work.abandoned. */
  abandoned: number;
}

/** Counts the topic side of {@link compareStats} from the item ids read. */
export function topicItemNumbers(work: readonly string[], succeeded: readonly string[], abandoned: readonly string[]): TopicItemNumbers {
  return { submitted: new Set(work).size, succeeded: new Set(succeeded).size, abandoned: new Set(abandoned).size };
}

/**
 * Where the stats service disagrees with the topics, one line per number (`succeeded: stats 2990,
 * topics 2991`); empty when they agree. Pending must be what is neither succeeded nor abandoned.
 */
export function compareStats(scope: string, stats: StatsItemNumbers, topics: TopicItemNumbers): string[] {
  const expected: StatsItemNumbers = {
    submitted: topics.submitted,
    succeeded: topics.succeeded,
    abandoned: topics.abandoned,
    pending: topics.submitted - topics.succeeded - topics.abandoned,
  };
  return (Object.keys(expected) as (keyof StatsItemNumbers)[])
    .filter((field) => stats[field] !== expected[field])
    .map((field) => `${scope} ${field}: stats ${stats[field]}, topics ${expected[field]}`);
}
