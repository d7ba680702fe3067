import { render } from 'preact';
import { z } from 'zod';
import { App } from './app';
import './styles.css';

// The page's CSP has no 'unsafe-eval': zod must not even probe for `new Function`.
z.config({ jitless: true });

render(<App />, document.getElementById('app') as HTMLElement);
