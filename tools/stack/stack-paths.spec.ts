import { kafkaClusterDir, kafkaNodePaths, kafkaVersionPaths, stackPaths } from './stack-paths';

describe('Kafka state paths', () => {
  const paths = stackPaths('/repo/.stack');

  it('keeps each version apart: classpath and data of 4.4.0 never sit where 3.9.1 keeps its own', () => {
    expect(kafkaVersionPaths(paths, '4.4.0').classpathFile).toBe('/repo/.stack/kafka/4.4.0/classpath.txt');
    expect(kafkaNodePaths(paths, '4.4.0', 1, 0).dataDir).toBe('/repo/.stack/kafka/4.4.0/data');
    expect(kafkaNodePaths(paths, '3.9.1', 1, 0).dataDir).toBe('/repo/.stack/kafka/3.9.1/data');
  });

  it('keeps a cluster apart from the single node, one folder per broker', () => {
    expect(kafkaClusterDir(paths, '4.4.0', 3)).toBe('/repo/.stack/kafka/4.4.0/3-brokers');
    expect(kafkaNodePaths(paths, '4.4.0', 3, 2)).toEqual({
      dir: '/repo/.stack/kafka/4.4.0/3-brokers/broker-2',
      dataDir: '/repo/.stack/kafka/4.4.0/3-brokers/broker-2/data',
      serverProperties: '/repo/.stack/kafka/4.4.0/3-brokers/broker-2/server.properties',
      pidFile: '/repo/.stack/kafka/kafka-2.pid',
      logFile: '/repo/.stack/logs/kafka-2.log',
    });
  });

  it('gives broker 0 the pid file and log the single broker always had', () => {
    expect(kafkaNodePaths(paths, '4.4.0', 3, 0)).toMatchObject({ pidFile: paths.kafkaPidFile, logFile: paths.kafkaLog });
    expect(paths.kafkaPidFile).toBe('/repo/.stack/kafka/kafka.pid');
    expect(paths.kafkaLog).toBe('/repo/.stack/logs/kafka.log');
  });
});
