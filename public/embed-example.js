// The example host page's script (a module file: the CSP forbids inline script).
// Mounts the panel twice, side by side; `?frame=<path>` also shows the SPA in an iframe
// (the other way to embed it), e.g. `?frame=/%3Fvm%3Dvm_t8yomYsG4bccKw5D%26network%3Dpublic`.
import { mount } from '/embed/katapult-panel.js';

function finishedReporter(id) {
  const out = document.getElementById(id);
  return (task) => {
    out.textContent = `Task ${task.id} ${task.status}`;
  };
}

const instances = {
  a: mount(document.getElementById('panel-a'), {
    themeMode: 'light',
    onTaskFinished: finishedReporter('finished-a'),
  }),
  b: mount(document.getElementById('panel-b'), {
    themeMode: 'dark',
    theme: { palette: { primary: { main: '#7b1fa2' } } },
    onTaskFinished: finishedReporter('finished-b'),
  }),
};

for (const name of Object.keys(instances)) {
  const button = document.getElementById(`unmount-${name}`);
  button.addEventListener('click', () => {
    instances[name]();
    button.disabled = true;
    button.textContent = `Panel ${name.toUpperCase()} unmounted`;
  });
}

const frame = new URLSearchParams(window.location.search).get('frame');
if (frame && frame.startsWith('/') && !frame.startsWith('//')) {
  document.getElementById('panel-frame').src = frame;
  document.getElementById('frame-section').hidden = false;
}
