import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, resources } from './App';
import { authProvider } from './authProvider';
import { preloadRoute } from './preloadRoute';

// Before React mounts: the session check and the page's view chunk start together (see preloadRoute).
authProvider.checkAuth?.({}).catch(() => undefined);
preloadRoute(window.location.hash, resources);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
