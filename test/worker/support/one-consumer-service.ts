import { type DynamicModule, Module, type Type } from '@nestjs/common';
import type { AppConfig } from '@workpipe/config';
import type { ConsumerSpec } from '@workpipe/kafka';
import { RuntimeModule, type ServiceDefinition } from '@workpipe/runtime';
import type { TestEnv } from '../../support/test-env';

/**
 * A service of one `each` consumer over one single-partition topic of the test's own
 * (`<prefix><topicBase>`, group `<prefix><topicBase>`), offsets committed, whose `@EventPattern(name)`
 * handler is `controller`'s: the shape the worker's fault tests drive.
 */
export function oneConsumerService(env: TestEnv, options: { name: string; topicBase: string; controller: Type; description: string; spec?: Partial<ConsumerSpec> }): ServiceDefinition {
  return {
    service: 'processor',
    description: options.description,
    module: (config: AppConfig): DynamicModule => {
      @Module({})
      class OneConsumerModule {}
      const topic = `${env.topicPrefix}${options.topicBase}`;
      return {
        module: OneConsumerModule,
        imports: [
          RuntimeModule.forRoot(config, {
            topics: [
              { name: topic, partitions: 1, replicationFactor: 1 },
              { name: `${env.topicPrefix}ingest.rejected`, partitions: 1, replicationFactor: 1 },
            ],
            consumers: [
              {
                name: options.name,
                groupId: topic,
                topics: [{ topic }],
                mode: 'each',
                commit: 'offsets',
                maxWaitTimeMs: 200,
                rejectedTopic: `${env.topicPrefix}ingest.rejected`,
                ...options.spec,
              },
            ],
          }),
        ],
        controllers: [options.controller],
      };
    },
  };
}
