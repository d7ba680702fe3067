import { replayProgress } from './replay-progress';

describe('replayProgress', () => {
  it('writes one plain line per chunk without a terminal', () => {
    let text = '';
    let now = 0;
    const progress = replayProgress({ write: (chunk: string) => (text += chunk), isTTY: false }, () => now);
    progress.start(150);
    now = 2000;
    progress.update({ republished: 100, alreadyReplayed: 0 });
    progress.update({ republished: 148, alreadyReplayed: 2 });
    progress.stop();
    expect(text).toBe('republished 100 of 150 | 50 items/s\nrepublished 148 of 150 (already replayed 2) | 74 items/s\n');
  });

  it('draws a bar on a terminal and ends it on stop', () => {
    let text = '';
    const stream = { write: (chunk: string) => (text += chunk), isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, on: () => stream, removeListener: () => stream };
    const progress = replayProgress(stream, () => 0);
    progress.start(10);
    progress.update({ republished: 10, alreadyReplayed: 0 });
    progress.stop();
    progress.stop();
    expect(text).toContain('10/10 dead letters');
  });
});
