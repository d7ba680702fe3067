import { useMemo } from 'preact/hooks';
import { COLORS } from './chart-registry';
import { ChartCanvas } from './chart-canvas';

/** Items that succeeded on attempt 1, 2, 3, ... as bars. */
export function AttemptChart({ byAttempt, label }: { byAttempt: Record<string, number>; label: string }) {
  const attempts = useMemo(() => Object.keys(byAttempt).map(Number).sort((a, b) => a - b), [byAttempt]);
  const data = useMemo(
    () => ({
      labels: attempts.map((attempt) => `Attempt ${attempt}`),
      datasets: [{ label: 'Succeeded', data: attempts.map((attempt) => byAttempt[String(attempt)] ?? 0), backgroundColor: COLORS.succeeded }],
    }),
    [attempts, byAttempt],
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
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { display: false } },
        },
      }}
    />
  );
}
