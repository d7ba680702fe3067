import { useMemo } from 'preact/hooks';
import type { MinutePoint } from '../api/api-types';
import { COLORS } from './chart-registry';
import { ChartCanvas } from './chart-canvas';
import { formatMinute } from './format';

const METRICS = [
  { key: 'succeeded', label: 'Succeeded' },
  { key: 'failed', label: 'Failed attempts' },
  { key: 'abandoned', label: 'Abandoned' },
] as const;

/** Succeeded, failed attempts and abandoned per minute (bars side by side), from a stats answer's `series`. */
export function MinuteChart({ points, label }: { points: MinutePoint[]; label: string }) {
  const data = useMemo(
    () => ({
      labels: points.map((point) => formatMinute(point.minute)),
      datasets: METRICS.map((metric) => ({
        label: metric.label,
        data: points.map((point) => point[metric.key]),
        backgroundColor: COLORS[metric.key],
        maxBarThickness: 28,
      })),
    }),
    [points],
  );
  return (
    <ChartCanvas<'bar'>
      label={label}
      data={data}
      config={{
        type: 'bar',
        options: {
          responsive: true,
          maintainAspectRatio: false,
          interaction: { mode: 'index', intersect: false },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { maxTicksLimit: 12 } } },
          plugins: { legend: { position: 'bottom' } },
        },
      }}
    />
  );
}
