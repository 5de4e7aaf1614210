import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MyApp } from './my-app';
import '../styles.css';
import './my.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MyApp />
  </StrictMode>,
);

// Installable on phones: the service worker keeps the app shell (never personal data).
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/my/sw.js', { scope: '/my/' });
