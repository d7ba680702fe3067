import type { ServiceDefinition } from '@workpipe/runtime';
import { AppModule } from './app.module';

export const STATS: ServiceDefinition = {
  service: 'stats',
  description: 'Materializes success rate, abandonment and failures by type into Redis; API, alerts and live progress.',
  module: (config) => AppModule.forRoot(config),
};
