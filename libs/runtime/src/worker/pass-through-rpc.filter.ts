import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';

/**
 * Nest's default filter turns any error of a message handler into
 * `{ status: 'error', message: 'Internal server error' }`, losing what the
 * worker decides on (`retryable`, the class). This one hands the error on as it is.
 */
@Catch()
export class PassThroughRpcFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
