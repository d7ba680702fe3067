import { useEffect, useRef } from 'preact/hooks';
import { formatCount, formatRate } from './format';

/** `37 of 60 finished (61.7%)` with a bar; the bar's width is set through the CSSOM (no inline style attribute: CSP). */
export function ProgressBar({ done, total, label, noun = 'finished' }: { done: number; total: number; label: string; noun?: string }) {
  const fill = useRef<HTMLDivElement>(null);
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  useEffect(() => {
    if (fill.current) fill.current.style.width = `${(fraction * 100).toFixed(2)}%`;
  }, [fraction]);
  return (
    <div class="progress">
      <div class="bar" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
        <div class="fill" ref={fill} />
      </div>
      <p class="progress-text">
        {formatCount(done)} of {formatCount(total)} {noun} ({formatRate(total > 0 ? done / total : null)})
      </p>
    </div>
  );
}
