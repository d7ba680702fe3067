import { useMemo, useState } from 'preact/hooks';
import { ApiContext } from './api/api-context';
import { apiKeyStore } from './api/api-key-store';
import { CallerContext, useCallerOf } from './api/caller-context';
import { ConsoleApi } from './api/console-api';
import { ApiKeyForm } from './components/api-key-form';
import { BatchPage } from './pages/batch-page';
import { BatchesPage } from './pages/batches-page';
import { FailuresPage } from './pages/failures-page';
import { ItemPage } from './pages/item-page';
import { OverviewPage } from './pages/overview-page';
import { ReplayPage } from './pages/replay-page';
import { ReplaysPage } from './pages/replays-page';
import { useHashRoute, type HashRoute } from './routing/use-hash-route';

const SECTIONS = [
  { href: '#/', label: 'Overview', section: '' },
  { href: '#/batches', label: 'Batches', section: 'batches' },
  { href: '#/failures', label: 'Failures', section: 'failures' },
  { href: '#/replays', label: 'Replays', section: 'replays' },
] as const;

function View({ route }: { route: HashRoute }) {
  const [section = '', id] = route.segments;
  switch (section) {
    case '':
      return <OverviewPage />;
    case 'batches':
      return id ? <BatchPage batchId={id} /> : <BatchesPage />;
    case 'failures':
      return <FailuresPage query={route.query} />;
    case 'items':
      return id ? <ItemPage itemId={id} /> : <FailuresPage query={route.query} />;
    case 'replays':
      return id ? <ReplayPage replayId={id} /> : <ReplaysPage query={route.query} />;
    default:
      return <p class="notice info">No such page: {route.segments.join('/')}</p>;
  }
}

export function App() {
  const route = useHashRoute();
  const [apiKey, setApiKey] = useState<string | null>(() => apiKeyStore.read());
  const api = useMemo(() => new ConsoleApi(apiKey), [apiKey]);
  const caller = useCallerOf(api);
  const section = route.segments[0] === 'items' ? 'failures' : (route.segments[0] ?? '');
  const changeKey = (key: string | null) => {
    if (key) apiKeyStore.write(key);
    else apiKeyStore.clear();
    setApiKey(key);
  };
  return (
    <ApiContext.Provider value={api}>
      <CallerContext.Provider value={caller}>
        <header class="top">
          <a class="brand" href="#/">
            workpipe
          </a>
          <nav aria-label="Sections">
            {SECTIONS.map((entry) => (
              <a key={entry.href} href={entry.href} aria-current={section === entry.section ? 'page' : undefined}>
                {entry.label}
              </a>
            ))}
          </nav>
          <ApiKeyForm apiKey={apiKey} caller={caller} onChange={changeKey} />
        </header>
        <main key={apiKey ?? ''}>
          <View route={route} />
        </main>
      </CallerContext.Provider>
    </ApiContext.Provider>
  );
}
