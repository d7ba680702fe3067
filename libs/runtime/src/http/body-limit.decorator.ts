import { SetMetadata } from '@nestjs/common';
import type { BodyLimitKind } from '@workpipe/config';

export const BODY_LIMIT = 'workpipe:body-limit';

/**
 * The size limit a route's JSON body gets (HTTP_ITEM_BODY_LIMIT_BYTES, HTTP_BATCH_BODY_LIMIT_BYTES);
 * a route without it gets HTTP_BODY_LIMIT_BYTES (64 KiB). Marks the route as taking a body, so a
 * request without one is a 400 naming what to send.
 */
export const BodyLimit = (kind: BodyLimitKind = 'default'): MethodDecorator => SetMetadata(BODY_LIMIT, kind);
