import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { AppConfig } from '@workpipe/config';
import { InjectConfig } from '@workpipe/runtime';
import { HttpWorkHandler } from './http/http-work-handler';
import type { ResolvedHandler, WorkHandler } from './work-handler';
import { WORK_HANDLER_METADATA, type WorkHandlerOptions } from './work-handler.decorator';

/** Duplicate handlers for one type would make routing ambiguous: refuse to start. */
export class DuplicateHandlerError extends Error {
  override readonly name = 'DuplicateHandlerError';
  readonly retryable = false;
}

/**
 * Which handler runs which work type: providers marked `@WorkHandlerFor` plus
 * the types configured in WORK_TYPES for the built-in handlers.
 */
@Injectable()
export class HandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, ResolvedHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as WorkHandler | undefined;
      if (!instance || !wrapper.metatype) continue;
      const options = Reflect.getMetadata(WORK_HANDLER_METADATA, wrapper.metatype) as WorkHandlerOptions | undefined;
      if (options) this.add(options.type, { handler: instance, downstream: options.downstream ?? options.type, timeoutMs: options.timeoutMs });
    }
    for (const [type, settings] of Object.entries(this.config.processor.workTypes)) {
      const handler = new HttpWorkHandler(settings, type);
      this.add(type, { handler, downstream: handler.downstream, timeoutMs: settings.timeoutMs, enforcesTimeout: handler.enforcesTimeout });
    }
  }

  resolve(type: string): ResolvedHandler | undefined {
    return this.handlers.get(type);
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }

  private add(type: string, resolved: ResolvedHandler): void {
    if (this.handlers.has(type)) throw new DuplicateHandlerError(`two handlers are registered for work type "${type}"`);
    this.handlers.set(type, resolved);
  }
}
