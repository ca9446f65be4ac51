/** Entry point: the console's styles and the app, mounted on the page the server serves. */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { SessionEnded } from './api.ts';
import { App } from './app.tsx';

// A request that found the session ended has already sent the app back to the sign-in; the
// loaders awaiting it have nothing left to do.
addEventListener('unhandledrejection', (event) => {
  if (event.reason instanceof SessionEnded) event.preventDefault();
});

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
