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
authProvider.checkAuth?.({}).catch(() => undefined);
void isAdoptedServer();
const firstPage = preloadRoute(window.location.hash, { resources, dashboard: Dashboard }, dataProvider.getList);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App firstPage={firstPage} />
  </StrictMode>,
);
