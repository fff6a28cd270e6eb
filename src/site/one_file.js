// Starts the one-file tour. The page above is already whole; the script
// before this one defined the module's glue (self.asyncTour), and the
// wasm is in the page as base64 of its gzip. A page opened from a file may
// not fetch or import other files, so nothing here does.
(async () => {
  try {
    const packed = document.getElementById('tour-wasm').textContent;
    const gzip = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    const unpacked = new Blob([gzip]).stream().pipeThrough(new DecompressionStream('gzip'));
    const wasm = await new Response(unpacked).arrayBuffer();
    await self.asyncTour.default({ module_or_path: wasm });
    performance.mark('tour:wasm-ready');
    self.asyncTour.mount('tour');
    performance.mark('tour:runnable');
  } catch (err) {
    console.error(err);
    const p = document.createElement('p');
    p.className = 'load-error';
    p.setAttribute('role', 'alert');
    p.textContent = `Run is unavailable: ${err && err.message ? err.message : err}`;
    document.body.prepend(p);
  }
})();
