import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { AppProvider } from './app/provider.tsx';
// The panel's own CSS as a stylesheet of the page, fetched beside the script (not a string inside it).
import './app/shell.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
// The page's frame (margin, background) from src/app/shell.css until MUI's CssBaseline has loaded.
document.body.classList.add('kp-page');
createRoot(root).render(
  <StrictMode>
    <AppProvider options={{ apiBase: '/api', syncUrl: true }}>
      <App />
    </AppProvider>
  </StrictMode>,
);
