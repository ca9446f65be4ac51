/**
 * Chrome stops an idle extension service worker after about 30 s, and a fetch still waiting for its
 * answer does not count as activity. A call that may take longer (an AI reply: the model and the
 * business's functions, up to the server's 90 s limit) keeps it alive by calling a cheap extension
 * API meanwhile, as Chrome's service-worker lifecycle guide recommends.
 */
const KEEP_ALIVE_MS = 20_000;

export async function keptAlive<T>(work: Promise<T>): Promise<T> {
  const timer = setInterval(() => void chrome.runtime.getPlatformInfo(), KEEP_ALIVE_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
