import type { z } from 'zod';
import { itemStructureProblem, ItemSubmissionSchema, type ItemSubmission, type SubmissionResult } from '@workpipe/contracts';
import { deriveItemId } from './item-id';

export interface ValidItem {
  index: number;
  itemId: string;
  submission: ItemSubmission;
}

export interface ValidationOutcome {
  valid: ValidItem[];
  rejected: SubmissionResult['rejected'];
  duplicates: SubmissionResult['duplicates'];
}

/**
 * Validates each raw item on its own and drops repeats within the request
 * (the first occurrence wins). Pure: no I/O. The item's structure (no
 * forbidden key, a payload at most MAX_PAYLOAD_DEPTH deep) is checked on the
 * raw value first, so nothing deeper ever reaches the hashing or the encoder.
 */
export function validateSubmissions(rawItems: readonly unknown[], batchId: string | undefined): ValidationOutcome {
  const outcome: ValidationOutcome = { valid: [], rejected: [], duplicates: [] };
  const seen = new Set<string>();
  rawItems.forEach((raw, index) => {
    const problem = itemStructureProblem(raw);
    if (problem) {
      outcome.rejected.push({ index, itemId: idOf(raw), reason: problem });
      return;
    }
    const parsed = ItemSubmissionSchema.safeParse(raw);
    if (!parsed.success) {
      outcome.rejected.push({ index, itemId: idOf(raw), reason: describeIssues(parsed.error.issues) });
      return;
    }
    if (batchId && parsed.data.batchId && parsed.data.batchId !== batchId) {
      outcome.rejected.push({
        index,
        itemId: parsed.data.itemId,
        reason: `batchId: item says "${parsed.data.batchId}" but the batch is "${batchId}"`,
      });
      return;
    }
    const submission: ItemSubmission = { ...parsed.data, batchId: batchId ?? parsed.data.batchId };
    const itemId = submission.itemId ?? deriveItemId(submission);
    if (seen.has(itemId)) {
      outcome.duplicates.push({ index, itemId, reason: 'DUPLICATE_IN_REQUEST' });
      return;
    }
    seen.add(itemId);
    outcome.valid.push({ index, itemId, submission });
  });
  return outcome;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(item)'}: ${issue.message}`)
    .join('; ');
}

function idOf(raw: unknown): string | undefined {
  const id = (raw as { itemId?: unknown } | null)?.itemId;
  return typeof id === 'string' ? id.slice(0, 200) : undefined;
}
