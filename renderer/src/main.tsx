import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { clientForThisPage } from './api/client';
import './styles.css';

const { client, mode, auth } = clientForThisPage();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} mode={mode} auth={auth} />
  </StrictMode>,
);
