import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, Dashboard, resources } from './App';
import { isAdoptedServer } from './adopted/meta';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import { preloadRoute } from './preloadRoute';

// Every static import above has been evaluated by now: `npm run bench:console` reads this mark to
// tell the shell's evaluation from the first render.
performance.mark('opsroom:shell-evaluated');

// Before React mounts, all at once: the session check, the server's mode, the page's view chunk and,
// on a list, its first page (see preloadRoute). None waits for another.
const session = authProvider.checkAuth?.({}) ?? Promise.resolve();
void isAdoptedServer();
const pageChunk = preloadRoute(window.location.hash, { resources, dashboard: Dashboard }, dataProvider.getList);
// Signed in, the console mounts once the opened page's chunk is here, so that page renders without
// suspending (lazyViews); signed out, the login page needs none of it and mounts at once.
const firstPage = session.then(
  () => pageChunk,
  () => undefined,
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App firstPage={firstPage} />
  </StrictMode>,
);
