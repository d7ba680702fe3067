import { SetMetadata } from '@nestjs/common';
import type { AppConfig } from '@workpipe/config';

export const PUBLIC_ROUTE = 'workpipe:public-route';

export interface PublicRouteOptions {
  /** Open only when this says so (e.g. `config.http.metricsOpen`); otherwise the route's `@RequireRole` applies. Default: always open. */
  when?: (config: AppConfig) => boolean;
}

/**
 * A route (or every route of a controller) that answers without an API key: liveness and
 * readiness, or `/metrics` when METRICS_OPEN says so. Every other route names its role with
 * `@RequireRole`; `ApiKeyGuard` refuses a route that does neither.
 */
export const Public = (options: PublicRouteOptions = {}): ClassDecorator & MethodDecorator => SetMetadata(PUBLIC_ROUTE, options);
