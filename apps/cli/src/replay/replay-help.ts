/** Exit codes of `replay` and `retry-failures` (without --wait), as their help lists them. */
export const REPLAY_EXIT_CODES_HELP = `Exit codes:
  0  done (also when everything selected was already replayed)
  1  done, but some dead letters could not be decoded and were left alone
  2  usage error (bad option, unknown topic, partition or replay id, a replay id taken); nothing published
  3  the stats service did not answer, or Kafka, Redis or the schema registry behind it failed; what was
     republished is recorded, re-running (or replay --continue ID) is safe
  4  API key missing or refused (replays need a key with the operate role)`;

/** Exit codes of `replay-status` and `retry-failures --wait`. */
export const OUTCOME_EXIT_CODES_HELP = `Exit codes:
  0  every replayed item recovered
  1  some replayed items still failing or still pending
  2  usage error, or no such replay
  3  the stats service did not answer (or Kafka, Redis or the schema registry behind it)
  4  API key missing or refused`;

/** Where the replay commands send their requests. */
export const REPLAY_ENVIRONMENT_HELP = `Replays run in the stats service (its operations API, /v1/replays): give its address with
--stats-url or STATS_URL (default http://127.0.0.1:3003), and an API key with the operate role
(read is enough for replay-status) with --api-key or API_KEY. The CLI itself reads no topic and
holds no Kafka or Redis connection.`;
