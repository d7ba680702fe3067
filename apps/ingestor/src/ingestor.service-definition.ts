import type { ServiceDefinition } from '@workpipe/runtime';
import { AppModule } from './app.module';

export const INGESTOR: ServiceDefinition = {
  service: 'ingestor',
  description: 'Accepts work items over HTTP, files and source topics, and publishes them to the work topic.',
  module: (config) => AppModule.forRoot(config),
};
