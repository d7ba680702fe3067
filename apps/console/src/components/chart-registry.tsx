import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

// Only what the console draws (bar charts on category axes): keeps the bundle small.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.animation = false;

export { Chart };

export const COLORS = {
  succeeded: '#2e7d32',
  failed: '#e65100',
  abandoned: '#b71c1c',
  submitted: '#1f4e79',
} as const;
