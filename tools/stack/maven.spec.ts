import { apicurioArtifact } from './apicurio-distribution';
import { artifactCoordinates, artifactPathIn } from './maven';

describe('Maven artifact naming', () => {
  const artifact = apicurioArtifact('3.3.3');

  it('writes the coordinates dependency:get takes (group:artifact:version:type:classifier)', () => {
    expect(artifactCoordinates(artifact)).toBe('io.apicurio:apicurio-registry-app:3.3.3:tar.gz:all');
  });

  it('finds the file in a local repository', () => {
    expect(artifactPathIn('/root/.m2/repository', artifact)).toBe(
      '/root/.m2/repository/io/apicurio/apicurio-registry-app/3.3.3/apicurio-registry-app-3.3.3-all.tar.gz',
    );
    expect(
      artifactPathIn('/m2', { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: '3.9.1', type: 'jar' }),
    ).toBe('/m2/org/apache/kafka/kafka_2.13/3.9.1/kafka_2.13-3.9.1.jar');
  });
});
