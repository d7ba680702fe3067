import { formatCount } from './format';

export interface CountTableProps {
  caption: string;
  /** Header of the first column, e.g. "Type". */
  name: string;
  /** One or more count columns: header and values by name. */
  columns: { header: string; values: Record<string, number> }[];
  /** Rows in this order; default: by the first column, largest first. */
  order?: string[];
  /** Shown instead of an empty table. */
  empty?: string;
}

/** Counts by name (failures by type, abandoned by reason, ...), one column per measure. */
export function CountTable({ caption, name, columns, order, empty = 'None' }: CountTableProps) {
  const names = order ?? [...new Set(columns.flatMap((column) => Object.keys(column.values)))].sort((a, b) => (columns[0]?.values[b] ?? 0) - (columns[0]?.values[a] ?? 0) || a.localeCompare(b));
  return (
    <table class="counts">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{name}</th>
          {columns.map((column) => (
            <th scope="col" class="num" key={column.header}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {names.length === 0 ? (
          <tr>
            <td colSpan={columns.length + 1} class="empty">
              {empty}
            </td>
          </tr>
        ) : (
          names.map((row) => (
            <tr key={row}>
              <th scope="row">{row}</th>
              {columns.map((column) => (
                <td class="num" key={column.header}>
                  {formatCount(column.values[row] ?? 0)}
                </td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
