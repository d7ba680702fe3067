import { kafkaLineProfile } from './kafka-line';
import { parseKafkaVersion } from './kafka-version';

describe('kafkaLineProfile', () => {
  it('runs 3.x on Java 11+ with log4j 1 (reload4j) configuration files', () => {
    const profile = kafkaLineProfile(parseKafkaVersion('3.9.1'));
    expect(profile).toMatchObject({ line: 3, javaMinMajor: 11, hasShareCoordinator: false });
    expect(profile.brokerLogArg).toMatch(/^-Dlog4j\.configuration=file:.*\/tools\/stack\/log4j\.properties$/);
    expect(profile.toolsLogArg).toMatch(/tools-log4j\.properties$/);
  });

  it('runs 4.x on Java 17+ with log4j2 configuration files', () => {
    const profile = kafkaLineProfile(parseKafkaVersion('4.4.0'));
    expect(profile).toMatchObject({ line: 4, javaMinMajor: 17, hasShareCoordinator: true });
    expect(profile.brokerLogArg).toMatch(/^-Dlog4j2\.configurationFile=.*\/tools\/stack\/log4j2\.yaml$/);
    expect(profile.toolsLogArg).toMatch(/tools-log4j2\.yaml$/);
  });
});
