import type { ComponentChildren } from 'preact';

export interface Stat {
  label: string;
  value: ComponentChildren;
  /** A line under the value, e.g. what the rate is a fraction of. */
  hint?: string;
}

/** Labelled numbers, as cards: `<dt>Succeeded</dt><dd>34</dd>`. */
export function StatList({ stats, label }: { stats: Stat[]; label: string }) {
  return (
    <dl class="stats" aria-label={label}>
      {stats.map((stat) => (
        <div class="stat" key={stat.label}>
          <dt>{stat.label}</dt>
          <dd>{stat.value}</dd>
          {stat.hint ? <p class="hint">{stat.hint}</p> : null}
        </div>
      ))}
    </dl>
  );
}
