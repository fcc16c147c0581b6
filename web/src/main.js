// Starts Open MCT with leakhunt's plugin. The API token comes from ?token= (kept in this
// browser's localStorage); the station dictionary is fetched before start so the tree, the
// units and the limits are there from the first paint.
(async function () {
  const params = new URLSearchParams(location.search);
  if (params.get('token')) localStorage.setItem('leakhunt.token', params.get('token'));
  const token = localStorage.getItem('leakhunt.token') || '';
  const headers = token ? { Authorization: 'Bearer ' + token } : {};
  const reply = await fetch('/api/dictionary', { headers });
  if (!reply.ok) {
    // Text, not markup (style.md 11), like every other piece of the page.
    const message = document.createElement('p');
    message.className = 'leakhunt-login';
    message.textContent = 'The server refused the dictionary (' + reply.status +
      '). Open this page as /?token=YOUR_TOKEN (viewer role or above).';
    document.getElementById('app').replaceChildren(message);
    return;
  }
  const dictionary = await reply.json();
  const MIN = 60 * 1000;
  openmct.setAssetPath('/openmct/');
  openmct.install(openmct.plugins.LocalStorage());
  openmct.install(openmct.plugins.MyItems());
  openmct.install(openmct.plugins.UTCTimeSystem());
  openmct.install(LeakhuntPlugin({ dictionary, token }));  // before the clock that reads its objects
  // Telemetry time, not wall time: a scenario replayed at --speed runs ahead of the wall clock.
  openmct.install(openmct.plugins.RemoteClock({ namespace: 'leakhunt', key: dictionary.clock_channel }));
  openmct.install(openmct.plugins.Conductor({
    menuOptions: [
      { name: 'Telemetry time', timeSystem: 'utc', clock: 'remote-clock',
        clockOffsets: { start: -120 * MIN, end: 5 * MIN } },
      { name: 'Fixed', timeSystem: 'utc', bounds: { start: Date.now() - 30 * MIN, end: Date.now() } }
    ]
  }));
  openmct.install(openmct.plugins.Espresso());
  openmct.install(openmct.plugins.LADTable());
  // Installed here, not left to start(): Open MCT 4.2's start() adds it only when
  // types.get('layout') is undefined, and get() answers an "unknown" type instead, so the
  // overview layout had no view.
  openmct.install(openmct.plugins.DisplayLayout({ showAsView: ['summary-widget'] }));
  // The landing page is the station's overview layout, not an empty "My Items" folder.
  if (!location.hash || location.hash === '#' || location.hash === '#/' || location.hash.startsWith('#/browse/mine')) {
    location.hash = '#/browse/leakhunt:station/leakhunt:overview';
  }
  openmct.start(document.getElementById('app'));
})();
