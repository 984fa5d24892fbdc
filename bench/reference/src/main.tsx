/**
 * The bench's floor: the panel's first screen (two fields and the "Look up" button) in plain React
 * with hand-written CSS. React itself, nothing else: what the panel's first screen costs at least.
 */
import { StrictMode, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import './style.css';

function Floor() {
  const [vm, setVm] = useState('');
  const [network, setNetwork] = useState('');
  const [submitted, setSubmitted] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(`${vm} on ${network}`);
  };
  return (
    <div className="page">
      <h1>Network interface</h1>
      <form noValidate onSubmit={submit} aria-label="Look up an interface">
        <div className="field">
          <label htmlFor="vm">Virtual machine</label>
          <input id="vm" value={vm} onChange={(e) => setVm(e.target.value)} autoComplete="off" spellCheck={false} placeholder="vm_… or name.example.katapult.cloud" />
        </div>
        <div className="field">
          <label htmlFor="network">Network</label>
          <input id="network" value={network} onChange={(e) => setNetwork(e.target.value)} autoComplete="off" spellCheck={false} placeholder="netw_… or a permalink such as public" />
        </div>
        <button type="submit">Look up</button>
      </form>
      <p className="hint">{submitted ? `Looking up ${submitted}…` : 'Enter a virtual machine and a network to see its interface.'}</p>
    </div>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Floor />
  </StrictMode>,
);
