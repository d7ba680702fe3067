import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { TopicProvisioner, type TopicSpec } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { TOPIC_SPECS } from './tokens/injection-tokens';
import { InjectKafkaAdmin, InjectRootLogger } from './tokens/inject.decorators';

/** Creates the service's topics before anything produces or consumes. */
@Injectable()
export class TopicProvisioningService implements OnModuleInit {
  constructor(
    @InjectKafkaAdmin() private readonly admin: Admin,
    @InjectRootLogger() private readonly logger: Logger,
    @Inject(TOPIC_SPECS) private readonly specs: TopicSpec[],
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.specs.length === 0) return;
    await new TopicProvisioner(this.admin, this.logger).ensure(this.specs);
  }
}
