import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import type { Logger } from '@workpipe/logging';
import { InjectRootLogger } from '@workpipe/runtime';
import { consoleDirectory } from './console-directory';
import { consoleRouter } from './console-router';

/** Where the console is served. */
export const CONSOLE_PATH = '/console';

/**
 * The web console: the static files `npm run build` leaves in `dist/console`, at `/console`
 * (`/console` itself is its index.html), under a same-origin-only Content-Security-Policy.
 *
 * Mounted on Express directly (as SwaggerModule mounts `/docs`), so the files are no Nest route
 * and pass no `ApiKeyGuard`: they hold no data. Every number the page shows comes from the API
 * (`/v1/...`, `/metrics`), called by the page with the key the user typed, so a read key reads
 * and only an operate key replays. Mounted at module init, after Nest's routes and before its 404.
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    @InjectRootLogger() private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const directory = consoleDirectory();
    if (!directory) this.logger.warn({ path: CONSOLE_PATH }, 'the web console is not built (npm run build): /console answers 404');
    this.host.httpAdapter.getInstance<Express>().use(CONSOLE_PATH, consoleRouter(directory));
  }
}
