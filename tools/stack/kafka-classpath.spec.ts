import { kafkaVersionFromClasspath } from './kafka-classpath';

describe('kafkaVersionFromClasspath', () => {
  it('reads the version of the kafka_2.13 jar', () => {
    const classpath = [
      '/root/.m2/repository/org/apache/kafka/kafka-clients/3.9.1/kafka-clients-3.9.1.jar',
      '/root/.m2/repository/org/apache/kafka/kafka_2.13/3.9.1/kafka_2.13-3.9.1.jar',
      '/root/.m2/repository/org/scala-lang/scala-library/2.13.15/scala-library-2.13.15.jar',
    ].join(':');
    expect(kafkaVersionFromClasspath(classpath)).toBe('3.9.1');
  });

  it('is undefined without a Kafka server jar', () => {
    expect(kafkaVersionFromClasspath('/x/kafka-clients-3.9.1.jar:/x/slf4j-api-1.7.36.jar')).toBeUndefined();
  });
});
