import { SetMetadata } from '@nestjs/common';
import type { ApiRole } from '@workpipe/config';

export const REQUIRED_ROLE = 'workpipe:required-role';

/** The requirement of a route that any valid key may call, whatever its roles. */
export const ANY_ROLE = 'any-role';

/** What a route needs: a key with this role, or any valid key (`ANY_ROLE`). */
export type RoleRequirement = ApiRole | typeof ANY_ROLE;

/**
 * The role a key needs for an endpoint (on a controller or a method; the
 * method's wins): `read`, `submit` or `operate`. Checked by the global
 * `ApiKeyGuard`: a valid key without the role gets 403. A route with neither
 * this nor `@Public` is refused to everyone (403), so none is left open by
 * forgetting it.
 */
export const RequireRole = (role: ApiRole): ClassDecorator & MethodDecorator => SetMetadata(REQUIRED_ROLE, role);

/**
 * Any valid key may call the endpoint, whatever its roles (still 401 without one while API_KEYS
 * is set): for a route that tells a key about itself, such as `GET /v1/me`.
 */
export const RequireApiKey = (): ClassDecorator & MethodDecorator => SetMetadata(REQUIRED_ROLE, ANY_ROLE);
