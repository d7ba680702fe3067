import type { ChartConfiguration, ChartData, ChartType } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { Chart } from './chart-registry';

/**
 * A Chart.js chart on a canvas: created once, its data replaced on every render. `label` names
 * it for assistive technology; the numbers drawn are also in a table beside every chart.
 */
export function ChartCanvas<T extends ChartType>({ config, data, label }: { config: Omit<ChartConfiguration<T>, 'data'>; data: ChartData<T>; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<T> | undefined>(undefined);
  useEffect(() => {
    if (!canvas.current) return undefined;
    chart.current = new Chart<T>(canvas.current, { ...config, data } as ChartConfiguration<T>);
    return () => {
      chart.current?.destroy();
      chart.current = undefined;
    };
    // The configuration is fixed per chart; data changes go through update() below.
  }, []);
  useEffect(() => {
    if (!chart.current) return;
    chart.current.data = data;
    chart.current.update();
  }, [data]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
