/** Public API for teams that run the processor with handlers of their own. */
export { AppModule as ProcessorModule, type ProcessorOptions } from './app.module';
export type { HandlerContext, HandlerResult, WorkHandler } from './handlers/work-handler';
export { WorkHandlerFor, type WorkHandlerOptions } from './handlers/work-handler.decorator';
export { PROCESSOR } from './processor.service-definition';
