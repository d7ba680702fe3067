import type { ServiceDefinition } from '@workpipe/runtime';
import { AppModule } from './app.module';

export const RETRIER: ServiceDefinition = {
  service: 'retrier',
  description: 'Schedules retries of failed attempts over delay topics by a per-type backoff policy, or abandons them with their history.',
  module: (config) => AppModule.forRoot(config),
};
