import type { ServiceDefinition } from '@workpipe/runtime';
import { AppModule } from './app.module';

const DESCRIPTION =
  'Materializes success rate, abandonment and failures by type into Redis, each event counted exactly once; API, alerts and live progress.';

export const STATS: ServiceDefinition = {
  service: 'stats',
  description: DESCRIPTION,
  module: (config) => AppModule.forRoot(config),
};
