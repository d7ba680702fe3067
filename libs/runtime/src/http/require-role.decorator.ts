import { SetMetadata } from '@nestjs/common';
import type { ApiRole } from '@workpipe/config';

export const REQUIRED_ROLE = 'workpipe:required-role';

/**
 * The role a key needs for an endpoint (on a controller or a method; the
 * method's wins): `read`, `submit` or `operate`. Checked by the global
 * `ApiKeyGuard`: a valid key without the role gets 403. A route with neither
 * this nor `@Public` is refused to everyone (403), so none is left open by
 * forgetting it.
 */
export const RequireRole = (role: ApiRole): ClassDecorator & MethodDecorator => SetMetadata(REQUIRED_ROLE, role);
