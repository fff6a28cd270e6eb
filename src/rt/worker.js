// A worker's script, after the glue when the page carries it (the one-file
// tour: the glue set self.asyncTour), or after a line that says where to
// import it from (self.tourGlueUrl). The page sends the module first; then
// each job runs with the module's worker_job, and its answer goes back.
let ready = null;
let job = null;
self.onmessage = async (event) => {
  const data = event.data;
  if (data && data.tourModule) {
    ready = Promise.resolve(self.asyncTour || import(self.tourGlueUrl)).then((glue) => {
      job = glue.worker_job;
      return glue.default({ module_or_path: data.tourModule });
    });
    try { await ready; self.postMessage({ tourReady: true, id: 0 }); }
    catch (e) { self.postMessage({ tourError: String(e) }); }
    return;
  }
  if (!data || data.tourJob === undefined) return;
  await ready;
  try {
    const answer = await job(data.tourJob, data.input);
    self.postMessage({ tourAnswer: answer, id: data.id });
  } catch (e) {
    self.postMessage({ tourFailed: String(e), id: data.id });
  }
};
