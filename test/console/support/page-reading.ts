import type { Locator, Page } from 'playwright-core';

/**
 * Reading the console as a person does: the number under a label, the rows of a table with a
 * caption, the sentence under a progress bar. Formats as the page writes them
 * (apps/console/src/components/format.tsx): counts with separators, rates to 0.1%, durations in ms.
 */
export const shown = {
  count: (value: number): string => new Intl.NumberFormat('en-US').format(value),
  rate: (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(1)}%`),
  ms: (value: number | null): string => (value === null ? '—' : `${new Intl.NumberFormat('en-US').format(Math.round(value))} ms`),
};

/** The value shown under `label` in the group of numbers named `group` (e.g. "Items"). */
export function statValue(page: Page, group: string, label: string): Locator {
  return page.locator(`dl[aria-label="${group}"] .stat`).filter({ has: page.locator('dt', { hasText: new RegExp(`^${escape(label)}$`) }) }).locator('dd');
}

/** Every number of a group, label -> text. */
export async function statValues(page: Page, group: string): Promise<Record<string, string>> {
  const cards = page.locator(`dl[aria-label="${group}"] .stat`);
  const values: Record<string, string> = {};
  for (const card of await cards.all()) values[(await card.locator('dt').innerText()).trim()] = (await card.locator('dd').innerText()).trim();
  return values;
}

/** The body rows of the table whose caption starts with `caption`, as cell texts. */
export async function tableRows(page: Page, caption: string | RegExp): Promise<string[][]> {
  const table = page.locator('table').filter({ has: page.locator('caption', { hasText: caption }) });
  const rows: string[][] = [];
  for (const row of await table.locator('tbody tr').all()) rows.push((await row.locator('th, td').allInnerTexts()).map((text) => text.trim()));
  return rows;
}

/** A count table (name | count) as an object; the "None" row of an empty one gives {}. */
export async function countTable(page: Page, caption: string | RegExp, column = 1): Promise<Record<string, string>> {
  const rows = await tableRows(page, caption);
  return Object.fromEntries(rows.filter((cells) => cells.length > column).map((cells) => [cells[0] as string, cells[column] as string]));
}

/** Shows another view of the console in the same document (`#/batches/b-1`), as a link would. */
export async function showView(page: Page, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
