import type { FailureStatus } from '../item/item-status';

/** One row of `/v1/failures` and of the CSV. */
export interface FailureRecord {
  itemId: string;
  key: string;
  batchId: string | null;
  workType: string;
  status: FailureStatus;
  /** The abandonment's failure type when abandoned, else the last failure's. */
  lastFailureType: string;
  lastFailureMessage: string | null;
  /** Failed attempts, deferrals included. */
  attempts: number;
  createdAt: string;
  firstFailureAt: string | null;
  lastFailureAt: string | null;
  abandonReason: string | null;
  abandonDetail: string | null;
  abandonedAt: string | null;
}
