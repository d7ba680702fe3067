import { loadConfig } from '@workpipe/config';
import { delayTopics, minInSyncReplicas, pipelineTopic } from './pipeline-topics';

describe('pipeline topics', () => {
  it('ask for one in-sync replica less than the replication factor, at least one', () => {
    expect([1, 2, 3, 5].map(minInSyncReplicas)).toEqual([1, 1, 2, 4]);
  });

  it('carry min.insync.replicas on every topic, delay tiers included', () => {
    const config = loadConfig('retrier', { TOPIC_REPLICATION_FACTOR: '3' });
    expect(pipelineTopic(config.kafka, 'work').configs).toMatchObject({ 'min.insync.replicas': '2' });
    expect(pipelineTopic(config.kafka, 'abandoned').configs).toEqual({ 'retention.ms': '-1', 'min.insync.replicas': '2' });
    expect(delayTopics(config).map((topic) => topic.configs?.['min.insync.replicas'])).toEqual(config.retry.delayTiersMs.map(() => '2'));
  });
});
