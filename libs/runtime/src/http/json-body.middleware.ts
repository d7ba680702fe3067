import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** Room for a full batch of 1000 items with generous payloads. */
export const JSON_BODY_LIMIT = '16mb';

/** The JSON body parser, and the same error shape as the rest of the API for a malformed or oversized body. */
export function jsonBodyMiddleware(): [RequestHandler, (error: unknown, req: Request, res: Response, next: NextFunction) => void] {
  return [
    json({ limit: JSON_BODY_LIMIT }),
    (error, _req, res, next) => {
      const type = (error as { type?: string }).type;
      if (type === 'entity.parse.failed') {
        res.status(400).json({
          statusCode: 400,
          error: 'MALFORMED_JSON',
          message: `the body is not valid JSON: ${(error as Error).message}`,
        });
        return;
      }
      if (type === 'entity.too.large') {
        res.status(413).json({
          statusCode: 413,
          error: 'BODY_TOO_LARGE',
          message: `the body exceeds ${JSON_BODY_LIMIT}; split the batch`,
        });
        return;
      }
      next(error);
    },
  ];
}
