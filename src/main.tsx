import { createBrowserHistory } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createPanel } from './app/panel.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const panel = createPanel({ apiBase: '/api' }, createBrowserHistory(), { embedded: false });
createRoot(root).render(<StrictMode>{panel.element}</StrictMode>);
