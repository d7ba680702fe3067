/** Exit codes of `replay` and `retry-failures` (without --wait), as their help lists them. */
export const REPLAY_EXIT_CODES_HELP = `Exit codes:
  0  done (also when everything selected was already replayed)
  1  done, but some dead letters could not be decoded and were left alone
  2  usage error (bad option, unknown topic, partition or replay id); nothing published
  3  Kafka, Redis or the schema registry unavailable; what was republished is recorded,
     re-running (or replay --continue ID) is safe`;

/** Exit codes of `replay-status` and `retry-failures --wait`. */
export const OUTCOME_EXIT_CODES_HELP = `Exit codes:
  0  every replayed item recovered
  1  some replayed items still failing or still pending
  2  usage error, or no such replay
  3  Kafka, Redis or the schema registry unavailable`;

/** Environment shared by the replay commands. */
export const REPLAY_ENVIRONMENT_HELP = `Environment (as the services): KAFKA_BROKERS, TOPIC_PREFIX, SCHEMA_REGISTRY_URL,
REDIS_URL, REDIS_KEY_PREFIX (and KAFKA_SSL/SASL, registry credentials).`;
