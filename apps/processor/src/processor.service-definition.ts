import type { ServiceDefinition } from '@workpipe/runtime';
import { AppModule } from './app.module';

export const PROCESSOR: ServiceDefinition = {
  service: 'processor',
  description: 'Runs the handler of each work item and emits one success or typed-failure event per attempt.',
  module: (config) => AppModule.forRoot(config),
};
